"""Drawing a LeanTable's one-line cells and rows without DataTable's per-cell machinery: the
simple cells (`table_cells.one_line_cell`) from a cache of renderings shared by every cell
showing the same text under the same styles, and a whole one-line row of a row-cursor table
cell after cell, each step as DataTable's `_render_line_in_row` / `_render_cell` take it (any
cell not of the simple kind drawn by the table's own cell code). tests/ui/test_table_cells.py
and tests/ui/test_lean_table.py compare the results with DataTable's, segment by segment."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets._data_table import _EMPTY_TEXT
from textual.widgets.data_table import RowKey

from deskwork.ui.widgets.table_cells import one_line_cell, with_meta

if TYPE_CHECKING:
    from deskwork.ui.widgets.lean_table import LeanTable

SegmentLines = list[list[Segment]]
RowPair = tuple[SegmentLines, SegmentLines]


class RowPainter:
    """The drawing of one LeanTable's cells and rows, with its caches (cleared with the
    table's)."""

    CACHE_MAX = 6000  # renderings and cell places kept

    def __init__(self, table: LeanTable) -> None:
        self.table = table
        # renderings by the row's styles, then by text: one drawing per distinct text and style
        self.texts: dict[tuple[object, ...], dict[tuple[object, ...], list[Segment] | None]] = {}
        self._text_count = 0
        self._meta: dict[tuple[int, int], Style] = {}  # a cell's place, for the mouse
        self._row_styles: dict[tuple[int, Style], Style] = {}

    def clear(self) -> None:
        self.texts.clear()
        self._text_count = 0
        self._row_styles.clear()

    def cell(
        self,
        row_index: int,
        column_index: int,
        cell: object,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> SegmentLines | None:
        """A one-line cell drawn by `table_cells.one_line_cell` (None: not of that kind), from a
        cache of renderings by text and style shared by every cell showing the same."""
        if not isinstance(cell, Text) or cell.spans:
            return None
        is_header = row_index == -1
        component_style, post_style = self.table._get_styles_to_render_cell(
            is_header,
            False,
            not is_header
            and (row_index < self.table.fixed_rows or column_index < self.table.fixed_columns),
            hover,
            cursor,
            self.table.show_cursor,
            self.table._show_hover_cursor,
            self.table.cursor_foreground_priority == "css",
            self.table.cursor_background_priority == "css",
        )
        segments = self.text(cell, width, base_style + component_style, post_style)
        if segments is None:
            return None
        return [with_meta(segments, self.cell_meta(row_index, column_index))]

    def text(
        self, cell: object, width: int, pre_style: Style, post_style: Style
    ) -> list[Segment] | None:
        """`table_cells.one_line_cell` of a Text cell without spans, from a cache of renderings
        by text and style shared by every cell showing the same (None: not of that kind)."""
        return self.texts_for(pre_style, post_style)(cell, width)

    def texts_for(
        self, pre_style: Style, post_style: Style
    ) -> Callable[[object, int], list[Segment] | None]:
        """`text` for cells under these styles (a row's cells share them: the styles are
        hashed once a row, not once a cell)."""
        padding = self.table.cell_padding
        texts = self.texts.get((pre_style, post_style, padding))
        if texts is None:
            texts = self.texts[(pre_style, post_style, padding)] = {}
        console, options = self.table.app.console, self.table.app.console_options

        def draw(cell: object, width: int) -> list[Segment] | None:
            if type(cell) is not Text or cell.spans:
                return None
            key = (
                cell.plain,
                cell.style,
                cell.justify,
                cell.overflow,
                cell.no_wrap,
                cell.end,
                width,
            )
            if key in texts:
                return texts[key]
            segments = one_line_cell(cell, width, padding, pre_style, post_style, console, options)
            if self._text_count >= self.CACHE_MAX:
                self.texts.clear()
                self._text_count = 0
            texts[key] = segments
            self._text_count += 1
            return segments

        return draw

    def line(
        self,
        row_key: RowKey,
        key: tuple[object, ...],
        cells: tuple[object, ...],
        base_style: Style,
        cursor_row: int,
    ) -> RowPair | None:
        """A one-line row of a row-cursor table drawn cell after cell, as DataTable draws it (its
        `_render_line_in_row` and `_render_cell`), or None where the row is taller."""
        _, row_index, line_no, _, on_cursor, on_hover, settings = key
        assert isinstance(row_index, int) and isinstance(settings, tuple)
        if settings[0] != "row" or line_no != 0:
            return None
        if row_index == -1:
            height = self.table.header_height
        else:
            row = self.table.rows.get(row_key)
            height = row.height if row is not None else 0
        if height != 1:
            return None
        widths: tuple[tuple[object, int], ...] = settings[11]
        row_style = self.row_style(row_index, base_style)
        show_cursor, show_hover = bool(settings[6]), bool(settings[7])
        header = row_index == -1
        component_style, post_style = self.table._get_styles_to_render_cell(
            header,
            False,
            not header and row_index < self.table.fixed_rows,
            bool(on_hover),
            bool(on_cursor),
            show_cursor,
            show_hover,
            settings[4] == "css",
            settings[5] == "css",
        )
        draw = self.texts_for(row_style + component_style, post_style)
        line: list[list[Segment]] = []
        for column_index, (cell, (_, width)) in enumerate(zip(cells, widths, strict=True)):
            shown = cell if header or not isinstance(cell, Text) or cell else _EMPTY_TEXT
            segments = draw(shown, width)
            if segments is None:  # not of the simple kind: DataTable's way, this cell alone
                rendered = self.table._render_cell(
                    row_index, column_index, row_style, width, bool(on_cursor), bool(on_hover)
                )
                line.append(rendered[0])
            else:
                line.append(with_meta(segments, self.cell_meta(row_index, column_index)))
        # the rest of the width, in the row's style (DataTable's extension of a row cursor)
        table_width = sum(width for _, width in widths) + self.table._row_label_column_width
        remaining = max(0, int(settings[9]) - table_width)
        extend_style, _ = self.table._get_styles_to_render_cell(
            header,
            False,
            False,
            bool(on_hover),
            row_index == cursor_row,
            show_cursor,
            show_hover,
            False,
            False,
        )
        extend_style = row_style + extend_style + self.cell_meta(row_index, -1)
        line.append([Segment(" " * remaining, extend_style)])
        return [], line

    def row_style(self, row_index: int, base_style: Style) -> Style:
        """DataTable's `_get_row_style`, kept per kind of row (its component styles walk the DOM)."""
        if row_index == -1:
            kind = -1
        elif row_index < self.table.fixed_rows:
            kind = -2
        elif self.table.zebra_stripes:
            kind = row_index % 2
        else:
            return base_style
        style = self._row_styles.get((kind, base_style))
        if style is None:
            style = self.table._get_row_style(row_index, base_style)
            self._row_styles[(kind, base_style)] = style
        return style

    def cell_meta(self, row_index: int, column_index: int) -> Style:
        """The meta DataTable puts under a cell's segments (column -1: the row's extension)."""
        meta = self._meta.get((row_index, column_index))
        if meta is None:
            if column_index == -1:
                meta = Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
            else:
                meta = Style.from_meta({"row": row_index, "column": column_index})
            if len(self._meta) >= self.CACHE_MAX:
                self._meta.clear()
            self._meta[(row_index, column_index)] = meta
        return meta
