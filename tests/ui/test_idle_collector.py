"""Collections at idle moments (ui/idle_collector.py): none while keys arrive; at a pause, cyclic
garbage collected and the survivors frozen; a cycle that dies while frozen is freed by the next
sweep, so nothing is kept for ever; everything given back to the collector when the app ends. No
timings (benchmarks/stall.py has them)."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskwork.store import collector
from deskwork.ui import idle_collector
from deskwork.ui.idle_collector import IDLE_AFTER_S, SWEEP_AFTER_S, IdleCollector, tracked
from tests.helpers import Clock
from tests.ui.factory import ticks as app_ticks
from tests.ui.factory import until
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
        # The warm-up's worker starts after the first frame: waiting for the workers could come
        # before it existed (seen under load); wait for what it does instead.
        await until(pilot, lambda: app.idle_collector.running, "the warm-up started the collector")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert collector.armed() and app.idle_collector.running
        before = app.idle_collector.last_input
        await pilot.press("f5")
        assert app.idle_collector.last_input > before  # keys are input
        app.idle_collector.last_input -= 2 * IDLE_AFTER_S  # as if nobody typed since
        _into_the_oldest_generation()
        await app_ticks(pilot, 2)  # two ticks of the app's ticker
        assert app.idle_collector.collections >= 1
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[2] > 1_000_000  # full collections are the app's
    assert gc.get_freeze_count() == 0 and not app.idle_collector.running
    assert gc.get_threshold()[2] < 1_000_000  # ... and CPython's again once it ended


def test_nothing_is_done_while_work_runs_in_the_background(unfrozen: None) -> None:
    """An import freezes the file it read until it is imported: a sweep meanwhile would walk it.
    And the user waits for its result: the pause begins when the work ends (a sweep made at the
    first tick after an import landed on the frame showing its result: 180 ms at the heavy year)."""
    ticks = Ticks()
    working = [True]
    idle = IdleCollector(clock=ticks, busy=lambda: working[0])
    gc.freeze()
    idle.start()
    _into_the_oldest_generation()
    ticks.now += 2 * IDLE_AFTER_S
    assert not idle.tick() and idle.collections == 0
    working[0] = False
    assert not idle.tick() and idle.collections == 0  # the work just ended: no pause yet
    ticks.now += 2 * IDLE_AFTER_S
    assert idle.tick() and idle.collections == 1
    working[0] = True
    idle._frozen_since = 10**9  # as if overdue collections had doubled the frozen set
    held = [[n] for n in range(100)]
    gc.freeze()  # ... and it did (an import's file)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(idle_collector, "FORCE_MIN_OBJECTS", 0)
        patch.setattr(idle_collector, "FORCE_GROWTH", 0.0)
        assert not idle.tick() and idle.sweeps == 0  # not while the import runs
        working[0] = False
        assert idle.tick() and idle.sweeps == idle.forced == 1 and held  # once it is done
    idle.stop()


def test_full_collections_are_the_collectors_while_it_runs(unfrozen: None) -> None:
    """CPython's own full collections (inside whatever allocates: a keystroke's handler) are off
    while it runs; the usual thresholds come back at `stop`, a policy set meanwhile is left."""
    usual = gc.get_threshold()
    idle = IdleCollector(clock=Ticks())
    idle.start()
    try:
        assert gc.get_threshold()[:2] == usual[:2]  # young collections as before
        assert gc.get_threshold()[2] > 1_000_000  # the oldest generation's: out of reach
    finally:
        idle.stop()
    assert gc.get_threshold() == usual and idle._measure not in gc.callbacks
    idle = IdleCollector(clock=Ticks())
    idle.start()
    try:
        gc.set_threshold(*usual[:2], 3)  # someone's own policy meanwhile
        idle.stop()
        assert gc.get_threshold() == (*usual[:2], 3)  # left alone
    finally:
        gc.set_threshold(*usual)


def _keys_without_a_pause(idle: IdleCollector, ticks: Ticks, screen: int, frozen: bool) -> int:
    """Twenty screens of `screen` cyclic objects opened and closed while keys arrive, the app's
    ticker between; closed after the tick (`frozen`: an overdue collection froze them open) or
    before. The most of them alive at once."""
    alive: list[weakref.ref[_Node]] = []
    most = 0
    for _ in range(20):
        nodes = [_Node() for _ in range(screen)]  # a screen opened ...
        alive += [weakref.ref(node) for node in nodes]
        _into_the_oldest_generation()  # (as CPython's young collections do)
        if not frozen:
            del nodes  # ... and closed: garbage in cycles that young collections do not walk
        idle.input()
        ticks.now += IDLE_AFTER_S / 4
        idle.tick()  # the app's ticker
        nodes = []  # closed (if not yet): garbage in cycles, frozen if a collection froze it
        idle.tick()
        alive = [ref for ref in alive if ref() is not None]
        most = max(most, len(alive))
    return most


def test_nobody_pausing_still_has_cyclic_garbage_collected(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A learner who never stops for a second: once OVERDUE_OBJECTS objects not frozen reached
    the oldest generation, the ticker collects (and freezes) anyway: garbage never piles up."""
    monkeypatch.setattr(idle_collector, "OVERDUE_OBJECTS", 2000)
    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    gc.freeze()
    idle.start()
    try:
        assert _keys_without_a_pause(idle, ticks, 500, frozen=False) <= 2000 + 500  # bounded
        assert idle.overdue >= 3 and idle.sweeps == 0
    finally:
        idle.stop()


