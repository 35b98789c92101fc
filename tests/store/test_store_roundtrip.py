"""Round trips through the real store on real files: tables, the review log, TinyDB compatibility."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import tinydb

from deskwork.domain.cards import ReviewLog
from deskwork.domain.curriculum import Item
from deskwork.store.manifest import read_manifest
from deskwork.store.store import ReadOnlyStore, Store
from tests.helpers import T0, Clock, crash, make_card


def test_put_get_delete_survive_a_clean_reopen(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        a = tx.put("cards", make_card("a"))
        b = tx.put("cards", make_card("b"))
    assert (a.id, b.id) == (1, 2)
    with store.transaction() as tx:
        tx.put("cards", a.model_copy(update={"fields": [a.front, "changed"]}))
        tx.delete("cards", b.id)
    store.close()

    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["a"]
    assert again.cards.get(1).back == "changed"  # type: ignore[union-attr]
    with again.transaction() as tx:
        c = tx.put("cards", make_card("c"))
    assert c.id == 3, "ids are never reused, even after a delete"
    again.close()


def test_acknowledged_writes_survive_a_crash_without_compaction(
    data_dir: Path, clock: Clock
) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("items", Item(title="CS231n", added=T0))
    crash(store)
    again = Store.open(data_dir, clock=clock)
    assert [i.title for i in again.items.all()] == ["CS231n"]
    again.close()


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put("cards", make_card("never"))
        raise RuntimeError("boom")
    assert len(store.cards) == 0


def test_table_files_are_tinydb_databases(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("[Re] Reproducing", tags=["paper"]))
    store.close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    db = tinydb.TinyDB(data_dir / manifest.tables["cards"][0], access_mode="r")
    docs = db.table("cards").all()
    db.close()
    assert [(d.doc_id, d["fields"][0], d["tags"]) for d in docs] == [
        (1, "[Re] Reproducing", ["paper"])
    ]
    assert docs[0]["created"] == "2026-11-20T09:30:00Z", "times are stored as UTC"


def test_review_log_is_partitioned_by_month_and_loaded_lazily(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        card = tx.put("cards", make_card())
        for month in (9, 10, 11):
            tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=T0.replace(month=month)))
    store.close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    assert sorted(manifest.logs["reviews"]) == ["2026-09", "2026-10", "2026-11"]

    again = Store.open(data_dir, clock=clock)
    assert again.reviews._loaded == {}, "opening the store reads no log month"
    recent = list(again.reviews.between(T0.replace(day=1), T0.replace(day=30)))
    assert [r.ts.month for r in recent] == [11]
    assert set(again.reviews._loaded) == {"2026-11"}
    assert again.reviews.count() == 3
    again.close()


def test_a_day_in_local_time_finds_entries_filed_in_the_utc_month_before(
    data_dir: Path, clock: Clock
) -> None:
    """Entries are filed by UTC month; a local study day that starts on the 1st at 00:00+02:00
    begins at 22:00 UTC on the last day of the month before, where its first reviews are filed."""
    east = timezone(timedelta(hours=2))
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        late = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 December at UTC+2
        tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=late))
        tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=late - timedelta(hours=1)))
    store.close()
    again = Store.open(data_dir, clock=clock)
    day = list(
        again.reviews.between(
            datetime(2026, 12, 1, tzinfo=east), datetime(2026, 12, 2, tzinfo=east)
        )
    )
    assert [r.ts for r in day] == [late]
    again.close()


def test_removing_a_log_entry_after_compaction(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        first = tx.append("reviews", ReviewLog(card_id=1, rating=1, ts=T0))
        tx.append("reviews", ReviewLog(card_id=1, rating=4, ts=T0))
    store.compact()
    with store.transaction() as tx:
        tx.remove("reviews", first)
    assert [r.rating for r in store.reviews.all()] == [4]
    crash(store)
    again = Store.open(data_dir, clock=clock)
    assert [r.rating for r in again.reviews.all()] == [4]
    again.close()
    final = Store.open(data_dir, clock=clock)
    assert [r.rating for r in final.reviews.all()] == [4]
    final.close()


def test_many_appends_make_few_segments(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    for i in range(20):
        with store.transaction() as tx:
            tx.append("reviews", ReviewLog(card_id=i, rating=3, ts=T0))
        store.compact()
    segs = store.manifest.logs["reviews"]["2026-11"]
    assert 1 <= len(segs) <= 8
    assert store.reviews.count() == 20
    store.close()


def test_journal_limit_triggers_compaction(store: Store) -> None:
    store.journal_limit = 4096
    gen = store.manifest.gen
    for i in range(40):
        with store.transaction() as tx:
            tx.put("cards", make_card(f"card {i} " + "x" * 100))
    assert store.manifest.gen > gen
    assert store._journal is not None and store._journal.size <= 4096
    assert len(store.cards) == 40


def test_private_permissions(data_dir: Path, store: Store) -> None:
    with store.transaction() as tx:
        tx.put("cards", make_card())
    store.compact()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for path in data_dir.iterdir():
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        else:
            assert stat.S_IMODE(path.stat().st_mode) == 0o700, path.name


def test_read_only_store_sees_acknowledged_writes_and_refuses_writes(
    data_dir: Path, store: Store
) -> None:
    with store.transaction() as tx:
        tx.put("cards", make_card("visible"))
    reader = Store.open(data_dir, readonly=True)
    assert [c.front for c in reader.cards.all()] == ["visible"]
    with pytest.raises(ReadOnlyStore):
        reader.transaction()
    reader.close()


def test_settings_round_trip(data_dir: Path, store: Store, clock: Clock) -> None:
    store.set_setting("theme", "deskwork-paper")
    store.set_setting("theme", "deskwork-dusk")
    assert store.setting("theme") == "deskwork-dusk"
    assert len(store.settings) == 1
    store.close()
    again = Store.open(data_dir, clock=clock)
    assert again.setting("theme") == "deskwork-dusk"
    assert again.setting("missing", 7) == 7
    again.close()


def test_orphans_from_an_interrupted_compaction_are_removed(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    gen = store.manifest.gen
    crash(store)
    (data_dir / f"cards-s0-{gen - 1}.json").write_text("{}")  # an older generation
    (data_dir / ".cards-9.json.tmp-123").write_text("{")
    again = Store.open(data_dir, clock=clock)
    names = {p.name for p in data_dir.iterdir()}
    assert f"cards-s0-{gen - 1}.json" not in names
    assert ".cards-9.json.tmp-123" not in names
    again.close()


def test_big_tables_are_sharded_loaded_lazily_and_rewritten_per_shard(
    data_dir: Path, clock: Clock
) -> None:
    from deskwork.store.tables import SHARD_SIZE

    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        for i in range(SHARD_SIZE * 2 + 10):
            tx.put("cards", make_card(f"c{i}"))
    store.compact()
    shards_before = dict(store.manifest.tables["cards"])
    assert sorted(shards_before) == [0, 1, 2]
    one = store.cards.get(SHARD_SIZE + 5)
    assert one is not None
    with store.transaction() as tx:
        tx.put("cards", one.model_copy(update={"fields": [one.front, "edited"]}))
    store.compact()
    after = store.manifest.tables["cards"]
    changed = {s for s in after if after[s] != shards_before[s]}
    assert changed == {1}, "only the shard holding the edited card is rewritten"
    store.close()

    again = Store.open(data_dir, clock=clock)
    assert not again.cards.loaded, "cards load on first use"
    assert again.cards.get(SHARD_SIZE + 5).back == "edited"  # type: ignore[union-attr]
    assert not again.cards.loaded, "a lookup by id loads one shard"
    assert len(again.cards) == SHARD_SIZE * 2 + 10
    assert again.cards.loaded
    again.close()


def test_all_lists_every_record_of_every_shard_in_order(tmp_path: Path) -> None:
    """`Table.all` copies each shard whole (one C call a shard): the same records, in the same
    order as iterating the table, across shards and after a crash."""
    from deskwork.store.tables import SHARD_SIZE

    store = Store.open(tmp_path)
    with store.transaction() as tx:
        ids = tx.reserve_ids("cards", SHARD_SIZE + 50)
        tx.put_many("cards", [make_card(f"q{i}", id=i) for i in ids])
    with store.transaction() as tx:
        tx.put("cards", make_card("plain"))
    everything = store.cards.all()
    assert everything == list(store.cards.values()) and len(everything) == SHARD_SIZE + 51
    assert [c.id for c in everything] == sorted(c.id for c in everything)
    crash(store)
    again = Store.open(tmp_path)
    assert again.cards.all() == everything
    again.close()
