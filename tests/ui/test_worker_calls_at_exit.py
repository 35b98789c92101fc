"""A worker's call into the app made as the app ends: Textual waited for the loop's answer
without a limit, so a call handed to a loop that had stopped left the worker thread waiting for
ever, and the process's exit (which joins the workers' threads) with it."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from deskwork.ui.hangup import AppGone
from tests.helpers import Clock
from tests.ui.factory import desk_app


def test_a_call_handed_to_a_stopped_loop_ends_instead_of_waiting(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    loop = asyncio.new_event_loop()  # the app's loop, stopped: the moment after the app ended
    app._loop = loop
    app._thread_id = threading.get_ident()
    outcome: list[object] = []

    def worker() -> None:
        try:
            outcome.append(app.call_from_thread(lambda: "ran"))
        except AppGone as exc:
            outcome.append(exc)

    started = time.monotonic()
    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    thread.join(timeout=10)
    try:
        assert not thread.is_alive(), "the worker still waits for a loop that will never run it"
        assert isinstance(outcome[0], AppGone) and time.monotonic() - started < 5
        loop.close()
        with pytest.raises(AppGone):  # and once the loop is closed, at once
            app.call_from_thread(lambda: "ran")
    finally:
        if not loop.is_closed():
            loop.close()
        app.desk.close()


async def test_calls_from_workers_still_run_while_the_app_runs(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test() as pilot:
        answers: list[object] = []
        thread = threading.Thread(target=lambda: answers.append(app.call_from_thread(lambda: 42)))
        thread.start()
        for _ in range(100):
            if answers:
                break
            await pilot.pause(0.02)
        thread.join(timeout=5)
        assert answers == [42]
