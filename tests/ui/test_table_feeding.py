"""Long tables are added a batch of rows per frame (`RowFeeder`): the first batch is there at
once, every row is there in the end, in the order asked for, a newer fill (a filter, a sort)
replaces an older one's remaining rows, and the cursor comes back to its record even when that
row arrives in a later batch."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.ui.screens.curriculum import CurriculumScreen
from deskwork.ui.widgets.lean_table import LeanTable
from deskwork.ui.widgets.tables import RowFeeder
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app, settled, until

N = 400


def items() -> list[Item]:
    return [
        Item(
            title=f"Item {n:03d}",
            status=ItemStatus.ACTIVE if n % 2 else ItemStatus.PLANNED,
            priority=n % 5,
            track="odd" if n % 2 else "even",
            added=T0,
        )
        for n in range(N)
    ]


def titles(table: DataTable[object]) -> list[str]:
    return [str(table.get_row_at(n)[1]) for n in range(table.row_count)]


async def test_a_long_curriculum_ends_with_every_row_in_order(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock, items=items())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, CurriculumScreen)
        table = screen.query_one(DataTable)
        await settled(pilot)
        assert table.row_count == N
        expected = [str(i.title) for i in screen.visible_items()]
        assert titles(table) == expected

        # the cursor on a record far down, then a sort: it is found again in a later batch
        last = screen.visible_items()[-1]
        screen.select(last.id)
        assert screen.selected_id() == last.id
        await pilot.press("s")  # sorted by title
        await settled(pilot)
        assert titles(table) == sorted(expected)
        assert screen.selected_id() == last.id

        # a filter typed while rows are still coming: only the filter's rows remain
        await pilot.press("s")
        screen.query_one("#cur-filter", Input).value = "track:odd"
        # its `Changed` reaches the screen in the app's own time: until it started the new fill
        await until(pilot, lambda: screen.busy or table.row_count == N // 2, "the filter's fill")
        await settled(pilot)
        assert table.row_count == N // 2
        assert titles(table) == [str(i.title) for i in screen.visible_items()]
        assert all(int(t.split()[1]) % 2 for t in titles(table))


class One(App[None]):
    def compose(self) -> ComposeResult:
        yield LeanTable(id="t")


async def test_a_newer_fill_replaces_the_rows_an_older_one_still_had_to_add() -> None:
    app = One()
    async with app.run_test() as pilot:
        table = app.query_one(LeanTable)
        table.add_column("n", width=8, key="n")
        feeder: RowFeeder[int] = RowFeeder(
            table, key=str, cells=lambda n: (str(n),), first=10, per_frame=25
        )
        feeder.fill(range(1000))
        assert table.row_count == 10 and feeder.busy
        feeder.fill(range(5000, 5100), keep="5090")
        await until(pilot, lambda: not feeder.busy, "every row of the newer fill added")
        assert [table.get_row_at(n)[0] for n in range(table.row_count)] == [
            str(n) for n in range(5000, 5100)
        ]
        assert table.cursor_row == 90  # the kept row, added in a later batch


async def test_a_long_plan_ends_with_every_item_in_order(tmp_path: Path, clock: Clock) -> None:
    from deskwork.ui.screens.plan import PlanScreen

    app = desk_app(tmp_path, clock, items=items())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+y")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        await settled(pilot)
        table = screen.query_one("#plan-items", DataTable)
        expected = sorted(items(), key=lambda i: (i.status.value != "active", i.title))
        assert table.row_count == N
        assert titles_at(table, 0) == [i.title for i in expected]
        # a what-if value changed while nothing is left: computed and filled again, whole
        screen.query_one("#plan-weeks", Input).value = "30"
        await until(pilot, lambda: screen._computed_with.get("weeks") == 30, "the plan again")
        await settled(pilot)
        assert table.row_count == N
        assert titles_at(table, 0) == [i.title for i in expected]


def titles_at(table: DataTable[object], column: int) -> list[str]:
    return [str(table.get_row_at(n)[column]) for n in range(table.row_count)]
