"""Pilot tests of the curriculum in the TUI: picking and ordering today's queue, a unit done,
carrying over; adding a link with its metadata fetched in a worker while the timer ticks; the
curriculum table, its form and filter; the plan; arXiv search."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.timer import Status
from deskwork.services import queue as qs
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.arxiv_search import ArxivSearchScreen
from deskwork.ui.screens.curriculum import CurriculumScreen
from deskwork.ui.screens.curriculum_dialogs import AddLinkScreen, ItemFormScreen
from deskwork.ui.screens.plan import PlanScreen
from tests.helpers import T0, Clock
from tests.netserver import hang, serve, static
from tests.ui.factory import desk_app, ticks, type_text, until

RECORDED = (
    (Path(__file__).parents[1] / "fixtures" / "arxiv").joinpath("1706.03762.xml").read_bytes()
)
SEARCH = (Path(__file__).parents[1] / "fixtures" / "arxiv").joinpath("search.xml").read_bytes()
ATOM = "application/atom+xml; charset=utf-8"


def three(tmp_path: Path, clock: Clock, config: str = "") -> DeskworkApp:
    items = [
        Item(
            title="CS231n",
            status=ItemStatus.ACTIVE,
            priority=2,
            units_total=2,
            unit_name="lectures",
            track="Deep learning",
            added=T0,
        ),
        Item(title="MIT 18.06", status=ItemStatus.ACTIVE, priority=1, track="Math", added=T0),
        Item(
            title="Deep Learning book", status=ItemStatus.PLANNED, track="Deep learning", added=T0
        ),
    ]
    return desk_app(tmp_path, clock, config, items)


def queue_ids(app: DeskworkApp) -> list[int]:
    return [i.id for i in qs.today_queue(app.desk)]


def item_of(app: DeskworkApp, item_id: int) -> Item:
    item = app.desk.store.items.get(item_id)
    assert item is not None
    return item


def highlighted(app: DeskworkApp) -> int | None:
    return app.queue_pane.highlighted_id()


async def wait_until(pilot: Any, predicate: Any) -> None:
    """Until `predicate()` holds: factory.until's 60 s bound on a wait that never ends (10 s of
    pauses ran out on a loaded machine before a worker's result came)."""
    await until(pilot, predicate, "the condition")


