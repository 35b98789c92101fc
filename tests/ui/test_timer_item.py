"""The timer's item is explicit: a focus starts on the item selected in today's queue; after that
only `f` in the queue or `o` in the timer area changes it (recorded from that moment); browsing the
queue never does; the item survives a restart and is shown in the timer area."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import OptionList, Static

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.sessions import SessionKind
from deskwork.domain.timer import Status
from deskwork.services import Desk
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.draft_dialogs import ConfirmScreen
from deskwork.ui.screens.timer_dialogs import TimerItemScreen
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app, palette_offers, ticks

TODAY = date(2026, 11, 20)


def items() -> list[Item]:
    picked = [
        Item(title=f"Today {n}", status=ItemStatus.ACTIVE, added=T0, queued_on=TODAY, queue_rank=n)
        for n in range(3)
    ]
    others = [Item(title=f"Later {n:02d}", status=ItemStatus.PLANNED, added=T0) for n in range(25)]
    return picked + others


def make(tmp_path: Path, clock: Clock, config: str = "") -> DeskworkApp:
    return desk_app(tmp_path, clock, config, items())


def title_of(app: DeskworkApp, item_id: int | None) -> str | None:
    item = app.desk.store.items.get(item_id) if item_id is not None else None
    return item.title if item is not None else None


def timer_title(app: DeskworkApp) -> str | None:
    return title_of(app, app.timer.service.state.item_id)


def timer_line(app: DeskworkApp) -> str:
    return str(app.query_one("#timer-head", Static).render())


async def test_a_focus_starts_on_the_selected_item_and_browsing_never_moves_it(
    tmp_path: Path, clock: Clock
) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "down")  # cursor on "Today 1"
        await pilot.press("f6")  # a focus starts on the selected item
        assert timer_title(app) == "Today 1"
        clock.advance(minutes=5)
        await pilot.press("f3", "end", "up", "home", "pagedown", "pageup", "down", "down", "end")
        await pilot.pause()
        assert timer_title(app) == "Today 1", "browsing must not re-attribute the focus"
        clock.advance(minutes=20)
        await ticks(pilot)
        [focus] = [s for s in app.desk.store.sessions.all() if s.kind is SessionKind.FOCUS]
        assert focus.completed and not focus.item_changes
        assert {title_of(app, i): s for i, s in focus.seconds_by_item().items()} == {
            "Today 1": 1500
        }


async def test_f_in_the_queue_puts_the_timer_on_the_item_from_now_on(
    tmp_path: Path, clock: Clock
) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "f6")
        assert timer_title(app) == "Today 0"
        clock.advance(minutes=10)
        await pilot.press("f3", "down", "down")
        assert timer_title(app) == "Today 0"
        await pilot.press("f")
        assert timer_title(app) == "Today 2"
        assert any("Timer on “Today 2” from" in n.message for n in app._notifications)
        await pilot.pause()
        assert "Timer on: Today 2  (since 09:40;" in timer_line(app)
        clock.advance(minutes=15)
        await ticks(pilot)
        [focus] = [s for s in app.desk.store.sessions.all() if s.kind is SessionKind.FOCUS]
        [change] = focus.item_changes
        assert change.at == T0.replace(minute=40), "recorded at the moment of the command"
        split = {title_of(app, i): s for i, s in focus.seconds_by_item().items()}
        assert split == {"Today 0": 600, "Today 2": 900}


async def test_o_in_the_timer_area_chooses_the_item_from_a_list(
    tmp_path: Path, clock: Clock
) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", "o")
        assert isinstance(app.screen, TimerItemScreen)
        listing = app.screen.query_one(OptionList)
        ids = [listing.get_option_at_index(n).id for n in range(listing.option_count)]
        # every candidate is offered, not only the first dozen
        assert len([i for i in ids if i not in (None, "none")]) == 28
        listing.highlighted = ids.index(str(app.desk.store.items.all()[-1].id))
        await pilot.press("enter")
        await pilot.pause()
        assert timer_title(app) == "Later 24"
        assert "Timer on: Later 24" in timer_line(app)
        await pilot.press("o")
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index("none")
        await pilot.press("enter")
        await pilot.pause()
        assert app.timer.service.state.item_id is None
        assert "Timer on: no item" in timer_line(app)


async def test_the_item_survives_a_restart_and_the_cursor_follows_it(
    tmp_path: Path, clock: Clock
) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "down", "down", "f")
        await pilot.press("q")
    again = DeskworkApp(Desk.open(app.desk.paths, clock=clock), show_clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert timer_title(again) == "Today 2"
        assert "Timer on: Today 2" in timer_line(again)
        await pilot.press("f3")  # choosing the queue shows the timer's item, and moves nothing
        await pilot.press("space")  # (and picking another item for today does not either)
        assert timer_title(again) == "Today 2"
        await pilot.press("q")


CURSOR_KEYS = ["up", "down", "home", "end", "pageup", "pagedown"]
TIMER_KEYS = ["f6", "advance", "f", "skip"]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(CURSOR_KEYS + TIMER_KEYS), min_size=1, max_size=25))
async def test_no_cursor_movement_changes_any_sessions_item(steps: list[str]) -> None:
    """Property: whatever the mix of cursor moves and timer events, only `f` (and a focus that
    starts) changes the timer's item; a cursor move changes neither the timer nor any session."""
    clock = Clock()
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        app = make(Path(tmp), clock, "[timer]\nauto_start_focus = true\n")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f3")
            for step in steps:
                before_item = app.timer.service.state.item_id
                before_sessions = [
                    (s.item_id, s.item_changes) for s in app.desk.store.sessions.all()
                ]
                before_changes = list(app.timer.service.state.item_changes)
                if step == "advance":
                    clock.advance(minutes=7)
                    app.timer.tick()  # what the app's ticker does (the ticks' wiring: above)
                    await pilot.pause()
                    continue
                if step == "skip":
                    app.timer.run("skip")
                    await pilot.pause()
                    continue
                await pilot.press(step)
                await pilot.pause()
                if step in CURSOR_KEYS:
                    assert app.timer.service.state.item_id == before_item
                    assert list(app.timer.service.state.item_changes) == before_changes
                    after = [(s.item_id, s.item_changes) for s in app.desk.store.sessions.all()]
                    assert after == before_sessions
                elif step == "f":
                    assert app.timer.service.state.item_id == app.queue_cursor_item()
            # every recorded change of item is one that `f` (or a focus start) made
            for session in app.desk.store.sessions.all():
                for change in session.item_changes:
                    assert change.to_item is not None
            await pilot.press("q")


