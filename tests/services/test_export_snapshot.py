"""The card export is one moment of the store: the cards and their review history as they were when
it began (on the UI thread), though a worker reads the history and writes the file later while
the desk answers and undoes meanwhile (a review found a package with a card from one moment and
its history from another). A month it cannot copy that changes meanwhile refuses the export."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.domain.cancel import Cancelled
from deskwork.domain.cards import ReviewLog
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import HistoryMoved, export_job
from tests.helpers import T0, Clock, make_card


def _desk(tmp_path: Path) -> tuple[Desk, list[ReviewLog]]:
    desk = Desk.open(Paths(tmp_path / "d", tmp_path / "d"), clock=Clock(T0))
    with desk.store.transaction() as tx:
        card = tx.put("cards", make_card())
        old = T0 - timedelta(days=150)  # 2026-06: a month neither answers nor undos change
        logs = [tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=old))]
        logs += [tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=T0)) for _ in "ab"]
    return desk, logs


def _eases(path: Path) -> list[int]:
    with zipfile.ZipFile(path) as z:
        (path.parent / "c.anki2").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(path.parent / "c.anki2")
    try:
        return [r[0] for r in db.execute("select ease from revlog order by id")]
    finally:
        db.close()


def test_answers_and_undos_during_the_export_are_not_in_it(tmp_path: Path) -> None:
    desk, logs = _desk(tmp_path)
    target = tmp_path / "cards.apkg"
    try:
        job = export_job(desk, target)  # the UI thread's part
        card_id = logs[0].card_id
        with desk.store.transaction() as tx:  # an undo, then an Again, while the worker waits
            tx.remove("reviews", logs[-1])
            tx.append("reviews", ReviewLog(card_id=card_id, rating=1, ts=T0 + timedelta(minutes=1)))
        phases: list[str] = []
        steps: list[tuple[int, int]] = []
        assert job(lambda d, t: steps.append((d, t)), phases.append) == (1, 1)
        assert _eases(target) == [3, 3, 3], "the history as it was when the export began"
        assert phases == ["Reading the review history for cards.apkg…", "Writing cards.apkg…"]
        assert steps[:3] == [(1, 3), (2, 3), (3, 3)], "months read of all (06, 10, 11)"
    finally:
        desk.close()


def test_a_month_changed_while_it_is_read_refuses_the_export(tmp_path: Path) -> None:
    desk, logs = _desk(tmp_path)
    target = tmp_path / "cards.apkg"
    try:
        job = export_job(desk, target)
        with desk.store.transaction() as tx:  # an import of old history meanwhile
            tx.append("reviews", ReviewLog(card_id=logs[0].card_id, rating=4, ts=logs[0].ts))
        with pytest.raises(HistoryMoved, match="2026-06 changed"):
            job(None)
        assert not target.exists(), "nothing written"
    finally:
        desk.close()


def test_a_cancelled_export_closes_its_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled mid-write (the progress callback raises): the SQLite connection is closed, not
    left for the collector (an open handle on a deleted temp file, a ResourceWarning)."""
    desk, _ = _desk(tmp_path)
    opened: list[sqlite3.Connection] = []
    real = sqlite3.connect

    def connect(*args: object, **kw: object) -> sqlite3.Connection:
        opened.append(real(*args, **kw))  # type: ignore[arg-type]
        return opened[-1]

    def cancel(done: int, total: int) -> None:
        if opened:
            raise Cancelled("cancelled: nothing was written")

    try:
        job = export_job(desk, tmp_path / "cards.apkg")
        monkeypatch.setattr(sqlite3, "connect", connect)
        with pytest.raises(Cancelled):
            job(cancel)
    finally:
        desk.close()
    assert len(opened) == 1
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened[0].execute("select 1")


def test_a_month_not_in_memory_is_frozen_without_being_read_on_the_ui_thread(
    tmp_path: Path,
) -> None:
    """This month not loaded when the export begins (reading it there would stall the UI): its
    files are kept and what is pending copied, and the worker reads that moment even after a
    compaction rewrote the month and deleted the old files meanwhile."""
    from deskwork.store.logs import month_of

    desk, logs = _desk(tmp_path)
    target = tmp_path / "cards.apkg"
    log, month = desk.store.reviews, month_of(T0)
    try:
        desk.store.compact()
        with desk.store.transaction() as tx:  # pending, in no file yet
            tx.append("reviews", ReviewLog(card_id=logs[0].card_id, rating=2, ts=T0))
        log.forget(month)
        job = export_job(desk, target)
        assert month not in log.loaded_months(), "not read on the calling thread"
        old = list(log.segments[month])
        with desk.store.transaction() as tx:
            tx.remove("reviews", logs[-1])
        desk.store.compact()  # the month rewritten whole: its old segment would be deleted
        assert log.segments[month] != old
        assert all((desk.store.data_dir / name).exists() for name in old), "kept for the job"
        job(None)
        assert _eases(target) == [3, 3, 3, 2]
        assert desk.store.report.problems == [] and not desk.store.recovered_files
        assert not log.reading, "unpinned: the next compaction deletes the old files"
        desk.store.compact(force=True)
        assert not any((desk.store.data_dir / name).exists() for name in old)
    finally:
        desk.close()


def test_the_exports_lists_of_cards_and_history_are_out_of_the_collectors_walks(
    tmp_path: Path,
) -> None:
    """A full collection (the app's, on the UI thread) while an export runs walks no list the
    export holds of records: one per card for its history and one per note for its cards were
    200,000 lists at the power-user scale, walked with their records (store/collector.py)."""
    import gc

    from deskwork.store import collector

    if not collector.arm():
        pytest.skip("this interpreter cannot untrack objects")
    desk, _logs = _desk(tmp_path)
    target = tmp_path / "cards.apkg"
    walked: list[str] = []

    def lists_of_records() -> dict[int, str]:
        return {
            id(obj): type(obj[0]).__name__
            for obj in gc.get_objects()
            if type(obj) is list and obj and type(obj[0]).__name__ in ("Card", "ReviewLog")
        }

    def progress(done: int, total: int) -> None:  # as the export reads and writes
        walked.extend(kind for key, kind in lists_of_records().items() if key not in before)

    try:
        job = export_job(desk, target)
        before = lists_of_records()  # the store's, the test's, the export's list of cards
        assert job(progress) == (1, 1)
        assert walked == []
        assert _eases(target) == [3, 3, 3], "the history exported as before"
    finally:
        desk.close()
