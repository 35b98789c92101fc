"""Group commit: the journal's fdatasync on the flusher thread (store/flusher.py), on real files and
a real thread. Every line written is replayed; the mark never claims more than a returned sync
covered; a failed sync is reported, retried from memory and loses nothing; close, compaction and
backup sync first; many writes share a sync; SIGKILL at random instants loses nothing written."""

from __future__ import annotations

import errno
import os
import random
import threading
import time
from pathlib import Path

import pytest

from deskwork.store import backups, compaction, fsutil, journal
from deskwork.store.journal_writer import SyncFailure
from deskwork.store.store import Store, StoreWriteError
from tests.helpers import Clock, make_card, output_until_killed


def _open(data_dir: Path, clock: Clock) -> Store:
    return Store.open(data_dir, clock=clock, backup_on_open=False)


def _durable(store: Store, ticket: int, timeout: float = 60.0) -> None:
    """Until the flusher made `ticket` durable; `timeout` only bounds a flusher that never does
    (5 s could pass on a loaded machine before the flusher thread ran)."""
    deadline = time.monotonic() + timeout
    while store.durable_ticket < ticket:
        assert time.monotonic() < deadline, "the flusher never synced"
        time.sleep(0.002)


def _header(data_dir: Path) -> int:
    mark = journal.read_mark(data_dir, header_only=True)
    assert mark is not None
    return mark.size


def _put(store: Store, front: str) -> int:
    with store.transaction() as tx:
        tx.put("cards", make_card(front))
    return store.ticket()


def test_without_group_commit_a_write_is_durable_before_it_returns(
    data_dir: Path, clock: Clock
) -> None:
    store = _open(data_dir, clock)  # the CLI's way: no flusher
    _put(store, "cli")
    assert store._journal is not None and store._journal.pending == 0
    assert _header(data_dir) == store._journal.size
    store.close()


def test_every_line_written_is_replayed_and_the_mark_claims_only_what_was_synced(
    data_dir: Path, clock: Clock
) -> None:
    store = _open(data_dir, clock)
    flusher = store.start_group_commit()
    assert store._journal is not None
    durable_before = store._journal.size
    flusher.gate.clear()  # the flusher is held just before its sync: the window is open
    for i in range(20):
        _put(store, f"card {i}")
    assert store._journal.pending > 0, "written, not yet synced"
    assert len(store.cards) == 20, "visible at once"
    assert _header(data_dir) == durable_before <= store._journal.synced
    # A reader (what a crash leaves: the page cache holds the lines) replays every one of them.
    reader = Store.open(data_dir, readonly=True)
    assert {c.front for c in reader.cards.all()} == {f"card {i}" for i in range(20)}
    assert not reader.report.problems
    flusher.gate.set()
    _durable(store, store.ticket())
    assert store._journal.pending == 0
    assert _header(data_dir) == store._journal.size == store._journal.synced
    store.close()
    again = _open(data_dir, clock)
    assert len(again.cards) == 20 and not again.report.problems
    again.close()


def test_many_writes_share_a_sync(data_dir: Path, clock: Clock) -> None:
    store = _open(data_dir, clock)
    flusher = store.start_group_commit()
    assert store._journal is not None
    syncs_before = store._journal.syncs
    flusher.gate.clear()
    for i in range(50):
        _put(store, f"card {i}")
    flusher.gate.set()
    _durable(store, store.ticket())
    syncs = store._journal.syncs - syncs_before
    assert flusher.kicks == 50
    assert 1 <= syncs <= 2, f"{syncs} syncs for 50 writes"
    store.close()


