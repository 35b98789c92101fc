"""A pane that lists records, with a helpful text in place of the list while there are none; and
`fill_options`, how every list of the desk is filled."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar, overload

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from deskwork.ui.widgets.pane import Pane

# Options a list's first frame gets at once: as many as the terminal has rows (no list can show
# more), at least this many.
FIRST_FILL_MIN = 24

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
    for the first frame), only as many options as could show go in at once and the rest right
    after that frame is drawn (the next round of after-refresh callbacks): an OptionList measures every option it holds, again at each resize
    of the start-up layout (~90 ms for the heavy year's 180 queue items and 200 drafts). With
    `LazyOptions` the rest are not even made before then."""
    generation = getattr(listing, "_deskwork_fill", 0) + 1
    listing._deskwork_fill = generation  # type: ignore[attr-defined]  # a later fill wins
    listing.clear_options()
    first = max(FIRST_FILL_MIN, listing.app.size.height) if generation == 1 else len(options)
    listing.add_options(options[:first])
    if len(options) > first:

        def fill_rest() -> None:
            if getattr(listing, "_deskwork_fill", 0) == generation and listing.is_attached:
                listing.add_options(options[first:])

        # After the frame that shows the first options: a callback registered now would run in
        # the same round as the frame's own "drawn" callbacks, before them, and hold the first
        # frame back by measuring every option (~15 ms at the heavy year). One round later, it runs
        # once the frame is out.
        listing.call_after_refresh(listing.call_after_refresh, fill_rest)


class ListPane(Pane):
    DEFAULT_CSS = """
    ListPane OptionList, ListPane OptionList:focus {
        height: 1fr; border: none; padding: 0; background: transparent;
    }
    ListPane .empty-hint { color: $text-muted; }
    """

    empty_text = ""

    def compose(self) -> ComposeResult:
        yield Static(self.empty_text, id=f"{self.pane_id}-empty", classes="empty-hint")
        yield OptionList(id=f"{self.pane_id}-list")

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
        self.query_one(f"#{self.pane_id}-empty").display = not has_any
        listing.display = has_any