def test_what_background_work_keeps_alive_is_not_walked_nor_frozen(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a worker runs (an export: its package's objects alive until it ends), the bound is
    not collected: a collection at the bound walked the work's objects on the UI thread (130 ms
    of its CPU at the power scale) and froze them, so they outlived the work in the frozen set
    and forced a sweep of the whole heap as it ended (160 ms). Once the work is done, the bound
    is collected at the next tick, as before."""
    monkeypatch.setattr(idle_collector, "OVERDUE_OBJECTS", 2000)
    ticks = Ticks()
    working = [True]
    idle = IdleCollector(clock=ticks, busy=lambda: working[0])
    gc.freeze()
    idle.start()
    try:
        work = [[n] for n in range(5000)]  # the work's objects, alive while it runs
        for _ in range(3):
            gc.collect(1)  # the middle generation's collections that measure the bound
        assert idle._old >= 2000
        frozen = gc.get_freeze_count()
        assert not idle.tick() and idle.collections == idle.overdue == 0
        assert gc.get_freeze_count() == frozen, "nothing of the work frozen"
        working[0] = False
        del work
        assert idle.tick() and idle.overdue == 1  # the bound, once the work ended
    finally:
        idle.stop()


def test_the_frozen_set_is_counted_once_a_pause(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting walks the whole frozen list: not on every tick of a pause. The bounds that
    make a count legitimate on their own (overdue, the frozen set maybe doubled) are put out
    of reach: a worker's heap (hundreds of thousands of objects, unfrozen by the fixture) must
    not decide how often this test sees a count."""
    monkeypatch.setattr(idle_collector, "OVERDUE_OBJECTS", 1 << 40)
    monkeypatch.setattr(idle_collector, "FORCE_MIN_OBJECTS", 1 << 40)
    # Nor a sweep after a count (its own recount would be counted): the first pause's collection
    # froze the whole process, which outgrows SWEEP_MIN_OBJECTS in a big enough test process.
    monkeypatch.setattr(idle_collector, "SWEEP_MIN_OBJECTS", 1 << 40)
    counted: list[int] = []
    real = gc.get_freeze_count

    def count() -> int:
        counted.append(1)
        return real()

    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    idle.start()
    try:
        monkeypatch.setattr(idle_collector.gc, "get_freeze_count", count)
        ticks.now += 2 * SWEEP_AFTER_S
        for _ in range(8):  # two seconds of ticks in a long pause
            idle.tick()
            ticks.now += 0.25
        assert len(counted) == 1
        idle.input()
        ticks.now += 2 * SWEEP_AFTER_S
        idle.tick()
        idle.tick()
        assert len(counted) == 2  # the next pause: once again
    finally:
        monkeypatch.undo()
        idle.stop()


def test_nobody_pausing_still_has_frozen_cyclic_garbage_swept(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Screens open at an overdue collection are frozen with it and die later: without a pause
    for a sweep, the frozen set is swept once what those collections froze doubled it."""
    monkeypatch.setattr(idle_collector, "OVERDUE_OBJECTS", 1000)
    monkeypatch.setattr(idle_collector, "FORCE_MIN_OBJECTS", 1000)
    monkeypatch.setattr(idle_collector, "FORCE_GROWTH", 0.0)
    monkeypatch.setattr(idle_collector, "FORCE_FACTOR", 3)
    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    gc.freeze()
    idle.start()
    try:
        assert _keys_without_a_pause(idle, ticks, 1500, frozen=True) <= 3000 + 2 * 1500
        assert idle.forced >= 3 and idle.sweeps == idle.forced
    finally:
        idle.stop()


def test_screens_looked_at_for_two_seconds_are_swept_without_a_long_pause(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A screen opened, read for two seconds (an idle collection freezes it open), closed: what
    idle collections froze counts towards the sweep's bound, and once it doubled the frozen set
    the next one-second pause sweeps it; no five-second pause is needed and none is forced
    inside a keystroke. (Uncounted, the frozen set grew without bound: 389k -> 2.28M objects in
    200 rounds of the card browser on the heavy data, rss 205 -> 554 MB.)"""
    monkeypatch.setattr(idle_collector, "FORCE_MIN_OBJECTS", 3000)
    monkeypatch.setattr(idle_collector, "FORCE_GROWTH", 0.0)
    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    gc.freeze()
    idle.start()
    alive: list[weakref.ref[_Node]] = []
    most = 0
    try:
        for _ in range(30):
            screen = [_Node() for _ in range(1000)]  # a screen opened
            alive += [weakref.ref(node) for node in screen]
            _into_the_oldest_generation()
            idle.input()
            for _ in range(8):  # two seconds of reading, the ticker every 0.25 s
                ticks.now += 0.25
                idle.tick()
            del screen  # closed; the user carries on
            idle.input()
            ticks.now += 0.25
            idle.tick()
            alive = [ref for ref in alive if ref() is not None]
            most = max(most, len(alive))
        assert idle.sweeps >= 3 and idle.forced == 0  # at pauses of a second, never forced
        assert most <= 3000 + 2 * 1000 + 1000  # bounded by the sweep's bound
    finally:
        idle.stop()


def test_a_second_start_keeps_the_usual_thresholds(unfrozen: None) -> None:
    usual = gc.get_threshold()
    idle = IdleCollector(clock=Ticks())
    try:
        idle.start()
        idle.start()  # (an app's warm-up that ran twice)
    finally:
        idle.stop()
    assert gc.get_threshold() == usual


def test_stop_gives_the_frozen_heap_back_even_if_never_started(unfrozen: None) -> None:
    """An app that quits before its warm-up ended never started the collector; what the
    warm-up froze goes back to the collector at its stop all the same."""
    held = [[n] for n in range(10)]
    gc.freeze()
    assert gc.get_freeze_count() > 0
    IdleCollector(clock=Ticks()).stop()
    assert gc.get_freeze_count() == 0 and held


async def test_a_step_of_closing_that_raises_still_gives_the_collector_back(
    tmp_path: Path, clock: Clock
) -> None:
    """`close_desk` stops the idle collector before anything that can raise: otherwise CPython's
    full collections stayed off, and `_measure` in gc.callbacks held the app, for good."""
    app = make_app(tmp_path, clock)

    def broken() -> None:
        raise RuntimeError("a step of closing failed")

    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.idle_collector.running, "the collector started")
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.curriculum.close = broken  # type: ignore[method-assign]
            app.close_desk()
    except RuntimeError:
        pass  # (the failure itself is the other steps' business)
    assert not app.idle_collector.running and app.idle_collector._measure not in gc.callbacks
    assert gc.get_threshold()[2] < 1_000_000 and gc.get_freeze_count() == 0


async def test_screens_opened_and_closed_are_freed_and_the_heap_stays_bounded(
    tmp_path: Path, clock: Clock
) -> None:
    """The card browser (with a search) and the stats opened and closed again and again: no
    closed screen is alive but the last of each kind (its finished worker's task keeps it until
    the next one), and the heap does not grow round after round. Textual's StylesCache leak
    (ui/styles_cache_fix.py) kept ~3,000 objects a round: 6k more after two rounds."""
    app = make_app(tmp_path, clock)
    closed: list[weakref.ref[object]] = []

    async def round_trip() -> None:
        for key in ("ctrl+e", "ctrl+d"):
            await pilot.press(key)
            await pilot.pause()
            closed.append(weakref.ref(app.screen))
            if key == "ctrl+e":
                await pilot.press("slash", *"q1", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            while len(app.screen_stack) > 1:
                await pilot.press("escape")
                await pilot.pause()

    def swept() -> int:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        return len(gc.get_objects()) + gc.get_freeze_count()

    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await round_trip()
        await round_trip()  # caches filled (modules imported, styles, the stats' counts)
        heap = swept()
        for _ in range(2):
            await round_trip()
        grown = swept() - heap
        alive = [type(ref()).__name__ for ref in closed if ref() is not None]
    assert len(closed) == 8 and "DeskScreen" not in {type(ref()).__name__ for ref in closed}
    assert sorted(alive) in (
        [],
        ["CardBrowserScreen"],
        ["StatsScreen"],
        ["CardBrowserScreen", "StatsScreen"],
    )
    # What may stay: cancelled timers' handles until their time (~20 objects a round), caches
    # still filling (~1,300 objects, once)
    assert grown < 3000, grown


def test_counting_objects_never_breaks_a_tuple_another_thread_is_building() -> None:
    """`len(gc.get_objects())` in one thread, `tuple(generator)` in another: the list held a
    reference to the half-built tuple across a thread switch, and the builder's resize raised
    SystemError (an end-to-end test's app crashed so; this pair of threads with
    `len(gc.get_objects())` failed within 0.1 s in five runs out of five). `tracked()` counts
    the same objects with no switch possible while the list lives."""
    assert abs(tracked() - len(gc.get_objects())) <= 20  # the same (give or take the call's own)
    assert tracked(2) <= tracked()

    def rows(n: int) -> Iterator[list[int]]:
        for i in range(n):
            yield [i]  # Python code (and an allocation) in the middle of building the tuple

    errors: list[BaseException] = []
    stop = threading.Event()

    def build() -> None:
        while not stop.is_set():
            try:
                tuple(rows(50))
            except SystemError as exc:
                errors.append(exc)
                return

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    builder = threading.Thread(target=build)
    builder.start()
    try:
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline and not errors:
            tracked()
            tracked(2)
    finally:
        stop.set()
        builder.join()
        sys.setswitchinterval(interval)
    assert not errors


def test_starting_does_not_count_the_frozen_set(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting walks the whole frozen list (the warm-up froze 245k objects at the power scale,
    and `start` counted them in the start's frame): not at `start`, not while keys arrive; the
    warm-up's frozen set is the baseline once first counted (at a long pause), not growth."""
    monkeypatch.setattr(idle_collector, "OVERDUE_OBJECTS", 1 << 40)
    held = [_Node() for _ in range(30_000)]  # the warm-up's long-lived objects, frozen
    gc.freeze()
    counted: list[int] = []
    real = gc.get_freeze_count

    def count() -> int:
        counted.append(1)
        return real()

    monkeypatch.setattr(idle_collector.gc, "get_freeze_count", count)
    ticks = Ticks()
    idle = IdleCollector(clock=ticks)
    idle.start()
    try:
        assert counted == []
        for _ in range(4):  # keys arriving
            idle.input()
            ticks.now += 0.25
            idle.tick()
        assert counted == []
        ticks.now += 2 * SWEEP_AFTER_S
        idle.tick()  # a long pause: counted once, and the warm-up's 30k are no growth
        assert len(counted) == 1 and idle.sweeps == 0 and len(held) == 30_000
    finally:
        monkeypatch.undo()
        idle.stop()
