"""The tables of the browsing screens (a DataTable that stays cheap with hundreds of rows) and
small helpers for DataTables whose rows are keyed by record id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.screen import Screen
from textual.widgets import DataTable, Input
from textual.widgets.data_table import CellDoesNotExist, CellKey, RowDoesNotExist, RowKey

SegmentLines = list[list[Segment]]


class LeanTable(DataTable[Any]):
    """A DataTable whose cost follows what changes, for tables of fixed-width columns.

    Textual's DataTable measures every cell of every new row (and, when a cell shrinks, the whole
    column) to size auto-width columns, and drops every rendered cell whenever any row is added
    or any cell updated. Filling the card browser's 300 rows froze the loop ~100 ms per frame.
    Here the measuring is skipped for columns that have a fixed width (their width never depends
    on the cells), and a rendered cell is reused for as long as the cell object, its place, its
    width and its style are the same: adding rows below the fold or changing one mark redraws
    only what changed. Anything else (auto-width columns, row labels, auto-height rows, the
    header) goes through DataTable's own code."""

    _LEAN_CACHE_MAX = 6000  # rendered cells kept (a few screens of a six-column table)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # before DataTable's __init__: its watchers already clear the caches
        self._lean_cells: dict[tuple[object, ...], tuple[object, SegmentLines]] = {}
        super().__init__(*args, **kwargs)

    def _all_fixed(self) -> bool:
        return not any(column.auto_width for column in self.columns.values())

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        new_rows = list(new_rows)
        if self._all_fixed() and not any(
            row.auto_height or row.label is not None
            for row in (self.rows.get(key) for key in new_rows)
            if row is not None
        ):
            new_rows = []  # nothing to measure: only the virtual size is computed again
        super()._update_dimensions(new_rows)

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        fixed = {key for key, column in self.columns.items() if not column.auto_width}
        super()._update_column_widths({cell for cell in updated_cells if cell[1] not in fixed})
        self._require_update_dimensions = True

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0:  # the header, row labels: DataTable's own cache
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cell = self._data.get(row_key, {}).get(column_key)
        row = self.rows.get(row_key)
        key = (
            row_key,
            column_key,
            row_index,
            column_index,
            row.height if row is not None else None,
            base_style,
            width,
            cursor,
            hover,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self.show_cursor,
        )
        hit = self._lean_cells.get(key)
        if hit is not None and hit[0] is cell:
            return hit[1]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if len(self._lean_cells) >= self._LEAN_CACHE_MAX:
            self._lean_cells.clear()
        self._lean_cells[key] = (cell, lines)
        return lines

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lean_cells.clear()

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._lean_cells.clear()


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
