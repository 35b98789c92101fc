"""`deskwork doctor`: an independent check of a data dir, opening each file with TinyDB itself."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from deskwork.domain.wording import plural
from deskwork.store import backups, journal
from deskwork.store.lock import is_locked
from deskwork.store.manifest import BadManifest, read_manifest
from deskwork.store.store import Store


@dataclass
class Checkup:
    data_dir: Path
    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "data_dir": str(self.data_dir),
            "healthy": not self.problems,
            "ok": self.ok,
            "problems": self.problems,
            "counts": self.counts,
        }


def _tinydb_count(path: Path, table: str) -> int:
    db = TinyDB(path, storage=JSONStorage, access_mode="r")
    try:
        return len(db.table(table).all())
    finally:
        db.close()


def check(data_dir: Path) -> Checkup:
    report = Checkup(data_dir)
    if not data_dir.is_dir():
        report.problems.append(f"{data_dir} does not exist (it is created on first start)")
        return report
    mode = stat.S_IMODE(data_dir.stat().st_mode)
    if mode & 0o077:
        report.problems.append(f"{data_dir} is readable by others (mode {mode:o}; expected 700)")
    holder = is_locked(data_dir)
    if holder:
        report.ok.append(f"in use by pid {holder.get('pid')} ({holder.get('what', 'deskwork')})")
    try:
        manifest = read_manifest(data_dir)
    except BadManifest as exc:
        report.problems.append(str(exc))
        return report
    if manifest is None:
        report.ok.append("empty data dir (no store yet)")
        return report
    report.ok.append(f"schema version {manifest.schema_version}, generation {manifest.gen}")
    for table, shards in manifest.tables.items():
        for name in shards.values():
            _check_file(report, data_dir / name, table)
    for log, months in manifest.logs.items():
        for segs in months.values():
            for name in segs:
                _check_file(report, data_dir / name, log)
    replay = journal.replay(data_dir / manifest.journal)
    if replay.corrupt_line is not None:
        report.problems.append(f"{manifest.journal}: line {replay.corrupt_line} is damaged")
    else:
        report.ok.append(
            f"journal: {plural(len(replay.transactions), 'transaction')} since last compaction"
        )
    store = Store.open(data_dir, readonly=True)
    store.cards.load_all()
    for log_table in store.logs.values():
        log_table.all()
    report.problems.extend(store.report.recovered)
    report.problems.extend(str(p) for p in store.report.invalid)
    found = backups.list_backups(data_dir)
    if found:
        report.ok.append(f"{plural(len(found), 'backup')}, newest {found[0].name}")
    else:
        report.problems.append("no backups yet (one is made when deskwork opens the store)")
    return report


def _check_file(report: Checkup, path: Path, table: str) -> None:
    try:
        count = _tinydb_count(path, table)
    except FileNotFoundError:
        report.problems.append(f"{path.name}: missing")
        return
    except (ValueError, OSError) as exc:
        report.problems.append(f"{path.name}: not a readable TinyDB file ({exc})")
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        report.problems.append(f"{path.name}: readable by others (mode {mode:o}; expected 600)")
    report.counts[table] = report.counts.get(table, 0) + count