def test_a_failed_sync_is_reported_retried_from_memory_and_nothing_is_lost(
    data_dir: Path, clock: Clock
) -> None:
    store = _open(data_dir, clock)
    heard: list[tuple[int, SyncFailure | None]] = []
    told = threading.Event()

    def listener(ticket: int, failure: SyncFailure | None) -> None:
        heard.append((ticket, failure))
        told.set()

    store.start_group_commit(listener)
    writer = store._journal
    assert writer is not None

    def lost_pages(fd: int) -> None:
        # What Linux may do: the sync fails and the pages are dropped or marked clean. Here the
        # unsynced bytes on "disk" are even garbage: only writing them again brings them back.
        garbage = os.open(writer.path, os.O_WRONLY)
        os.pwrite(garbage, b"\0" * writer.pending, writer.synced)
        os.close(garbage)
        raise OSError(errno.EIO, "Input/output error")

    writer.sync_fn = lost_pages
    card_ticket = _put(store, "draft one")
    assert told.wait(5)
    ticket, failure = heard[-1]
    assert failure is not None and ticket < card_ticket, "not durable, and said so"
    assert "Input/output error" in failure.why and "cards 1" in failure.what()
    assert store.sync_failure is not None
    assert _header(data_dir) < writer.size, "the mark does not claim the failed lines"
    assert len(store.cards) == 1, "kept in memory: the write was applied"

    writer.sync_fn = None  # the disk is back: the next write retries the sync
    told.clear()
    _put(store, "draft two")
    _durable(store, store.ticket())
    assert heard[-1][1] is None and store.sync_failure is None
    assert _header(data_dir) == writer.size
    reader = Store.open(data_dir, readonly=True)  # the journal itself, before the close compacts
    assert {c.front for c in reader.cards.all()} == {"draft one", "draft two"}
    assert not reader.report.problems, reader.report.problems
    store.close()


