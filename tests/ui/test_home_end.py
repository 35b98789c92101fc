"""Home and End on the browsing tables (the plan, the curriculum, the card browser) move the cursor
to the first and the last row, also while a long table is still being added a batch per frame
(End goes to the last row still to come). DataTable only scrolled sideways there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.ui.screens.card_browser import CardBrowserScreen
from deskwork.ui.screens.curriculum import CurriculumScreen
from deskwork.ui.screens.plan import PlanScreen
from deskwork.ui.widgets.tables import cursor_id
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready, settled

N = 400  # more than the first batch: rows are still coming when End is pressed


def items() -> list[Item]:
    return [
        Item(title=f"Item {n:03d}", status=ItemStatus.ACTIVE, effort_points=1, added=T0)
        for n in range(N)
    ]


def last_key(table: DataTable[object]) -> str | None:
    return table.coordinate_to_cell_key((table.row_count - 1, 0)).row_key.value


async def test_home_and_end_on_the_plan_while_rows_are_coming(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock, items=items())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+y")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        table = screen.query_one("#plan-items", DataTable)
        await settled(pilot)
        await pilot.press("end")
        assert table.row_count == N and table.cursor_row == N - 1
        assert table.scroll_y == table.max_scroll_y, "the last row in view"
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        screen.recompute()  # filled again: the first batch now, the rest on the next frames
        assert screen.busy and table.row_count < N
        table.action_scroll_end()  # what End runs, while the rows are coming
        await settled(pilot)
        assert table.row_count == N
        assert table.cursor_row == N - 1, "End: the last row, which came in a later batch"
        assert str(cursor_id(table)) == last_key(table)


async def test_home_and_end_on_the_curriculum(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock, items=items())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, CurriculumScreen)
        await settled(pilot)
        await pilot.press("end")
        table = screen.query_one(DataTable)
        assert table.cursor_row == N - 1 and screen.selected_id() == screen.visible_items()[-1].id
        await pilot.press("home")
        assert screen.selected_id() == screen.visible_items()[0].id
        screen.reload()
        assert screen.busy
        table.action_scroll_end()
        await settled(pilot)
        assert screen.selected_id() == screen.visible_items()[-1].id


async def test_home_and_end_on_the_card_browser(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        for i in range(250):  # more than a batch of rows
            tx.put("cards", make_card(f"question {i:03d}", when=T0 + timedelta(seconds=i)))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        fills: list[tuple[Any, ...]] = []
        original = CardBrowserScreen._fill

        def recording(self: CardBrowserScreen, *args: Any) -> None:
            fills.append(args)
            original(self, *args)

        CardBrowserScreen._fill = recording  # type: ignore[method-assign]
        try:
            await pilot.press("ctrl+e")
            screen = app.screen
            assert isinstance(screen, CardBrowserScreen)
            await settled(pilot)
        finally:
            CardBrowserScreen._fill = original  # type: ignore[method-assign]
        table = screen.query_one(DataTable)
        assert table.row_count == 250
        await pilot.press("end")
        assert table.cursor_row == 249
        await pilot.press("home")
        assert table.cursor_row == 0
        screen._fill(*fills[-1])  # the search's answer again: a batch now, the rest later
        assert screen.busy and table.row_count < 250
        table.action_scroll_end()
        await settled(pilot)
        assert table.cursor_row == 249 and str(cursor_id(table)) == last_key(table)
