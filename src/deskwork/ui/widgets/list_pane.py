"""A pane that lists records, with a helpful text in place of the list while there are none;
`fill_options`, how every list of the desk is filled; and `DeskList`, the desk's OptionList, which
draws its options once at start, not twice."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Generic, TypeVar, overload

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from deskwork.ui.widgets.pane import Pane

# Options a list's first frame gets at once: as many as it could show (`_rows_at_start`), at least
# this many.
FIRST_FILL_MIN = 24
FILL_SLICE = 24  # the options of a first fill's rest that go in at a time (~5 ms at the heavy year)
FILL_GAP_S = 0.01  # between two slices: the loop draws, answers keys, workers get the GIL

R = TypeVar("R")


class LazyOptions(Sequence[Option | None], Generic[R]):
    """The options of `records`, each made when first asked for: a first fill makes only the
    ones that show (a draft's label counts the words of its whole text)."""

    def __init__(self, records: Sequence[R], make: Callable[[R], Option | None]) -> None:
        self._records = records
        self._make = make

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> Option | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[Option | None]: ...
    def __getitem__(self, index: int | slice) -> Option | list[Option | None] | None:
        if isinstance(index, slice):
            return [self._make(r) for r in self._records[index]]
        return self._make(self._records[index])


def fill_options(listing: OptionList, options: Sequence[Option | None]) -> None:
    """Replace the options of `listing`. The first time a list is filled (the desk's lists are filled
    for the first frame), only as many options as could show go in at once and the rest after that
    frame is drawn, `FILL_SLICE` at a time, each its own turn of the event loop: an OptionList measures every option it takes (~0.2 ms
    each at the heavy year, its label made too with `LazyOptions`), and the rest of the queue's
    180 items and the 200 drafts in one callback held the UI ~60 ms of CPU right after the first
    frame, 100+ ms late while the warm-up worker loads the cards. A later fill (the list refreshed)
    goes in at once and drops a first fill's pending rest."""
    generation = getattr(listing, "_deskwork_fill", 0) + 1
    listing._deskwork_fill = generation  # type: ignore[attr-defined]  # a later fill wins
    listing.clear_options()
    if isinstance(listing, DeskList):
        listing.will_hold(len(options))
    first = max(FIRST_FILL_MIN, _rows_at_start(listing)) if generation == 1 else len(options)
    if len(options) <= first:
        listing.add_options(options)
        return
    held = _add_holding_back(listing, options[:first])

    def fill_slice(start: int, held: list[Option | None]) -> None:
        if getattr(listing, "_deskwork_fill", 0) != generation or not listing.is_attached:
            return
        end = start + FILL_SLICE
        if end >= len(options):
            listing.add_options(held + list(options[start:]))
        else:  # the next slice a moment later, in a callback of its own
            held = _add_holding_back(listing, held + list(options[start:end]))
            listing.set_timer(FILL_GAP_S, partial(fill_slice, end, held))

    # After the frame that shows the first options: a callback registered now would run in
    # the same round as the frame's own "drawn" callbacks, before them, and hold the first
    # frame back. One round later, it runs once the frame is out.
    listing.call_after_refresh(listing.call_after_refresh, fill_slice, first, held)


def _rows_at_start(listing: OptionList) -> int:
    """The most rows `listing` can show in the first frame: the screen's, or half of them for a
    list in an area of the four-area desk (two areas a column; zooming one takes a key, and by
    then the rest of the options is in)."""
    height = listing.app.size.height
    four_areas = not listing.screen.has_class("-compact") and listing.screen.maximized is None
    if four_areas and any(isinstance(node, Pane) for node in listing.ancestors):
        return height // 2
    return height


def _add_holding_back(listing: OptionList, batch: Sequence[Option | None]) -> list[Option | None]:
    """Add `batch` but its last option and the separators after it, which are returned to go in
    with the next slice: a slice that begins with a separator (None) makes the OptionList measure
    every option again (it marks the option before it from there)."""
    last = max((n for n, option in enumerate(batch) if option is not None), default=0)
    listing.add_options(batch[:last])
    return list(batch[last:])


class DeskList(OptionList):
    """An OptionList that lays out and draws its options once at start, where Textual's drew
    them twice or three times (each desk list ~2.5 ms a time at the heavy year):

    - Textual's list measures and draws its options without a scrollbar, then finds it needs
      one, and everything is laid out again one column narrower. A list that will hold more
      options than the screen has rows overflows whatever the layout (`will_hold`), so it has
      its scrollbar from its first layout: the same picture, drawn once.
    - Textual's list forgets every line it measured and drew at each Resize event, including the
      first one, which comes right after the first layout at the size the lines were made for.
      Here a Resize forgets them only when the width they were made for changed (the only thing
      a line's height and drawing depend on besides the options and styles, which clear the
      caches themselves)."""

    _lines_width: int | None = None  # the width the measured lines and drawn options are for
    _scroll_held = False  # the scrollbar held on by `will_hold`
    _to_hold = 0  # the options `will_hold` was told of (a first fill's rest comes in slices)

    def _clear_caches(self) -> None:
        self._lines_width = None
        super()._clear_caches()

    def _update_lines(self) -> None:
        super()._update_lines()
        if self._lines_width is None and self._line_cache.lines:
            self._lines_width = self.scrollable_content_region.width

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        if self._lines_width == self.scrollable_content_region.width:
            event.prevent_default()  # OptionList's own handler clears the caches
        self._release_scrollbar()

    def will_hold(self, count: int) -> None:
        """Before `count` options go in (some maybe later, in slices): with more options than the
        screen has rows the list cannot fit, so its scrollbar shows from the first layout on."""
        self._to_hold = count
        if count > self.app.size.height:
            if not self._scroll_held:
                self._scroll_held = True
                self.styles.overflow_y = "scroll"
                self.show_vertical_scrollbar = True
        elif self._scroll_held:
            self._scroll_held = False
            self.styles.clear_rule("overflow_y")
            self._refresh_scrollbars()  # Textual's choice for the options it holds now
            self.refresh(layout=True)

    def _release_scrollbar(self) -> None:
        """Back to Textual's own choice once the list could fit (the terminal grew taller)."""
        if self._scroll_held:
            self.will_hold(max(self._to_hold, self.option_count))


class ListPane(Pane):
    DEFAULT_CSS = """
    ListPane OptionList, ListPane OptionList:focus {
        height: 1fr; border: none; padding: 0; background: transparent;
    }
    ListPane .empty-hint { color: $text-muted; }
    """

    empty_text = ""

    def compose(self) -> ComposeResult:
        # The text shown in place of an empty list is made the first time the list is empty
        # (`empty_hint`): a desk with items never shows it.
        yield DeskList(id=f"{self.pane_id}-list")

    def empty_hint(self, make: bool = False) -> Static | None:
        """The text in place of the list while it is empty; made (above the list) when `make`."""
        hint = next(self.query(f"#{self.pane_id}-empty").results(Static), None)
        if hint is None and make:
            hint = Static(self.empty_text, id=f"{self.pane_id}-empty", classes="empty-hint")
            self.mount(hint, before=f"#{self.pane_id}-list")
        return hint

    def focus_target(self) -> Widget:
        listing = self.query_one(f"#{self.pane_id}-list", OptionList)
        return listing if listing.display else self

    def show_options(self, options: Iterable[Option | None]) -> None:
        """Fill the list (a `LazyOptions` is kept lazy: only the options that go in are made)."""
        listing = self.query_one(f"#{self.pane_id}-list", OptionList)
        kept = listing.highlighted_option.id if listing.highlighted_option else None
        fill_options(listing, options if isinstance(options, Sequence) else list(options))
        if kept is not None:  # a refresh keeps the highlight on the same record
            with contextlib.suppress(OptionDoesNotExist):
                listing.highlighted = listing.get_option_index(kept)
        has_any = listing.option_count > 0
        hint = self.empty_hint(make=not has_any)
        if hint is not None:
            hint.display = not has_any
        listing.display = has_any
