"""The store's records out of the cyclic garbage collector's way (store/collector.py): once armed,
every record loaded, replayed or written is untracked with its containers, records that could be in
a cycle stay tracked, nothing that drops out of memory is kept (months of the review log loaded
and dropped again and again leave the heap where it was), and the TUI's warm-up arms it and gives
what it froze back when the store closes. No timings: the pauses are measured by
benchmarks/stall.py (`gc_max_ms`)."""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.settings import Setting
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.store import collector
from deskwork.store.errors import no_gc
from deskwork.store.lean import Lean
from deskwork.store.store import Store
from tests.helpers import T0, Clock, make_card


@pytest.fixture
def armed() -> Iterator[None]:
    if not collector.arm():
        pytest.skip("this interpreter cannot untrack objects")
    yield


def _tracked_ids() -> set[int]:
    return {id(o) for o in gc.get_objects()}


def _reviews_store(data_dir: Path, clock: Clock, months: int, per_month: int) -> Store:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card(tags=["bayes", "loss"]))
        for m in range(months):
            for n in range(per_month):
                ts = T0 - timedelta(days=31 * m, minutes=n)
                tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=ts, state=CardState.REVIEW))
    store.compact()
    return store


def test_loaded_and_written_records_are_untracked_with_their_containers(
    tmp_path: Path, armed: None
) -> None:
    clock = Clock()
    _reviews_store(tmp_path / "data", clock, months=3, per_month=20).close()
    store = Store.open(tmp_path / "data", clock=clock)
    try:
        cards = store.cards.all()
        rows = list(store.reviews.iter_all())
        assert len(cards) == 1 and len(rows) == 60
        with store.transaction() as tx:  # written after loading: made lean, so untracked too
            tx.put("cards", make_card("new", tags=["x"]))
            tx.append("reviews", ReviewLog(card_id=1, rating=4, ts=T0, anki=(1, 2, 3, 4)))
        cards = store.cards.all()
        rows = [*store.reviews.iter_all()]
        tracked = _tracked_ids()
        held = [
            *cards,
            *(c.__dict__ for c in cards),
            *(c.tags for c in cards),
            *(c.fields for c in cards),
            *rows,
            *(r.__dict__ for r in rows),
        ]
        assert len(rows) == 61 and any(r.anki == (1, 2, 3, 4) for r in rows)
        for obj in held:
            assert not gc.is_tracked(obj) and id(obj) not in tracked, type(obj)
        # The same values as ever: untracking changes nothing a caller sees.
        assert sorted(c.front for c in cards) == ["What is backprop?", "new"]
        assert all(c.tags in (["bayes", "loss"], ["x"]) for c in cards)
    finally:
        store.close()


def test_a_record_that_might_be_in_a_cycle_stays_tracked(armed: None) -> None:
    lean = Lean(Setting)
    plain = lean(Setting(key="a", value={"nested": [1, 2, {"deep": "x"}]}))  # a tree: untracked
    assert not gc.is_tracked(plain) and not gc.is_tracked(plain.value["nested"])
    shared: list[int] = [1]
    twice = lean(Setting(key="b", value=[shared, shared]))  # one list reached twice
    assert gc.is_tracked(twice)
    odd = lean(Setting(key="c", value=object()))  # a value of a kind the walk does not know
    assert gc.is_tracked(odd)
    deep: list[object] = []
    for _ in range(collector.MAX_NODES + 1):
        deep = [deep]
    big = lean(Setting(key="d", value=deep))  # too many containers to walk
    assert gc.is_tracked(big)
    # A cycle is found, never hidden: the record stays tracked, and the collector frees it.
    loop: list[object] = []
    loop.append(loop)
    cyclic = lean(Setting(key="e", value=loop))
    assert gc.is_tracked(cyclic) and gc.is_tracked(loop)
    ref = weakref.ref(cyclic)
    del cyclic, loop
    gc.collect()
    assert ref() is None


def test_disarmed_records_stay_tracked() -> None:
    collector.disarm()
    try:
        card = Lean(Card)(make_card())
        assert gc.is_tracked(card)
    finally:
        collector.arm()


def test_a_dropped_month_is_freed_at_once_without_a_collection(tmp_path: Path, armed: None) -> None:
    """Untracked rows are freed by reference counting the moment their month is dropped: the
    collector is not needed (it is even off here)."""
    clock = Clock()
    store = _reviews_store(tmp_path / "data", clock, months=2, per_month=10)
    store.close()
    store = Store.open(tmp_path / "data", clock=clock)
    log = store.reviews
    month = log.months()[0]
    refs = [weakref.ref(r) for r in log.month(month).values()]
    assert refs and not any(gc.is_tracked(r()) for r in refs)
    was = gc.isenabled()
    gc.disable()
    try:
        log.forget(month)
        assert all(r() is None for r in refs)
    finally:
        if was:
            gc.enable()
        store.close()


