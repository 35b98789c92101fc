"""A TextArea whose keystrokes cost what they change, not the size of the document.

Textual's TextArea, after every edit, (1) reparses the document with tree-sitter, and the
Markdown grammar reparses all of it (45-90 ms at 250 KB), and (2) queries the whole tree to
rebuild its highlight map. Here an edit only marks the tree stale: it is reparsed once typing
pauses (REPARSE_AFTER_S), on a worker thread, from a snapshot of the lines, and meanwhile the old
tree's highlights stay (a line typed into keeps its colours a moment). The parse reads the text
through a Python callable, line by line, so the UI thread gets the GIL back between lines (handed
the whole text as bytes, tree-sitter holds the GIL for all of it: a 45 ms freeze at every pause).
Highlights are queried for the lines about to be painted (the screen plus a margin), again only
when an edit or a scroll leaves that window.

The document also keeps a `LineTally` (words, open questions) up to date edit by edit, for the
draft's status line and its open-questions list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.document._document import Document, EditResult, Location
from textual.document._syntax_aware_document import SyntaxAwareDocument
from textual.geometry import Offset, Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer

from deskwork.domain.line_tally import LineTally
from deskwork.ui.text_fields import CleanTextArea

if TYPE_CHECKING:
    from tree_sitter import Language, Tree

MARGIN_LINES = 60  # document lines highlighted beyond each edge of the screen
PARSE_LATER_FROM = 20_000  # characters: a longer text is loaded unparsed and parsed on a worker
REPARSE_AFTER_S = 0.4  # typing paused this long: the syntax tree is brought up to date


def tallied_replace(document: Document, start: Location, end: Location, text: str) -> EditResult:
    """`Document.replace_range`, and the document's tally told which lines it replaced (every
    edit, undo and redo of a TextArea goes through `replace_range`)."""
    first, old_last = sorted((start[0], end[0]))
    result = Document.replace_range(document, start, end, text)
    tally: LineTally | None = getattr(document, "tally", None)
    if tally is not None:
        tally.replace(first, old_last, document.lines[first : result.end_location[0] + 1])
    return result


class TalliedDocument(Document):
    """A plain Document (no tree-sitter installed) that keeps its tally."""

    tally: LineTally | None = None

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        return tallied_replace(self, start, end, text)


def line_reader(lines: Sequence[str], newline: str) -> Callable[[int, tuple[int, int]], bytes]:
    """What tree-sitter reads a text through: the bytes from a point to the end of its line
    (with the line break), from `lines` (a snapshot: the editor's own lines keep changing)."""
    encoded_newline = newline.encode()

    def read(byte_offset: int, point: tuple[int, int]) -> bytes:
        row, column = point
        if row >= len(lines):
            return b""
        encoded = lines[row].encode()
        if column < len(encoded):
            return encoded[column:] + encoded_newline
        if column == len(encoded):
            return encoded_newline[:1]
        if column == len(encoded) + 1 and newline == "\r\n":
            return b"\n"
        return b""

    return read


class DeferredSyntaxDocument(SyntaxAwareDocument):
    """A SyntaxAwareDocument whose edits leave the syntax tree as it was until `reparse()`."""

    stale = False
    edits = 0  # edits so far: a tree parsed from a snapshot is current if none came after it
    tally: LineTally | None = None

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        result = tallied_replace(self, start, end, text)
        self.stale = True
        self.edits += 1
        return result

    def parse_job(self, pause: Callable[[], None] | None = None) -> Callable[[], Tree]:
        """A parse of the text as it is now, to run on a worker thread (its own parser). With
        `pause`, tree-sitter's progress callback (every ~100 steps of the parse) calls it: the
        worker waits there while the UI thread runs (ui/give_way.py); tree-sitter holds the GIL
        between two reads of the text, and a 250 KB draft's parse stalled the opening ~30 ms."""
        from tree_sitter import Parser

        read = line_reader(list(self.lines), self.newline)
        language = self.language
        if pause is None:
            return lambda: Parser(language).parse(read)

        def progress(*_: object) -> bool:
            pause()
            return False  # go on

        return lambda: Parser(language).parse(read, progress_callback=progress)

    def take_tree(self, tree: Tree, edits: int) -> None:
        """A tree parsed when the document had had `edits` edits."""
        self._syntax_tree = tree
        self.stale = self.edits != edits

    def reparse(self) -> None:
        if self.stale and self._parser is not None:
            self._syntax_tree = self._parser.parse(self._read_callable)
            self.stale = False


class UnparsedSyntaxDocument(DeferredSyntaxDocument):
    """A long text loaded without parsing it (an empty tree, stale): the editor parses it on a
    worker at once. Textual builds its document through this class while `load_text` runs."""

    def __init__(self, text: str, language: Language) -> None:
        from tree_sitter import Parser

        Document.__init__(self, text)
        self.language = language
        self._parser = Parser(language)
        self._syntax_tree = self._parser.parse(b"")
        self.stale = True


class WindowedTextArea(CleanTextArea):
    def __init__(self, *args: object, **kwargs: object) -> None:
        self._highlight_window: tuple[int, int] | None = None
        self._reparse_timer: Timer | None = None
        self._parsing = False  # a parse is running on a worker
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _set_document(self, text: str, language: str | None) -> None:
        """Textual's, but a long text's first parse (45-90 ms at 250 KB, on opening a draft) is
        left to a worker: its highlights follow a moment after the text."""
        import textual.widgets._text_area as text_area

        names = vars(text_area)  # the class Textual's _set_document builds its document with
        if len(text) >= PARSE_LATER_FROM:
            names["SyntaxAwareDocument"] = UnparsedSyntaxDocument
        try:
            super()._set_document(text, language)
        finally:
            names["SyntaxAwareDocument"] = SyntaxAwareDocument
        document = self.document
        if isinstance(document, UnparsedSyntaxDocument) and self.is_mounted:
            self.call_later(self._parse_on_worker_now)
        if type(document) is SyntaxAwareDocument:
            document.__class__ = DeferredSyntaxDocument  # same state, deferred parsing
        elif type(document) is Document:
            document.__class__ = TalliedDocument
        if isinstance(document, DeferredSyntaxDocument | TalliedDocument):
            document.tally = LineTally(document.lines)

    def on_mount(self) -> None:
        if isinstance(self.document, DeferredSyntaxDocument) and self.document.stale:
            self.call_later(self._parse_on_worker_now)  # loaded unparsed before it was mounted

    @property
    def tally(self) -> LineTally:
        """The words and open questions of the text, as of the last edit."""
        tally: LineTally | None = getattr(self.document, "tally", None)
        if tally is None:  # a document Textual made some other way: counted once, then kept
            tally = LineTally(self.document.lines)
            self.document.tally = tally  # type: ignore[attr-defined]
        return tally

    def _parse_on_worker_now(self) -> None:
        """Not at the next pause in typing: now (a long text just loaded)."""
        if self._reparse_timer is not None:
            self._reparse_timer.stop()
        self._reparse()

    def _reparse(self) -> None:
        """Typing paused: the syntax tree is parsed again on a worker thread."""
        self._reparse_timer = None
        document = self.document
        if not (isinstance(document, DeferredSyntaxDocument) and document.stale):
            return
        if self._parsing:  # one at a time; the one running reschedules when it is done
            return
        give_way = getattr(self.app, "give_way", None)  # the UI thread first (ui/give_way.py)
        parse = document.parse_job(give_way.pause if give_way is not None else None)
        edits = document.edits

        def work() -> None:
            tree: Tree | None = None
            try:
                tree = parse()
            finally:  # a failed parse keeps the old tree (and the next pause tries again)
                # A message, not call_from_thread: that waits for the loop, which at quitting
                # may never come back to it (and the process would not exit).
                self.post_message(self.Parsed(document, tree, edits))

        self._parsing = True
        self.run_worker(
            work, thread=True, group="editor-parse", name="markdown parse", exit_on_error=False
        )

    class Parsed(Message, bubble=False):
        """A parse done on the worker: the tree of `document` as it was after `edits` edits."""

        def __init__(self, document: DeferredSyntaxDocument, tree: Tree | None, edits: int):
            super().__init__()
            self.document = document
            self.tree = tree
            self.edits = edits

    def on_windowed_text_area_parsed(self, message: Parsed) -> None:
        self._parsed(message.document, message.tree, message.edits)

    def _parsed(self, document: DeferredSyntaxDocument, tree: Tree | None, edits: int) -> None:
        self._parsing = False
        if tree is None or document is not self.document:
            return  # another text was loaded meanwhile
        document.take_tree(tree, edits)
        self._new_tree()
        if document.stale:  # typed into meanwhile: again at the next pause
            self._schedule_reparse()

    def _new_tree(self) -> None:
        self._highlight_window = None
        self._line_cache.clear()
        self.refresh()

    def reparse_now(self) -> None:
        """Bring the syntax tree and the highlights up to date (tests, a save)."""
        if self._reparse_timer is not None:
            self._reparse_timer.stop()
            self._reparse_timer = None
        document = self.document
        if isinstance(document, DeferredSyntaxDocument) and document.stale:
            document.reparse()
            self._new_tree()

    @property
    def highlight_window(self) -> tuple[int, int] | None:
        """The document lines (first, last) whose highlights are known; None = none yet."""
        return self._highlight_window

    def _build_highlight_map(self) -> None:
        """Called by TextArea after every edit and load: forget, rebuild when painted."""
        self._line_cache.clear()
        self._highlights.clear()
        self._highlight_window = None
        document = self.document
        if isinstance(document, DeferredSyntaxDocument) and document.stale and self.is_mounted:
            self._schedule_reparse()

    def _schedule_reparse(self) -> None:
        if self._reparse_timer is not None:
            self._reparse_timer.reset()
        else:
            self._reparse_timer = self.set_timer(REPARSE_AFTER_S, self._reparse)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._ensure_highlights()
        return super().render_lines(crop)

    def _rows_on_screen(self) -> tuple[int, int]:
        wrapped = self.wrapped_document
        top_y = self.scroll_offset.y
        top = wrapped.offset_to_location(Offset(0, top_y))[0]
        bottom = wrapped.offset_to_location(Offset(0, top_y + max(1, self.size.height)))[0]
        return top, bottom

    def _ensure_highlights(self) -> None:
        if not self._highlight_query:
            return
        top, bottom = self._rows_on_screen()
        window = self._highlight_window
        if window is not None and window[0] <= top and bottom <= window[1]:
            return
        first = max(0, top - MARGIN_LINES)
        last = min(self.document.line_count - 1, bottom + MARGIN_LINES)
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        captures = self.document.query_syntax_tree(
            self._highlight_query, start_point=(first, 0), end_point=(last + 1, 0)
        )
        for name, nodes in captures.items():
            for node in nodes:
                start_row, start_column = node.start_point
                end_row, end_column = node.end_point
                if start_row == end_row:
                    highlights[start_row].append((start_column, end_column, name))
                    continue
                # A node that spans lines (a fenced block): only its rows inside the window.
                if first <= start_row:
                    highlights[start_row].append((start_column, None, name))
                for row in range(max(start_row + 1, first), min(end_row, last + 1)):
                    highlights[row].append((0, None, name))
                if end_row <= last:
                    highlights[end_row].append((0, end_column, name))
        self._highlight_window = (first, last)
