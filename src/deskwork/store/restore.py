"""Restoring a backup: verify it, say what the live store has that it lacks, back the live state up
(without rotating anything away), copy the backup in, and continue at a generation never used before
and with id counters never lower than before: no id the replaced state used is handed out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork.store import backups
from deskwork.store.checksums import describe_ids
from deskwork.store.schema import LOGS, TABLES

if TYPE_CHECKING:
    from deskwork.store.store import Store


@dataclass
class TableDiff:
    table: str
    lost: set[int] = field(default_factory=set)  # in the live store, not in the backup
    reverted: set[int] = field(default_factory=set)  # in both, the backup's version differs
    raw: set[str] = field(default_factory=set)  # damaged records kept raw the backup lacks

    def __bool__(self) -> bool:
        """Whether the restore loses anything of this table."""
        return bool(self.lost or self.reverted or self.raw)

    def __str__(self) -> str:
        parts = []
        if self.lost:
            parts.append(f"{len(self.lost)} added since ({describe_ids(self.lost)}) are gone")
        if self.reverted:
            parts.append(
                f"{len(self.reverted)} go back to their older version "
                f"({describe_ids(self.reverted)})"
            )
        if self.raw:
            keys = ", ".join(sorted(self.raw, key=lambda k: (len(k), k)))
            parts.append(f"{len(self.raw)} damaged kept unchanged ({keys}) are gone")
        return f"{self.table}: " + "; ".join(parts)


@dataclass
class Restored:
    safety: Path | None
    diffs: list[TableDiff]
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [str(d) for d in self.diffs if d]


def _records(store: Store) -> dict[str, dict[int, Any]]:
    out: dict[str, dict[int, Any]] = {}
    for name in TABLES:
        out[name] = {doc.id: doc for doc in store.tables[name].values()}
    for name in LOGS:
        out[name] = {doc.id: doc for doc in store.logs[name].all()}
    return out


def _kept_raw(store: Store) -> dict[str, dict[str, Any]]:
    """Damaged records kept raw (reported at open, written back unchanged), by table and key."""
    out: dict[str, dict[str, Any]] = {name: store.tables[name].invalid_raw() for name in TABLES}
    for name in LOGS:
        lg = store.logs[name]
        out[name] = {k: v for month in lg.months() for k, v in lg.invalid_of(month).items()}
    return out


def diff(
    live: dict[str, dict[int, Any]],
    older: dict[str, dict[int, Any]],
    live_raw: dict[str, dict[str, Any]] | None = None,
    older_raw: dict[str, dict[str, Any]] | None = None,
) -> list[TableDiff]:
    out = []
    for table, docs in live.items():
        theirs = older.get(table, {})
        d = TableDiff(table)
        d.lost = set(docs) - set(theirs)
        d.reverted = {i for i in set(docs) & set(theirs) if docs[i] != theirs[i]}
        their_raw = (older_raw or {}).get(table, {})
        d.raw = {k for k, v in (live_raw or {}).get(table, {}).items() if their_raw.get(k) != v}
        out.append(d)
    return out


def verify_backup(backup: Path) -> None:
    from deskwork.store.store import StoreError

    problem = backups.check_backup(backup)
    if problem is not None:
        raise StoreError(f"backup {backup.name}: {problem}; nothing was changed")


def preview(data_dir: Path, backup: Path) -> list[TableDiff]:
    """What restoring `backup` would lose, computed without changing anything: the backup is
    verified (StoreError if damaged), both it and the live store are only read."""
    from deskwork.store.store import Store as StoreClass

    verify_backup(backup)
    live = StoreClass.open(data_dir, readonly=True)
    try:
        older = StoreClass.open(backup, readonly=True)
        try:
            return diff(_records(live), _records(older), _kept_raw(live), _kept_raw(older))
        finally:
            older.close()
    finally:
        live.close()


def restore_into(store: Store, backup: Path, keep: int) -> Restored:
    """`store`: open as a writer (best with `for_restore=True`: nothing rotated or backed up)."""
    from deskwork.store.store import Store as StoreClass

    verify_backup(backup)
    store.stop_group_commit()  # every write durable, and no sync behind the restore's back
    if store.background is not None:  # nothing compacts behind the restore's back
        store.background.stop()
        store.background = None
    manifest = backups.backup_manifest(backup)
    assert manifest is not None
    older = StoreClass.open(backup, readonly=True, clock=store.clock)
    diffs = diff(_records(store), _records(older), _kept_raw(store), _kept_raw(older))
    older.files.unpin()
    warnings: list[str] = []
    store.compact_or_warn()
    # Ids the state before the restore used stay used: its records live on in the safety backup
    # (and in older backups and journals), and one of them restored later must not meet a new
    # record under its id.
    counted = dict(store.manifest.counters)
    keep_path = backup.resolve()
    safety: Path | None = None
    try:
        safety = store.prepare_backup(keep=10**9)()  # no rotation yet: the backup must survive
    except (OSError, backups.BackupFailed) as exc:
        warnings.append(f"the state before the restore could not be backed up ({exc})")
    assert store._journal is not None
    tickets = store._journal.lines  # durable (flushed above): the new journal counts on from it
    store._journal.close()
    store._journal = None
    backups.restore_files(backup, store.data_dir, manifest, keep_counters=counted)
    store.tables.clear()
    store.logs.clear()
    report = store.report
    store.report = type(report)()
    store.new_chain()
    store._load(backups.backup_manifest(store.data_dir), writable=True)
    if store._journal is not None:
        store._journal.lines = store._journal.lines_synced = tickets
    counters = store.manifest.counters
    for name, value in counted.items():
        counters[name] = max(counters.get(name, 1), value)
    store.compact(force=True)
    store.report = report
    backups.rotate(
        store.data_dir,
        keep + 1,
        live=store.manifest,
        protect=(keep_path, *([safety] if safety else [])),
    )
    return Restored(safety=safety, diffs=diffs, warnings=warnings)
