"""The desk's lists get only what shows in the first frame, the rest right after it: once the app
has started, every item and every draft is in its list, and a later fill replaces a pending one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.drafts import Draft
from deskwork.ui.widgets.list_pane import FIRST_FILL_MIN, LazyOptions, fill_options
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app, ready


async def test_long_lists_are_whole_once_started(tmp_path: Path, clock: Clock) -> None:
    items = [Item(title=f"Course {n}", status=ItemStatus.ACTIVE, added=T0) for n in range(150)]
    app = desk_app(tmp_path, clock, items=items)
    with app.desk.store.transaction() as tx:
        for n in range(130):
            tx.put("drafts", Draft(title=f"Post {n}", created=T0, updated=T0))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        queue = app.query_one("#queue-list", OptionList)
        ids = {queue.get_option_at_index(i).id for i in range(queue.option_count)}
        assert {str(i.id) for i in app.desk.store.items.values()} <= ids
        assert queue.option_count > FIRST_FILL_MIN
        drafts = app.query_one("#draft-list", OptionList)
        assert drafts.option_count == 130


async def test_a_later_fill_replaces_a_pending_rest(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listing = OptionList()
        await app.screen.mount(listing)
        fill_options(listing, [Option(f"a{n}") for n in range(200)])  # its first fill
        assert listing.option_count < 200  # the rest waits for the next frame
        fill_options(listing, [Option(f"b{n}") for n in range(70)])  # a refresh meanwhile
        assert listing.option_count == 70
        await pilot.pause()
        await pilot.pause()
        assert listing.option_count == 70  # the first fill's rest did not land
        assert str(listing.get_option_at_index(69).prompt) == "b69"


async def test_a_lazy_first_fill_makes_only_the_options_that_show(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listing = OptionList()
        await app.screen.mount(listing)
        made: list[int] = []

        def make(n: int) -> Option:
            made.append(n)
            return Option(f"post {n}", id=str(n))

        fill_options(listing, LazyOptions(range(300), make))
        assert made == list(range(listing.option_count)) and 0 < len(made) < 300
        await pilot.pause()
        await pilot.pause()
        assert sorted(made) == list(range(300))  # each made once, all of them in the end
        assert listing.option_count == 300
        assert listing.get_option_at_index(299).id == "299"
