"""The desk's lists get only what shows in the first frame, the rest after it a slice a frame: once
the app has started, every item and every draft is in its list, and a later fill replaces a
pending one."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.containers import Container
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.drafts import Draft
from deskwork.ui.widgets.list_pane import FILL_SLICE, FIRST_FILL_MIN, LazyOptions, fill_options
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app, ready


async def filled(pilot: Any, listing: OptionList, count: int, frames: int = 60) -> None:
    """Until `listing` holds `count` options (its first fill's rest goes in a slice a frame)."""
    for _ in range(frames):
        if listing.option_count >= count:
            return
        await pilot.pause()
    raise AssertionError(f"{listing.option_count} of {count} options after {frames} frames")


async def test_long_lists_are_whole_once_started(tmp_path: Path, clock: Clock) -> None:
    items = [Item(title=f"Course {n}", status=ItemStatus.ACTIVE, added=T0) for n in range(150)]
    app = desk_app(tmp_path, clock, items=items)
    with app.desk.store.transaction() as tx:
        for n in range(130):
            tx.put("drafts", Draft(title=f"Post {n}", created=T0, updated=T0))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        queue = app.query_one("#queue-list", OptionList)
        await filled(pilot, queue, 150)
        ids = {queue.get_option_at_index(i).id for i in range(queue.option_count)}
        assert {str(i.id) for i in app.desk.store.items.values()} <= ids
        assert queue.option_count > FIRST_FILL_MIN
        drafts = app.query_one("#draft-list", OptionList)
        await filled(pilot, drafts, 130)
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
        assert 0 < listing.option_count <= len(made) < 300
        await filled(pilot, listing, 300)
        assert sorted(made) == list(range(300))  # each made once, all of them in the end
        assert listing.option_count == 300
        assert listing.get_option_at_index(299).id == "299"


async def test_the_queue_makes_the_labels_of_the_rows_that_show_first(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year's curriculum: the first fill makes one label per row that can show, the rest come
    after that frame (each made once), in the same order as an eager fill."""
    from deskwork.ui.panes import queue as queue_module

    made: list[str] = []
    label = queue_module.item_label

    def counted(item: Item, number: int | None = None) -> Text:
        made.append(item.title)
        return label(item, number)

    monkeypatch.setattr(queue_module, "item_label", counted)
    items = [
        Item(id=n, title=f"Course {n}", status=ItemStatus.ACTIVE, added=T0) for n in range(1, 181)
    ]
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        box = Container()
        await app.screen.mount(box)
        pane = queue_module.QueuePane()
        await box.mount(pane)
        made.clear()
        pane.show_items(items[:3], items[3:], 2)
        listing = pane.query_one("#queue-list", OptionList)
        shown = [i for i in range(listing.option_count) if listing.get_option_at_index(i).id]
        assert 0 < len(shown) <= len(made) <= len(shown) + 1 < 180  # one held for the next slice
        await filled(pilot, listing, 3 + 1 + 1 + 177)
        assert sorted(made) == sorted(i.title for i in items)  # each once, all in the end
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts[:3] == ["1. Course 1", "2. Course 2", "3. Course 3"]
        assert prompts[3] == "2 unfinished from earlier days: b brings them"
        assert prompts[4] == "To pick (space):" and prompts[5] == "Course 4"
        assert prompts[-1] == "Course 180" and len(prompts) == 3 + 1 + 1 + 177  # no separator row


async def test_the_rest_goes_in_slices_as_an_eager_fill_would(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measuring 300 options in one callback froze the UI right after the first frame; each
    callback takes at most `FILL_SLICE` of them (and the one held back), and the list ends as a
    fill all at once would leave it, separators included (some fall on a slice's edge)."""
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        eager, sliced = OptionList(), OptionList()
        await app.screen.mount(eager, sliced)
        first = max(FIRST_FILL_MIN, app.size.height)
        gaps = {first - 1, first + FILL_SLICE - 1, first + FILL_SLICE, 150}

        def options() -> list[Option | None]:
            made: list[Option | None] = []
            for n in range(300):
                made.append(Option(f"o{n}", id=str(n)))
                if n in gaps:
                    made.append(None)
            return made

        batches: list[int] = []
        add = sliced.add_options

        def counted(new: Any) -> OptionList:
            batches.append(len(new))
            return add(new)

        monkeypatch.setattr(sliced, "add_options", counted)
        fill_options(eager, [Option("x")])
        fill_options(eager, options())  # a second fill: all at once
        fill_options(sliced, options())
        assert 0 < sliced.option_count <= first
        await asyncio.sleep(0)
        assert sliced.option_count < 300  # the rest waits for the frame
        await filled(pilot, sliced, 300)
        assert len(batches) >= (300 - first) // FILL_SLICE
        assert max(batches[1:]) <= FILL_SLICE + 3  # a slice, what was held back and separators
        assert [(o.id, o._divider) for o in sliced.options] == [
            (o.id, o._divider) for o in eager.options
        ]
        assert sliced.virtual_size == eager.virtual_size
