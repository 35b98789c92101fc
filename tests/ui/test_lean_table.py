"""LeanTable draws exactly what Textual's DataTable draws (same strips, same styles) through rows
added, cells updated, the cursor moved, the table cleared and filled again with other text under
the same keys: its measuring shortcut and its cell cache change the cost, never the picture."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from deskwork.ui.widgets.lean_table import LeanTable

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


def exact_picture(table: DataTable[Any]) -> list[list[tuple[str, object, object]]]:
    """Every segment with its whole style, meta (the row and column a click lands on) included."""
    height = table.size.height
    return [
        [
            (seg.text, seg.style, seg.style.meta if seg.style else None)
            for seg in table.render_line(y)
        ]
        for y in range(height)
    ]


async def exactly_same(app: Twins, pilot: Any, focused: bool = False) -> None:
    pictures = []
    for table in tables(app):
        if focused:
            table.focus()
        await pilot.pause()
        pictures.append(exact_picture(table))
    assert pictures[1] == pictures[0]


async def test_reused_lines_follow_every_change() -> None:
    """The row lines and strips LeanTable keeps across rows added (DataTable draws every line
    again then) are drawn again whenever what they show changes: rows added above the fold
    rendered first, the cursor, the hover, a sort, a removed row, a new width, a column added."""
    app = Twins()
    async with app.run_test(size=(90, 30)) as pilot:
        for table in tables(app):
            table.styles.height = 12
            for label, width in COLUMNS:
                table.add_column(label, width=width, key=label)
            for key, cells in rows("a", 20):
                table.add_row(*cells, key=key)
        await exactly_same(app, pilot)
        lean = tables(app)[1]
        kept = lean.render_line(3)
        for table in tables(app):
            for key, cells in rows("a", 60)[20:]:  # below the fold: the visible lines are kept
                table.add_row(*cells, key=key)
        await exactly_same(app, pilot)
        assert lean.render_line(3) is kept  # reused, not drawn again
        for step in (
            lambda t: t.move_cursor(row=4),
            lambda t: setattr(t, "hover_coordinate", t.hover_coordinate._replace(row=2)),
            lambda t: t.update_cell("2", "Deck", Text("Deck::changed")),
            lambda t: t.sort("Deck", key=lambda text: text.plain, reverse=True),
            lambda t: t.remove_row("5"),
            lambda t: setattr(t.styles, "width", 70),
            lambda t: t.add_column("Extra", width=5, key="Extra"),
            lambda t: t.move_cursor(row=30),  # scrolled
            lambda t: setattr(t, "zebra_stripes", False),
            lambda t: setattr(t, "show_cursor", False),
        ):
            for table in tables(app):
                step(table)
            await exactly_same(app, pilot)
        for table in tables(app):  # the same keys again, other text
            table.clear()
            for key, cells in rows("c", 12):
                table.add_row(*cells, key=key)
        await exactly_same(app, pilot)
        assert "c question 0" in "".join(seg.text for seg in lean.render_line(1))


async def test_auto_width_columns_measured_as_data_table_measures() -> None:
    """Columns without a width grow to their widest cell exactly as DataTable's: Text (wide
    characters, several lines, empty), markup strings, numbers and empty cells, rows added in
    batches and a cell updated with update_width."""
    app = Twins()
    values: list[object] = [
        Text("short"),
        Text("日本語のテキスト"),
        Text("two\nlines that are longer"),
        Text(""),
        "[b]markup[/b] string",
        12.5,
        None,
        Text("   spaced   "),
    ]
    async with app.run_test(size=(120, 30)) as pilot:
        for table in tables(app):
            table.styles.height = 14
            table.add_column("fixed", width=6, key="fixed")
            table.add_column("A", key="a")
            table.add_column("B", key="b")
        for batch in range(3):
            for table in tables(app):
                for i, value in enumerate(values[batch:]):
                    table.add_row(Text("x"), value, values[(i + batch) % len(values)])
            await exactly_same(app, pilot)
            plain, lean = tables(app)
            assert [c.content_width for c in lean.ordered_columns] == [
                c.content_width for c in plain.ordered_columns
            ]
        for table in tables(app):
            table.update_cell_at((0, 2), Text("a much wider cell than before"), update_width=True)
        await exactly_same(app, pilot)
        plain, lean = tables(app)
        assert [c.content_width for c in lean.ordered_columns] == [
            c.content_width for c in plain.ordered_columns
        ]
