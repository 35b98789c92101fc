"""Damaged files: moved aside (never overwritten), the newest good backup restored, the user told."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskwork.domain.cards import ReviewLog
from deskwork.store import loading as store_module
from deskwork.store import migrations, schema
from deskwork.store.backups import list_backups
from deskwork.store.checksums import sum_of
from deskwork.store.manifest import read_manifest, write_manifest
from deskwork.store.store import Store, StoreError
from tests.helpers import T0, Clock, crash, make_card


def reseal(data_dir: Path, name: str) -> None:
    """Record the file's current bytes as its checksum (as if it had been written so)."""
    manifest = read_manifest(data_dir)
    assert manifest is not None and manifest.sums is not None
    ids = manifest.sums[name].id_set()
    manifest.sums[name] = sum_of((data_dir / name).read_bytes(), ids)
    write_manifest(data_dir, manifest)


def _store_with_backup(data_dir: Path, clock: Clock, fronts: list[str]) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        for front in fronts:
            tx.put("cards", make_card(front))
    store.close()
    clock.advance(hours=2)
    Store.open(data_dir, clock=clock).close()  # the backup made on this open holds `fronts`
    clock.advance(hours=2)


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage", "wrong-shape"])
def test_damaged_table_file_is_moved_aside_and_restored_from_backup(
    data_dir: Path, clock: Clock, damage: str
) -> None:
    _store_with_backup(data_dir, clock, ["a", "b"])
    manifest = read_manifest(data_dir)
    assert manifest is not None
    path = data_dir / manifest.tables["cards"][0]
    original = path.read_bytes()
    damaged = {
        "truncate": original[: len(original) // 2],
        "empty": b"",
        "garbage": b"\x00\xff not json",
        "wrong-shape": b'{"cards": [1, 2, 3]}',
    }[damage]
    path.write_bytes(damaged)

    store = Store.open(data_dir, clock=clock)
    assert sorted(c.front for c in store.cards.all()) == ["a", "b"]
    text = " ".join(store.report.recovered)
    assert f"{path.name} is damaged" in text and "restored from backup" in text
    aside = list(data_dir.glob(f"{path.name}.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged, "the bad file is kept as it was"
    store.close()
    again = Store.open(data_dir, clock=clock)
    again.cards.load_all()
    assert not again.report.recovered, "repaired for good"
    again.close()


def test_damaged_manifest_restores_the_backup_and_replays_the_journal(
    data_dir: Path, clock: Clock
) -> None:
    _store_with_backup(data_dir, clock, ["old"])
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("after the backup"))
    crash(store)
    (data_dir / "manifest.json").write_text('{"format": "deskwork-st')
    again = Store.open(data_dir, clock=clock)
    assert sorted(c.front for c in again.cards.all()) == ["after the backup", "old"]
    assert any("manifest.json" in m for m in again.report.recovered)
    assert list(data_dir.glob("manifest.json.corrupt-*"))
    again.close()


def test_no_backup_means_an_empty_table_and_a_clear_message(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock, backup_interval_s=1e9)
    with store.transaction() as tx:
        tx.put("cards", make_card())
    store.close()
    for backup in list_backups(data_dir):
        for f in backup.iterdir():
            f.unlink()
        backup.rmdir()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    (data_dir / manifest.tables["cards"][0]).write_bytes(b"")
    again = Store.open(data_dir, clock=clock)
    assert len(again.cards) == 0
    assert any("no backup holds a good copy" in m for m in again.report.recovered)
    assert any("1 record could not be recovered (ids 1)" in m for m in again.report.problems)
    again.close()


def test_a_bad_record_is_reported_with_table_and_id_and_kept(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("good"))
        tx.put("cards", make_card("bad"))
    store.close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    path = data_dir / manifest.tables["cards"][0]
    path.write_text(path.read_text().replace('"fields":["bad",', '"fields":[42,'))
    reseal(data_dir, path.name)  # a record an older, laxer deskwork stored: valid file, bad record

    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["good"]
    assert [(p.table, p.doc_id) for p in again.report.invalid] == [("cards", "2")]
    assert "fields" in again.report.invalid[0].error
    with again.transaction() as tx:
        tx.put("cards", make_card("another"))
    again.close()  # compaction must write the bad record back untouched
    written = (data_dir / read_manifest(data_dir).tables["cards"][0]).read_text()  # type: ignore[union-attr]
    assert '"fields":[42,' in "".join(written.split())


def test_torn_journal_tail_is_dropped_silently(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("kept"))
    journal = data_dir / store.manifest.journal
    crash(store)
    with open(journal, "ab") as fh:
        fh.write(b'0badc0de ["put","cards",9,{"fro')  # a write that never returned
    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["kept"]
    assert not again.report.problems
    again.close()


def _journal_of_three(data_dir: Path, clock: Clock) -> Path:
    store = Store.open(data_dir, clock=clock)
    for front in ("one", "two", "three"):
        with store.transaction() as tx:
            tx.put("cards", make_card(front))
    journal = data_dir / store.manifest.journal
    crash(store)
    return journal


def test_a_damaged_journal_line_costs_only_that_transaction(data_dir: Path, clock: Clock) -> None:
    journal = _journal_of_three(data_dir, clock)
    lines = journal.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"two", b"twX")  # checksum no longer matches; ends in a newline
    journal.write_bytes(b"\n".join(lines))
    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["one", "three"], "later lines still apply"
    text = " ".join(again.report.recovered)
    assert "line 2" in text and "cards 2" in text, "the line and the record it named are told"
    [copy] = data_dir.glob("journal-*.jsonl.corrupt-*")
    assert copy.stat().st_mode & 0o777 == 0o600
    with again.transaction() as tx:
        fresh = tx.put("cards", make_card("four"))
    assert fresh.id == 4, "the damaged line's id 2 is never handed out again: nor is any later"
    again.close()


@pytest.mark.parametrize("tail", ["zeros", "damaged-with-newline"])
def test_a_damaged_tail_is_told_apart_from_a_torn_append(
    data_dir: Path, clock: Clock, tail: str
) -> None:
    journal = _journal_of_three(data_dir, clock)
    data = journal.read_bytes()
    last = data[:-1].rfind(b"\n") + 1
    if tail == "zeros":
        data = data[:last] + b"\x00" * (len(data) - last)
    else:
        data = data[:last] + data[last:].replace(b"three", b"thrXe")
    journal.write_bytes(data)
    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["one", "two"]
    assert any("line 3" in m for m in again.report.recovered), "reported, not dropped silently"
    again.close()


def test_damaged_log_segment_is_restored_from_backup(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=T0))
    store.close()
    clock.advance(hours=2)
    Store.open(data_dir, clock=clock).close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    seg = data_dir / manifest.logs["reviews"]["2026-11"][0]
    seg.write_bytes(b"{")
    again = Store.open(data_dir, clock=clock)
    assert [r.rating for r in again.reviews.all()] == [3]
    assert any(seg.name in m for m in again.report.recovered)
    again.close()


