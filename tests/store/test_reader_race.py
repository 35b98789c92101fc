"""Readers never fail while a writer writes, compacts and backs up: real processes in a loop.

Each reader pins every file its manifest names when it opens, so a compaction that deletes them
meanwhile cannot take them away; the doctor re-checks when the store moved on under it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from deskwork.store.store import Store

WRITER = r"""
import sys
from datetime import datetime, UTC
from pathlib import Path
from deskwork.domain.cards import Card, ReviewLog
from deskwork.store.store import Store

store = Store.open(Path(sys.argv[1]), backup_interval_s=0.3, keep_backups=3)
store.journal_limit = 3000  # compacts every few writes
progress = Path(sys.argv[2])
stop = Path(sys.argv[3])
i = 0
print("ready", flush=True)
while not stop.exists():
    now = datetime.now(UTC)
    with store.transaction() as tx:
        card = tx.put("cards", Card(fields=[f"card {i}", "x" * 200], created=now, modified=now, due=now))
        tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=now))
    if i % 7 == 0 and store.backup_due():
        store.backup()
    i += 1
    progress.write_text(str(i))
store.close()
print(i, flush=True)
"""

# Reader runs, and writes meanwhile, the test waits for (counts, never a time: a loaded machine
# makes the test slower, not different).
READER_RUNS = 6
WRITES = 30


def test_readers_never_fail_while_a_writer_compacts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store.open(home).close()
    env = {**os.environ, "DESKWORK_HOME": str(home)}
    progress, stop = tmp_path / "written", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home), str(progress), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"

    def written() -> int:
        text = progress.read_text() if progress.exists() else ""
        return int(text or 0)  # a read between its truncation and its write sees ""

    commands = [["today", "--json"], ["cards", "stats", "--json"], ["doctor", "--json"]]
    runs, failures = 0, []
    try:
        # the readers go on until they ran enough times *and* the writer wrote (and so
        # compacted, every few writes) enough meanwhile, however slow the machine is
        while runs < READER_RUNS or written() < WRITES:
            assert writer.poll() is None, "the writer stopped early"
            for command in commands:
                done = subprocess.run(
                    [sys.executable, "-m", "deskwork", *command],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                runs += 1
                if done.returncode != 0 or "Traceback" in done.stderr:
                    failures.append(
                        f"{' '.join(command)}: {done.returncode} {done.stderr[-400:]} "
                        f"{done.stdout[-600:]}"
                    )
    finally:
        stop.touch()
        total = writer.stdout.read().strip()
        writer.wait()
    assert writer.returncode == 0
    assert int(total or 0) >= WRITES, "the writer really wrote (and compacted) meanwhile"
    assert not failures, f"{len(failures)} of {runs} reader runs failed:\n" + "\n".join(
        failures[:5]
    )


def test_a_reader_half_way_through_a_month_meets_no_change_of_size(store: Store) -> None:
    """A worker reading today's answers (`between`, a generator) while the UI thread appends a
    grade to the same month: the reader goes on with the month as it was when it began it, where
    it met a dict that changed size (RuntimeError) before. Found by a review."""
    from datetime import timedelta

    from deskwork.domain.cards import ReviewLog
    from tests.helpers import T0, make_card

    with store.transaction() as tx:
        card = tx.put("cards", make_card())
        for _ in range(3):
            tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=T0))
    reading = store.reviews.between(T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    next(reading)  # half-way through the month
    with store.transaction() as tx:
        tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=T0))
    assert len(list(reading)) == 2
    assert store.reviews.count() == 4
    assert len(list(store.reviews.between(T0 - timedelta(hours=1), T0 + timedelta(hours=1)))) == 4


def test_a_month_read_on_a_worker_while_a_compaction_rewrites_it_is_not_damage(
    store: Store,
) -> None:
    """A worker (the card export) has read a month's segment names; a compaction on the UI
    thread rewrites the month (an undo removed an entry) and deletes the old segments before the
    worker opens them. The names being read are kept by the orphan removal, so the worker reads
    them, sees the switch and reads the new ones: no "damaged (missing)" file, no recovery,
    where a review found the missing file taken for damage and the month "recovered"."""
    import threading

    from deskwork.domain.cards import ReviewLog
    from deskwork.store.logs import month_of
    from tests.helpers import T0, make_card

    with store.transaction() as tx:
        card = tx.put("cards", make_card())
        entries = [tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=T0)) for _ in "abc"]
    store.compact()
    log, month = store.reviews, month_of(T0)
    with store.transaction() as tx:
        tx.remove("reviews", entries[0])  # the next compaction rewrites the month whole
    log.forget(month)  # not in memory: the worker reads its files
    reached, go, read = threading.Event(), threading.Event(), []
    real = log._read_segment

    def held(codec: object, name: str, m: str) -> object:
        if threading.current_thread() is not threading.main_thread() and not go.is_set():
            reached.set()
            assert go.wait(10)
        return real(codec, name, m)  # type: ignore[arg-type]

    log._read_segment = held  # type: ignore[method-assign]
    worker = threading.Thread(target=lambda: read.append(len(log.month(month, resident=False))))
    worker.start()
    assert reached.wait(10)
    old = list(log.segments[month])
    store.compact()
    assert log.segments[month] != old, "the month was rewritten meanwhile"
    go.set()
    worker.join(10)
    assert read == [2]
    assert store.report.problems == [] and not store.recovered_files
    assert not store.chain_broken


def test_a_pinned_old_segment_is_checked_against_its_checksum(store: Store) -> None:
    """The worker above, but the old segment it still reads was damaged on disk after the
    compaction replaced it: it is checked like any segment (the sum it had is kept while it is
    read), so the mismatch is reported as damage, where it was read unchecked before; the
    worker still ends with the new segments' entries."""
    import threading

    from deskwork.domain.cards import ReviewLog
    from deskwork.store.logs import month_of
    from tests.helpers import T0, make_card

    with store.transaction() as tx:
        card = tx.put("cards", make_card())
        entries = [tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=T0)) for _ in "abc"]
    store.compact()
    log, month = store.reviews, month_of(T0)
    with store.transaction() as tx:
        tx.remove("reviews", entries[0])
    log.forget(month)
    reached, go, read = threading.Event(), threading.Event(), []
    real = log._read_segment
    seen: list[str] = []

    def held(codec: object, name: str, m: str) -> object:
        if threading.current_thread() is not threading.main_thread() and not go.is_set():
            reached.set()
            assert go.wait(60)
        seen.append(name)
        return real(codec, name, m)  # type: ignore[arg-type]

    log._read_segment = held  # type: ignore[method-assign]
    worker = threading.Thread(target=lambda: read.append(len(log.month(month, resident=False))))
    worker.start()
    assert reached.wait(60)
    old = list(log.segments[month])
    store.compact()
    assert log.segments[month] != old
    path = store.data_dir / old[0]
    data = bytearray(path.read_bytes())
    data[data.index(b'"rating":3') + 9] = ord("4")  # same size, valid JSON: only the sum tells
    path.write_bytes(bytes(data))
    go.set()
    worker.join(60)
    assert read == [2]
    assert old[0] in seen
    assert old[0] in store.recovered_files
    assert any(old[0] in line and "damaged" in line for line in store.report.recovered)
    from deskwork.store.orphans import remove_orphans

    remove_orphans(store)  # no one reads it any more: its old sum is forgotten
    assert old[0] not in store.retired_sums
