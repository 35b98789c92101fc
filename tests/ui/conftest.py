"""Pilot keys wait for the saves they start (a grade, an autosave: store/committer.py), as the
learner waits for the next card: a test that asserts right after `pilot.press("3")` sees the
next card on any disk. A test that sets `journal.SLOW_DISK_S` to look at the save under way
(tests/ui/test_saving_off_loop.py) gets the bare Pilot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from deskwork.store import journal


async def _saves_done(app: Any, limit_s: float = 10.0) -> bool:
    """Until no save is under way; whether there was one (waited for)."""
    desk = getattr(app, "desk", None)
    store = getattr(desk, "store", None)
    deadline = time.monotonic() + limit_s
    waited = False
    while time.monotonic() < deadline:
        committer = getattr(store, "committer", None)
        if not (committer is not None and committer.pending) and not _grade_saving(app):
            return waited
        waited = True
        await asyncio.sleep(0.002)
    return waited


def _grade_saving(app: Any) -> bool:
    """A grade, or a card dialog's save, still on its way (their worker has not finished)."""
    try:
        if getattr(app.screen, "_saving", None) is not None:
            return True
        return bool(app.review_pane.saving)
    except Exception:  # not the desk app, or its desk not mounted (yet, or any more)
        return False


@pytest.fixture(autouse=True)
def _press_waits_for_saves(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    press = Pilot.press

    async def pressed(self: Pilot[Any], *keys: str) -> None:
        await press(self, *keys)
        if not journal.SLOW_DISK_S and await _saves_done(self.app):
            await self.app._animator.wait_until_complete()  # then what it shows, as press does
            await self.pause()

    monkeypatch.setattr(Pilot, "press", pressed)
    yield