def test_migration_runs_on_open(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("q"))
        tx.append("reviews", ReviewLog(card_id=1, rating=2, ts=T0))
    store.close()

    current = schema.SCHEMA_VERSION

    def step(name: str, doc: dict[str, object]) -> dict[str, object]:
        if name == "cards":
            fields = list(doc["fields"])  # type: ignore[call-overload]
            doc = {**doc, "fields": [f"migrated {fields[0]}", *fields[1:]]}
        return doc

    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, current, step)
    again = Store.open(data_dir, clock=clock)
    assert again.report.migrated_from == current
    assert [c.front for c in again.cards.all()] == ["migrated q"]
    assert again.reviews.count() == 1
    again.close()
    manifest = read_manifest(data_dir)
    assert manifest is not None and manifest.schema_version == current + 1
    third = Store.open(data_dir, clock=clock)
    assert third.report.migrated_from is None
    assert [c.front for c in third.cards.all()] == ["migrated q"]
    third.close()


def test_a_store_from_a_newer_deskwork_is_refused(data_dir: Path, clock: Clock) -> None:
    Store.open(data_dir, clock=clock).close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    write_manifest(data_dir, manifest.model_copy(update={"schema_version": 99}))
    with pytest.raises(StoreError, match="newer deskwork"):
        Store.open(data_dir, clock=clock)


def test_many_bad_records_make_one_message(data_dir: Path, clock: Clock) -> None:
    from deskwork.domain.curriculum import Item

    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        for i in range(50):
            tx.put("items", Item(title=f"item {i}", added=T0))
    store.close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    path = data_dir / manifest.tables["items"][0]
    path.write_text(path.read_text().replace('"effort_points":0.0', '"effort_points":-1'))
    reseal(data_dir, path.name)
    again = Store.open(data_dir, clock=clock)
    assert len(again.report.invalid) == 50
    [message] = again.report.problems
    assert message.startswith("items: 50 records failed validation") and "items record 1" in message
    again.close()


def test_a_store_from_before_checksums_opens_and_gets_them(data_dir: Path, clock: Clock) -> None:
    import json

    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("old"))
        tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=T0))
    store.close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    legacy = manifest.model_dump(mode="json", exclude={"sums", "check", "chain_from"})
    (data_dir / "manifest.json").write_text(json.dumps(legacy))  # as deskwork wrote it before
    (data_dir / "manifest.copy.json").unlink()
    reader = Store.open(data_dir, readonly=True, clock=clock)
    assert [c.front for c in reader.cards.all()] == ["old"] and reader.reviews.count() == 1
    writer = Store.open(data_dir, clock=clock)
    assert any("checksums recorded" in m for m in writer.report.recovered)
    writer.close()
    upgraded = read_manifest(data_dir)
    assert upgraded is not None and upgraded.sums is not None
    assert set(upgraded.files()) <= set(upgraded.sums)
    assert upgraded.sums[upgraded.tables["cards"][0]].ids == "1"
