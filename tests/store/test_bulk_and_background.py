"""Bulk journal ops (an import's cards and history as one line) and the background thread
(compactions and backups off the writer's path): all or nothing under SIGKILL, cancel saves
nothing, a damaged bulk line loses exactly its records, and grades made while a compaction or a
backup runs in the background are neither lost nor kept waiting for it."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskwork.domain.cancel import Cancelled
from deskwork.domain.cards import CardState, ReviewLog
from deskwork.store import backups, compaction
from deskwork.store.store import Store
from tests.helpers import T0, crash, make_card, output_until_killed


def _batch(store: Store, tag: str, cards: int, logs_per_card: int) -> tuple[int, int]:
    """One bulk transaction: `cards` cards named after `tag`, each with its history spread over
    several months. Returns (cards, reviews) written."""
    with store.transaction() as tx:
        ids = tx.reserve_ids("cards", cards)
        new = [make_card(f"{tag} {n}", id=i) for n, i in enumerate(ids)]
        tx.put_many("cards", new)
        log_ids = iter(tx.reserve_ids("reviews", cards * logs_per_card))
        tx.append_many(
            "reviews",
            [
                ReviewLog(
                    id=next(log_ids),
                    card_id=c.id,
                    rating=3,
                    state=CardState.REVIEW,
                    ts=T0 - timedelta(days=17 * k + 1),
                )
                for c in new
                for k in range(logs_per_card)
            ],
        )
    return cards, cards * logs_per_card


def test_a_bulk_transaction_is_durable_replayed_and_compacted(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with store.transaction() as tx:
        plain = tx.put("cards", make_card("plain"))
    _batch(store, "bulk", 300, 5)
    assert len(store.cards) == 301 and store.reviews.count() == 1500
    crash(store)  # before any compaction: the journal line is all there is
    again = Store.open(tmp_path)
    fronts = {c.front for c in again.cards.values()}
    assert {f"bulk {n}" for n in range(300)} <= fronts and plain.front in fronts
    assert again.reviews.count() == 1500
    assert not again.report.problems
    again.compact()
    again.close()
    final = Store.open(tmp_path, readonly=True)
    assert len(final.cards) == 301 and final.reviews.count() == 1500
    months = {r.ts.strftime("%Y-%m") for r in final.reviews.all()}
    assert set(final.reviews.months()) == months and len(months) >= 3


def test_cancel_saves_nothing_and_progress_reaches_the_total(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    _batch(store, "before", 10, 1)
    size = store._journal.size if store._journal else -1
    seen: list[tuple[int, int]] = []

    def cancel_midway() -> bool:
        return bool(seen) and seen[-1][0] >= 4000

    tx = store.transaction(progress=lambda d, t: seen.append((d, t)), cancelled=cancel_midway)
    with pytest.raises(Cancelled), tx:
        ids = tx.reserve_ids("cards", 9000)
        tx.put_many("cards", [make_card(f"gone {n}", id=i) for n, i in enumerate(ids)])
    assert seen and seen[-1][0] < 9000
    assert store._journal is not None and store._journal.size == size
    assert len(store.cards) == 10
    seen.clear()
    with store.transaction(progress=lambda d, t: seen.append((d, t))) as tx:
        ids = tx.reserve_ids("cards", 9000)
        tx.put_many("cards", [make_card(f"kept {n}", id=i) for n, i in enumerate(ids)])
    assert seen[-1] == (9000, 9000) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    store.close()
    assert len(Store.open(tmp_path, readonly=True).cards) == 9010


def test_a_damaged_bulk_line_loses_exactly_its_records_and_says_so(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    _batch(store, "first", 50, 2)
    _batch(store, "second", 50, 2)
    journal = tmp_path / store.manifest.journal
    crash(store)
    data = bytearray(journal.read_bytes())
    first_end = data.index(b"\n")
    data[first_end // 2] ^= 0x01  # a flipped bit inside the first bulk line
    journal.write_bytes(bytes(data))
    again = Store.open(tmp_path)
    fronts = {c.front for c in again.cards.values()}
    assert not any(f.startswith("first") for f in fronts), "never half a bulk transaction"
    assert {f"second {n}" for n in range(50)} <= fronts
    assert again.reviews.count() == 100
    text = " ".join(again.report.problems)
    assert "damaged" in text and "cards" in text
    again.close()


CHILD = r"""
import sys, threading
from datetime import datetime, timedelta, UTC
from pathlib import Path
from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.store.store import Store