async def test_pick_reorder_unit_done_and_carry_with_keys(tmp_path: Path, clock: Clock) -> None:
    app = three(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        assert highlighted(app) == 1, "the first candidate is highlighted"
        await pilot.press("space")  # pick CS231n
        await pilot.press("down", "down", "down", "down")
        mit = highlighted(app)
        await pilot.press("space")  # pick MIT 18.06
        assert queue_ids(app) == [1, mit] == [1, 2]
        listing = app.query_one("#queue-list", OptionList)
        assert str(listing.get_option_at_index(0).prompt).startswith("1. CS231n")
        assert highlighted(app) == 2, "the picked item stays highlighted"
        await pilot.press("K")  # move up
        assert queue_ids(app) == [2, 1]
        await pilot.press("J")
        assert queue_ids(app) == [1, 2]
        await pilot.press("ctrl+up")
        assert queue_ids(app) == [2, 1]
        # Browsing and reordering never move the timer; a focus starts on the highlighted item.
        assert app.timer.service.state.item_id is None
        await pilot.press("f6")
        assert app.timer.service.state.item_id == 2
        await pilot.press("down")
        await pilot.press("u")
        cs = item_of(app, 1)
        assert (cs.units_done, cs.status) == (1, ItemStatus.ACTIVE)
        await pilot.press("u")
        assert item_of(app, 1).status is ItemStatus.DONE
        await pilot.press("up")
        await pilot.press("t")  # MIT 18.06 to tomorrow
        assert queue_ids(app) == [1]
        clock.advance(days=1)
        app.refresh_panes()
        await pilot.pause()
        assert queue_ids(app) == [2]
        await pilot.press("space")  # take it off today: the app never loses it
        assert queue_ids(app) == [] and app.desk.store.items.get(2) is not None


async def test_leftovers_are_brought_back_with_b(tmp_path: Path, clock: Clock) -> None:
    app = three(tmp_path, clock)
    qs.toggle_today(app.desk, 2)
    clock.advance(days=1)
    async with app.run_test(size=(120, 40)) as pilot:
        text = "\n".join(str(o.prompt) for o in app.query_one("#queue-list", OptionList)._options)
        assert "1 unfinished from earlier days: b brings them" in text
        await pilot.press("f3", "b")
        assert queue_ids(app) == [2]


async def test_add_link_fetches_in_a_worker_while_the_timer_ticks(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve({"/api": static(RECORDED, ATOM), "/hang": hang}) as server:
        monkeypatch.setenv("DESKWORK_ARXIV_API", server.url("/hang"))
        app = three(tmp_path, clock, "[sources]\ntotal_timeout_seconds = 1.5\n")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("space")  # start the timer
            assert app.timer.service.state.status is Status.RUNNING
            await pilot.press("ctrl+n")
            assert isinstance(app.screen, AddLinkScreen)
            await pilot.press(*"arXiv:1706.03762", "enter")
            await pilot.pause()
            [item] = [i for i in app.desk.store.items.values() if i.arxiv_id]
            assert item.metadata_pending, "saved at once, before any answer"
            # The server never answers; the UI still responds and the timer still ticks.
            clock.advance(seconds=30)
            await ticks(pilot)
            assert "24:30" in str(app.query_one("#timer-digits").value)
            await pilot.press("space")
            assert app.timer.service.state.status is Status.PAUSED
            await wait_until(pilot, lambda: item_of(app, item.id).metadata_error != "")
            failed = item_of(app, item.id)
            assert failed.metadata_pending and "no answer within 1.5 s" in failed.metadata_error
            label = str(app.query_one("#queue-list", OptionList).get_option(str(item.id)).prompt)
            assert "arXiv:1706.03762 ⟳ metadata pending" in label

            # Back online: R in the queue retries.
            app.curriculum.links.arxiv.api_url = server.url("/api")
            await pilot.press("f3", "R")
            await wait_until(pilot, lambda: not item_of(app, item.id).metadata_pending)
            assert item_of(app, item.id).title == "Attention Is All You Need"


async def test_add_link_refuses_what_is_not_a_link(tmp_path: Path, clock: Clock) -> None:
    app = three(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "a", *"hello", "enter")
        await pilot.pause()
        assert len(app.desk.store.items) == 3
        assert any("is not a link or an arXiv id" in str(n.message) for n in app._notifications)


async def test_curriculum_table_filter_sort_form_and_delete(tmp_path: Path, clock: Clock) -> None:
    app = three(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, CurriculumScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        await pilot.press("slash", *"track:deep", "enter")
        assert table.row_count == 2
        await pilot.press("s")  # priority -> title
        assert screen.sort_key == "title"
        assert [str(table.get_row_at(n)[1]) for n in range(2)] == ["CS231n", "Deep Learning book"]
        await pilot.press("S")
        assert str(table.get_row_at(0)[1]) == "Deep Learning book"
        assert screen.selected_id() == 1, "the same record stays selected"
        await pilot.press("up", "space")  # pick for today from the table
        assert queue_ids(app) == [3]
        assert str(table.get_row_at(0)[0]) == "✓"

        # A new item through the form; a bad number is named and nothing is saved.
        await pilot.press("n")
        assert isinstance(app.screen, ItemFormScreen)
        await pilot.press("ctrl+s")  # empty: one sentence naming the field, not a pydantic dump
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error == "Not saved: Title is required."
        await pilot.press(*"Statistical Rethinking")
        app.screen.query_one("#f-track", Input).value = "Deep learning"
        app.screen.query_one("#f-effort_points", Input).value = "lots"
        await pilot.press("ctrl+s")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error == "Not saved: Effort (points) must be a number (got 'lots')."
        assert len(app.desk.store.items) == 3
        app.screen.query_one("#f-effort_points", Input).value = "0.5"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CurriculumScreen)
        [new] = [i for i in app.desk.store.items.values() if i.title == "Statistical Rethinking"]
        assert new.effort_points == 0.5 and table.row_count == 3

        # Edit keeps what it does not show.
        screen.select(new.id)
        await pilot.press("e")
        app.screen.query_one("#f-units_total", Input).value = "20"
        await pilot.press("ctrl+s")
        assert item_of(app, new.id).units_total == 20
        assert item_of(app, new.id).added == new.added

        await pilot.press("d", "y")
        assert app.desk.store.items.get(new.id) is None and table.row_count == 2
        await pilot.press("escape")
        assert not isinstance(app.screen, CurriculumScreen)


async def test_plan_screen_shows_seed_004_overcommitment(tmp_path: Path, clock: Clock) -> None:
    from deskwork.services.curriculum import import_file

    app = desk_app(tmp_path, clock, "[plan]\nweeks = 12\nhours_per_day = 8\ndays_per_week = 5\n")
    import_file(app.desk, Path(__file__).parents[1] / "fixtures" / "seed004_plan.csv")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+y")
        assert isinstance(app.screen, PlanScreen)
        headline = str(app.screen.query_one("#plan-headline", Static).render())
        assert "7.40 points planned against 4.00 of capacity: 1.85× over" in headline
        assert "Cost: 367.00 USD" in headline
        weeks = app.screen.query_one("#plan-weeks", Input)
        weeks.value = "24"
        await pilot.pause()
        headline = str(app.screen.query_one("#plan-headline", Static).render())
        assert "0.93× (fits)" in headline
        assert app.screen.query_one("#plan-items", DataTable).row_count == 13
        # An invalid what-if is marked and explained; the plan keeps the configured value.
        for bad, why in (("0", "Weeks must be more than 0"), ("9999", "at most 520")):
            weeks.value = bad
            await pilot.pause()
            problem = str(app.screen.query_one("#plan-whatif-problem", Static).render())
            assert why in problem and "the plan uses 12 from the config" in problem
            assert weeks.has_class("-invalid")
            headline = str(app.screen.query_one("#plan-headline", Static).render())
            assert "1.85× over" in headline
        weeks.value = "24"
        await pilot.pause()
        assert not weeks.has_class("-invalid")
        assert str(app.screen.query_one("#plan-whatif-problem", Static).render()) == ""


async def test_the_plan_table_shows_projected_finish_whole_at_120_columns(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("items", Item(title="A very long course title " * 6, added=T0))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+y")
        await pilot.pause()
        table = app.screen.query_one("#plan-items", DataTable)
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths <= 120, widths
        assert table.virtual_size.width <= table.size.width, "no horizontal scrolling needed"


async def test_arxiv_search_adds_a_result(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve({"/api": static(SEARCH, ATOM)}) as server:
        monkeypatch.setenv("DESKWORK_ARXIV_API", server.url("/api"))
        app = three(tmp_path, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+f")
            assert isinstance(app.screen, ArxivSearchScreen)
            await pilot.press(*"diffusion", "enter")
            results = app.screen.query_one("#ax-results", OptionList)
            await wait_until(pilot, lambda: results.option_count == 2)
            assert "search_query=all%3Adiffusion" in server.requests[-1]
            assert "sortBy=submittedDate" in server.requests[-1]
            await pilot.press("enter")
            [paper] = [i for i in app.desk.store.items.values() if i.arxiv_id]
            assert paper.title == "[Re] Reproducing Diffusion [b]Models[/b]"
            assert not paper.metadata_pending and paper.authors == "Ada Lovelace"
            assert len(server.requests) == 1, "a search result needs no second fetch"


async def test_watch_list_runs_at_most_daily(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.now = T0.replace(year=2026, month=11, day=21)
    with serve({"/api": static(SEARCH, ATOM)}) as server:
        monkeypatch.setenv("DESKWORK_ARXIV_API", server.url("/api"))
        app = three(tmp_path, clock, '[sources]\nwatch = ["cat:cs.LG"]\n')
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+f", "ctrl+w")
            results = app.screen.query_one("#ax-results", OptionList)
            await wait_until(pilot, lambda: results.option_count == 1)  # only the new paper
            assert "search_query=cat%3Acs.LG" in server.requests[-1]
            await pilot.press("escape", "ctrl+f", "ctrl+w")
            await pilot.pause()
            results = app.screen.query_one("#ax-results", OptionList)
            assert results.option_count == 1 and len(server.requests) == 1, "no second check today"
            await asyncio.sleep(0)


async def test_curriculum_import_and_export_from_the_table(tmp_path: Path, clock: Clock) -> None:
    from tests.interop.test_curriculum_formats import SEED004_TABLE

    plan = tmp_path / "plan.md"
    plan.write_text(SEED004_TABLE)
    bad = tmp_path / "bad.csv"
    bad.write_text("title,effort_points\nok,1\nbad,-2\n")
    app = three(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7", "i")
        await type_text(pilot, str(bad))
        await pilot.press("enter")
        assert len(app.desk.store.items) == 3, "all or nothing"
        assert any("line 3, column 'effort_points'" in str(n.message) for n in app._notifications)
        await pilot.press("i")
        await type_text(pilot, str(plan))
        await pilot.press("enter")
        assert len(app.desk.store.items) == 8
        said = str(list(app._notifications)[-1].message)
        assert "Added 5 items" in said and "line 11: not imported: a Total row" in said
        table = app.screen.query_one(DataTable)
        assert table.row_count == 8
        out = tmp_path / "all.bib"
        await pilot.press("x")
        await type_text(pilot, str(tmp_path / "all.csv"))
        await pilot.press("enter")
        await pilot.press("x")
        await type_text(pilot, str(out))
        await pilot.press("enter")
        assert (tmp_path / "all.csv").read_text().count("\n") == 9  # the header and 8 items
        assert out.read_text() == "", "no papers among these items: an empty bibliography"


@pytest.mark.parametrize("screen_class", ["curriculum", "browser"])
async def test_a_key_while_a_table_screen_composes_is_asked_about_safely(
    tmp_path: Path, clock: Clock, screen_class: str
) -> None:
    """Textual asks `check_action` of a pushed screen before its children exist (a key pressed
    while it opens, on a loaded machine): the search input is not there yet, nobody is typing,
    and the answer is not a NoMatches that ends the app."""
    from deskwork.ui.screens.card_browser import CardBrowserScreen

    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)):
        screen = CurriculumScreen() if screen_class == "curriculum" else CardBrowserScreen()
        assert not screen.query("Input")  # not composed: the moment the crash came
        assert screen.check_action("copy_text", ()) is True
        assert screen.check_action("close", ()) is True
