"""Full garbage collections at idle moments (ui/idle_collector.py): none while keys arrive, one at
the first pause once enough happened, cyclic garbage freed by it, the collector's thresholds raised
while the app runs and given back when it ends. No timings (benchmarks/stall.py has them)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from deskwork.store import collector
from deskwork.ui.idle_collector import (
    BUSY_LIMIT,
    IDLE_AFTER_COLLECTIONS,
    IDLE_AFTER_S,
    IdleCollector,
)
from tests.helpers import Clock
from tests.ui.test_shell import make_app


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _young_collections(n: int) -> None:
    for _ in range(n):
        gc.collect(1)  # each one counts toward the next full collection, as the collector's own


def test_a_full_collection_waits_for_a_pause_and_frees_cycles() -> None:
    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    saved = gc.get_threshold()
    idle.start()
    try:
        assert gc.get_threshold() == (saved[0], saved[1], BUSY_LIMIT)
        gc.collect()
        node = _Node()
        ref = weakref.ref(node)
        _young_collections(2)  # alive through two young collections: in the oldest generation
        del node  # garbage now, in a cycle: only a full collection frees it
        _young_collections(IDLE_AFTER_COLLECTIONS)
        assert ref() is not None
        idle.input()
        ticks.now += IDLE_AFTER_S / 2
        assert not idle.tick() and ref() is not None  # a key came just now: not idle
        ticks.now += IDLE_AFTER_S
        assert idle.tick() and idle.collections == 1
        assert ref() is None  # the cycle was collected
        assert gc.get_count()[2] == 0
        ticks.now += 10 * IDLE_AFTER_S
        assert not idle.tick()  # nothing happened since: no collection for nothing
        _young_collections(IDLE_AFTER_COLLECTIONS)
        gc.disable()  # an import holds the collector off: the idle moment leaves it so
        try:
            assert not idle.tick()
        finally:
            gc.enable()
        assert idle.tick() and idle.collections == 2
    finally:
        idle.stop()
    assert gc.get_threshold() == saved and not idle.running


class _Node:
    def __init__(self) -> None:
        self.me = self


async def test_the_app_collects_at_idle_and_gives_the_thresholds_back(
    tmp_path: Path, clock: Clock
) -> None:
    saved = gc.get_threshold()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # the warm-up: the collector is armed
        await pilot.pause()
        assert collector.armed()
        assert app.idle_collector.running and gc.get_threshold()[2] == BUSY_LIMIT
        before = app.idle_collector.last_input
        await pilot.press("f5")
        assert app.idle_collector.last_input > before  # keys are input
        app.idle_collector.last_input -= 2 * IDLE_AFTER_S  # as if nobody typed since
        _young_collections(IDLE_AFTER_COLLECTIONS)
        await pilot.pause(0.6)  # two ticks of the app's ticker
        assert app.idle_collector.collections >= 1
    assert gc.get_threshold() == saved and not app.idle_collector.running
