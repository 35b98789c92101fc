"""The study day turning while the desk starts (ui/warm_up.py, panes/review_session.py): the
start-up's review queue, built on the warm-up's worker before the start hour, reaches the desk
after it. It holds yesterday's limits and burials: today's is built on a worker (yesterday's
answering meanwhile, or the pane saying today's is being built), never on the event loop, and
the desk ends with today's queue."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from deskwork.domain.cards import CardState, ReviewLog
from deskwork.services import Desk
from deskwork.services.cards import ReviewSession
from deskwork.ui.app import DeskworkApp
from deskwork.ui.panes.review_session import SessionPane
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready, record_session_builds, settled, until
from tests.ui.test_day_turn import FRIDAY_EVENING
from tests.ui.test_review_pane import text_of

SATURDAY = date(2026, 11, 21)


def friday_app(tmp_path: Path, clock: Clock) -> DeskworkApp:
    """Six new cards, two new a day, two of them learnt on Friday (so Friday's queue has no new
    card left: Saturday's has two), opened afresh at 03:50 on Saturday, Friday's study day (the
    day starts at 04:00): the cards load on the warm-up's worker."""
    first = desk_app(tmp_path, clock, "[cards]\nfuzz = false\nnew_per_day = 2\n")
    now = clock.now
    with first.desk.store.transaction() as tx:
        for i in range(6):
            card = make_card(f"q{i}", back=f"a{i}", when=T0 + timedelta(seconds=i))
            if i < 2:  # learnt on Friday
                card = card.model_copy(
                    update={"last_review": now, "due": now + timedelta(days=3), "reps": 1,
                            "stability": 3.0, "difficulty": 5.0, "state": CardState.REVIEW}
                )  # fmt: skip
            card = tx.put("cards", card)
            if i < 2:
                tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=now, was_new=True))
    paths = first.desk.paths
    first.desk.close()
    desk = Desk.open(paths, clock=clock)
    assert not desk.store.cards.loaded
    return DeskworkApp(desk, show_clock=False)


def hold_the_warm_up(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """The warm-up's session is built (on Friday), then held until `release` is set."""
    real_next = SessionPane.next_session
    release, held = threading.Event(), threading.Event()

    def holding(self: SessionPane) -> ReviewSession:
        session = real_next(self)
        if threading.current_thread() is not threading.main_thread() and not held.is_set():
            held.set()
            assert release.wait(60), "the test never let the warm-up go on"
        return session

    monkeypatch.setattr(SessionPane, "next_session", holding)
    return release, held


async def test_the_day_turning_while_the_start_ups_queue_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The turn comes (the desk's tick) while the warm-up holds Friday's queue: the pane says
    today's is being built (it built one on the event loop); Friday's, when it comes, answers
    while Saturday's is built on a worker (it was built again on the event loop)."""
    clock = Clock(FRIDAY_EVENING)
    app = friday_app(tmp_path, clock)
    built_on = record_session_builds(monkeypatch)
    release, held = hold_the_warm_up(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, held.is_set, "the warm-up's queue built (on Friday)")
        assert app._ticker is not None
        app._ticker.pause()  # the ticks are made here, after the move of the clock
        clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)  # Saturday's study day began
        app._tick()
        await pilot.pause()
        assert app.day_turn.turns == 1
        pane = app.review_pane
        assert pane.session is None
        assert "Building today's queue" in text_of(app, "#review-question")
        release.set()
        await ready(pilot)
        await settled(pilot)
        await pilot.pause()
        assert pane.session is not None and pane.session.day == SATURDAY
        assert pane.session.remaining()[0] == 2, "Saturday's two new cards"
        assert "2 new" in text_of(app, "#review-status")
        main = threading.main_thread().name
        assert len(built_on) == 2 and main not in built_on, (
            "Friday's and Saturday's queues (every card read) built off the event loop, once each"
        )


async def test_the_start_ups_queue_arriving_after_the_start_hour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clock passes the start hour while the warm-up builds Friday's queue, before any tick:
    the queue handed to the desk is Friday's (none of its two new cards left), Saturday's is
    built on a worker, and the desk's tick then sees the turn (built on a worker again)."""
    clock = Clock(FRIDAY_EVENING)
    app = friday_app(tmp_path, clock)
    built_on = record_session_builds(monkeypatch)
    release, held = hold_the_warm_up(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, held.is_set, "the warm-up's queue built (on Friday)")
        assert app._ticker is not None
        app._ticker.pause()
        clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)
        release.set()
        await ready(pilot)
        await settled(pilot)
        pane = app.review_pane
        assert pane.session is not None and pane.session.day == SATURDAY
        assert pane.session.remaining()[0] == 2
        assert threading.main_thread().name not in built_on
        assert len(built_on) == 2, "Friday's (the warm-up's), then Saturday's"
        app._tick()
        await settled(pilot)
        await pilot.pause()
        assert app.day_turn.turns == 1
        assert pane.session.day == SATURDAY and pane.session.remaining()[0] == 2
        assert "2 new" in text_of(app, "#review-status")
        assert len(built_on) == 2, "the turn had Saturday's queue in hand: no third build"


async def test_a_failed_build_at_the_turn_is_built_again_on_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The turn's worker could not build the new day's queue: the refresh that follows builds it
    on a worker too (it did on the event loop), Friday's answering meanwhile."""
    clock = Clock(FRIDAY_EVENING)
    app = friday_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app._ticker is not None
        app._ticker.pause()
        pane = app.review_pane
        assert pane.session is not None and pane.session.remaining()[0] == 0
        built_on = record_session_builds(monkeypatch)

        def failing(self: SessionPane) -> ReviewSession:
            raise OSError("the disk went away a moment")

        monkeypatch.setattr(SessionPane, "next_session", failing)
        clock.now = FRIDAY_EVENING.replace(hour=4, minute=1)
        app._tick()
        await settled(pilot)
        await pilot.pause()
        assert app.day_turn.turns == 1
        assert pane.session.day == SATURDAY and pane.session.remaining()[0] == 2
        assert built_on and threading.main_thread().name not in built_on
