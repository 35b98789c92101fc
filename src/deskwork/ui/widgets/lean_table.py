"""LeanTable: a DataTable whose drawing cost follows what changes (cached cells, row lines and
strips; one-line cells drawn by `table_cells`), for the browsing screens' tables of fixed-width
columns. Filling, cursor helpers and the searchable screen live in `tables`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._segment_tools import line_crop
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.render import measure
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import _EMPTY_TEXT, default_cell_formatter
from textual.widgets.data_table import CellKey, RowKey

from deskwork.ui.widgets.table_rows import RowPainter, RowPair, SegmentLines


class LeanTable(DataTable[Any]):
    """A DataTable whose cost follows what changes, for tables of fixed-width columns.

    Textual's DataTable measures every cell of every new row (and, when a cell shrinks, the whole
    column) to size auto-width columns, and drops every rendered cell, row and line whenever any
    row is added or any cell updated (its caches are keyed by a table-wide update count), and
    every rendered row whenever the cursor moves. Filling the card browser's 300 rows froze the
    loop ~100 ms per frame, and each batch of rows added below the fold drew the visible rows
    again (~1 ms a line). Here:

    - the measuring is skipped for columns that have a fixed width (their width never depends
      on the cells);
    - a rendered cell is reused for as long as the cell object, its place, its width and its
      style are the same;
    - a rendered row line is reused for as long as its cells are the same objects and its place,
      the column widths, the table's width and style and whether the cursor / hover is on it are
      the same (row cursors; other cursor kinds, fixed columns and row labels go through
      DataTable's own code);
    - a drawn line (a Strip) is reused for as long as its row line is the same object and the
      crop and width are the same;
    - a one-line row of a row-cursor table is drawn directly, cell after cell (the simple ones
      by `table_cells.one_line_cell`, any other by DataTable's own cell code), with the table-wide
      settings read once per drawing pass: DataTable's own path read a dozen reactives and built
      a cache key per cell, ~0.4 ms a line, so a screenful drawn afresh (a search, a sort, the
      screen opened) froze the loop 15+ ms.

    So adding rows below the fold or changing one mark redraws only what changed; the picture is
    DataTable's own (tests/ui/test_lean_table.py draws both and compares)."""

    _LEAN_CACHE_MAX = 6000  # rendered cells kept (a few screens of a six-column table)
    _LEAN_LINES_MAX = 2000  # rendered row lines and strips kept

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # before DataTable's __init__: its watchers already clear the caches
        self._lean_cells: dict[tuple[object, ...], tuple[object, SegmentLines]] = {}
        self._lean_rows: dict[tuple[object, ...], tuple[tuple[object, ...], RowPair]] = {}
        self._lean_strips: dict[tuple[object, ...], tuple[RowPair, Strip]] = {}
        self._painter = RowPainter(self)
        self._lean_pass: tuple[object, ...] | None = None  # the settings of this drawing pass
        self._lean_drawing = False
        self._lean_frame: tuple[int, int, int, int, Style] | None = None
        # Set by whoever adds rows a batch at a time: End was pressed, the cursor goes to the
        # last row still to come when it arrives.
        self.end_pressed: Callable[[], None] | None = None
        super().__init__(*args, **kwargs)

    def action_scroll_home(self) -> None:
        """Home: the first row (DataTable only scrolls sideways for a row cursor)."""
        if self.cursor_type == "row" and self.show_cursor:
            self.action_scroll_top()
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """End: the last row, the last of those still being added included."""
        if self.cursor_type == "row" and self.show_cursor:
            self.action_scroll_bottom()
            if self.end_pressed is not None:
                self.end_pressed()
        else:
            super().action_scroll_end()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        new_rows = list(new_rows)
        if not any(
            row.auto_height or row.label is not None
            for row in (self.rows.get(key) for key in new_rows)
            if row is not None
        ):
            self._measure_auto_columns(new_rows)
            new_rows = []  # measured: only the virtual size is computed again
        super()._update_dimensions(new_rows)

    def _measure_auto_columns(self, new_rows: list[RowKey]) -> None:
        """The auto-width columns widened to the new rows' cells, as DataTable measures them
        (the widest line of the cell's text) but reading a Text cell's lines directly instead of
        building every row's renderables and a Measurement per cell."""
        auto = [column for column in self.columns.values() if column.auto_width]
        if not auto:
            return
        console = self.app.console
        for row_key in new_rows:
            data = self._data.get(row_key)
            row = self.rows.get(row_key)
            if data is None or row is None:
                continue
            for column in auto:
                cell = data.get(column.key)
                if cell is None:
                    continue
                if isinstance(cell, Text):
                    lines = cell.plain.splitlines()
                    width = max((cell_len(line) for line in lines), default=0)
                else:
                    shown = default_cell_formatter(cell, wrap=row.height != 1, height=row.height)
                    width = measure(console, shown, 1) if shown else 0
                if width > column.content_width:
                    column.content_width = width

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
        if row_index < -1 or column_index < 0:  # row labels: DataTable's own cache
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        column_key = self._column_locations.get_key(column_index)
        row_key: RowKey | None
        if row_index == -1:  # the header: its cells are the column labels
            row_key = self._header_row_key
            column = self.columns.get(column_key) if column_key is not None else None
            cell: object = column.label if column is not None else None
            height: object = self.header_height
        else:
            row_key = self._row_locations.get_key(row_index)
            if row_key is None or column_key is None:
                return super()._render_cell(
                    row_index, column_index, base_style, width, cursor, hover
                )
            cell = self._data.get(row_key, {}).get(column_key)
            row = self.rows.get(row_key)
            height = row.height if row is not None else None
        key = (
            row_key,
            column_key,
            row_index,
            column_index,
            height,
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
        lines = None
        if height == 1:
            shown = cell if row_index == -1 or not isinstance(cell, Text) or cell else _EMPTY_TEXT
            lines = self._painter.cell(
                row_index, column_index, shown, base_style, width, cursor, hover
            )
        if lines is None:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if len(self._lean_cells) >= self._LEAN_CACHE_MAX:
            self._lean_cells.clear()
        self._lean_cells[key] = (cell, lines)
        return lines

    def render_lines(self, crop: Region) -> list[Strip]:
        self._lean_drawing, self._lean_pass, self._lean_frame = True, None, None
        try:
            return super().render_lines(crop)
        finally:
            self._lean_drawing, self._lean_pass, self._lean_frame = False, None, None

    def render_line(self, y: int) -> Strip:
        """DataTable's, with what every line of a drawing pass shares read once for the pass (the
        table's own style walks every ancestor's styles)."""
        frame = self._lean_frame
        if frame is None:
            fixed_height = 0
            for index in range(self.fixed_rows):
                row_key = self._row_locations.get_key(index)
                fixed_height += self.get_row_height(row_key) if row_key is not None else 0
            if self.show_header:
                fixed_height += self.get_row_height(self._header_row_key)
            scroll_x, scroll_y = self.scroll_offset
            frame = (fixed_height, scroll_x, scroll_y, self.size.width, self.rich_style)
            if self._lean_drawing:
                self._lean_frame = frame
        fixed_height, scroll_x, scroll_y, width, style = frame
        if y >= fixed_height:
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + width, style)

    def _lean_settings(self) -> tuple[object, ...]:
        """What every row line depends on besides its own cells and place (read once per drawing
        pass: each reactive read costs)."""
        settings = self._lean_pass
        if settings is None:
            settings = (
                self.cursor_type,
                self.zebra_stripes,
                self.fixed_rows,
                self.cell_padding,
                self.cursor_foreground_priority,
                self.cursor_background_priority,
                self.show_cursor,
                self._show_hover_cursor,
                self._pseudo_class_state,
                self.size.width,
                self.header_height,
                tuple((c.key, c.get_render_width(self)) for c in self.ordered_columns),
                self.fixed_columns,
                self._labelled_row_exists and self.show_row_labels,
            )
            if self._lean_drawing:
                self._lean_pass = settings
        return settings

    def _lean_row_key(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor: Coordinate,
        hover: Coordinate,
    ) -> tuple[tuple[object, ...], tuple[object, ...]] | None:
        """(the cache key, the cells it must still hold) of a row line, or None where DataTable's
        own rendering is used (other cursor kinds, fixed columns, row labels)."""
        settings = self._lean_settings()
        cursor_type, fixed_columns, labels = settings[0], settings[-2], settings[-1]
        if cursor_type not in ("row", "none") or fixed_columns or labels:
            return None
        if row_key is self._header_row_key:
            row_index = -1
            cells: tuple[object, ...] = tuple(c.label for c in self.ordered_columns)
        else:
            found = self._row_locations.get(row_key)
            if found is None:
                return None
            row_index = found
            data = self._data.get(row_key, {})
            cells = tuple(data.get(c.key) for c in self.ordered_columns)
        on_cursor = cursor_type == "row" and cursor.row == row_index
        on_hover = cursor_type == "row" and hover.row == row_index
        key = (row_key, row_index, line_no, base_style, on_cursor, on_hover, settings)
        return key, cells

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> RowPair:
        found = self._lean_row_key(row_key, line_no, base_style, cursor_location, hover_location)
        if found is None:
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        key, cells = found
        hit = self._lean_rows.get(key)
        if (
            hit is not None
            and len(hit[0]) == len(cells)
            and all(a is b for a, b in zip(hit[0], cells, strict=True))
        ):
            return hit[1]
        pair = self._painter.line(row_key, key, cells, base_style, cursor_location.row)
        if pair is None:
            pair = super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        if len(self._lean_rows) >= self._LEAN_LINES_MAX:
            self._lean_rows.clear()
        self._lean_rows[key] = (cells, pair)
        return pair

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        width = self.size.width
        try:
            row_key, y_offset_in_row = self._get_offsets(y)
        except LookupError:
            return Strip.blank(width, base_style)
        fixed, scrollable = pair = self._render_line_in_row(
            row_key,
            y_offset_in_row,
            base_style,
            cursor_location=self.cursor_coordinate,
            hover_location=self.hover_coordinate,
        )
        fixed_width = sum(
            column.get_render_width(self) for column in self.ordered_columns[: self.fixed_columns]
        )
        key = (y, x1, x2, width, base_style, fixed_width)
        hit = self._lean_strips.get(key)
        if hit is not None and hit[0] is pair:
            return hit[1]
        # as DataTable._render_line builds it
        fixed_line: list[Segment] = list(chain.from_iterable(fixed)) if fixed else []
        scrollable_line: list[Segment] = list(chain.from_iterable(scrollable))
        segments = fixed_line + line_crop(scrollable_line, x1 + fixed_width, x2, width)
        strip = Strip(segments).adjust_cell_length(width, base_style).simplify()
        if len(self._lean_strips) >= self._LEAN_LINES_MAX:
            self._lean_strips.clear()
        self._lean_strips[key] = (pair, strip)
        return strip

    def _lean_clear(self) -> None:
        self._painter.clear()
        self._lean_cells.clear()
        self._lean_rows.clear()
        self._lean_strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lean_clear()

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._lean_clear()
