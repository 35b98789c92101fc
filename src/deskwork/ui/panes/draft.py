"""The draft-post scratchpad: a list of drafts (and the trash), and an editor with markdown
highlighting, word count and reading time, open questions, sources and autosave. The editor's
tools (preview, zen, revisions, citations, $EDITOR, the remembered cursor) are in draft_tools.py."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import ContentSwitcher, OptionList, Static, TextArea
from textual.widgets.option_list import Option, OptionDoesNotExist

from deskwork.domain.autosave import Autosave
from deskwork.domain.drafts import (
    Draft,
    open_questions,
)
from deskwork.domain.text import clean
from deskwork.domain.wording import error_sentence, plural
from deskwork.services import DaySummary
from deskwork.services.drafts import DraftService
from deskwork.ui.commands import DRAFT_COMMANDS, EDITOR_ACTIONS, LIST_ACTIONS
from deskwork.ui.panes.draft_tools import DraftTools
from deskwork.ui.serving import where
from deskwork.ui.widgets.editor import WindowedTextArea
from deskwork.ui.widgets.list_pane import LazyOptions, fill_options

SIDE_WIDTH = 32  # the questions/sources column, with its border and padding
TEXT_MIN = 60  # the text keeps at least this many columns, or that column folds away

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import Markdown as MarkdownViewer

    from deskwork.ui.app import DeskworkApp


def draft_label(draft: Draft) -> Text:
    label = Text(clean(draft.title, single_line=True), no_wrap=True, overflow="ellipsis")
    label.append(
        f" · {draft.status.value} · {plural(draft.words, 'word')} · {draft.updated.astimezone():%d %b %H:%M}",
        style="dim",
    )
    return label


class DraftPane(DraftTools):
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
        self._saved_text = ""  # the editor's text when last pulled from it
        self._editor: TextArea | None = None  # kept: its text can be saved even after unmount
        self._edited = False  # keystrokes since the status line and open questions were shown
        self._questions_shown: list[tuple[int, str]] | None = None
        self._counts: tuple[int, int] | None = None  # (words, open questions) last counted
        self._count_generation = 0

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
                f"of the knowledge and makes you find the rest. Press {self.key('draft.new')} to "
                "start one.",
                id="draft-empty",
                classes="hint",
            )
            yield OptionList(id="draft-list")
            yield Static(
                f"{self.key('draft.new')} new · Enter open · {self.key('draft.meta')} metadata"
                f" · {self.key('draft.delete')} delete · {self.key('draft.trash')} trash"
                f" · {self.key('draft.export')} export",
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
                WindowedTextArea(
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
        fill_options(listing, LazyOptions(drafts, lambda d: Option(draft_label(d), id=str(d.id))))
        if drafts:
            listing.highlighted = min(highlighted or 0, len(drafts) - 1)
        empty = self.query_one("#draft-empty", Static)
        empty.display = not drafts
        if self.showing_trash:
            empty.update("The trash is empty. Deleted drafts stay here for 30 days.")
        self.border_subtitle = f"trash · {self.key_hint}" if self.showing_trash else self.key_hint

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
        try:
            path = self.drafts.export(draft.id)
        except OSError as exc:
            self.app.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        self.app.notify(f"Exported to {where(path)}", title="Draft", markup=False)

    # ------------------------------------------------------------------ editing
    async def open_draft(self, draft_id: int) -> None:
        self._remember_cursor()
        self.flush()
        await self._ensure_editor()
        draft = self.drafts.get(draft_id)
        self.editing = draft
        self._loading = True
        text = self.query_one("#draft-text", TextArea)
        text.display = True
        text.load_text(draft.body)
        text.move_cursor(self._cursor_for(draft), record_width=True)
        text.scroll_cursor_visible(center=True, animate=False)
        self._editor = text
        self._saved_text = draft.body
        self._edited = False
        self._counts = None  # this draft's are counted by _after_save
        self.autosave.saved()
        self.query_one("#draft-switcher", ContentSwitcher).current = "draft-edit"
        self._after_save()
        text.focus()
        self.refresh_bindings()

    @property
    def _text(self) -> str:
        """The editor's text. Joined from its lines only when asked for (a save, the tick after
        keystrokes), never per keystroke: at 250 KB that alone was a stall."""
        if self._editor is not None and self.editing is not None:
            self._saved_text = self._editor.text
        return self._saved_text

    @_text.setter
    def _text(self, value: str) -> None:
        self._saved_text = value

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._loading:
            self._loading = False
            return
        if self.editing is not None and event.text_area.id == "draft-text":
            # Per keystroke: only what does not grow with the post. The word count, the open
            # questions and the status follow on the next tick (a quarter of a second).
            self.autosave.edited(self.deskwork.desk.clock())
            self._edited = True

    def autosave_tick(self, now: datetime) -> None:
        if self.autosave.due(now):
            self.flush()
        if self._edited and self.editing is not None and self.is_mounted and self.children:
            self._edited = False
            self._count(self._text)

    def flush(self) -> None:
        """Save now if anything is unsaved (autosave, pane switch, quit, leaving the editor)."""
        with contextlib.suppress(NoMatches):
            self._remember_cursor()
        if self.editing is None or not self.autosave.dirty:
            return
        self.editing = self.drafts.save_text(self.editing.id, self._text)
        self.autosave.saved()
        if self.is_mounted and self.children:
            self._after_save()

    def unsaved_text(self, why: str) -> str:
        """The draft text a failed last save could not keep, to print in the shell on exit."""
        title = self.editing.title if self.editing is not None else "draft"
        return f"deskwork could not save “{title}” ({why}); its text:\n\n{self._text}\n\n"

    def _after_save(self) -> None:
        assert self.editing is not None
        body = self.editing.body
        self._count(body)
        sources = Text("\nSources\n", style="bold")
        for source in self.editing.sources:
            sources.append(f"· {clean(source.title, single_line=True)}\n", style="")
        if not self.editing.sources:
            sources.append(f"{self.key('draft.cite')} cites the selected queue item\n", style="dim")
        self.query_one("#draft-sources", Static).update(sources)
        preview = cast("MarkdownViewer", self.query_one("#draft-preview"))
        if preview.display:
            preview.update(body)
        self._show_status()

    def _count(self, text: str) -> None:
        """The word count and the open questions of `text`, counted on a worker thread and shown
        when done (a newer count makes an older one's answer stale). At 250 KB splitting the
        words, scanning every line and building the list's entries took tens of milliseconds,
        at every tick while typing; the UI thread now only swaps the list when it changed."""
        self._count_generation += 1
        generation = self._count_generation
        shown = self._questions_shown

        def work() -> None:
            words = len(text.split())
            found = open_questions(text)
            options = None if found == shown else question_options(found)
            self.app.call_from_thread(self._show_counts, generation, words, found, options)

        self.run_worker(work, thread=True, exclusive=True, group="draft-counts", name="counts")

    def _show_counts(
        self,
        generation: int,
        words: int,
        found: list[tuple[int, str]],
        options: list[Option] | None,
    ) -> None:
        if generation != self._count_generation or self.editing is None or not self.children:
            return
        self._counts = (words, len(found))
        self._show_status()
        if options is not None:
            self._questions_shown = found
            questions = self.query_one("#draft-questions", OptionList)
            questions.clear_options()
            questions.add_options(options)

    def _show_status(self) -> None:
        """Title, counts (as last counted), reading time and whether the text is saved."""
        if self.editing is None:
            return
        saved = (
            "unsaved"
            if self.autosave.dirty
            else f"saved {self.editing.updated.astimezone():%H:%M:%S}"
        )
        status = Text(clean(self.editing.title, single_line=True)[:40], style="bold")
        if self._counts is None:
            status.append(f" · counting… · {saved}")
        else:
            words, questions = self._counts
            minutes = max(1, -(-words // 230)) if words else 0
            status.append(
                f" · {plural(words, 'word')} · {minutes} min read · {questions} open · {saved}"
            )
        self.query_one("#draft-status", Static).update(status)

    def action_close_editor(self) -> None:
        self._remember_cursor()
        self.flush()
        self.editing = None
        self._edited = False
        self.query_one("#draft-switcher", ContentSwitcher).current = "draft-browse"
        self.refresh_list()
        self.focus_target().focus()
        self.refresh_bindings()

    def action_save_draft(self) -> None:
        if self.editing is not None:
            self.autosave.edited(self.deskwork.desk.clock())
            self.flush()


def question_options(found: list[tuple[int, str]]) -> list[Option]:
    """The open-questions list's entries (built on the counting worker: no widget touched)."""
    return [
        Option(Text(f"{n}: {clean(line, single_line=True)[:60]}"), id=str(n)) for n, line in found
    ] or [Option("none: nothing marked TODO: or ??", disabled=True)]
