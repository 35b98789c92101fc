"""Property: any sequence of writes, compactions, backups, restores, crashes and damage keeps every
backup restorable (it verifies and holds exactly the state it was taken at), and every acknowledged
write is either present or was reported lost (table and id)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deskwork.store.backups import list_backups
from deskwork.store.restore import verify_backup
from deskwork.store.store import Store
from tests.helpers import Clock, crash, make_card
from tests.store.damage import KINDS, damage, silent_differences, state_of, store_files, told_ids

ops = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.integers(0, 8)),
        st.tuples(st.just("del"), st.integers(1, 8)),
        st.tuples(st.sampled_from(["compact", "backup", "crash", "close"]), st.just(0)),
        st.tuples(st.just("restore"), st.integers(0, 5)),
        st.tuples(st.just("damage"), st.integers(0, 10_000)),
    ),
    max_size=25,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
@example([("put", 0), ("compact", 0), ("damage", 2), ("damage", 2)])  # a file damaged twice
# a kept journal damaged, then the manifest: its copy still holds the store whole (it was thrown
# away for the journal, and the store rebuilt from an older backup without the compacted card)
@example([("put", 0), ("compact", 0), ("damage", 1), ("damage", 0)])
def test_backups_stay_restorable_and_no_loss_is_silent(sequence: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        clock = Clock()

        def open_store() -> Store:
            return Store.open(data_dir, clock=clock, backup_interval_s=1e9, keep_backups=3)

        store = open_store()
        snapshots: dict[str, dict[str, dict[int, object]]] = {}
        first = list_backups(data_dir)
        if first:
            snapshots[first[0].name] = state_of(store)
        acked = state_of(store)
        for kind, n in sequence:
            clock.advance(minutes=7)
            if kind == "put":
                existing = n if store.cards.get(n) is not None else 0
                with store.transaction() as tx:
                    tx.put("cards", make_card(f"v{n}").model_copy(update={"id": existing}))
            elif kind == "del":
                with store.transaction() as tx:
                    tx.delete("cards", n)
            elif kind == "compact":
                store.compact()
            elif kind == "backup":
                path = store.backup()
                snapshots[path.name] = state_of(store)
            elif kind in ("crash", "close"):
                crash(store) if kind == "crash" else store.close()
                store = open_store()
            elif kind == "restore":
                found = list_backups(data_dir)
                if found:
                    chosen = found[n % len(found)]
                    safety = store.restore(chosen, keep=3)
                    assert safety is not None
                    snapshots[safety.name] = acked
                    assert state_of(store) == snapshots[chosen.name]
            elif kind == "damage":
                crash(store)
                rng = random.Random(n)
                name = rng.choice(store_files(data_dir))
                damage(data_dir / name, rng.choice(KINDS[:3]), rng)  # truncate, zero, flip
                store = open_store()
                got = state_of(store)
                silent = silent_differences(acked, got, told_ids(store.report.problems))
                assert not silent, f"{name}: {silent} {store.report.problems}"
            acked = state_of(store)
        store.close()
        for backup in list_backups(data_dir):
            verify_backup(backup)
            if backup.name in snapshots:
                old = Store.open(backup, readonly=True, clock=clock)
                assert state_of(old) == snapshots[backup.name], backup.name
                old.files.unpin()
