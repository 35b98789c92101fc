"""LeanTable draws exactly what Textual's DataTable draws (same strips, same styles) through rows
added, cells updated, the cursor moved, the table cleared and filled again with other text under
the same keys: its measuring shortcut and its cell cache change the cost, never the picture."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from deskwork.ui.widgets.tables import LeanTable

COLUMNS = (("✓", 1), ("Question", 30), ("Deck", 12), ("Due", 11))


class Twins(App[None]):
    AUTO_FOCUS = None  # neither table focused unless a step focuses it (focus changes the colours)

    def compose(self) -> ComposeResult:
        yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)
        yield LeanTable(id="lean", cursor_type="row", zebra_stripes=True)


def tables(app: Twins) -> list[DataTable[Any]]:
    return [app.query_one("#plain", DataTable), app.query_one("#lean", DataTable)]


def rows(tag: str, n: int) -> list[tuple[str, list[Text]]]:
    return [
        (
            str(i),
            [
                Text(""),
                Text(f"{tag} question {i} " * (1 + i % 4), no_wrap=True, overflow="ellipsis"),
                Text(f"Deck::{tag}{i % 3}", no_wrap=True, overflow="ellipsis", style="bold"),
                Text(f"{i:02d} Nov 2026"),
            ],
        )
        for i in range(n)
    ]


def picture(table: DataTable[Any]) -> list[list[tuple[str, str]]]:
    height = table.size.height
    return [[(seg.text, str(seg.style)) for seg in table.render_line(y)] for y in range(height)]


async def same(app: Twins, pilot: Any, focused: bool = False) -> None:
    pictures = []
    for table in tables(app):
        if focused:
            table.focus()
        else:
            app.set_focus(None)
        await pilot.pause()
        pictures.append(picture(table))
    plain, lean = tables(app)
    assert plain.virtual_size == lean.virtual_size
    assert pictures[1] == pictures[0]


async def test_lean_table_draws_what_data_table_draws() -> None:
    app = Twins()
    async with app.run_test(size=(70, 30)) as pilot:
        for table in tables(app):
            table.styles.height = 12
            for label, width in COLUMNS:
                table.add_column(label, width=width, key=label)
        for table in tables(app):
            for key, cells in rows("a", 6):
                table.add_row(*cells, key=key)
        await same(app, pilot)
        for table in tables(app):  # rows below the fold, then a mark in one row
            for key, cells in rows("a", 40)[6:]:
                table.add_row(*cells, key=key)
            table.update_cell("3", "✓", Text("●"))
        await same(app, pilot)
        for table in tables(app):
            table.move_cursor(row=5)
        await same(app, pilot, focused=True)
        for table in tables(app):  # the same keys, other text: nothing stale is drawn
            table.clear()
            for key, cells in rows("b", 25):
                table.add_row(*cells, key=key)
        await same(app, pilot)
        lean = tables(app)[1]
        assert "b question 0" in "".join(seg.text for seg in lean.render_line(1))
        for table in tables(app):
            table.move_cursor(row=20)  # scrolled
        await same(app, pilot, focused=True)