def test_loading_and_dropping_months_again_and_again_does_not_grow_the_heap(
    tmp_path: Path, armed: None
) -> None:
    clock = Clock()
    store = _reviews_store(tmp_path / "data", clock, months=6, per_month=200)
    store.close()
    store = Store.open(tmp_path / "data", clock=clock)
    log = store.reviews
    log.rows_resident = 450  # two months and a bit: every pass reads each month again
    months = log.months()

    def passes(n: int) -> None:
        for _ in range(n):
            for month in months:
                assert len(log.month(month)) == 200

    # Only memory allocated with deskwork's code on the stack is counted: tracemalloc sees every
    # thread, and under xdist a thread an earlier test left running (in this worker) allocated
    # ~20 KB during the passes and failed the test depending on the order of the tests.
    ours = [tracemalloc.Filter(True, "*deskwork*", all_frames=True)]

    def traced() -> int:
        snapshot = tracemalloc.take_snapshot().filter_traces(ours)
        return sum(stat.size for stat in snapshot.statistics("filename"))

    def ours_alive() -> int:
        """deskwork's objects alive (records, months, …): the whole heap's count also counted
        what other threads of this worker (an earlier test's) made meanwhile."""
        modules = (getattr(type(o), "__module__", None) for o in gc.get_objects())
        return sum(1 for m in modules if isinstance(m, str) and m.startswith("deskwork"))

    passes(3)  # caches, interned strings and the like settle
    gc.collect()
    tracemalloc.start(30)
    try:
        passes(2)
        gc.collect()
        settled, objects = traced(), ours_alive()
        passes(20)  # 120 month loads, ~100 drops
        gc.collect()
        grown = traced() - settled
        assert ours_alive() - objects < 200
    finally:
        tracemalloc.stop()
        store.close()
    one_month = 200 * 300  # a row is ~0.5 KB in memory: well over 300 bytes
    assert grown < one_month / 4, grown


def test_an_import_window_collects_first_and_freezes_what_it_made(armed: None) -> None:
    """A file read holds hundreds of thousands of tracked objects (its answers, its notes) until
    they are imported: frozen, collections do not walk them; garbage from before is collected,
    not frozen with them."""
    gc.unfreeze()
    node = _Cycle()
    dead = weakref.ref(node)
    del node
    with no_gc(freeze=True):
        assert not gc.isenabled() and dead() is None  # collected before the window
        made = [[n] for n in range(50)]
    assert gc.isenabled() and gc.get_freeze_count() > 0
    assert not any(o is made[0] for o in gc.get_objects())  # frozen
    gc.unfreeze()


def test_windows_on_two_threads_keep_the_collector_off_until_the_last_closes() -> None:
    """The collector's switch is one per process: a month read on another thread that finishes
    during an import must not switch it back on under the import (nor leave it off after)."""
    import threading

    assert gc.isenabled()
    import_open, read_done, import_go = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def importing() -> None:
        with no_gc():
            import_open.set()
            read_done.wait(10)
            seen.append(gc.isenabled())  # the read's window closed first
            import_go.set()

    worker = threading.Thread(target=importing)
    with no_gc():  # a month being read
        worker.start()
        assert import_open.wait(10)
    read_done.set()
    assert import_go.wait(10)
    worker.join(10)
    assert seen == [False]
    assert gc.isenabled()  # the last window closed: on again
    gc.disable()
    with no_gc():
        pass
    assert not gc.isenabled()  # off before the windows: left off
    gc.enable()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_warm_up_arms_the_collector_and_closing_gives_back_what_it_froze(
    tmp_path: Path,
) -> None:
    collector.disarm()
    clock = Clock()
    with Store.open(tmp_path / "data", clock=clock) as store, store.transaction() as tx:
        for n in range(30):
            tx.put("cards", make_card(f"q{n}"))
    desk = Desk.open(Paths(tmp_path / "data", tmp_path / "data"), clock=clock)
    try:
        assert desk.warm_up()
        assert collector.armed()
        assert gc.get_freeze_count() > 0  # start-up's long-lived objects, frozen once
        assert not any(gc.is_tracked(c) for c in desk.store.cards.all())
    finally:
        desk.close()
    assert gc.get_freeze_count() == 0


def test_a_warm_up_that_ends_after_the_store_closed_freezes_nothing(tmp_path: Path) -> None:
    """An app that quits before its warm-up ended: the store's close came first, so a freeze
    then would stay for the rest of the process (nothing unfreezes after the close)."""
    gc.unfreeze()
    collector.disarm()
    desk = Desk.open(Paths(tmp_path / "data", tmp_path / "data"), clock=Clock())
    desk.close()
    try:
        assert not desk.warm_up()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        collector.disarm()