store = Store.open(Path(sys.argv[1]), backup_interval_s=0.3)
store.journal_limit = int(sys.argv[2])
store.start_background(backup_check_s=0.05)
start = int(sys.argv[3])
print("ready", flush=True)
lock = threading.Lock()

def grades():
    i = 0
    while True:
        now = datetime.now(UTC)
        with store.transaction() as tx:
            card = tx.put("cards", Card(fields=[f"grade {start}-{i}", "x"], created=now, modified=now, due=now))
            tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=now))
        with lock:
            print(f"g{start}-{i}", flush=True)
        i += 1

threading.Thread(target=grades, daemon=True).start()
b = start
while True:
    now = datetime.now(UTC)
    with store.transaction() as tx:
        ids = tx.reserve_ids("cards", 200)
        cards = [Card(id=i, fields=[f"batch {b} {n}", "y"], created=now, modified=now, due=now)
                 for n, i in enumerate(ids)]
        tx.put_many("cards", cards)
        log_ids = iter(tx.reserve_ids("reviews", 600))
        tx.append_many("reviews", [
            ReviewLog(id=next(log_ids), card_id=c.id, rating=2, state=CardState.REVIEW,
                      ts=now - timedelta(days=40 * k + 1))
            for c in cards for k in range(3)])
    with lock:
        print(f"b{b}", flush=True)
    b += 1
