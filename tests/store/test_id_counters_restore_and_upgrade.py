"""Id counters where a review found them lowered: a restore killed before its compaction (the
backup's manifest made current with its lower counters), and a store from before checksums whose
counter is below its ids (nothing to raise it from at open: the one-time upgrade reads every
record and now raises it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskwork.store.backups import list_backups
from deskwork.store.store import Store
from tests.helpers import Clock, crash, make_card


class Killed(Exception):
    pass


@pytest.mark.parametrize("killed", [False, True])
def test_a_crash_during_the_restores_compaction_does_not_lower_the_counters(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, killed: bool
) -> None:
    """restore_into copies the backup's manifest.json in (backups.restore_files) and only the
    forced compaction after it writes the raised counters: a kill in between (that compaction
    rewrites every file: seconds on a big store) leaves the backup's lower counters on disk, and
    the next insert takes an id the state before the restore (its safety backup) holds."""
    first = Store.open(data_dir, clock=clock)
    with first.transaction() as tx:
        tx.put("cards", make_card("in the backup"))
    first.close()  # backed up
    clock.advance(hours=2)
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("after it"))  # id 2
    used = {c.id for c in store.cards.all()}
    assert used == {1, 2}
    clock.advance(minutes=1)

    real_compact = Store.compact

    def compact(self: Store, *a: object, **kw: object) -> object:
        if killed and kw.get("force"):  # the restore's own forced compaction: killed here
            raise Killed
        return real_compact(self, *a, **kw)

    monkeypatch.setattr(Store, "compact", compact)
    if killed:
        with pytest.raises(Killed):
            store.restore(list_backups(data_dir)[-1])
        crash(store)
    else:
        store.restore(list_backups(data_dir)[-1])
        store.close()
    monkeypatch.setattr(Store, "compact", real_compact)

    again = Store.open(data_dir, clock=clock)
    with again.transaction() as tx:
        new = tx.put("cards", make_card("after the restore"))
    again.close()
    assert new.id not in used, f"id {new.id}, used before the restore, handed out again"


def test_a_store_from_before_checksums_with_a_low_counter_is_raised_at_open(
    data_dir: Path, clock: Clock
) -> None:
    """The case a4af51c guards (a manifest an older deskwork left counting below the ids its
    files hold), in a store from before checksums: `raise_counters` returns at once without
    sums, and the one-time upgrade that reads every file (`_add_checksums`) does not count
    them either, so the next insert replaces a record. (With no counter at all, 72a24cc's
    fallback counts the records: only a present, low counter is missed.)"""
    from deskwork.store.manifest import read_manifest, write_manifest

    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        for front in ("a", "b", "c"):
            tx.put("cards", make_card(front))
    store.close()
    manifest = read_manifest(data_dir)
    assert manifest is not None
    write_manifest(data_dir, manifest.model_copy(update={"counters": {"cards": 2}, "sums": None}))
    again = Store.open(data_dir, clock=clock)
    with again.transaction() as tx:
        new = tx.put("cards", make_card("new"))
    fronts = {c.id: c.front for c in again.cards.all()}
    again.close()
    assert new.id not in (1, 2, 3), f"id {new.id} reused: {fronts}"
    assert fronts == {1: "a", 2: "b", 3: "c", new.id: "new"}
