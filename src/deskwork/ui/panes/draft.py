"""The draft-post scratchpad: a list of drafts (and the trash), and an editor with markdown
highlighting, live preview, word count and reading time, open questions, sources, autosave,
revisions, zen mode and $EDITOR."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import ContentSwitcher, OptionList, Static, TextArea
from textual.widgets.option_list import Option, OptionDoesNotExist

from deskwork.domain.autosave import Autosave
from deskwork.domain.drafts import Draft, DraftSource, SourceKind, open_questions
from deskwork.domain.text import clean
from deskwork.services import DaySummary
from deskwork.services.drafts import DraftService
from deskwork.ui.commands import DRAFT_COMMANDS, EDITOR_ACTIONS, LIST_ACTIONS
from deskwork.ui.widgets.pane import Pane

SIDE_WIDTH = 32  # the questions/sources column, with its border and padding
TEXT_MIN = 60  # the text keeps at least this many columns, or that column folds away

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import Markdown as MarkdownViewer

    from deskwork.ui.app import DeskworkApp


def draft_label(draft: Draft) -> Text:
    label = Text(clean(draft.title, single_line=True), no_wrap=True, overflow="ellipsis")
    label.append(
        f" · {draft.status.value} · {draft.words} words · {draft.updated.astimezone():%d %b %H:%M}",
        style="dim",
    )
    return label


class DraftPane(Pane):
    pane_id = "draft"
    title = "Draft post"
    key_hint = "F5"
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
    DraftPane #draft-preview { width: 1fr; border-left: solid $panel-lighten-2; padding: 0 1; }
    DraftPane #draft-side { width: 30; border-left: solid $panel-lighten-2; padding: 0 1; }
    DraftPane #draft-side OptionList { height: auto; max-height: 12; }
    DraftPane.-narrow #draft-side { display: none; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.editing: Draft | None = None
        self.showing_trash = False
        self.autosave = Autosave()
        self._loading = False
        self._text = ""  # the editor's text as of the last keystroke (saved even after unmount)
        self._questions_shown: list[tuple[int, str]] | None = None

    @property
    def deskwork(self) -> DeskworkApp:
        return self.app  # type: ignore[return-value]

    @property
    def drafts(self) -> DraftService:
        return self.deskwork.drafts

    def compose(self) -> ComposeResult:
        with (
            ContentSwitcher(initial="draft-browse", id="draft-switcher"),
            Vertical(id="draft-browse"),
        ):
            yield Static(
                "No drafts yet. Write the post while you learn: a good post starts with 70% "
                "of the knowledge and makes you find the rest. Press n to start one.",
                id="draft-empty",
                classes="hint",
            )
            yield OptionList(id="draft-list")
            yield Static(
                "n new · Enter open · m metadata · d delete · t trash · x export",
                classes="hint",
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.autosave = Autosave(self.deskwork.desk.config.drafts.autosave_seconds)

    async def _ensure_editor(self) -> None:
        """The editor (tree-sitter highlighting, Markdown preview) is built on first use, so it
        costs nothing at start-up."""
        if self.query("#draft-edit"):
            return
        from textual.widgets import Markdown

        preview = Markdown(id="draft-preview")
        preview.display = False
        editor = Vertical(
            Static(id="draft-status"),
            Horizontal(
                TextArea(
                    language="markdown", soft_wrap=True, id="draft-text", tab_behavior="focus"
                ),
                preview,
                Vertical(
                    Static("[b]Open questions[/b]"),
                    OptionList(id="draft-questions"),
                    Static(id="draft-sources"),
                    id="draft-side",
                ),
                id="draft-body",
            ),
            id="draft-edit",
        )
        await self.query_one("#draft-switcher", ContentSwitcher).mount(editor)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The text gets the room: the questions/sources column shows only while the text beside
        it (and beside the preview, when both are shown) keeps TEXT_MIN columns."""
        beside = False
        with contextlib.suppress(NoMatches):
            preview = self.query_one("#draft-preview")
            beside = bool(preview.display and self.query_one("#draft-text", TextArea).display)
        text_with_side = (self.size.width - SIDE_WIDTH) // (2 if beside else 1)
        self.set_class(text_with_side < TEXT_MIN, "-narrow")

    def focus_target(self) -> Widget:
        if self.editing is not None:
            return self.query_one("#draft-text", TextArea)
        listing = self.query_one("#draft-list", OptionList)
        return listing if listing.option_count else self

    # ------------------------------------------------------------------ browsing
    def show(self, summary: DaySummary) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        drafts = self.drafts.listing(trash=self.showing_trash)
        listing = self.query_one("#draft-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(draft_label(d), id=str(d.id)) for d in drafts])
        if drafts:
            listing.highlighted = min(highlighted or 0, len(drafts) - 1)
        empty = self.query_one("#draft-empty", Static)
        empty.display = not drafts
        if self.showing_trash:
            empty.update("The trash is empty. Deleted drafts stay here for 30 days.")
        self.border_subtitle = "trash · F5" if self.showing_trash else self.key_hint

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
            text = self.query_one("#draft-text", TextArea)
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
            if title:
                self.showing_trash = False
                await self.open_draft(self.drafts.create(title).id)

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
                updated = self.drafts.update(draft.id, **fields)
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
        try:
            path = self.drafts.export(draft.id)
        except OSError as exc:
            self.app.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        self.app.notify(f"Exported to {path}", title="Draft", markup=False)

    # ------------------------------------------------------------------ editing
    async def open_draft(self, draft_id: int) -> None:
        self.flush()
        await self._ensure_editor()
        draft = self.drafts.get(draft_id)
        self.editing = draft
        self._loading = True
        text = self.query_one("#draft-text", TextArea)
        text.display = True
        text.load_text(draft.body)
        self._text = draft.body
        self.autosave.saved()
        self.query_one("#draft-switcher", ContentSwitcher).current = "draft-edit"
        self._after_save()
        text.focus()
        self.refresh_bindings()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._loading:
            self._loading = False
            return
        if self.editing is not None:
            self._text = event.text_area.text
            self.autosave.edited(self.deskwork.desk.clock())
            self._show_status()
            self._show_questions(self._text)

    def autosave_tick(self, now: datetime) -> None:
        if self.autosave.due(now):
            self.flush()

    def flush(self) -> None:
        """Save now if anything is unsaved (autosave, pane switch, quit, leaving the editor)."""
        if self.editing is None or not self.autosave.dirty:
            return
        self.editing = self.drafts.save_text(self.editing.id, self._text)
        self.autosave.saved()
        if self.is_mounted and self.children:
            self._after_save()

    def _after_save(self) -> None:
        assert self.editing is not None
        body = self.editing.body
        questions = self.query_one("#draft-questions", OptionList)
        questions.clear_options()
        found = open_questions(body)
        questions.add_options(
            [
                Option(Text(f"{n}: {clean(line, single_line=True)[:60]}"), id=str(n))
                for n, line in found
            ]
            or [Option("none: nothing marked TODO: or ??", disabled=True)]
        )
        sources = Text("\nSources\n", style="bold")
        for source in self.editing.sources:
            sources.append(f"· {clean(source.title, single_line=True)}\n", style="")
        if not self.editing.sources:
            sources.append("Ctrl+L cites the selected queue item\n", style="dim")
        self.query_one("#draft-sources", Static).update(sources)
        preview = cast("MarkdownViewer", self.query_one("#draft-preview"))
        if preview.display:
            preview.update(body)
        self._show_status()

    def _show_questions(self, text: str) -> None:
        found = open_questions(text)
        if found == self._questions_shown:
            return
        self._questions_shown = found
        questions = self.query_one("#draft-questions", OptionList)
        questions.clear_options()
        questions.add_options(
            [
                Option(Text(f"{n}: {clean(line, single_line=True)[:60]}"), id=str(n))
                for n, line in found
            ]
            or [Option("none: nothing marked TODO: or ??", disabled=True)]
        )

    def _show_status(self) -> None:
        if self.editing is None:
            return
        text = self._text
        words = len(text.split())
        minutes = max(1, -(-words // 230)) if words else 0
        saved = (
            "unsaved"
            if self.autosave.dirty
            else f"saved {self.editing.updated.astimezone():%H:%M:%S}"
        )
        questions = len(open_questions(text))
        status = Text(clean(self.editing.title, single_line=True)[:40], style="bold")
        status.append(f" · {words} words · {minutes} min read · {questions} open · {saved}")
        self.query_one("#draft-status", Static).update(status)

    def action_close_editor(self) -> None:
        self.flush()
        self.editing = None
        self.query_one("#draft-switcher", ContentSwitcher).current = "draft-browse"
        self.refresh_list()
        self.focus_target().focus()
        self.refresh_bindings()

    def action_save_draft(self) -> None:
        if self.editing is not None:
            self.autosave.edited(self.deskwork.desk.clock())
            self.flush()

    def action_toggle_preview(self) -> None:
        """Cycle: text only → preview beside the text → preview instead of the text → text only."""
        preview = cast("MarkdownViewer", self.query_one("#draft-preview"))
        text = self.query_one("#draft-text", TextArea)
        if not preview.display:
            preview.display = True
            preview.update(self._text)
        elif text.display:
            self.flush()
            text.display = False
            self.focus()  # keep the keys in this pane while the text is hidden
        else:
            preview.display = False
            text.display = True
            text.focus()
        self._fit()

    def action_zen(self) -> None:
        screen = self.app.screen
        if screen.maximized is not None:
            screen.minimize()
        else:
            screen.maximize(self.query_one("#draft-text", TextArea), container=False)

    def action_revisions(self) -> None:
        from deskwork.ui.screens.draft_dialogs import RevisionsScreen

        if self.editing is None:
            return
        self.flush()
        current = self.editing

        async def chosen(revision_id: int | None) -> None:
            if revision_id:
                restored = self.drafts.restore_revision(revision_id)
                await self.open_draft(restored.id)
                self.app.notify("Revision restored (the text it replaced is kept as a revision)")

        self.app.push_screen(RevisionsScreen(current, self.drafts.revisions(current.id)), chosen)

    def action_cite_selected(self) -> None:
        """Insert a link to the item selected in today's queue and attach it as a source."""
        if self.editing is None:
            return
        item = self.deskwork.selected_queue_item()
        if item is None:
            self.app.notify("Select an item in today's queue (F3) first", severity="warning")
            return
        link = f"[{item.title}]({item.url})" if item.url else item.title
        editor = self.query_one("#draft-text", TextArea)
        editor.insert(link)
        self._text = editor.text
        self.autosave.edited(self.deskwork.desk.clock())
        self.flush()
        source = DraftSource(kind=SourceKind.ITEM, ref_id=item.id, title=item.title, url=item.url)
        self.editing = self.drafts.add_source(self.editing.id, source)
        self._after_save()

    def action_cite_card(self) -> None:
        """Pick a flashcard and list it as a source of the post."""
        from deskwork.ui.screens.draft_dialogs import CardPickScreen

        if self.editing is None:
            return
        store = self.drafts.store
        if not store.cards.loaded:
            self.app.notify("Cards are still loading; try again in a moment")
            return
        cards = [(c.id, c.front, c.back) for c in store.cards.values() if not c.suspended]
        if not cards:
            self.app.notify("No flashcards yet", severity="warning")
            return

        def chosen(card_id: int | None) -> None:
            card = store.cards.get(card_id) if card_id else None
            if card is None or self.editing is None:
                return
            title = clean(card.front, single_line=True)[:120]
            source = DraftSource(kind=SourceKind.CARD, ref_id=card.id, title=title)
            self.editing = self.drafts.add_source(self.editing.id, source)
            self._after_save()
            self.app.notify(f"Source added: {title}", markup=False)

        self.app.push_screen(CardPickScreen(cards), chosen)

    async def action_external_editor(self) -> None:
        """Edit in $EDITOR (the app is suspended meanwhile), then load the result back."""
        if self.editing is None:
            return
        self.flush()
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.TemporaryDirectory(prefix="deskwork-") as folder:
            path = Path(folder) / f"{self.editing.effective_slug}.md"
            path.write_text(self.editing.body, encoding="utf-8")
            try:
                with self.app.suspend():
                    result = subprocess.run([*shlex.split(editor), str(path)], check=False)
            except Exception as exc:  # no terminal to hand over (e.g. headless)
                self.app.notify(f"Cannot open {editor}: {exc}", severity="error", markup=False)
                return
            if result.returncode != 0:
                self.app.notify(f"{editor} exited with {result.returncode}; nothing changed")
                return
            body = path.read_text(encoding="utf-8")
        self.editing = self.drafts.save_text(self.editing.id, body)
        await self.open_draft(self.editing.id)
