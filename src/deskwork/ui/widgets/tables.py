"""Small helpers for the DataTables whose rows are keyed by record id."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import DataTable, Input
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist


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
        return self.focused is self.query_one(f"#{self.search_input_id}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self._typing() or action in ("close", self.search_action)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        if self._typing():
            self.query_one(DataTable).focus()
        else:
            self.dismiss(None)
