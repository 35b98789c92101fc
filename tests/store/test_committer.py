"""The writer thread (store/committer.py): a deferred commit returns before its fsync, is visible
and acknowledged only once durable, in the order made, interleaved with compactions and backups;
a kill -9 keeps every acknowledged write; a failed write saves nothing and fails what was queued
behind it; without the thread (the CLI) every commit stays synchronous."""

from __future__ import annotations

import errno
import threading
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

from deskwork.domain.settings import Setting
from deskwork.store import backups, journal
from deskwork.store.store import Store, StoreWriteError
from tests.helpers import Clock, make_card, output_until_killed


def _put(store: Store, front: str, *, deferred: bool = True) -> Future[None] | None:
    with store.transaction(deferred=deferred) as tx:
        tx.put("cards", make_card(front))
    return tx.pending


def _fronts(store: Store) -> set[str]:
    return {c.front for c in store.cards.all()}


def test_a_deferred_write_returns_before_its_fsync_and_shows_once_durable(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, clock=clock)
    store.start_committer()
    monkeypatch.setattr(journal, "SLOW_DISK_S", 0.2)
    began = time.perf_counter()
    pending = _put(store, "slow")
    assert time.perf_counter() - began < 0.1, "the caller waited for the fsync"
    assert pending is not None and not pending.done()
    assert "slow" not in _fronts(store), "visible before it is durable"
    pending.result(timeout=5)
    assert "slow" in _fronts(store)
    monkeypatch.setattr(journal, "SLOW_DISK_S", 0.0)
    _put(store, "sync", deferred=False)  # a plain commit waits for its own write
    assert "sync" in _fronts(store)
    store.close()
    assert _fronts(Store.open(data_dir, readonly=True)) == {"slow", "sync"}


def test_ids_are_handed_out_while_a_write_holds_the_lock(data_dir: Path, clock: Clock) -> None:
    """Building a transaction on the UI thread never waits for a commit under write_lock."""
    store = Store.open(data_dir, clock=clock)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.write_lock:
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(5)
    began = time.perf_counter()
    first, second = store._next_id("cards"), store._next_id("cards")
    assert time.perf_counter() - began < 0.5 and second == first + 1
    release.set()
    holder.join()
    store.close()


def test_order_is_kept_across_compactions_and_backups(data_dir: Path, clock: Clock) -> None:
    """Two hundred deferred writes (one record each, and one setting overwritten by each) while
    the background thread compacts every few writes and backs up: all durable, the setting's
    last value the last one written, in memory and after reopening."""
    store = Store.open(data_dir, clock=clock, backup_interval_s=0)
    store.journal_limit = 2_000  # a compaction every few writes
    background = store.start_background(backup_check_s=0.01)
    store.start_committer()
    key = Setting(id=store._next_id("settings"), key="last", value=-1)
    futures = []
    for n in range(200):
        with store.transaction(deferred=True) as tx:
            tx.put("cards", make_card(f"c{n}"))
            tx.put("settings", key.model_copy(update={"value": n}))
        futures.append(tx.pending)
        if n % 50 == 0:
            background.request_backup()
    for done in futures:
        assert done is not None
        done.result(timeout=20)
    background.wait_idle(20)
    assert store.setting("last") == 199
    assert background.compactions > 3 and backups.list_backups(data_dir)
    store.close()
    again = Store.open(data_dir, readonly=True)
    assert _fronts(again) == {f"c{n}" for n in range(200)}
    assert again.setting("last") == 199
    assert not again.report.problems


def test_a_failed_write_saves_nothing_and_fails_what_was_queued_behind_it(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, clock=clock)
    store.start_committer()
    _put(store, "kept", deferred=False)
    gate, entered = threading.Event(), threading.Event()
    real = journal.os.fdatasync

    def failing(fd: int) -> None:
        entered.set()
        gate.wait(5)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(journal.os, "fdatasync", failing)
    first = _put(store, "lost 1")
    entered.wait(5)
    second = _put(store, "lost 2")  # queued behind the failing one
    monkeypatch.setattr(journal.os, "fdatasync", real)
    gate.set()
    assert first is not None and second is not None
    with pytest.raises(StoreWriteError, match="nothing was saved"):
        first.result(timeout=5)
    with pytest.raises(StoreWriteError, match="not saved either"):
        second.result(timeout=5)
    assert _fronts(store) == {"kept"}
    after = _put(store, "after")  # writing works again: tried afresh
    assert after is not None
    after.result(timeout=5)
    store.close()
    again = Store.open(data_dir, readonly=True)
    assert _fronts(again) == {"kept", "after"}
    assert not again.report.problems


def test_without_the_writer_thread_a_deferred_commit_is_synchronous(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, clock=clock)
    pending = _put(store, "now")
    assert pending is not None and pending.done() and "now" in _fronts(store)
    monkeypatch.setattr(journal.os, "fdatasync", _eio)
    with pytest.raises(StoreWriteError):  # raised at the commit, as the CLI expects
        _put(store, "never")
    store.close()


def test_close_flushes_every_pending_write(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, clock=clock)
    store.start_committer()
    monkeypatch.setattr(journal, "SLOW_DISK_S", 0.02)
    pending = [_put(store, f"p{n}") for n in range(10)]
    assert not all(p is not None and p.done() for p in pending)
    store.close()
    assert all(p is not None and p.done() and p.exception() is None for p in pending)
    assert _fronts(Store.open(data_dir, readonly=True)) == {f"p{n}" for n in range(10)}


def _eio(*args: object) -> None:
    raise OSError(errno.EIO, "Input/output error")


CHILD = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path
from deskwork.domain.cards import Card
from deskwork.store import journal
from deskwork.store.store import Store

store = Store.open(Path(sys.argv[1]), backup_interval_s=0.2)
store.journal_limit = 3_000
store.start_background(backup_check_s=0.02)
store.start_committer()
journal.SLOW_DISK_S = 0.002
print("ready", flush=True)

def told(name):
    return lambda done: done.exception() is None and print(name, flush=True)

n = int(sys.argv[2])
while True:
    now = datetime.now(UTC)
    with store.transaction(deferred=True) as tx:
        tx.put("cards", Card(fields=[f"k{n}", "x"], created=now, modified=now, due=now))
    tx.pending.add_done_callback(told(f"k{n}"))
    n += 1
    if n % 20 == 0:
        tx.pending.result()  # a UI waits now and then (a grade): the queue stays short
"""


def test_kill_9_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    """A child queues writes as fast as it can (compacting and backing up as it goes), printing
    each once its future says durable; killed at three instants, the store opens clean and holds
    every write acknowledged."""
    data_dir = tmp_path / "data"
    acknowledged: list[str] = []
    for round_, delay in enumerate((0.3, 0.45, 0.6)):
        out = output_until_killed(CHILD, [str(data_dir), str(round_ * 1_000_000)], delay)
        acknowledged += [line for line in out.split() if line.startswith("k")]
        store = Store.open(data_dir, readonly=True)
        assert not store.report.problems, store.report.problems
        missing = set(acknowledged) - _fronts(store)
        assert not missing, f"round {round_}: acknowledged but lost: {sorted(missing)[:5]}"
    assert len(acknowledged) > 30
    final = Store.open(data_dir)
    assert not final.report.recovered
    final.close()