async def test_r_asks_before_throwing_away_a_focus(tmp_path: Path, clock: Clock) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        clock.advance(minutes=12)
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.timer.service.state.status is Status.RUNNING, "No keeps the focus"
        assert not app.desk.store.sessions.all()
        await pilot.press("r")
        assert "12 minutes so far" in str(app.screen.query_one(Static).render())
        await pilot.press("y")
        await pilot.pause()
        assert app.timer.service.state.status is Status.IDLE
        [gone] = app.desk.store.sessions.all()
        assert gone.note == "reset"
        await pilot.press("r")  # nothing under way: no question
        assert not isinstance(app.screen, ConfirmScreen)


async def test_interruptions_are_shown_in_the_timer_area(tmp_path: Path, clock: Clock) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        app.timer.interrupt("internal", "")
        app.timer.interrupt("external", "door")
        await pilot.pause()
        phase = str(app.query_one("#timer-head", Static).render())
        assert "2 interruptions (1 internal, 1 external)" in phase
        app.timer.interrupt("internal", "")
        await pilot.pause()
        assert "3 interruptions (2 internal, 1 external)" in str(
            app.query_one("#timer-head", Static).render()
        )


async def test_s_on_a_focus_not_started_does_not_hand_out_a_break(
    tmp_path: Path, clock: Clock
) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        state = app.timer.service.state
        assert (state.phase, state.status) == (SessionKind.FOCUS, Status.IDLE)
        assert any("has not started" in n.message for n in app._notifications)
        assert not app.desk.store.sessions.all()


