"""Once the cards are loaded, the review session is built on the warm-up worker, not on the UI
thread (it reads every card: a frozen UI right after start), and today's due counts are not
counted there (no area shows them); a session built there is dropped when the cards changed
meanwhile."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.services import Desk, due_today
from deskwork.services.cards import ReviewSession
from deskwork.ui.app import DeskworkApp
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def cards_app(tmp_path: Path, clock: Clock, cards: int = 12) -> DeskworkApp:
    """Opened afresh on a data dir with `cards`, as `deskwork` starts: the cards not loaded yet."""
    first = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with first.desk.store.transaction() as tx:
        for i in range(cards):
            tx.put("cards", make_card(f"q{i}", back=f"a{i}", when=T0 + timedelta(seconds=i)))
    paths = first.desk.paths
    first.desk.close()
    desk = Desk.open(paths, clock=clock)
    assert not desk.store.cards.loaded
    return DeskworkApp(desk, show_clock=False)


async def test_due_counts_and_session_are_built_off_the_ui_thread(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_on: list[str] = []
    counted_on: list[str] = []
    session_init = ReviewSession.__init__
    count = due_today.due_today

    def recording_init(self: ReviewSession, *args: object, **kwargs: object) -> None:
        built_on.append(threading.current_thread().name)
        session_init(self, *args, **kwargs)  # type: ignore[arg-type]

    def recording_count(*args: object, **kwargs: object) -> object:
        counted_on.append(threading.current_thread().name)
        return count(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ReviewSession, "__init__", recording_init)
    monkeypatch.setattr(due_today, "due_today", recording_count)
    app = cards_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        main = threading.main_thread().name
        assert built_on and main not in built_on  # the session: the worker's, adopted
        assert main not in counted_on  # no due counts on the UI thread (none is shown)
        assert app.review_pane.session is not None
        assert app.review_pane.session.current() is not None
        summary = app.desk.summary()
        assert summary.cards_due == 12  # shown the same as computed on the UI thread


async def test_a_session_built_before_a_change_is_not_adopted(tmp_path: Path, clock: Clock) -> None:
    app = cards_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = app.review_pane
        running = pane.session
        stale = pane.next_session()
        generation = pane.build_generation
        assert not pane.adopt(stale, generation)  # a session is running: kept
        assert pane.session is running
        pane.session = None
        pane.restart_in_background()  # the cards changed: a rebuild was asked for
        assert not pane.adopt(stale, generation)
        pane.session = None
        assert pane.adopt(stale, pane.build_generation)
        assert pane.session is stale
