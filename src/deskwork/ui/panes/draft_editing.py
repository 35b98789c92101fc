"""Editing one draft: the editor (built on first use), opening a draft into it, autosave, and what
follows the text as it is typed: the word count, the reading time, the open questions and whether
it is saved. The tools around the editor are in draft_tools.py; the list of drafts in draft.py.

Per keystroke only what does not grow with the post is done: the editor's document keeps a tally
of words and question lines edit by edit (`LineTally`), and the status line and the questions list
are brought up to date from it on the next tick (a quarter of a second)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from deskwork.domain.autosave import Autosave
from deskwork.domain.drafts import Draft
from deskwork.domain.line_tally import LineTally, question_text
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.ui.panes.draft_tools import DraftTools
from deskwork.ui.widgets.static_text import update_static

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import TextArea

    from deskwork.ui.widgets.editor import WindowedTextArea

SIDE_WIDTH = 32  # the questions/sources column, with its border and padding
TEXT_MIN = 60  # the text keeps at least this many columns, or that column folds away
QUESTION_ROWS = 12  # the open-questions list's most rows (its max-height in the pane's CSS)


TITLE_MOST = 40  # the title's most cells in the editor's status row
TITLE_LEAST = 24  # ...and its least, when the row is too narrow for the title and the figures


def status_line(title: str, figures: list[tuple[str, int]], saved: str, width: int) -> Text:
    """The editor's status row: the title (bold), the figures, and last whether the text is saved.
    In `width` cells (0: not laid out yet) the title is cut with an ellipsis to leave the rest
    room; when the row is still short of room (a quarter of the desk), figures go, the lowest
    rank first (each is (text, rank)), before the title gets under TITLE_LEAST cells, and the
    save state always stays in sight: it matters more than a count."""
    shown = list(figures)

    def tail() -> str:
        return "".join(f" · {part}" for part in [*(text for text, _ in shown), saved])

    while shown and width > 0 and width - cell_len(tail()) < TITLE_LEAST:
        shown.remove(min(shown, key=lambda figure: figure[1]))
    rest = tail()
    room = TITLE_MOST if width <= 0 else width - cell_len(rest)
    line = Text(clean(title, single_line=True), style="bold", no_wrap=True, overflow="ellipsis")
    line.truncate(max(1, min(TITLE_MOST, room)), overflow="ellipsis")
    line.append(rest)
    if width > 0:
        line.truncate(width, overflow="ellipsis")
    return line


def saved_at(updated: datetime, now: datetime) -> str:
    """When the text was last saved, as the status says it: the time today, the date and time on
    another day (a draft reopened days later), the date alone in another year."""
    local, today = updated.astimezone(), now.astimezone()
    if local.date() == today.date():
        return f"{local:%H:%M:%S}"
    if local.year == today.year:
        return f"{local:%a %d %b %H:%M}"
    return f"{local:%d %b %Y}"


def tall(body: str, width: int, height: int) -> bool:
    """Whether `body` surely wraps to more rows than `height` at `width` columns (a lower bound
    of its rows: its lines, and its characters a row of `width` at a time)."""
    return body.count("\n") + 1 > height or len(body) > max(1, width) * height


class DraftEditing(DraftTools):
    if TYPE_CHECKING:  # provided by the draft pane

        def refresh_list(self) -> None: ...

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.editing: Draft | None = None
        self.autosave = Autosave()
        self._loading = False
        self._saved_text = ""  # the editor's text when last pulled from it
        self._editor: WindowedTextArea | None = None  # kept: its text is saved even after unmount
        self._edited = False  # keystrokes since the status line and open questions were shown
        self._questions_shown: list[tuple[int, str]] | None = None
        self._question_options: dict[tuple[int, str], Option] = {}  # reused while unchanged
        self._questions_pending = False  # found while the column was folded, not listed yet
        self._save_ticket = 0  # the store's ticket of the last save: "saved" once durable

    def on_mount(self) -> None:
        super().on_mount()
        self.autosave = Autosave(self.deskwork.desk.config.drafts.autosave_seconds)

    async def _ensure_editor(self) -> None:
        """The editor (tree-sitter highlighting, Markdown preview) is built on first use, so it
        costs nothing at start-up."""
        if self.query("#draft-edit"):
            return
        from textual.widgets import Markdown

        from deskwork.ui.widgets.editor import WindowedTextArea

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
        editor.display = False
        await self.mount(editor, after="#draft-browse")

    def _show_part(self, shown: str) -> None:
        """Show the list of drafts ("draft-browse") or the editor ("draft-edit"), not both."""
        for part in ("draft-browse", "draft-edit"):
            for widget in self.query(f"#{part}"):
                widget.display = part == shown

    def on_resize(self) -> None:
        self._fit()
        self._show_status()  # the title's share of the row follows the width

    def _fit(self) -> None:
        """The text gets the room: the questions/sources column shows only while the text beside
        it (and beside the preview, when both are shown) keeps TEXT_MIN columns."""
        beside = False
        with contextlib.suppress(NoMatches):
            preview = self.query_one("#draft-preview")
            beside = bool(preview.display and self._text_area().display)
        text_with_side = (self.size.width - SIDE_WIDTH) // (2 if beside else 1)
        self.set_class(text_with_side < TEXT_MIN, "-narrow")
        if self._questions_pending and not self.has_class("-narrow"):
            self._show_questions(self._questions_shown or [])

    def focus_target(self) -> Widget:
        if self.editing is not None:
            return self._text_area()
        listing = self.query_one("#draft-list", OptionList)
        return listing if listing.option_count else self

    async def open_draft(self, draft_id: int) -> None:
        self.flush()  # the draft left, and its cursor
        await self._ensure_editor()
        draft = self.drafts.get(draft_id)
        self.editing = draft
        self._loading = True
        text = self._text_area()
        text.display = True
        # A text taller than the screen gets its scrollbar's column from the start: else it was
        # wrapped twice on opening, to the width without the scrollbar and again when the
        # scrollbar came (a 250 KB draft: ~30-60 ms of the UI thread each).
        text.set_class(tall(draft.body, self.size.width, self.app.size.height), "-long")
        text.load_text(draft.body)
        text.move_cursor(self._cursor_for(draft), record_width=True)
        text.scroll_cursor_visible(center=True, animate=False)
        self._editor = text
        self._saved_text = draft.body
        self._edited = False
        self.autosave.saved()
        self._show_part("draft-edit")
        self._after_save()
        text.focus()
        self.refresh_bindings()

    @property
    def _text(self) -> str:
        """The editor's text. Joined from its lines only when asked for (a save, a preview),
        never per keystroke: at 250 KB that alone was a stall."""
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
            self._show_counts()
        self.preview_follows_cursor()

    def flush(self) -> None:
        """Save now if anything is unsaved (autosave, pane switch, quit, leaving the editor),
        with the cursor's place in the same write; only the cursor when the text is saved."""
        if self.editing is None or not self.autosave.dirty:
            self._remember_cursor()
            return
        self.editing = self.drafts.save_text(self.editing.id, self._text, self._cursor_now())
        self._save_ticket = self.deskwork.desk.store.ticket()  # "saved" once it is durable
        self.autosave.saved()
        if self.is_mounted and self.children:
            self._after_save()

    def unsaved_text(self, why: str) -> str:
        """The draft text a failed last save could not keep, to print in the shell on exit."""
        title = self.editing.title if self.editing is not None else "draft"
        return f"deskwork could not save “{title}” ({why}); its text:\n\n{self._text}\n\n"

    def _after_save(self) -> None:
        assert self.editing is not None
        sources = Text("\nSources\n", style="bold")
        for source in self.editing.sources:
            sources.append(f"· {clean(source.title, single_line=True)}\n", style="")
        if not self.editing.sources:
            sources.append(f"{self.key('draft.cite')} cites the selected queue item\n", style="dim")
        update_static(self.query_one("#draft-sources", Static), sources)
        if self.query_one("#draft-preview").display:
            self.show_preview()
        self._show_counts()

    def _tally(self) -> tuple[LineTally, list[str]]:
        """The editor's tally of the text it holds (which is what was just saved, or newer)."""
        editor = self._text_area()
        return editor.tally, editor.document.lines

    def _show_counts(self) -> None:
        """The status line and the open questions, from the editor's tally: the words are a sum
        kept edit by edit; the question lines are listed again only when an edit touched one (or
        moved them), and the list's entries are rebuilt only for questions that changed."""
        tally, lines = self._tally()
        if tally.questions_changed:
            found = tally.questions(lines)
            if found != self._questions_shown:
                self._show_questions(found)
        self._show_status()

    def _show_questions(self, found: list[tuple[int, str]]) -> None:
        self._questions_shown = found
        if self.has_class("-narrow"):  # the column is folded away: filled when it shows again
            self._questions_pending = True
            return
        self._questions_pending = False
        known = self._question_options
        options = [known.get(question) or question_option(*question) for question in found]
        self._question_options = {question: o for question, o in zip(found, options, strict=True)}
        questions = self.query_one("#draft-questions", OptionList)
        # At its most (12 rows) the list's height no longer follows its entries: refilling it
        # then needs no layout of the whole screen.
        questions.styles.height = QUESTION_ROWS if len(options) >= QUESTION_ROWS else "auto"
        questions.clear_options()
        questions.add_options(
            options or [Option("none: nothing marked TODO: or ??", disabled=True)]
        )

    def _show_status(self) -> None:
        """Title, counts, reading time and whether the text is saved."""
        if self.editing is None:
            return
        saved = self._saved_state()
        tally, _ = self._tally()
        words, questions = tally.words, len(self._questions_shown or ())
        minutes = max(1, -(-words // 230)) if words else 0
        # Ranked: when the row is short the reading time goes first, then the open questions
        figures = [(plural(words, "word"), 3), (f"{minutes} min read", 1), (f"{questions} open", 2)]
        # One row, as wide as the pane's content (known before the row is laid out): its text
        # never changes its size, so no layout.
        line = status_line(self.editing.title, figures, saved, self.content_size.width)
        update_static(self.query_one("#draft-status", Static), line, layout=False)

    def _saved_state(self) -> str:
        """ "saved HH:MM:SS" only once the sync covering the last save returned (group commit:
        the store's flusher); "saving…" before that, "NOT on disk" while its sync fails."""
        assert self.editing is not None
        if self.autosave.dirty:
            return "unsaved"
        store = self.deskwork.desk.store
        if store.durable_ticket < self._save_ticket:
            return "NOT on disk" if store.sync_failure else "saving…"
        return f"saved {saved_at(self.editing.updated, self.deskwork.desk.clock())}"

    def new_day(self) -> None:
        """The study day turned: "saved 23:40:12" of yesterday says its date now."""
        if self.editing is not None and self.is_mounted and self.children:
            self._show_status()

    def durable_changed(self) -> None:
        """A sync returned or failed (the write guard tells it): the status says so."""
        if self.editing is not None and self.is_mounted and self.children:
            self._show_status()

    def action_close_editor(self) -> None:
        self.flush()
        self.editing = None
        self._edited = False
        self._show_part("draft-browse")
        self.refresh_list()
        self.focus_target().focus()
        self.refresh_bindings()

    def action_save_draft(self) -> None:
        if self.editing is not None:
            self.autosave.edited(self.deskwork.desk.clock())
            self.flush()

    def action_document_start(self, select: bool = False) -> None:
        """The cursor to the draft's first character (`select`: selecting from where it was)."""
        if self._editor is not None and self.editing is not None:
            self._editor.move_cursor((0, 0), select=select)

    def action_document_end(self, select: bool = False) -> None:
        """The cursor to the draft's last character (`select`: selecting from where it was)."""
        if self._editor is not None and self.editing is not None:
            self._editor.move_cursor(self._editor.document.end, select=select)


def question_option(number: int, line: str) -> Option:
    """An entry of the open-questions list: the line number and the question (the sentence
    holding its mark: a paragraph is one line, its start says nothing of the question)."""
    return Option(Text(f"{number}: {question_text(clean(line, single_line=True))}"), id=str(number))
