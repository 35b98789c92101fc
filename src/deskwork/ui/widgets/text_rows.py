"""A soft-wrapped TextArea whose repaint after a keystroke costs the rows the keystroke changed,
not the rows on screen nor the length of the document.

Textual's TextArea, with soft wrap on, (1) keys its cache of rendered rows on the selection, so
every keystroke (which moves the cursor) re-renders every row on screen, each row re-styling its
whole document line (a paragraph of a post is one line, wrapped into ten rows); and (2) asks the
wrapped document for its height once per rendered row, a sum over every line of the document.
Here a row away from the cursor, the selection and the matched bracket is kept under a key made
of everything its rendering reads (the line's text, its highlights, the width, the theme's
styles), so it survives edits elsewhere; and the height is the number of wrapped rows, counted.
And the rows of one long line (a 100 KB paste is one line of ~1,500 rows) share its division into
rows: Textual styles and divides the whole line again for each of its rows on screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.containers import Lines
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import TextArea

ROW_CACHE_SIZE = 2048  # rendered rows kept (a screen is ~40; scrolling back and forth reuses them)
DIVIDED_KEPT = 8  # long lines whose division into rows is kept (those on screen, as styled now)
DIVIDE_MEMO_FROM = 2000  # characters: a shorter line is divided again, it costs next to nothing


class LineText(Text):
    """A document line as the TextArea renders it; `divide` (into its wrapped rows) looks in the
    area's memo first, keyed by everything the division reads, so the rows of a long line styled
    the same way in one frame divide it once."""

    __slots__ = ("memo",)
    memo: LRUCache[tuple[object, ...], Lines] | None

    def divide(self, offsets: Iterable[int]) -> Lines:
        offsets = tuple(offsets)
        memo: LRUCache[tuple[object, ...], Lines] | None = getattr(self, "memo", None)
        if memo is None or len(self) < DIVIDE_MEMO_FROM:
            return super().divide(offsets)
        key = (self.plain, tuple(self._spans), offsets, self.style, self.justify, self.overflow)
        divided = memo.get(key)
        if divided is None:
            divided = super().divide(offsets)
            memo[key] = divided
        return divided


class CountedWrappedDocument(WrappedDocument):
    """The wrapped document whose height is its number of rows (one entry per row is kept in
    `_offset_to_line_info` by `wrap` and `wrap_range`), not a sum over all lines per call; and
    whose division of a long line into its rows, asked for at every cursor placement (several
    times a keystroke), is kept while the line and its wrapping are the same."""

    # (width, tab width) of the last whole wrapping, recorded here (`wrap`) and when the class is
    # put on a document Textual wrapped (`RowCachedTextArea._set_document`): WrappedDocument
    # keeps both only in private attributes. tests/ui/test_text_rows.py holds the record to them.
    wrapped_at: tuple[int, int] | None = None

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        super().wrap(width, tab_width)
        known = self.wrapped_at[1] if self.wrapped_at is not None else None
        tab = tab_width if tab_width is not None else known
        self.wrapped_at = (width, tab) if tab is not None else None

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def get_sections(self, line_index: int) -> list[str]:
        line = self.document[line_index]
        if len(line) < DIVIDE_MEMO_FROM:
            return super().get_sections(line_index)
        key = (line, tuple(self._wrap_offsets[line_index]))
        memo: dict[tuple[str, tuple[int, ...]], list[str]] = self.__dict__.setdefault("_memo", {})
        sections = memo.get(key)
        if sections is None:
            memo.clear()  # one long line kept: the one being edited
            sections = memo[key] = super().get_sections(line_index)
        return list(sections)


class RowCachedTextArea(TextArea):
    def __init__(self, *args: object, **kwargs: object) -> None:
        self._row_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(ROW_CACHE_SIZE)
        self._divided: LRUCache[tuple[object, ...], Lines] = LRUCache(DIVIDED_KEPT)
        self._theme_styled: object = None  # the theme object the CSS was last applied to
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def get_line(self, line_index: int) -> Text:
        line = LineText(self.document.get_line(line_index), end="", no_wrap=True)
        line.memo = self._divided
        return line

    def _set_document(self, text: str, language: str | None) -> None:
        self._last_wrap: tuple[int, int] | None = None
        super()._set_document(text, language)  # wraps it (`_rewrap_and_refresh_virtual_size`)
        wrapped = self.wrapped_document
        if type(wrapped) is WrappedDocument:
            wrapped.__class__ = CountedWrappedDocument  # same state, O(1) height
            assert isinstance(wrapped, CountedWrappedDocument)
            wrapped.wrapped_at = self._last_wrap

    def _wrapped_at(self) -> tuple[int, int] | None:
        """(width, tab width) the document was last wrapped at; None when not known."""
        wrapped = self.wrapped_document
        return wrapped.wrapped_at if isinstance(wrapped, CountedWrappedDocument) else None

    def _watch_show_vertical_scrollbar(self) -> None:
        """Textual wraps the whole document again when the scrollbar shows or hides; only the
        width it wraps to matters (with `scrollbar-gutter: stable` it does not change)."""
        known = self._wrapped_at()
        if self.wrap_width and (known is None or self.wrap_width != known[0]):
            self._rewrap_and_refresh_virtual_size()
        self.scroll_cursor_visible()

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        """Textual wraps the whole document again at every resize; a resize that leaves the
        width to wrap to as it was (the height changed, or the scrollbar's coming already
        rewrapped it: opening a 250 KB draft wrapped it twice, ~30-60 ms each) only sizes."""
        event.prevent_default()  # TextArea's own handler (the base class's) would wrap again
        if self._wrapped_at() == (self.wrap_width, self.indent_width):
            self._line_cache.clear()
            self._refresh_size()
            return
        self._rewrap_and_refresh_virtual_size()

    def _rewrap_and_refresh_virtual_size(self) -> None:
        self._row_cache.clear()  # rows of the old wrapping: never shown again as they were
        self._last_wrap = (self.wrap_width, self.indent_width)  # what Textual wraps it at
        super()._rewrap_and_refresh_virtual_size()

    def notify_style_update(self) -> None:
        self._row_cache.clear()
        self._theme_styled = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """TextArea's, but the CSS fallbacks are applied to the theme (this widget's own copy)
        when a style changed (focus, the app's theme, a class) or the theme did, not at every
        frame: reading the six component styles was ~1 ms of each keystroke's frame."""
        theme = self._theme
        if theme is not None and self._theme_styled is not theme:
            theme.apply_css(self)
            self._theme_styled = theme
        return ScrollView.render_lines(self, crop)

    def render_line(self, y: int) -> Strip:
        key = self._row_key(y)
        if key is None:
            return super().render_line(y)
        strip = self._row_cache.get(key)
        if strip is None:
            strip = self._render_line(y)
            self._row_cache[key] = strip
        return strip

    def _row_key(self, y: int) -> tuple[object, ...] | None:
        """What the row `y` on screen renders from, when that does not involve the cursor, the
        selection or a matched bracket; None for the rows that do (Textual renders those)."""
        document = self.document
        if not self.soft_wrap or (
            self.placeholder and document.line_count == 1 and not document[0]
        ):
            return None  # unwrapped (scrolled sideways), or an empty area showing its placeholder
        scroll_x, scroll_y = self.scroll_offset
        rows = self.wrapped_document._offset_to_line_info
        row = scroll_y + y
        if row >= len(rows):
            return None
        line_index, section = rows[row]
        start, end = self.selection
        if min(start[0], end[0]) <= line_index <= max(start[0], end[0]):
            return None
        bracket = self._matching_bracket_location
        if bracket is not None and bracket[0] == line_index:
            return None
        theme = self._theme
        base_style = theme.base_style if theme and theme.base_style is not None else None
        return (
            line_index,
            section,
            document[line_index],
            # The width the line was divided at, which is not always the area's: a frame can be
            # painted at a new size before the Resize handler wraps again (a zoom, a resize, the
            # side column folding), and its rows must not be taken for those of the new wrapping.
            self._wrapped_at(),
            tuple(self._highlights.get(line_index, ())),
            self.size,
            scroll_x,
            self.scrollable_content_region.width,
            self.indent_width,
            self.show_line_numbers,
            self.line_number_start,
            self.gutter_width,
            self.theme,
            theme and theme.gutter_style,
            base_style if base_style is not None else self.rich_style,
        )
