"""Small helpers for the DataTables whose rows are keyed by record id."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
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