"""


def _run_and_kill(data_dir: Path, limit: int, start: int, delay: float) -> list[str]:
    out = output_until_killed(CHILD, [str(data_dir), str(limit), str(start)], delay)
    return [line for line in out.split() if line[:1] in ("b", "g")]


def test_sigkill_during_bulk_writes_background_compactions_and_backups(tmp_path: Path) -> None:
    """A child imports batches (200 cards, 600 reviews each) while a second thread grades and
    the background thread compacts (small journal limits) and backs up; killed at random
    instants, the store opens with every acknowledged write and every batch whole or absent."""
    data_dir = tmp_path / "data"
    rng = random.Random(77)
    acknowledged: list[str] = []
    for round_ in range(8):
        limit = rng.choice([20_000, 200_000, 1 << 22])
        acknowledged += _run_and_kill(data_dir, limit, round_ * 100_000, rng.uniform(0.2, 0.8))
        store = Store.open(data_dir, readonly=True)
        assert not store.report.problems, store.report.problems
        fronts = [c.front for c in store.cards.all()]
        per_batch: dict[str, int] = {}
        for front in fronts:
            if front.startswith("batch "):
                key = front.split()[1]
                per_batch[key] = per_batch.get(key, 0) + 1
        assert all(n == 200 for n in per_batch.values()), "a batch saved in part"
        have = set(fronts)
        for ack in acknowledged:
            if ack.startswith("b"):
                assert per_batch.get(ack[1:]) == 200, f"round {round_}: batch {ack} lost"
            else:
                assert f"grade {ack[1:]}" in have, f"round {round_}: grade {ack} lost"
        assert store.reviews.count() == 600 * len(per_batch) + sum(
            f.startswith("grade ") for f in fronts
        )
    assert sum(a.startswith("b") for a in acknowledged) > 8
    assert sum(a.startswith("g") for a in acknowledged) > 50
    assert backups.list_backups(data_dir), "the background thread took backups"
    final = Store.open(data_dir)
    assert not final.report.recovered
    final.close()


def _gate(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str
) -> tuple[threading.Event, threading.Event]:
    """Hold the background job inside `module.name` until released: (entered, release)."""
    real = getattr(module, name)
    entered, release = threading.Event(), threading.Event()

    def held(*args: object, **kwargs: object) -> object:
        entered.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return entered, release


def _grade(store: Store, n: int) -> None:
    now = T0 + timedelta(seconds=n)
    with store.transaction() as tx:
        card = tx.put("cards", make_card(f"grade {n}", when=now))
        tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=now))


def test_grades_go_on_while_a_background_compaction_writes_and_are_carried_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path)
    background = store.start_background(backup_check_s=3600)
    _batch(store, "import", 2500, 4)  # spans two shards and many months
    assert background.wait_idle(30)  # the import's own compaction (its journal is > 2 MB)
    entered, release = _gate(monkeypatch, compaction, "write_files")
    store.journal_limit = 1
    _grade(store, 0)  # crosses the limit: asks the background thread to compact
    assert entered.wait(30), "the compaction started on the background thread"
    store.journal_limit = 2 << 20  # the grades below ask for no other compaction
    for n in range(1, 40):  # the compaction is writing its files: grades do not wait for it
        done = threading.Event()
        threading.Thread(target=lambda n=n, d=done: (_grade(store, n), d.set())).start()
        assert done.wait(10), "a grade waited for the background compaction"
    release.set()
    assert background.wait_idle(30) and background.compactions >= 1
    assert store._journal is not None and store._journal.size > 0, "the grades made meanwhile"
    assert store.manifest.gen >= 1
    crash(store)  # nothing more is compacted: the grades live in the new journal only
    again = Store.open(tmp_path, readonly=True)
    fronts = {c.front for c in again.cards.values()}
    assert {f"grade {n}" for n in range(40)} <= fronts
    assert len(again.cards) == 2540 and again.reviews.count() == 10_000 + 40
    assert not again.report.problems, again.report.problems


def test_grades_go_on_while_a_background_backup_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path, backup_interval_s=10**9)
    background = store.start_background(backup_check_s=3600)
    _batch(store, "import", 500, 4)
    store.compact()
    entered, release = _gate(monkeypatch, backups, "make_backup")
    background.request_backup()
    assert entered.wait(30)
    for n in range(20):
        done = threading.Event()
        threading.Thread(target=lambda n=n, d=done: (_grade(store, n), d.set())).start()
        assert done.wait(10), "a grade waited for the background backup"
    release.set()
    assert background.wait_idle(30) and background.backups == 1
    newest = backups.list_backups(tmp_path)[0]
    copy = Store.open(newest, readonly=True)
    assert len(copy.cards) == 500, "the backup is the state when it was asked for"
    store.close()
    assert len(Store.open(tmp_path, readonly=True).cards) == 520


def test_two_threads_writing_never_share_an_id_or_lose_a_write(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.journal_limit = 50_000
    store.start_background(backup_check_s=3600)
    errors: list[BaseException] = []

    def imports() -> None:
        try:
            for b in range(6):
                _batch(store, f"batch{b}", 300, 2)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=imports)
    worker.start()
    for n in range(150):
        _grade(store, n)
    worker.join()
    assert not errors
    ids = [c.id for c in store.cards.values()]
    assert len(ids) == len(set(ids)) == 6 * 300 + 150
    store.close()
    final = Store.open(tmp_path, readonly=True)
    assert len(final.cards) == 1950 and final.reviews.count() == 6 * 600 + 150
    assert not final.report.problems
    when = datetime.now(UTC)
    assert when > T0  # the clock the records use is the test's own (T0-based)


def test_a_big_month_is_serialised_in_chunks_to_the_same_bytes() -> None:
    """Compaction serialises a big month a few thousand entries per call (the event loop gets
    the GIL in between): the file is byte for byte what one call would write."""
    from deskwork.store.codec import ENCODE_CHUNK, Codec

    codec = Codec("reviews", ReviewLog)
    docs = {
        i: ReviewLog(id=i, card_id=i % 97, rating=1 + i % 4, ts=T0 + timedelta(seconds=i))
        for i in range(1, 3 * ENCODE_CHUNK + 7)
    }
    assert codec.encode(docs, {}) == codec._adapter.dump_json({"reviews": docs})


def test_a_month_loading_while_a_compaction_switches_misses_nothing(tmp_path: Path) -> None:
    """A reader thread loads a month (reading its segment) while a compaction writes that
    month's new entries as another segment and drops them from what is pending: the loader
    sees the switch and reads again, so the month has every entry."""
    store = Store.open(tmp_path)
    _grade(store, 0)
    store.compact()  # the month's first segment
    for n in range(1, 6):
        _grade(store, n)  # pending: written by the next compaction as a second segment
    log = store.reviews
    month = log.months()[0]
    log.forget(month)
    real, entered, release = log._read_segment, threading.Event(), threading.Event()

    def held(*args: object) -> object:
        entered.set()
        assert release.wait(30)
        return real(*args)  # type: ignore[arg-type]

    log._read_segment = held  # type: ignore[method-assign]
    got: list[int] = []
    reader = threading.Thread(target=lambda: got.append(len(log.month(month))))
    reader.start()
    assert entered.wait(30)
    log._read_segment = real  # type: ignore[method-assign]
    store.compact()  # the switch happens while the reader holds the old segment list
    release.set()
    reader.join(30)
    assert got == [6]
    store.close()


def test_a_conditional_bulk_put_leaves_out_what_changed_since_its_snapshot(tmp_path: Path) -> None:
    """Work built from a snapshot (the optimiser's new memory states) never overwrites a change
    made meanwhile: before the serialising, and during it (checked again under the lock)."""
    store = Store.open(tmp_path)
    _batch(store, "c", 3000, 0)
    base = {c.id: c for c in store.cards.values()}
    ids = sorted(base)
    answered_before = store.cards.get(ids[0])
    assert answered_before is not None
    with store.transaction() as tx:
        tx.put("cards", answered_before.model_copy(update={"reps": 7}))  # a grade, before
    landed: list[int] = []

    def grade_meanwhile(done: int, total: int) -> None:
        if done >= 1000 and not landed:  # a grade while the bulk line is being serialised
            card = store.cards.get(ids[-1])
            assert card is not None
            with store.transaction() as grade:
                grade.put("cards", card.model_copy(update={"reps": 9}))
            landed.append(card.id)

    with store.transaction(progress=grade_meanwhile) as tx:
        tx.put_many(
            "cards",
            [c.model_copy(update={"stability": 42.0}) for c in base.values()],
            unchanged_since=base,
        )
        tx.set_setting("optimised", True)
    assert landed == [ids[-1]]
    assert tx.skipped == {"cards": {ids[0], ids[-1]}}

    def check(where: Store) -> None:
        cards = {c.id: c for c in where.cards.values()}
        assert cards[ids[0]].reps == 7 and cards[ids[0]].stability is None, "the grade stays"
        assert cards[ids[-1]].reps == 9 and cards[ids[-1]].stability is None
        assert all(cards[i].stability == 42.0 for i in ids[1:-1])
        assert where.setting("optimised") is True

    check(store)
    crash(store)  # and durably so: replayed from the journal
    again = Store.open(tmp_path)
    check(again)
    again.close()


def test_a_conditional_put_whose_records_all_changed_writes_only_the_plain_ops(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path)
    _batch(store, "c", 2, 0)
    base = {c.id: c for c in store.cards.values()}
    for card in base.values():
        with store.transaction() as tx:
            tx.put("cards", card.model_copy(update={"reps": 1}))
    with store.transaction() as tx:
        tx.put_many("cards", [c.model_copy(update={"reps": 5}) for c in base.values()],
                    unchanged_since=base)  # fmt: skip
        tx.set_setting("k", 1)
    assert tx.skipped == {"cards": set(base)}
    assert [c.reps for c in store.cards.values()] == [1, 1] and store.setting("k") == 1
    store.close()


def test_a_bulk_commit_holds_the_write_lock_for_nothing_per_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grade made during an import's commit waits for the write lock: the records are made
    lean before it is taken (a quarter of a million log entries: ~0.5 s), and what is held in
    memory afterwards is the same as before: lean, equal, durable."""
    from deskwork.store.lean import Lean

    store = Store.open(tmp_path)
    under_lock: list[int] = []
    made = 0
    real = Lean.__call__

    def spy(self: Lean, doc):  # type: ignore[no-untyped-def]
        nonlocal made
        made += 1
        if store.write_lock._is_owned():  # type: ignore[attr-defined]
            under_lock.append(doc.id)
        return real(self, doc)

    monkeypatch.setattr(Lean, "__call__", spy)
    _batch(store, "bulk", 200, 4)
    assert made >= 1000 and under_lock == []
    monkeypatch.undo()
    cards = {c.id: c for c in store.cards.values()}
    logs = store.reviews.all()
    assert len(cards) == 200 and len(logs) == 800
    assert len({id(r.__pydantic_fields_set__) for r in logs}) == 1  # lean: one shared set
    crash(store)
    again = Store.open(tmp_path)
    assert {c.id: c for c in again.cards.values()} == cards
    assert sorted(again.reviews.all(), key=lambda r: r.id) == sorted(logs, key=lambda r: r.id)
    again.close()
