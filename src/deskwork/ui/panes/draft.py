"""The draft-post scratchpad: the list of drafts (and the trash) and what is done to a draft from
it (new, metadata, delete, restore, export). Editing a draft is in draft_editing.py (the editor,
autosave, word count and open questions) and draft_tools.py (preview, zen, revisions, citations,
$EDITOR)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from deskwork.domain.drafts import Draft
from deskwork.domain.text import clean
from deskwork.domain.wording import error_sentence, plural
from deskwork.services import DaySummary
from deskwork.services.drafts import DraftError, DraftService, ExportRefused
from deskwork.ui.commands import DRAFT_COMMANDS, EDITOR_ACTIONS, LIST_ACTIONS
from deskwork.ui.key_hold import release_keys
from deskwork.ui.panes.draft_editing import DraftEditing
from deskwork.ui.serving import where
from deskwork.ui.widgets.list_pane import DeskList, LazyOptions, fill_options

if TYPE_CHECKING:
    from deskwork.ui.host import PaneHost


def draft_label(draft: Draft) -> Text:
    label = Text(clean(draft.title, single_line=True), no_wrap=True, overflow="ellipsis")
    label.append(
        f" · {draft.status.value} · {plural(draft.words, 'word')} · {draft.updated.astimezone():%d %b %H:%M}",
        style="dim",
    )
    return label


class DraftPane(DraftEditing):
    pane_id = "draft"
    title = "Draft post"
    binding_id = "pane.draft"
    BINDINGS = [c.binding() for c in DRAFT_COMMANDS]

    DEFAULT_CSS = """
    DraftPane OptionList, DraftPane OptionList:focus {
        height: 1fr; border: none; padding: 0; background: transparent;
    }
    DraftPane .hint { color: $text-muted; }
    DraftPane #draft-status { color: $text-muted; height: 1; }
    DraftPane #draft-body { height: 1fr; }
    DraftPane #draft-text { width: 1fr; border: none; padding: 0; }
    DraftPane #draft-text:focus { border: none; }
    DraftPane #draft-text.-long { scrollbar-gutter: stable; }
    DraftPane #draft-preview { width: 1fr; border-left: solid $panel-lighten-2; padding: 0 1; }
    DraftPane #draft-side { width: 30; border-left: solid $panel-lighten-2; padding: 0 1; }
    DraftPane #draft-side OptionList { height: auto; max-height: 12; }
    DraftPane.-narrow #draft-side { display: none; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.showing_trash = False
        # (draft id, digest of the file it would replace): the last export refused, a second
        # press of the export key replaces that file
        self._export_pending: tuple[int, str] | None = None

    @property
    def deskwork(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    @property
    def drafts(self) -> DraftService:
        return self.deskwork.drafts

    def compose(self) -> ComposeResult:
        # The list of drafts; the editor is mounted beside it on first use, one of the two shown
        # (`DraftEditing._show_part`).
        # The text in place of an empty list is made when the list is first empty (`_empty_hint`).
        with Vertical(id="draft-browse"):
            yield DeskList(id="draft-list")
            yield Static(
                f"{self.key('draft.new')} new · Enter open · {self.key('draft.meta')} metadata"
                f" · {self.key('draft.delete')} delete · {self.key('draft.trash')} trash"
                f" · {self.key('draft.export')} export",
                classes="hint",
            )

    # ------------------------------------------------------------------ browsing
    def show(self, summary: DaySummary) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        drafts = self.drafts.listing(trash=self.showing_trash)
        listing = self.query_one("#draft-list", OptionList)
        highlighted = listing.highlighted
        fill_options(listing, LazyOptions(drafts, lambda d: Option(draft_label(d), id=str(d.id))))
        if drafts:
            listing.highlighted = min(highlighted or 0, len(drafts) - 1)
        empty = self._empty_hint(make=not drafts)
        if empty is not None:
            empty.display = not drafts
            empty.update(
                "The trash is empty. Deleted drafts stay here for 30 days."
                if self.showing_trash
                else "No drafts yet. Write the post while you learn: a good post starts with 70% "
                f"of the knowledge and makes you find the rest. Press {self.key('draft.new')} to "
                "start one."
            )
        self.border_subtitle = f"trash · {self.key_hint}" if self.showing_trash else self.key_hint

    def _empty_hint(self, make: bool) -> Static | None:
        """The text in place of an empty list; made (above the list) when `make`."""
        hint = next(self.query("#draft-empty").results(Static), None)
        if hint is None and make:
            hint = Static(id="draft-empty", classes="hint")
            self.query_one("#draft-browse", Vertical).mount(hint, before="#draft-list")
        return hint

    def _selected(self) -> Draft | None:
        listing = self.query_one("#draft-list", OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return self.drafts.store.drafts.get(int(option.id or 0))

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "draft-list" and not self.showing_trash:
            await self.open_draft(int(event.option.id or 0))
        elif event.option_list.id == "draft-questions":
            line = int(event.option.id or 1) - 1
            text = self._text_area()
            text.move_cursor((line, 0))
            text.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in LIST_ACTIONS:
            return self.editing is None
        if action in EDITOR_ACTIONS:
            return self.editing is not None
        return True

    def action_new_draft(self) -> None:
        from deskwork.ui.screens.draft_dialogs import NewDraftScreen

        async def made(title: str | None) -> None:
            try:
                if title:
                    self.showing_trash = False
                    await self.open_draft(self.drafts.create(title).id)
            finally:
                release_keys(self.app)  # the first words, typed right after Enter: key_hold.py

        self.app.push_screen(NewDraftScreen(), made)

    def action_delete_draft(self) -> None:
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        draft = self._selected()
        if draft is None or self.showing_trash:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.drafts.trash(draft.id)
                self.refresh_list()
                self.app.notify(f"Moved to the trash for 30 days: {draft.title}", markup=False)

        self.app.push_screen(ConfirmScreen(f"Move “{draft.title}” to the trash?"), confirmed)

    def action_toggle_trash(self) -> None:
        self.showing_trash = not self.showing_trash
        self.refresh_list()

    def action_restore_draft(self) -> None:
        """Out of the trash, and back to the drafts with the restored one selected."""
        draft = self._selected()
        if draft is not None and self.showing_trash:
            self.drafts.untrash(draft.id)
            self.showing_trash = False
            self.refresh_list()
            listing = self.query_one("#draft-list", OptionList)
            with contextlib.suppress(OptionDoesNotExist):
                listing.highlighted = listing.get_option_index(str(draft.id))
            self.app.notify(f"Restored: {draft.title}", markup=False)

    def action_edit_meta(self) -> None:
        from deskwork.ui.screens.draft_dialogs import MetadataScreen

        draft = self.editing or self._selected()
        if draft is None:
            return
        self.flush()

        def done(fields: dict[str, object] | None) -> None:
            if fields:
                try:
                    updated = self.drafts.update(draft.id, **fields)
                except ValueError as exc:  # a ValidationError: one sentence naming the field
                    self.app.notify(
                        f"Not saved: {error_sentence(exc)}", severity="error", markup=False
                    )
                    return
                if self.editing is not None:
                    self.editing = updated
                    self._show_status()
                self.refresh_list()

        self.app.push_screen(MetadataScreen(self.drafts.get(draft.id)), done)

    def action_export_draft(self) -> None:
        draft = self.editing or self._selected()
        if draft is None:
            return
        self.flush()
        # A file in the way was named by the last press: pressing again replaces it (that very
        # version of it: a file changed since is named again).
        pending, self._export_pending = self._export_pending, None
        agreed = pending[1] if pending is not None and pending[0] == draft.id else None
        try:
            path = self.drafts.export(draft.id, agreed=agreed)
        except ExportRefused as exc:
            self._export_pending = (draft.id, exc.seen)
            self.app.notify(
                f"{where(exc.path)} {exc.why}: not replaced. Press {self.key('draft.export')} "
                "again to replace it.",
                title="Draft",
                severity="warning",
                markup=False,
            )
            return
        except (OSError, DraftError) as exc:
            self.app.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        self.app.notify(f"Exported to {where(path)}", title="Draft", markup=False)
