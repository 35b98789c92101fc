"""Filling and reading the browsing screens' tables (rows keyed by record id): a table filled a
batch of rows per frame, the record under the cursor, and the screen of a search input above a
table. The table itself: `lean_table.LeanTable`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual.screen import Screen
from textual.widgets import DataTable, Input
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from deskwork.ui.widgets.lean_table import LeanTable

T = TypeVar("T")


class RowFeeder(Generic[T]):
    """A table filled a batch of rows per frame: the first batch at once (more than a screenful:
    what the user sees is there in the first frame), the rest each after the next refresh, so no
    frame waits for building, adding and measuring every row. A new `fill` (a filter typed, a
    sort) makes the rows an older one still had to add stale. The row the cursor was on keeps
    the cursor when it arrives."""

    def __init__(
        self,
        table: DataTable[Any],
        key: Callable[[T], str],
        cells: Callable[[T], Sequence[object]],
        first: int = 80,
        per_frame: int = 150,
    ) -> None:
        self.table = table
        self.key = key
        self.cells = cells
        self.first = first
        self.per_frame = per_frame
        self._left: list[T] = []
        self._generation = 0
        self._keep: str | None = None
        if isinstance(table, LeanTable):
            table.end_pressed = self.keep_last

    def keep_last(self) -> None:
        """The cursor goes to the last row when it arrives (End pressed while rows are coming)."""
        if self._left:
            self._keep = self.key(self._left[-1])

    @property
    def busy(self) -> bool:
        """Rows still to be added."""
        return bool(self._left)

    def fill(self, entries: Sequence[T], keep: str | None = None) -> None:
        """The table emptied and filled with `entries` (the first batch now); the cursor goes back
        to the row keyed `keep` when it is added."""
        self._generation += 1
        self.table.clear()
        self._left = list(entries)
        self._keep = keep
        self._add(self._generation, self.first)

    def _add(self, generation: int, count: int) -> None:
        table = self.table
        if generation != self._generation or not table.is_mounted:
            return
        batch, self._left = self._left[:count], self._left[count:]
        for entry in batch:
            key = self.key(entry)
            table.add_row(*self.cells(entry), key=key)
            if key == self._keep:
                move_to(table, int(key))
                self._keep = None
        if self._left:
            table.call_after_refresh(self._add, generation, self.per_frame)


def cursor_id(table: DataTable[Any]) -> int | None:
    """The id of the record under the cursor (rows are keyed by `str(id)`), or None."""
    if not table.row_count:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None
    return int(key) if key else None


def move_to(table: DataTable[Any], record_id: int) -> None:
    """Put the cursor on the record's row, if it is shown."""
    try:
        table.move_cursor(row=table.get_row_index(str(record_id)))
    except RowDoesNotExist:
        return


class SearchableTableScreen(Screen[None]):
    """A screen with a search / filter input above a table of records. While the input has focus
    letters are letters (the screen's one-key commands wait); Enter or Esc goes back to the table,
    and Esc on the table closes the screen."""

    search_input_id = ""  # the Input's id
    search_action = ""  # the action that focuses the input (it stays allowed while typing)

    def _typing(self) -> bool:
        # Textual asks `check_action` of a screen whose children are not composed yet (a key
        # pressed while it opens, on a loaded machine): no input there yet, so nobody types.
        found = self.query(f"#{self.search_input_id}")
        return bool(found) and self.focused is found.first()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self._typing() or action in ("close", self.search_action)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        if self._typing():
            self.query_one(DataTable).focus()
        else:
            self.dismiss(None)
