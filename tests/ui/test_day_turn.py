"""The study day's turn on an open desk (ui/day_turn.py): at the start hour the desk shows the new
day as a restart would (today's line, the curriculum's today queue, the review counts and queue:
new-card limits reset, buried cards back, the end-of-day nudge gone), the review session built
on a worker."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from deskwork.domain.cards import CardState
from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.services import due_today
from deskwork.services.cards import ReviewSession
from deskwork.ui.app import DeskworkApp
from deskwork.ui.panes.review_session import SessionPane
from deskwork.ui.screens.card_browser import CardBrowserScreen
from deskwork.ui.screens.stats import StatsScreen
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import ready, record_session_builds, settled, until
from tests.ui.test_import_worker import _package, _start_import
from tests.ui.test_review_pane import review_app, text_of, typed_query

FRIDAY_EVENING = datetime(2026, 11, 21, 3, 50, tzinfo=UTC)  # TZ=UTC (conftest): Fri's study day


def timer_text(app: DeskworkApp) -> str:
    return str(app.query_one("#timer-body", Static).render())


def queue_text(app: DeskworkApp) -> list[str]:
    options = app.queue_pane.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_open_desk_moves_to_the_new_study_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(FRIDAY_EVENING)
    app = review_app(
        tmp_path, clock, cards=3, config='new_per_day = 2\n[timer]\nend_of_day = "22:00"\n'
    )
    with app.desk.store.transaction() as tx:
        tx.put(
            "items",
            Item(
                title="Friday's chapter",
                status=ItemStatus.ACTIVE,
                added=T0,
                queued_on=date(2026, 11, 20),
            ),
        )
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app._ticker is not None
        app._ticker.pause()  # the ticks are made here, after each move of the clock
        app._tick()
        await pilot.pause()
        pane = app.review_pane
        assert pane.session is not None and pane.session.remaining() == (2, 0, 0)
        await pilot.press("f4", "space", "4")  # one new card learnt (Easy: due in days)
        await pilot.press("b")  # the other one of today's two buried
        assert pane.session.remaining() == (0, 0, 0)
        assert "Today (Fri 20 Nov)" in timer_text(app)
        assert "It's past 22:00" in timer_text(app)
        assert any("Friday's chapter" in line for line in queue_text(app))
        assert not any("unfinished from earlier days" in line for line in queue_text(app))

        built_on = record_session_builds(monkeypatch)
        before = pane.session
        clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)  # Saturday's study day began
        app._tick()
        await settled(pilot)
        await pilot.pause()

        assert app.day_turn.turns == 1
        assert pane.session is not before
        # The buried card is back and the new-card limit starts again: two new cards today
        assert pane.session.remaining() == (2, 0, 0)
        assert "2 new · 0 learning · 0 to review" in text_of(app, "#review-status")
        assert built_on and all(name != threading.main_thread().name for name in built_on), (
            "the new day's queue (every card read) is built off the event loop"
        )
        assert "Today (Sat 21 Nov)" in timer_text(app)
        assert "past 22:00" not in timer_text(app), "the new day has not reached its end"
        lines = queue_text(app)
        assert any("1 unfinished from earlier days" in line for line in lines)
        assert any("Nothing picked for today yet" in line for line in lines)

        app._tick()  # the next tick: no second turn
        await pilot.pause()
        assert app.day_turn.turns == 1


async def test_an_end_of_day_after_midnight_is_not_past_in_the_evening(tmp_path: Path) -> None:
    """`end_of_day = "01:30"` with days starting at 04:00 is the next calendar date's 01:30."""
    clock = Clock(datetime(2026, 11, 20, 22, 0, tzinfo=UTC))
    app = review_app(tmp_path, clock, cards=0, config='[timer]\nend_of_day = "01:30"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not app.timer.past_end_of_day()
        clock.now = datetime(2026, 11, 21, 1, 45, tzinfo=UTC)
        assert app.timer.past_end_of_day()
        clock.now = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)  # the next study day's morning
        assert not app.timer.past_end_of_day()
        await pilot.press("q")


async def test_an_answer_being_read_stays_on_screen_across_the_turn(tmp_path: Path) -> None:
    """The card on screen with its answer shown is still the first of the new day's queue: the
    answer stays (it flipped back to the question, and the answer's time counted again)."""
    clock = Clock(FRIDAY_EVENING)
    app = review_app(tmp_path, clock, cards=6, config="new_per_day = 3\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app._ticker.pause()
        app._tick()
        await pilot.pause()
        pane = app.review_pane
        await pilot.press("f4", "space")
        card = pane.current()
        assert pane.revealed and card is not None
        clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)
        app._tick()
        await settled(pilot)
        await pilot.pause()
        assert app.day_turn.turns == 1
        now = pane.current()
        assert now is not None and now.id == card.id
        assert pane.revealed


