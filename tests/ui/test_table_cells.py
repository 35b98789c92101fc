"""`table_cells.one_line_cell` builds exactly the segments Textual's DataTable draws for a one-line
cell (text, styles and the row / column meta a click reads): random and awkward cells are drawn
by a DataTable and by a LeanTable (which uses the short path) and compared segment by segment."""

from __future__ import annotations

import random
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from deskwork.ui.widgets.lean_table import LeanTable
from deskwork.ui.widgets.table_cells import one_line_cell

WIDTHS = (1, 3, 4, 5, 8, 13)
ALPHABET = "ab cdé  xyz日本語🙂…-_.:"  # wide characters, spaces, the ellipsis itself
STYLES: tuple[object, ...] = ("", "bold", "italic red", "none", Style(color="green"), Style())
JUSTIFY = (None, "default", "left", "right", "center", "full")
OVERFLOW = (None, "fold", "crop", "ellipsis", "ignore")


def awkward_cells() -> list[Text]:
    rng = random.Random(14)
    cells = [
        Text(""),
        Text(" "),
        Text("   trailing   ", justify="right"),
        Text("exactly8", overflow="ellipsis"),
        Text("exactly9!", overflow="ellipsis"),
        Text("日本語日本語", overflow="ellipsis"),
        Text("a日本語", overflow="crop", justify="left"),
        Text("tab\there"),  # the long way: tabs
        Text("two\nlines"),  # the long way: newlines
        Text("wrapped text", no_wrap=False),
        Text("no end", end=""),
        Text.assemble(("spans ", "bold"), ("inside", "red")),  # the long way: spans
    ]
    for _ in range(300):
        plain = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 14)))
        cells.append(
            Text(
                plain,
                style=rng.choice(STYLES),  # type: ignore[arg-type]
                justify=rng.choice(JUSTIFY),  # type: ignore[arg-type]
                overflow=rng.choice(OVERFLOW),  # type: ignore[arg-type]
                no_wrap=rng.choice((None, True, True)),
                end=rng.choice(("\n", "\n", "")),
            )
        )
    return cells


class Twins(App[None]):
    AUTO_FOCUS = None  # neither table focused (focus changes the colours)

    def compose(self) -> ComposeResult:
        yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)
        yield LeanTable(id="lean", cursor_type="row", zebra_stripes=True)


def drawn(table: DataTable[Any], row: int, column: int, width: int, flags: tuple[bool, bool]):  # type: ignore[no-untyped-def]
    base = table._get_row_style(row, table.rich_style)
    lines = table._render_cell(row, column, base, width, *flags)
    return [
        [(s.text, s.style, s.style.meta if s.style else None, s.control) for s in line]
        for line in lines
    ]


async def test_short_path_draws_what_data_table_draws() -> None:
    cells = awkward_cells()
    app = Twins()
    async with app.run_test(size=(100, 30)) as pilot:
        plain, lean = app.query_one("#plain", DataTable), app.query_one("#lean", LeanTable)
        for table in (plain, lean):
            for n, width in enumerate(WIDTHS):
                table.add_column(f"c{n}", width=width, key=f"c{n}")
            for i, cell in enumerate(cells):
                table.add_row(*([cell] * len(WIDTHS)), key=str(i))
        await pilot.pause()
        for row in [-1, *range(len(cells))]:  # -1: the header
            for column in range(len(WIDTHS)):
                width = plain.ordered_columns[column].get_render_width(plain)
                for flags in ((False, False), (True, False), (False, True), (True, True)):
                    expected = drawn(plain, row, column, width, flags)
                    assert drawn(lean, row, column, width, flags) == expected, (row, column, flags)
        # and the short path is the one taken for most of them (the test is not vacuous)
        short = [
            v for texts in lean._painter.texts.values() for v in texts.values() if v is not None
        ]
        assert len(short) > len(cells)
        taken = sum(
            one_line_cell(cell, 15, 1, Style(), Style(), app.console, app.console_options)
            is not None
            for cell in cells
        )
        assert taken > len(cells) * 0.4


async def test_rows_drawn_cell_after_cell_are_data_tables_rows() -> None:
    """Whole row lines (LeanTable draws a row of simple cells itself: styles, zebra, cursor,
    hover, the header, the meta a click reads, the row's extension to the table's width) equal
    DataTable's, segment for segment, for rows mixing every awkward cell (those that are not of
    the simple kind drawn by DataTable's cell code); and every row takes that path (the
    comparison is not vacuous)."""
    cells = awkward_cells()
    app = Twins()
    async with app.run_test(size=(100, 40)) as pilot:
        plain, lean = app.query_one("#plain", DataTable), app.query_one("#lean", LeanTable)
        taken: list[bool] = []
        original = lean._painter.line

        def counting(*args: Any) -> Any:
            pair = original(*args)
            taken.append(pair is not None)
            return pair

        lean._painter.line = counting  # type: ignore[method-assign]
        for table in (plain, lean):
            table.styles.height = 36
            for n, width in enumerate(WIDTHS):
                table.add_column(f"c{n}", width=width, key=f"c{n}")
            for i in range(len(cells) // 3):
                row = [cells[(i * 3 + n) % len(cells)] for n in range(len(WIDTHS))]
                table.add_row(*row, key=str(i))
        for cursor, hover, focused in ((0, 3, False), (5, 5, True), (40, 2, True)):
            pictures = []
            for table in (plain, lean):
                table.move_cursor(row=cursor)
                table.hover_coordinate = table.hover_coordinate._replace(row=hover)
                table._set_hover_cursor(True)
                if focused:
                    table.focus()
                await pilot.pause()
                pictures.append(
                    [
                        [(s.text, s.style, s.style.meta if s.style else None) for s in line]
                        for line in (table.render_line(y) for y in range(table.size.height))
                    ]
                )
            assert pictures[1] == pictures[0], (cursor, hover)
        assert taken and all(taken), "every one-line row drawn cell after cell"
