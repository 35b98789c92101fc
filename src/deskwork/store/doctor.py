"""`deskwork doctor`: every check of a data dir — files, checksums, references, permissions, the
journal, backups — each reported, none allowed to crash the report. Table files are also opened with
TinyDB itself, independently of the store's own reader. `repair` fixes what can be fixed."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from deskwork.domain.wording import plural
from deskwork.store import backups, journal
from deskwork.store.files import Damaged, read_path, read_verified
from deskwork.store.lock import is_locked
from deskwork.store.manifest import (
    JOURNAL_FILE,
    SEGMENT_FILE,
    TABLE_FILE,
    BadManifest,
    Manifest,
    read_manifest,
)
from deskwork.store.repeats import (
    DUPLICATE,
    REPEATED_FIELD,
    CorruptFile,
    load_table_json,
    repeated_fields,
)


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

    def run(self, what: str, step: Callable[[], None]) -> None:
        """One check: whatever it raises becomes a reported problem, never a crash."""
        try:
            step()
        except Exception as exc:
            self.problems.append(f"{what}: the check failed ({type(exc).__name__}: {exc})")


def _tinydb_count(path: Path, table: str) -> int:
    db = TinyDB(path, storage=JSONStorage, access_mode="r")
    try:
        if table not in db.tables():
            raise ValueError(f"no {table!r} table")
        return len(db.table(table).all())
    finally:
        db.close()


def _mode_problem(path: Path, expected: int) -> str | None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return f"{path.name} is readable by others (mode {mode:o}; expected {expected:o})"
    return None


def _fingerprint(data_dir: Path) -> tuple[object, ...]:
    try:
        manifest = read_manifest(data_dir)
    except BadManifest:
        manifest = None
    return (manifest.gen if manifest else None, tuple(backups.list_backups(data_dir)))


def check(data_dir: Path, patience_s: float = 30.0) -> Checkup:
    """Every check; while a writer changes the store meanwhile (a compaction, a backup), the
    whole check runs again, so a problem reported is one that holds still. A writer compacting
    again and again gets up to `patience_s` to let one whole check run between two changes."""
    import time

    deadline = time.monotonic() + patience_s
    report = _check_once(data_dir)
    pause = 0.05
    while report.problems and time.monotonic() < deadline:
        before = _fingerprint(data_dir)
        report = _check_once(data_dir)
        if _fingerprint(data_dir) == before:
            return report
        time.sleep(pause)  # let the writer finish what it is doing
        pause = min(pause * 2, 1.0)
    return report


def _check_once(data_dir: Path) -> Checkup:
    report = Checkup(data_dir)
    try:
        if not data_dir.is_dir():
            report.problems.append(f"{data_dir} does not exist (it is created on first start)")
            return report
        list(data_dir.iterdir())
    except OSError as exc:
        report.problems.append(f"{data_dir} cannot be read ({exc.strerror or exc})")
        return report
    report.run("permissions", lambda: _permissions(report, data_dir))
    report.run("lock", lambda: _lock(report, data_dir))
    manifest: Manifest | None = None
    try:
        manifest = read_manifest(data_dir)
    except BadManifest as exc:
        report.problems.append(f"{exc} (`deskwork doctor --repair` restores it from a backup)")
    if manifest is None and not report.problems:
        report.ok.append("empty data dir (no store yet)")
    if manifest is not None:
        found = manifest
        report.ok.append(f"schema version {manifest.schema_version}, generation {manifest.gen}")
        report.run("files", lambda: _files(report, data_dir, found))
        report.run("journal", lambda: _journal(report, data_dir, found))
        report.run("records", lambda: _records(report, data_dir))
    report.run("stray files", lambda: _strays(report, data_dir))
    report.run("backups", lambda: _backups(report, data_dir))
    return report


def _permissions(report: Checkup, data_dir: Path) -> None:
    problem = _mode_problem(data_dir, 0o700)
    if problem:
        report.problems.append(problem.replace(data_dir.name, str(data_dir), 1))


def _lock(report: Checkup, data_dir: Path) -> None:
    holder = is_locked(data_dir)
    if holder:
        report.ok.append(f"in use by pid {holder.get('pid')} ({holder.get('what', 'deskwork')})")


def _files(report: Checkup, data_dir: Path, manifest: Manifest) -> None:
    if manifest.sums is None:
        report.problems.append("the store predates checksums (opening deskwork once records them)")
    checked = 0
    for table, shards in manifest.tables.items():
        for name in shards.values():
            checked += _check_file(report, data_dir / name, table, manifest)
    for log, months in manifest.logs.items():
        for segs in months.values():
            for name in segs:
                checked += _check_file(report, data_dir / name, log, manifest)
    for name in manifest.kept_journals().values():
        try:
            read_verified(data_dir / name, (manifest.sums or {}).get(name))
        except Damaged as exc:
            report.problems.append(f"{name} (kept for recovery) is damaged: {exc}")
    files = sum(len(shards) for shards in manifest.tables.values()) + sum(
        len(segs) for months in manifest.logs.values() for segs in months.values()
    )
    if not files:
        report.ok.append(
            "no data files yet: everything is in the journal (the first compaction, on quit or "
            "when the journal grows, writes them)"
        )
    elif checked == files:
        report.ok.append(
            "1 data file matches its checksum"
            if files == 1
            else f"all {files} data files match their checksums"
        )
    else:  # not ok: each file that failed is named among the problems already
        failed = files - checked
        report.problems.append(
            f"{failed} of {files} data files {'fails' if failed == 1 else 'fail'} the check "
            f"(named above); {checked} match their checksums"
        )


def _check_file(report: Checkup, path: Path, table: str, manifest: Manifest) -> int:
    try:
        data = read_verified(path, (manifest.sums or {}).get(path.name))
        count = _tinydb_count(path, table)
        report.problems.extend(_repeated_fields(data, table, path.name))
    except Damaged as exc:
        report.problems.append(f"{path.name}: {exc}")
        return 0
    except (ValueError, OSError) as exc:
        report.problems.append(f"{path.name}: not a readable TinyDB file of {table} ({exc})")
        return 0
    try:
        problem = _mode_problem(path, 0o600)
    except FileNotFoundError:  # a live writer compacted it away after it was read: it was fine
        problem = ""
    if problem:
        report.problems.append(problem)
    report.counts[table] = report.counts.get(table, 0) + count
    return 1


def _repeated_fields(data: bytes, table: str, name: str) -> list[str]:
    """Records of the file with a field written twice: the store's reader validates a file in
    its own layout straight from the bytes (JSON's rule: the last copy counts, silently); the
    doctor parses each file whole and says so (repeats.py)."""
    try:
        records = load_table_json(data).get(table)
    except (CorruptFile, AttributeError):
        return []  # said by the TinyDB check
    out = []
    for key, value in records.items() if isinstance(records, dict) else ():
        for path in repeated_fields(value) if DUPLICATE not in key else ():
            out.append(f"{table} record {key} in {name}: {path}: {REPEATED_FIELD}")
    return out


def _journal(report: Checkup, data_dir: Path, manifest: Manifest) -> None:
    path = data_dir / manifest.journal
    try:
        data = read_path(path)
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        report.problems.append(f"{manifest.journal} cannot be read ({exc.strerror or exc})")
        return
    replay = journal.parse(data)
    for damaged in replay.damaged:
        report.problems.append(f"{manifest.journal}: {damaged} is damaged")
    report.ok.append(
        f"journal: {plural(len(replay.transactions), 'transaction')} since last compaction"
    )


# The recovery's first line about a file, which the file check has already said in its words.
_DAMAGED = re.compile(r"(\S+) is damaged \(")


def _records(report: Checkup, data_dir: Path) -> None:
    """Everything loaded the way deskwork reads it: what recovery would say, said now."""
    from deskwork.store.store import Store

    store = Store.open(data_dir, readonly=True)
    try:
        for table in store.tables.values():
            table.load_all()
        for log_table in store.logs.values():
            log_table.all()
    finally:
        store.files.unpin()
    said = {p.split(":", 1)[0] for p in report.problems}  # files the checksum check named
    for message in store.report.recovered:
        damaged = _DAMAGED.match(message)
        if message in report.problems or (damaged and damaged.group(1) in said):
            continue  # said once: "X: its content does not match its checksum"
        report.problems.append(message)
    report.problems.extend(str(p) for p in store.report.invalid)


def _strays(report: Checkup, data_dir: Path) -> None:
    kept = [p.name for p in data_dir.iterdir() if ".corrupt-" in p.name]
    if kept:
        report.ok.append(
            f"{plural(len(kept), 'damaged file')} kept aside for inspection, e.g. {kept[0]}"
        )
    for path in data_dir.iterdir():
        looks = TABLE_FILE.match(path.name) or SEGMENT_FILE.match(path.name)
        if (looks or JOURNAL_FILE.match(path.name)) and path.is_dir():
            report.problems.append(f"{path.name} is a directory where a file belongs")


def _backups(report: Checkup, data_dir: Path) -> None:
    found = backups.list_backups(data_dir)
    if not found:
        report.problems.append("no backups yet (one is made when deskwork opens the store)")
        return
    bad = 0
    for backup in found:
        problem = backups.check_backup(backup)
        if problem is not None:
            report.problems.append(f"backup {backup.name}: {problem}")
            bad += 1
    report.ok.append(
        f"{plural(len(found), 'backup')} ({len(found) - bad} verified), newest {found[0].name}"
    )


def repair(store: Any) -> list[str]:
    """With the store open as a writer (which already moved damaged files aside and rebuilt them):
    load and check everything, write what was rebuilt, tighten permissions. Says what it did."""
    done: list[str] = []
    for table in store.tables.values():
        table.load_all()
    for log in store.logs.values():
        log.all()
    store.compact_or_warn()
    for path in [store.data_dir, *store.data_dir.iterdir()]:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            want = 0o700 if path.is_dir() else 0o600
            if mode & 0o077:
                os.chmod(path, want)
                done.append(f"{path.name}: permissions tightened to {want:o}")
        except OSError as exc:
            done.append(f"{path.name}: permissions could not be changed ({exc.strerror})")
    return done