async def test_an_answer_during_the_turns_rebuild_counts_no_cards_on_the_ui_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer while the new day's session is being built on its worker: that build is stale
    (a new one starts from the answer), and the desk's refresh that follows reads no card on the
    event loop (it counted today's due cards there: ~100 ms at the heavy year)."""
    clock = Clock(FRIDAY_EVENING)
    app = review_app(tmp_path, clock, cards=6, config="new_per_day = 3\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app._ticker.pause()
        app._tick()
        await pilot.pause()
        pane = app.review_pane
        await pilot.press("f4", "space")

        main = threading.main_thread()
        counted_on: list[str] = []
        release = threading.Event()
        real_count, real_init = due_today.due_today, ReviewSession.__init__

        def counting(*args: object, **kwargs: object) -> object:
            counted_on.append(threading.current_thread().name)
            return real_count(*args, **kwargs)  # type: ignore[arg-type]

        def held(self: ReviewSession, *args: object, **kwargs: object) -> None:
            if threading.current_thread() is not main:  # the turn's worker waits for the answer
                assert release.wait(60), "the test never let the build go on"
            real_init(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(due_today, "due_today", counting)
        monkeypatch.setattr(ReviewSession, "__init__", held)
        clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)
        app._tick()
        assert pane.building
        await pilot.press("3")  # answered while the new day's queue is being built
        release.set()
        await settled(pilot)
        await pilot.pause()
        assert app.day_turn.turns == 1
        assert main.name not in counted_on, "the desk's refresh counted every card on the UI"
        assert not pane.building
        # The new day's queue: three new cards a day, one of them the card answered at 04:01
        assert pane.session is not None and pane.session.remaining()[0] == 2


async def test_an_import_finishing_after_the_turn_brings_no_queue_of_yesterday(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's worker builds the review queue after writing the cards: built on Friday,
    handed to the desk on Saturday (after the turn), it must not replace the new day's queue
    with Friday's limits (both of Friday's two new cards learnt: none left)."""
    clock = Clock(FRIDAY_EVENING)
    app = review_app(tmp_path, clock, cards=4, config="new_per_day = 2\n")
    package = _package(tmp_path, cards=3, logs=0)
    real_next = SessionPane.next_session
    release, held_one = threading.Event(), threading.Event()

    def held(self: SessionPane) -> ReviewSession:
        session = real_next(self)
        if threading.current_thread() is not threading.main_thread() and not held_one.is_set():
            held_one.set()  # the import's (the first worker to ask): built, then held
            assert release.wait(60), "the test never let the import go on"
        return session

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app._ticker.pause()
        app._tick()
        await pilot.pause()
        pane = app.review_pane
        await pilot.press("f4", "space", "4", "space", "4")  # Friday's two new cards learnt
        assert pane.session is not None and pane.session.remaining()[0] == 0
        monkeypatch.setattr(SessionPane, "next_session", held)
        await _start_import(pilot, app, package)
        await until(pilot, held_one.is_set, "the import's queue built (on Friday)")
        clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)  # Saturday's study day began
        app._tick()
        await until(pilot, lambda: not pane.building, "the new day's queue")
        assert app.day_turn.turns == 1
        assert pane.session.remaining()[0] == 2
        release.set()
        await until(pilot, lambda: not app.cards.transfer.importing, "the import's end")
        await settled(pilot)
        assert pane.session.remaining()[0] == 2, "the import brought Friday's limits back"
        assert "2 new" in text_of(app, "#review-status")


def _due_saturday_app(tmp_path: Path, clock: Clock) -> DeskworkApp:
    """One card in review, due Saturday morning: "tomorrow" on Friday evening, "today" after the
    turn."""
    app = review_app(tmp_path, clock, cards=0)
    with app.desk.store.transaction() as tx:
        tx.put(
            "cards",
            make_card(
                "due on Saturday",
                state=CardState.REVIEW,
                stability=5.0,
                difficulty=5.0,
                last_review=FRIDAY_EVENING - timedelta(days=5),
                due=FRIDAY_EVENING.replace(hour=10),
                reps=3,
            ),
        )
    return app


async def turn_the_day(pilot: Any, clock: Clock) -> None:
    app = pilot.app
    clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)  # Saturday's study day began
    app._tick()
    await settled(pilot)
    await pilot.pause()
    assert app.day_turn.turns == 1


async def test_an_open_card_browser_counts_the_new_day(tmp_path: Path) -> None:
    clock = Clock(FRIDAY_EVENING)
    app = _due_saturday_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app._ticker.pause()
        await pilot.press("ctrl+e")
        screen = app.screen
        assert isinstance(screen, CardBrowserScreen)
        await settled(pilot)
        figures = str(screen.query_one("#cb-stats", Static).render())
        assert "0 today, 1 tomorrow" in figures
        await typed_query(pilot, screen, "is:due")
        await settled(pilot)
        assert screen.shown == []
        await turn_the_day(pilot, clock)
        assert app.screen is screen
        figures = str(screen.query_one("#cb-stats", Static).render())
        assert "1 today, 0 tomorrow" in figures, figures
        assert [c.fields[0] for c in screen.shown] == ["due on Saturday"]  # is:due: the new day


async def test_open_stats_count_the_new_day(tmp_path: Path) -> None:
    clock = Clock(FRIDAY_EVENING)
    app = _due_saturday_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app._ticker.pause()
        await pilot.press("ctrl+d")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await settled(pilot)
        assert "0 due today" in str(screen.query_one("#stats-cards", Static).render())
        await turn_the_day(pilot, clock)
        assert app.screen is screen
        assert "1 due today" in str(screen.query_one("#stats-cards", Static).render())


async def test_an_end_of_day_at_the_start_hour_is_the_days_own_end(tmp_path: Path) -> None:
    """`end_of_day = "04:00"` with days starting at 04:00: the study day's end (a full day), not
    its first minute (it was "past the end" all day long, the toast at every start)."""
    clock = Clock(datetime(2026, 11, 21, 4, 30, tzinfo=UTC))
    app = review_app(tmp_path, clock, cards=0, config='[timer]\nend_of_day = "04:00"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not app.timer.past_end_of_day()
        assert "past 04:00" not in timer_text(app)
        clock.now = datetime(2026, 11, 22, 3, 59, tzinfo=UTC)  # the study day's last minute
        assert not app.timer.past_end_of_day()
        await pilot.press("q")


def _end_of_day_toasts(app: DeskworkApp) -> int:
    return sum(n.title == "End of the study day" for n in app._notifications)


async def test_the_end_of_day_toast_comes_once_a_study_day_not_at_every_start(
    tmp_path: Path,
) -> None:
    """Started three times after the end hour on Friday: told once (the store keeps the day
    told); the line under today's figures says it every time. Saturday evening: told again."""
    config = '[timer]\nend_of_day = "22:00"\n'
    clock = Clock(FRIDAY_EVENING)
    for start, toasts in ((0, 1), (1, 0), (2, 0), (3, 1)):
        if start == 3:
            clock.now = FRIDAY_EVENING + timedelta(days=1)  # Saturday's evening
        app = review_app(tmp_path, clock, cards=0, config=config)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            app._tick()
            await pilot.pause()
            assert "It's past 22:00" in timer_text(app)
            assert _end_of_day_toasts(app) == toasts, f"start {start}"
            await pilot.press("q")


async def test_the_day_turning_while_the_count_is_put_on_screen_shows_the_new_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The study day turns while Friday's figures are being rendered ahead (`_put_on_screen`, a
    figure a loop turn): Saturday's count is shown, Friday's never over it, and the screen is no
    longer busy once Saturday's is on screen."""
    from deskwork.ui.screens import stats as stats_module

    clock = Clock(FRIDAY_EVENING)
    app = _due_saturday_app(tmp_path, clock)
    turns = 0

    async def sleep(_delay: float) -> None:
        """The loop's turn in `_put_on_screen`; at Friday's second, the day turns, and the turn
        lasts until Saturday's count is on screen (or this one is ended for it)."""
        nonlocal turns
        turns += 1
        await asyncio.sleep(0)
        if turns == 2:
            screen = app.screen
            assert isinstance(screen, StatsScreen) and screen._asked == 1
            clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)
            app._tick()
            assert screen._asked == 2
            for _ in range(2000):
                if screen._shown == 2:
                    break
                await asyncio.sleep(0.005)

    monkeypatch.setattr(stats_module, "asyncio", type("Loop", (), {"sleep": staticmethod(sleep)}))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app._ticker.pause()
        await pilot.press("ctrl+d")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await settled(pilot)
        await pilot.pause()
        assert app.day_turn.turns == 1 and turns > 2
        assert screen._shown == screen._asked == 2 and not screen.busy
        assert "1 due today" in str(screen.query_one("#stats-cards", Static).render())
