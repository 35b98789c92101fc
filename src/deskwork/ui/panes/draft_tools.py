"""The draft editor's tools: live preview, zen mode, revisions, citing the selected queue item
(as its own text at the cursor) or a flashcard, `$EDITOR`, and putting the cursor back where it
was when a draft is reopened. The draft pane builds on this; what it needs from the pane is
declared below."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.css.query import NoMatches

from deskwork.domain.drafts import Draft, DraftSource, SourceKind, citation_text
from deskwork.domain.text import clean
from deskwork.ui.serving import is_served
from deskwork.ui.widgets.pane import Pane

if TYPE_CHECKING:
    from textual.widgets import Markdown as MarkdownViewer

    from deskwork.domain.autosave import Autosave
    from deskwork.services.drafts import DraftService
    from deskwork.ui.host import PaneHost
    from deskwork.ui.widgets.editor import WindowedTextArea


class DraftTools(Pane):
    editing: Draft | None
    autosave: Autosave
    _text: str
    _preview_shown: str | None = None  # what the preview was given last (not given again)
    _preview_lines: tuple[int, int] | None = None  # the lines it shows beside the text

    def _text_area(self) -> WindowedTextArea:
        """The editor's text area (the editor and Textual's TextArea are loaded with the first
        draft opened, not at start)."""
        from deskwork.ui.widgets.editor import WindowedTextArea

        return self.query_one("#draft-text", WindowedTextArea)

    if TYPE_CHECKING:  # provided by the draft pane

        @property
        def deskwork(self) -> PaneHost: ...

        @property
        def drafts(self) -> DraftService: ...

        def flush(self) -> None: ...

        def _after_save(self) -> None: ...

        async def open_draft(self, draft_id: int) -> None: ...

        def _fit(self) -> None: ...

    # A reopened draft puts the cursor back where it was (kept across restarts), else at the end.
    def _cursor_for(self, draft: Draft) -> tuple[int, int]:
        saved = self.drafts.cursor(draft.id)
        lines = draft.body.split("\n")
        if saved is not None:
            row = min(max(0, int(saved[0])), len(lines) - 1)
            return row, min(max(0, int(saved[1])), len(lines[row]))
        return len(lines) - 1, len(lines[-1])

    def _cursor_now(self) -> list[int] | None:
        """Where the editor's cursor is (None: no draft open, or no editor yet)."""
        if self.editing is None or not self.children:
            return None
        try:
            return list(self._text_area().cursor_location)
        except NoMatches:
            return None

    def _remember_cursor(self) -> None:
        cursor = self._cursor_now()
        if cursor is not None and self.editing is not None:
            self.drafts.remember_cursor(self.editing.id, cursor)

    def action_toggle_preview(self) -> None:
        """Cycle: text only → preview beside the text → preview instead of the text → text only."""
        preview = cast("MarkdownViewer", self.query_one("#draft-preview"))
        text = self._text_area()
        if not preview.display:
            preview.display = True
            self.show_preview()
        elif text.display:
            self.flush()
            text.display = False
            self.show_preview()  # the whole post, to read
            self.focus()  # keep the keys in this pane while the text is hidden
        else:
            preview.display = False
            text.display = True
            text.focus()
        self._fit()  # the questions/sources column folds when the text would get narrow

    def show_preview(self) -> None:
        """The preview brought up to date: beside the text, the part of the post the cursor is
        in (domain/preview_window.py: a long post's preview drew for most of a second and stalled
        the app at every autosave); instead of the text, the whole post. Not given again what it
        shows already (Textual mounts every block anew)."""
        from deskwork.domain.preview_window import window

        text = self._text_area()
        if text.display:
            lines = text.document.lines
            part = window(lines, text.cursor_location[0])
            self._preview_lines = (part.first, part.last)
            shown = part.markdown(lines)
        else:
            self._preview_lines = None
            shown = self._text
        if shown != self._preview_shown:
            self._preview_shown = shown
            cast("MarkdownViewer", self.query_one("#draft-preview")).update(shown)

    def preview_follows_cursor(self) -> None:
        """On the app's tick: the cursor moved out of the part the preview shows beside the text
        (no edit, so no save to bring it up to date): the preview shows the cursor's part."""
        shown = self._preview_lines
        if shown is None or self.editing is None or not self.is_mounted:
            return
        try:
            preview, text = self.query_one("#draft-preview"), self._text_area()
        except NoMatches:
            return
        if preview.display and text.display and not shown[0] <= text.cursor_location[0] < shown[1]:
            self.show_preview()

    def action_zen(self) -> None:
        screen = self.app.screen
        if screen.maximized is not None:
            screen.minimize()
        else:
            screen.maximize(self._text_area(), container=False)

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
        editor = self._text_area()
        row, column = editor.cursor_location
        line = editor.document.get_line(row)
        editor.insert(citation_text(line, column, link))
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
        if is_served():  # no terminal to hand over to $EDITOR in a browser tab
            self.app.notify(
                "F9 ($EDITOR) needs a terminal: in a browser tab, write here (Ctrl+G previews)",
                severity="warning",
            )
            return
        if self.editing is None:
            return
        self.flush()
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        problem = editor_problem(editor)
        if problem:
            self.app.notify(problem, severity="error", markup=False)
            return
        with tempfile.TemporaryDirectory(prefix="deskwork-") as folder:
            path = Path(folder) / f"{self.editing.effective_slug}.md"
            path.write_text(self.editing.body, encoding="utf-8")
            failed: OSError | None = None
            try:
                with self.app.suspend():
                    # Nothing may escape this block: Textual resumes the screen only when it ends
                    # normally (an error here left the terminal blank and the app deaf for good).
                    try:
                        result = subprocess.run([*shlex.split(editor), str(path)], check=False)
                    except OSError as exc:
                        failed = exc
            except Exception as exc:  # no terminal to hand over (e.g. headless)
                self.app.notify(f"Cannot open {editor}: {exc}", severity="error", markup=False)
                return
            if failed is not None:
                self.app.notify(f"Cannot run {editor}: {failed.strerror or failed}; nothing "
                                "changed", severity="error", markup=False)  # fmt: skip
                return
            if result.returncode != 0:
                self.app.notify(f"{editor} exited with {result.returncode}; nothing changed")
                return
            body = path.read_text(encoding="utf-8")
        self.editing = self.drafts.save_text(self.editing.id, body)
        await self.open_draft(self.editing.id)


def editor_problem(editor: str) -> str:
    """Why `editor` ($VISUAL / $EDITOR, a command line) cannot be run, or "" when it can."""
    try:
        words = shlex.split(editor)
    except ValueError as exc:
        return f"$EDITOR {editor!r} is not a command line ({exc})"
    if not words:
        return "$EDITOR is empty: set $VISUAL or $EDITOR to an editor (vim, nano, code --wait)"
    if shutil.which(words[0]) is None:
        return f"{words[0]}: not found (from $VISUAL or $EDITOR); nothing changed"
    return ""
