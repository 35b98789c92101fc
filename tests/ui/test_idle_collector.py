"""Collections at idle moments (ui/idle_collector.py): none while keys arrive; at a pause, cyclic
garbage collected and the survivors frozen; a cycle that dies while frozen is freed by the next
sweep, so nothing is kept for ever; everything given back to the collector when the app ends. No
timings (benchmarks/stall.py has them)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskwork.store import collector
from deskwork.ui import idle_collector
from deskwork.ui.idle_collector import IDLE_AFTER_S, SWEEP_AFTER_S, IdleCollector
from tests.helpers import Clock
from tests.ui.test_shell import make_app


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class _Node:
    """An object in a reference cycle with itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def _into_the_oldest_generation() -> None:
    gc.collect(1)
    gc.collect(1)  # alive through two young collections: in the oldest generation


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_garbage_is_collected_at_a_pause_and_survivors_frozen(unfrozen: None) -> None:
    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    gc.freeze()  # as the app's warm-up does before the idle collector starts
    idle.start()
    node, kept = _Node(), _Node()
    dead = weakref.ref(node)
    _into_the_oldest_generation()
    del node  # garbage in a cycle, in the oldest generation: a young collection leaves it
    gc.collect(1)
    assert dead() is not None
    idle.input()
    ticks.now += IDLE_AFTER_S / 2
    assert not idle.tick() and dead() is not None  # a key came just now: not idle
    ticks.now += IDLE_AFTER_S
    assert idle.tick() and idle.collections == 1
    assert dead() is None  # collected at the pause
    assert gc.get_freeze_count() > 0 and not any(o is kept for o in gc.get_objects())  # frozen
    assert not idle.tick()  # nothing reached the oldest generation since: nothing to do
    _into_the_oldest_generation()
    gc.disable()  # an import holds the collector off: the idle moment leaves it so
    try:
        assert not idle.tick()
    finally:
        gc.enable()
    idle.stop()
    assert gc.get_freeze_count() == 0 and not idle.running


def test_a_cycle_that_dies_while_frozen_is_freed_by_the_next_sweep(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_collector, "SWEEP_MIN_OBJECTS", 1000)
    monkeypatch.setattr(idle_collector, "SWEEP_GROWTH", 0.0)
    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    gc.freeze()
    idle.start()
    node = _Node()
    ref = weakref.ref(node)
    _into_the_oldest_generation()
    ticks.now += 2 * IDLE_AFTER_S
    assert idle.tick()  # the node is alive: frozen with the rest
    del node
    gc.collect()
    assert ref() is not None  # frozen garbage: the collector does not see it
    assert idle.sweeps == 0
    held = [[n] for n in range(3000)]  # the frozen set grows (a screen opened, and so on)
    _into_the_oldest_generation()
    assert idle.tick()  # survivors frozen
    _into_the_oldest_generation()
    assert idle.tick() and idle.sweeps == 0  # grown past the limit, but a short pause: no sweep
    assert ref() is not None
    ticks.now += SWEEP_AFTER_S
    _into_the_oldest_generation()
    assert idle.tick() and idle.sweeps == 1  # grown past the limit, a long pause: swept
    assert ref() is None  # the frozen cycle was freed
    assert held[-1] == [2999] and gc.get_freeze_count() > 3000  # what lives is frozen again
    idle.stop()


async def test_the_app_collects_at_idle_and_gives_everything_back(
    tmp_path: Path, clock: Clock
) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # the warm-up: the collector is armed
        await pilot.pause()
        assert collector.armed() and app.idle_collector.running
        before = app.idle_collector.last_input
        await pilot.press("f5")
        assert app.idle_collector.last_input > before  # keys are input
        app.idle_collector.last_input -= 2 * IDLE_AFTER_S  # as if nobody typed since
        _into_the_oldest_generation()
        await pilot.pause(0.6)  # two ticks of the app's ticker
        assert app.idle_collector.collections >= 1
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0 and not app.idle_collector.running


def test_nothing_is_done_while_work_runs_in_the_background(unfrozen: None) -> None:
    """An import freezes the file it read until it is imported: a sweep meanwhile would walk it."""
    ticks = Ticks()
    working = [True]
    idle = IdleCollector(clock=ticks, busy=lambda: working[0])
    gc.freeze()
    idle.start()
    _into_the_oldest_generation()
    ticks.now += 2 * IDLE_AFTER_S
    assert not idle.tick() and idle.collections == 0
    working[0] = False
    assert idle.tick() and idle.collections == 1
    idle.stop()
