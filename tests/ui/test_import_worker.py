"""The Anki import in the app: read and written on a worker thread, so while it runs the event
loop keeps going (timers fire, progress shows, keys are handled); esc cancels it and nothing is
saved. The worker is held just before its journal line is sealed (as a slow disk would hold it)
to catch it mid-import without depending on timing."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import ProgressBar, Static

from deskwork.domain.cards import CardState, ReviewLog
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import export_file
from deskwork.store import journal
from deskwork.ui.screens.card_dialogs import ProgressScreen
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def _package(tmp_path: Path, cards: int = 300, logs: int = 4) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    desk = Desk.open(Paths(source, source), clock=Clock())
    with desk.store.transaction() as tx:
        for n in range(cards):
            card = tx.put("cards", make_card(f"question {n}", back=f"answer {n}"))
            for k in range(logs):
                when = T0 - timedelta(days=10 * k + 1)
                tx.append(
                    "reviews",
                    ReviewLog(card_id=card.id, rating=3, ts=when, state=CardState.REVIEW),
                )
    path = tmp_path / "year.apkg"
    export_file(desk, path)
    desk.close()
    return path


def _hold_worker(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Worker threads wait before sealing a journal line until the returned event is set."""
    real, release = journal.encode_parts, threading.Event()

    def held(parts: list[bytes]) -> bytes:
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(30)
        return real(parts)

    monkeypatch.setattr(journal, "encode_parts", held)
    return release


async def _start_import(pilot: Any, app: Any, package: Path) -> ProgressScreen:
    app.cards.import_deck()
    await pilot.pause()
    app.screen.query_one("#transfer-path").value = str(package)
    await pilot.press("enter")
    for _ in range(100):
        if isinstance(app.screen, ProgressScreen):
            return app.screen
        await pilot.pause(0.02)
    raise AssertionError("no progress dialog")


async def _until(predicate: Any, pilot: Any, seconds: float = 30) -> None:
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


async def test_the_ui_runs_on_while_the_import_worker_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path)
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        store = app.desk.store
        ticks: list[int] = []
        app.set_interval(0.01, lambda: ticks.append(1))
        release = _hold_worker(monkeypatch)
        try:
            progress = await _start_import(pilot, app, package)
            bar = progress.query_one(ProgressBar)
            await _until(lambda: bar.total == 1500 and bar.progress == 1500, pilot)
            before = len(ticks)
            # the event loop runs on while the worker is held (waited for, not a fixed 0.3 s)
            await _until(lambda: len(ticks) > before + 5, pilot)
            assert len(store.cards) == 0, "nothing visible before it is durable"
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ProgressScreen)
        assert len(store.cards) == 300 and store.reviews.count() == 1200
        session = app.review_pane.session
        assert session is not None and session.current() is not None, "the review has them"


async def test_esc_cancels_the_import_and_nothing_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path)
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        store = app.desk.store
        journal_bytes = store._journal.size if store._journal else -1
        release = _hold_worker(monkeypatch)
        try:
            progress = await _start_import(pilot, app, package)
            await _until(lambda: progress.query_one(ProgressBar).progress == 1500, pilot)
            await pilot.press("escape")  # handled while the worker is busy
            await pilot.pause()
            assert progress.cancel_requested.is_set()
            hint = str(progress.query_one("#progress-hint", Static).render())
            assert hint == "cancelling…"
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ProgressScreen)
        assert len(store.cards) == 0 and store.reviews.count() == 0
        assert store._journal is not None and store._journal.size == journal_bytes
        shown = [(n.title, n.message) for n in app._notifications]
        # said as a cancel, not as a file that "cannot be read" under "Import refused"
        assert shown == [("", f"Import of {package.name} cancelled: nothing was saved")], shown


async def test_the_stats_months_are_counted_ahead_at_start_and_after_an_import(
    tmp_path: Path,
) -> None:
    """Once started, and again after an import that brought history, the app counts the stats'
    months on a worker: the screen then reads no month and shows the figures of every entry."""
    from deskwork.domain import answer_days
    from deskwork.services.insight import _MONTH_DAYS
    from deskwork.ui.screens.stats import StatsScreen

    package = _package(tmp_path, cards=20, logs=4)
    clock = Clock(T0 + timedelta(hours=3))
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        log = app.desk.store.reviews
        assert log in _MONTH_DAYS, "counted once the cards were loaded"
        app.cards.import_deck()
        await pilot.pause()
        app.screen.query_one("#transfer-path").value = str(package)
        await pilot.press("enter")
        await _until(lambda: len(app.desk.store.cards) == 20, pilot)
        await _until(lambda: not isinstance(app.screen, ProgressScreen), pilot)
        await app.workers.wait_for_complete()
        counted = _MONTH_DAYS[log]
        assert counted and all(counted[m][0] == log.stamp(m) for m in counted), "counted again"
        month, reads = log.month, []

        def reading(name: str, **kw: bool) -> Any:
            reads.append(name)
            return month(name, **kw)

        log.month = reading  # type: ignore[method-assign]
        await pilot.press("ctrl+d")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await _until(lambda: not screen.busy, pilot)
        assert reads == []
        log.month = month  # type: ignore[method-assign]
        days = answer_days.by_day(log.all(), app.desk.config.study.day_start_hour)
        window = answer_days.window(days, app.desk.today(), 12 * 7)
        assert screen.insight.reviews_by_day == window.answers_by_day
        assert sum(window.answers_by_day) == 80 and screen.insight.answers_30d == 60


@pytest.mark.parametrize("at_call", [1, 2])
def test_a_cancel_while_the_file_is_read_leaves_as_a_cancel(tmp_path: Path, at_call: int) -> None:
    """A progress callback that raises Cancelled while the package is read (the dialog's Esc)
    comes out as Cancelled, not as an InteropError saying the file "cannot be read"."""
    from deskwork.domain.cancel import Cancelled
    from deskwork.services.anki import read_file

    package = _package(tmp_path, cards=4001)  # the reader reports every 2,000 cards
    desk = Desk.open(Paths(tmp_path / "into", tmp_path / "into"), clock=Clock())
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == at_call:
            raise Cancelled("cancelled: nothing was saved")

    try:
        with pytest.raises(Cancelled):
            read_file(package, desk, "", progress)
    finally:
        desk.close()
    assert len(calls) == at_call


def test_the_history_is_read_in_blocks_that_each_hear_a_cancel(tmp_path: Path) -> None:
    """A year's review log is read before the cards (seconds on a loaded machine): each block of
    8,192 rows calls the progress (at 0 cards), so Esc is heard there, not only at the cards."""
    from deskwork.services.anki import read_file

    package = _package(tmp_path, cards=4001, logs=4)  # 16,004 answers: two blocks and the end
    desk = Desk.open(Paths(tmp_path / "into", tmp_path / "into"), clock=Clock())
    calls: list[tuple[int, int]] = []
    try:
        read_file(package, desk, "", lambda done, total: calls.append((done, total)))
    finally:
        desk.close()
    history_blocks = 3  # before each fetch of 8,192 rows, the last one empty
    assert calls[:history_blocks] == [(0, 4001)] * history_blocks
    assert calls[history_blocks:] == [(0, 4001), (2000, 4001), (4000, 4001), (4001, 4001)]