async def test_a_phase_not_started_uses_the_durations_in_the_config(
    tmp_path: Path, clock: Clock
) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")  # a 25-minute idle focus is saved
    (app.desk.paths.config_file).write_text("[timer]\nfocus_minutes = 1\n")
    again = DeskworkApp(Desk.open(app.desk.paths, clock=clock), show_clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.query_one("#timer-digits").value == "01:00"  # type: ignore[attr-defined]
        await pilot.press("space")
        clock.advance(minutes=1)
        await ticks(pilot)
        [focus] = again.desk.store.sessions.all()
        assert focus.planned_s == 60 and focus.completed


async def test_the_timer_digits_grow_on_a_big_terminal(tmp_path: Path, clock: Clock) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        big = app.query_one("#timer-big", Static)
        assert big.display and big.size.height >= 10
        assert not app.query_one("#timer-digits").display
    small = make(tmp_path / "small", clock)
    async with small.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert small.query_one("#timer-digits").display
        assert not small.query("#timer-big")  # made only when there is room for it
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        big = small.query_one("#timer-big", Static)
        assert big.display and big.size.height >= 10
        assert "█" in str(big.render()) and not small.query_one("#timer-digits").display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not big.display and small.query_one("#timer-digits").display


async def test_every_candidate_is_reachable_in_the_queue_at_80x24(
    tmp_path: Path, clock: Clock
) -> None:
    """Bug 3: "To pick" was cut at 12 items; now every candidate is listed and the list scrolls."""
    app = make(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        listing = app.query_one("#queue-list", OptionList)
        ids = {listing.get_option_at_index(n).id for n in range(listing.option_count)}
        assert {str(i.id) for i in app.desk.store.items.values()} <= ids  # all 28
        await pilot.press("end")
        await pilot.pause()
        assert title_of(app, app.queue_cursor_item()) == "Later 24"
        assert listing.scroll_y > 0, "the list scrolled to show it"


async def test_a_focus_that_ends_leaves_the_queue_cursor_where_the_user_put_it(
    tmp_path: Path, clock: Clock
) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "f6")  # a focus on "Today 0"
        await pilot.press("end")  # browsing meanwhile
        browsing = app.queue_cursor_item()
        assert title_of(app, browsing) == "Later 24"
        clock.advance(minutes=25)
        await ticks(pilot)
        assert app.desk.store.sessions.all(), "the focus ended and the desk refreshed"
        assert app.queue_cursor_item() == browsing, "the cursor did not jump back"
        assert timer_title(app) == "Today 0"


async def test_the_palette_puts_the_timer_on_the_queue_item(tmp_path: Path, clock: Clock) -> None:
    app = make(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "down", "f2")  # cursor on "Today 1", keys in the timer area
        await pilot.press("ctrl+p")
        await pilot.press(*"Timer here")
        await palette_offers(pilot, "Timer here")
        await pilot.press("enter")
        await pilot.pause()
        assert timer_title(app) == "Today 1"


async def test_deleting_the_timers_item_takes_the_timer_off_it(
    tmp_path: Path, clock: Clock
) -> None:
    """The tester's keys: a focus on an item, F7, the item, `d`, `y`. The confirmation says the
    timer is on it; afterwards the timer is on no item (the minutes so far stay with the item), a
    restart keeps it so, and the next focus starts on the queue's selection, never the deleted
    item."""
    from deskwork.ui.screens.curriculum import CurriculumScreen

    app = make(tmp_path, clock, "[timer]\nauto_start_breaks = false\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "down", "f6")  # a focus on "Today 1"
        deleted = app.timer.service.state.item_id
        assert deleted is not None and timer_title(app) == "Today 1"
        clock.advance(minutes=10)
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, CurriculumScreen)
        screen.select(deleted)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "The timer is on it" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert app.desk.store.items.get(deleted) is None
        assert app.timer.service.state.item_id is None
        assert app.timer.service.state.status is Status.RUNNING
        await pilot.press("escape")
        await pilot.pause()
        assert "Timer on: no item" in timer_line(app)
        assert "deleted" not in timer_line(app)
        clock.advance(minutes=15)
        await ticks(pilot)
        [focus] = [s for s in app.desk.store.sessions.all() if s.kind is SessionKind.FOCUS]
        assert focus.completed and focus.seconds_by_item() == {deleted: 600, None: 900}
        await pilot.press("q")
    again = DeskworkApp(Desk.open(app.desk.paths, clock=clock), show_clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.timer.service.state.item_id is None
        assert "Timer on: no item" in timer_line(again)
        await pilot.press("f2", "s")  # skip the break: the next phase is a focus
        await pilot.press("f3", "f6")  # a new focus takes the queue's selection
        await pilot.pause()
        state = again.timer.service.state
        assert state.phase is SessionKind.FOCUS and state.status is Status.RUNNING
        assert state.item_id != deleted
        assert state.item_id is None or again.desk.store.items.get(state.item_id) is not None
        await pilot.press("q")