def test_a_sync_that_keeps_failing_is_a_warning_at_close_naming_what(
    data_dir: Path, clock: Clock
) -> None:
    store = _open(data_dir, clock)
    flusher = store.start_group_commit()
    assert store._journal is not None
    flusher.gate.clear()
    _put(store, "at risk")

    def eio(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    store._journal.sync_fn = eio
    with pytest.raises(StoreWriteError, match="may not be on disk: cards 1"):
        store.flush()
    store.close()
    assert any("may not be on disk: cards 1" in w for w in store.report.warnings)
    assert store.flush_failed, "the TUI exits non-zero"
    assert not any("safe" in w for w in store.report.warnings), store.report.warnings


def test_a_write_that_fails_at_once_saves_nothing_with_group_commit_on(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _open(data_dir, clock)
    store.start_group_commit()
    _put(store, "kept")

    def no_space(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])  # half a line, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsutil, "write_all", no_space)
    with pytest.raises(StoreWriteError, match="nothing was saved"):
        _put(store, "lost")
    monkeypatch.undo()
    assert [c.front for c in store.cards.all()] == ["kept"]
    _put(store, "after")
    store.close()
    again = _open(data_dir, clock)
    assert sorted(c.front for c in again.cards.all()) == ["after", "kept"]
    assert not again.report.problems
    again.close()


def test_compaction_and_backup_sync_first(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _open(data_dir, clock)
    flusher = store.start_group_commit()
    flusher.gate.clear()  # only the compaction or the backup can sync now
    seen: list[tuple[str, int]] = []
    write_manifest, make_backup = compaction.write_manifest, backups.make_backup

    def manifest_after_sync(*args: object, **kw: object) -> None:
        closing = store._journal
        assert closing is not None
        seen.append(("manifest", closing.pending))
        write_manifest(*args, **kw)  # type: ignore[arg-type]

    def backup_after_sync(*args: object, **kw: object) -> Path:
        assert store._journal is not None
        seen.append(("backup", store._journal.pending))
        return make_backup(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(compaction, "write_manifest", manifest_after_sync)
    monkeypatch.setattr(backups, "make_backup", backup_after_sync)
    _put(store, "before compaction")
    store.compact()
    _put(store, "before a background compaction")
    compaction.compact_in_background(store)  # synced outside the write lock, then switched
    assert not store.write_lock._is_owned(), "the lock is let go"  # type: ignore[attr-defined]
    _put(store, "before backup")
    store.backup()
    assert seen == [("manifest", 0), ("manifest", 0), ("backup", 0)]
    flusher.gate.set()
    store.close()


def test_close_syncs_before_it_lets_go_of_the_lock(data_dir: Path, clock: Clock) -> None:
    store = _open(data_dir, clock)
    store.compact_or_warn = lambda **kw: True  # type: ignore[method-assign]  # the journal stays
    flusher = store.start_group_commit()
    flusher.gate.clear()
    _put(store, "at the end")
    writer = store._journal
    assert writer is not None and writer.pending
    released = store._lock
    assert released is not None
    order: list[str] = []
    release = released.release
    released.release = lambda: (order.append(f"release, {writer.pending} pending"), release())[1]  # type: ignore[method-assign]
    store.close()
    assert order == ["release, 0 pending"]
    assert writer.synced == writer.size and _header(data_dir) == writer.size
    assert store._lock is None, "released after"


CHILD = r"""
import sys, threading
from datetime import datetime, UTC
from pathlib import Path
from deskwork.domain.cards import Card
from deskwork.store.store import Store

store = Store.open(Path(sys.argv[1]), backup_on_open=False)
store.journal_limit = int(sys.argv[2])
if sys.argv[4] == "background":
    store.start_background()
say = threading.Lock()

def durable(ticket, failure):
    with say:
        sys.stdout.write(f"durable {ticket}\n")
        sys.stdout.flush()

store.start_group_commit(durable)
print("ready", flush=True)
i = int(sys.argv[3])
while True:
    now = datetime.now(UTC)
    with store.transaction() as tx:
        tx.put("cards", Card(fields=[f"card {i}", "x" * (i % 300)], created=now, modified=now, due=now))
    with say:
        sys.stdout.write(f"written {i} {store.ticket()}\n")
        sys.stdout.flush()
    i += 1
"""


def test_sigkill_while_the_flusher_syncs_loses_no_line_written(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(7)
    written: list[int] = []
    start, durable_seen = 0, 0
    for round_ in range(4):
        limit = rng.choice([3000, 1 << 20])  # small: kills land in compactions too
        mode = "background" if round_ % 2 else "inline"
        out = output_until_killed(
            CHILD, [str(data_dir), str(limit), str(start), mode], rng.uniform(0.05, 0.2)
        )
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "written":
                written.append(int(parts[1]))
            elif len(parts) == 2 and parts[0] == "durable":
                durable_seen += 1
        start = max(written) + 1 if written else start
        store = Store.open(data_dir, readonly=True)
        fronts = {c.front for c in store.cards.all()}
        missing = [i for i in written if f"card {i}" not in fronts]
        assert not missing, f"round {round_}: lines written are lost: {missing[:10]}"
        assert not store.report.problems, store.report.problems
    assert len(written) > 30 and durable_seen, "the child should have made real progress"
    final = Store.open(data_dir)
    assert not final.report.recovered
    final.close()


def _listening(store: Store) -> list[tuple[int, SyncFailure | None]]:
    heard: list[tuple[int, SyncFailure | None]] = []
    store.start_group_commit(lambda ticket, failure: heard.append((ticket, failure)))
    return heard


def test_a_sync_made_by_another_thread_is_told_to_the_listeners(
    data_dir: Path, clock: Clock
) -> None:
    store = _open(data_dir, clock)
    heard = _listening(store)
    assert store.flusher is not None and store._journal is not None
    store.flusher.gate.clear()  # the flusher is slow: a backup's or compaction's sync comes first
    ticket = _put(store, "draft save")
    synced_by = threading.Thread(target=store._journal.sync)
    synced_by.start()
    synced_by.join()
    store.flusher.gate.set()
    assert heard and heard[-1] == (ticket, None), "else the draft says 'saving…' forever"
    store.close()


def test_a_journal_switch_that_synced_the_last_lines_is_told(data_dir: Path, clock: Clock) -> None:
    store = _open(data_dir, clock)
    heard = _listening(store)
    assert store.flusher is not None
    store.flusher.gate.clear()
    ticket = _put(store, "before the switch")
    store.compact(force=True)  # the flusher then finds the new journal synced already
    store.flusher.gate.set()
    assert heard and heard[-1][0] >= ticket and heard[-1][1] is None
    assert store.durable_ticket >= ticket
    store.close()


def test_the_failure_state_heard_follows_every_sync_whoever_made_it(
    data_dir: Path, clock: Clock
) -> None:
    store = _open(data_dir, clock)
    heard = _listening(store)
    assert store.flusher is not None and store._journal is not None
    store.flusher.gate.clear()  # every sync below is this thread's
    failing = [True]

    def sync(fd: int) -> None:
        if failing[0]:
            raise OSError(errno.EIO, "Input/output error")
        os.fdatasync(fd)

    store._journal.sync_fn = sync
    first = _put(store, "one")
    with pytest.raises(StoreWriteError):
        store.flush()
    failing[0] = False
    store._journal.sync()  # a backup's sync: it worked
    failing[0] = True
    second = _put(store, "two")
    with pytest.raises(OSError):
        store._journal.sync()  # a compaction's: failed again, and must be told again
    states = [(ticket, failure is not None) for ticket, failure in heard]
    assert states == [(first - 1, True), (first, False), (first, True)]
    assert second == first + 1 and store.sync_failure is not None
    failing[0] = False
    store.flusher.gate.set()
    store.close()


def test_a_bulk_writes_failed_sync_is_undone_before_the_flusher_can_retry(
    data_dir: Path,
) -> None:
    """The flusher's retry wakes while `append`'s own sync fails: it must wait until the line is
    cut off (else it pops from an empty list, or syncs a line the import was told is not saved)."""
    from deskwork.store.journal_writer import JournalWriter

    path = data_dir / "journal-1.jsonl"
    data_dir.mkdir(parents=True, exist_ok=True)
    writer = JournalWriter(path, truncate_to=0)
    retried: list[bool] = []
    flusher = threading.Thread(target=lambda: retried.append(writer.sync()))

    def sync(fd: int) -> None:
        if not flusher.is_alive() and not retried:
            flusher.start()  # the flusher, woken by the write, waits for this sync to end
            raise OSError(errno.EIO, "Input/output error")
        os.fdatasync(fd)

    state = writer._state
    taken = [0]

    class Undo:
        """The writer's state lock; its 4th taking on this thread is the undo of the line
        (write, the sync's snapshot, its failure, the undo): the flusher gets its chance first."""

        def __enter__(self) -> None:
            if threading.current_thread() is threading.main_thread():
                taken[0] += 1
                if taken[0] == 4:
                    flusher.join(0.1)  # before the fix, its retry ran here
            state.__enter__()

        def __exit__(self, *exc: object) -> None:
            state.__exit__(*exc)

    writer._state = Undo()
    writer.sync_fn = sync
    with pytest.raises(OSError):
        writer.append(journal.encode('[["put","cards",1,{"id":1}]]'), {"cards": 2}, "cards:1;")
    flusher.join()
    assert retried == [False], "nothing left to sync: the line was cut off first"
    assert (writer.size, writer.lines, writer.lines_synced, writer.failure) == (0, 0, 0, None)
    assert path.stat().st_size == 0, "the import was told nothing was saved: nothing is"
    writer.append(journal.encode('[["put","cards",2,{"id":2}]]'), {"cards": 3}, "cards:2;")
    assert path.stat().st_size == writer.size == writer.synced
    assert len(journal.parse(path.read_bytes()).transactions) == 1
    writer.close()


def test_a_listener_that_syncs_does_not_deadlock(data_dir: Path, clock: Clock) -> None:
    """The listeners are told outside the journal's sync lock: one that syncs itself (a flush,
    on the flusher's thread or on a thread that flushed) goes on, and its own sync is told too,
    after it, in order. Told under the lock, its flush waited for the lock its thread held."""
    store = _open(data_dir, clock)
    heard: list[tuple[str, int]] = []
    flushed = threading.Event()

    def syncing(ticket: int, failure: SyncFailure | None) -> None:
        heard.append((threading.current_thread().name, ticket))
        if not flushed.is_set():
            flushed.set()
            _put(store, "written by a listener")
            store.flush()  # syncs the journal again, from inside a listener

    store.start_group_commit(syncing)
    first = _put(store, "one")
    assert flushed.wait(60), "the flusher never told its sync"
    done = threading.Thread(target=store.flush)  # a second thread's flush: the lock is free
    done.start()
    done.join(60)
    assert not done.is_alive(), "deadlocked: the listener's sync waits for the sync lock"
    tickets = [ticket for _, ticket in heard]
    assert tickets == sorted(tickets) and tickets[0] >= first
    assert store.durable_ticket == first + 1 and tickets[-1] == first + 1
    store.close()
