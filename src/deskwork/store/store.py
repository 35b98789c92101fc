"""The store: opening (lock, recovery, migration, journal replay), transactions, compaction, backups.

Layout of a data dir:

    manifest.json            which files are current, schema version, id counters (atomic replace)
    cards-12.json …          one TinyDB file per table, immutable once written
    reviews-2026-11-12.json  review-log segments, one or more per month, immutable
    journal-12.jsonl         fsync'd append journal of transactions since the last compaction
    backups/<stamp>/         rotating backups
    deskwork.lock            the single-writer lock

A write is one journal line + one fdatasync (its cost does not depend on how much data there is); the
in-memory tables are updated only after the line is durable. Compaction (at close, or when the journal
outgrows its limit) writes the changed tables as new files and commits them by replacing the manifest.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.curriculum import Item
from deskwork.domain.drafts import Draft
from deskwork.domain.media import MediaFile
from deskwork.domain.notetypes import NoteTypeDef
from deskwork.domain.records import Record, utcnow
from deskwork.domain.sessions import Session
from deskwork.domain.settings import Setting
from deskwork.domain.wording import plural
from deskwork.store import backups, journal
from deskwork.store.fsutil import atomic_write, ensure_private_dir, fsync_dir
from deskwork.store.lock import StoreLock
from deskwork.store.logs import MAX_SEGMENTS_PER_MONTH, LogTable, month_of
from deskwork.store.manifest import (
    JOURNAL_FILE,
    MANIFEST_NAME,
    SEGMENT_FILE,
    TABLE_FILE,
    BadManifest,
    Manifest,
    read_manifest,
    write_manifest,
)
from deskwork.store.media import MediaFolder
from deskwork.store.migrations import migrate_record
from deskwork.store.schema import LAZY_TABLES, LOG_TIME_FIELD, LOGS, SCHEMA_VERSION, TABLES
from deskwork.store.tables import Codec, CorruptFile, InvalidRecord, Table

R = TypeVar("R", bound=Record)
Clock = Callable[[], datetime]


class ReadOnlyStore(Exception):
    pass


class StoreError(Exception):
    pass


@dataclass
class OpenReport:
    """What happened while opening: shown to the user (TUI notification, CLI stderr)."""

    recovered: list[str] = field(default_factory=list)
    invalid: list[InvalidRecord] = field(default_factory=list)
    backup: Path | None = None
    migrated_from: int | None = None

    @property
    def problems(self) -> list[str]:
        """Messages for the user; many bad records of one table make one message, not thousands."""
        by_table: dict[str, list[InvalidRecord]] = {}
        for problem in self.invalid:
            by_table.setdefault(problem.table, []).append(problem)
        messages = list(self.recovered)
        for table, bad in by_table.items():
            if len(bad) <= 3:
                messages += [str(p) for p in bad]
            else:
                messages.append(
                    f"{table}: {plural(len(bad), 'record')} failed validation and are kept unchanged "
                    f"(`deskwork doctor` lists them), e.g. {bad[0]}; {bad[1]}"
                )
        return messages


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Loading creates many objects that all survive: collections meanwhile are wasted work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class Store:
    """Durable, fast storage for every deskwork record. Use `Store.open(...)`."""

    def __init__(self, data_dir: Path, *, readonly: bool, clock: Clock) -> None:
        self.data_dir = data_dir
        self.readonly = readonly
        self.clock = clock
        self.report = OpenReport()
        self.tables: dict[str, Table[Any]] = {}
        self.logs: dict[str, LogTable[Any]] = {}
        self.manifest = Manifest(schema_version=SCHEMA_VERSION, gen=0)
        self.journal_limit = 2 << 20
        self._journal: journal.JournalWriter | None = None
        self._lock: StoreLock | None = None
        self._rewrite_on_open = False  # set by recovery and migration: persist the repaired state
        self._pinned: set[str] = set()  # files an in-flight backup is copying: not to be deleted
        self._pin_lock = threading.Lock()
        self._backup_running = threading.Lock()
        self.backup_interval_s: float = 3600
        self.keep_backups = 10
        self._codecs: dict[str, Codec[Any]] = {
            name: Codec(name, model) for name, model in {**TABLES, **LOGS}.items()
        }

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        readonly: bool = False,
        what: str = "deskwork",
        clock: Clock = utcnow,
        backup_interval_s: float = 3600,
        keep_backups: int = 10,
        backup_on_open: bool = True,
    ) -> Store:
        """Open the store in `data_dir` (created 0700). A writer takes the lock (StoreLocked if held).

        With `backup_on_open=False` the caller takes the due backup itself, e.g. from a worker
        thread after the first frame (`backup_due` / `prepare_backup`)."""
        store = cls(data_dir, readonly=readonly, clock=clock)
        store.backup_interval_s, store.keep_backups = backup_interval_s, keep_backups
        if readonly:
            store._open_readonly()
            return store
        ensure_private_dir(data_dir)
        store._lock = StoreLock.acquire(data_dir, what, clock())
        try:
            store._open_writer(backup_on_open)
        except BaseException:
            store._lock.release()
            raise
        return store

    def _open_readonly(self) -> None:
        """A consistent snapshot without the lock: retry if a compaction swapped files meanwhile."""
        for _ in range(20):
            try:
                before = read_manifest(self.data_dir)
                self._load(before, writable=False)
                after = read_manifest(self.data_dir)
            except (FileNotFoundError, BadManifest):
                continue
            if before is None or (after is not None and after.gen == before.gen):
                return
        raise StoreError(f"{self.data_dir}: the store kept changing while being read; try again")

    def _open_writer(self, backup_on_open: bool) -> None:
        try:
            manifest = read_manifest(self.data_dir)
            if manifest is None and self._has_data_files():
                raise BadManifest(f"{self.data_dir / MANIFEST_NAME} is missing")
        except BadManifest as exc:
            manifest = self._recover_manifest(str(exc))
        fresh = manifest is None
        self._load(manifest, writable=True)
        if fresh or self._rewrite_on_open:
            self.compact(force=True)
        self._remove_orphans()
        if backup_on_open and self.backup_due():
            self.prepare_backup()()

    def _has_data_files(self) -> bool:
        return any(
            TABLE_FILE.match(p.name) or SEGMENT_FILE.match(p.name) or JOURNAL_FILE.match(p.name)
            for p in self.data_dir.iterdir()
        )

    def _move_aside(self, path: Path) -> Path:
        target = path.with_name(f"{path.name}.corrupt-{_stamp(self.clock())}")
        n = 1
        while target.exists():
            target = path.with_name(f"{path.name}.corrupt-{_stamp(self.clock())}-{n}")
            n += 1
        os.replace(path, target)
        fsync_dir(path.parent)
        return target

    def _recover_manifest(self, reason: str) -> Manifest | None:
        path = self.data_dir / MANIFEST_NAME
        if path.exists():
            aside = self._move_aside(path)
            self.report.recovered.append(f"{reason}; moved aside as {aside.name}")
        else:
            self.report.recovered.append(reason)
        newest = self._newest_journal()
        newest_ops = newest.read_bytes() if newest is not None else b""
        for backup in backups.list_backups(self.data_dir):
            manifest = backups.backup_manifest(backup)
            if manifest is None:
                continue
            try:
                backups.restore_files(backup, self.data_dir, manifest)
            except OSError:
                continue
            self.report.recovered.append(f"restored the store from backup {backup.name}")
            self._keep_newer_files(manifest, newest_ops)
            return manifest
        self.report.recovered.append("no usable backup: starting with an empty store")
        return None

    def _keep_newer_files(self, manifest: Manifest, newest_ops: bytes) -> None:
        """After restoring a backup's manifest: replay the newest journal on top (puts and deletes
        are idempotent) and move files newer than the backup aside instead of deleting them."""
        if newest_ops:
            target = self.data_dir / manifest.journal
            base = target.read_bytes() if target.exists() else b""
            if base and not base.endswith(b"\n"):
                base += b"\n"
            atomic_write(target, base + newest_ops)
        for path in self.data_dir.iterdir():
            m = TABLE_FILE.match(path.name) or SEGMENT_FILE.match(path.name)
            m = m or JOURNAL_FILE.match(path.name)
            if m and int(m["gen"]) > manifest.gen:
                aside = path.with_name(f"{path.name}.unreferenced-{_stamp(self.clock())}")
                os.replace(path, aside)
                self.report.recovered.append(f"{path.name} was kept as {aside.name}")

    def _newest_journal(self) -> Path | None:
        found = [
            (int(m["gen"]), p) for p in self.data_dir.iterdir() if (m := JOURNAL_FILE.match(p.name))
        ]
        return max(found)[1] if found else None

    def _load(self, manifest: Manifest | None, *, writable: bool) -> None:
        self.report.invalid.clear()
        self.manifest = manifest or Manifest(schema_version=SCHEMA_VERSION, gen=0)
        version = self.manifest.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.data_dir} was written by a newer deskwork (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade deskwork"
            )
        migrating = version < SCHEMA_VERSION
        with no_gc():
            reader = self._shard_reader(writable, migrating)
            for name in TABLES:
                files = dict(self.manifest.tables.get(name, {}))
                self.tables[name] = table = Table(self._codecs[name], files, reader)
                if migrating or name not in LAZY_TABLES:
                    table.load_all()
            for name in LOGS:
                codec = self._codecs[name]
                self.logs[name] = LogTable(
                    codec,
                    self.data_dir,
                    {m: list(s) for m, s in self.manifest.logs.get(name, {}).items()},
                    self._segment_reader(writable, migrating),
                )
                if migrating:
                    for month in self.logs[name].months():
                        self.logs[name].month(month)
            self._replay(writable=writable, migrating=migrating)
        if migrating:
            self.report.migrated_from = version
            self.manifest = self.manifest.model_copy(update={"schema_version": SCHEMA_VERSION})
            for t in self.tables.values():
                t.mark_all_dirty()
            self._rewrite_on_open = True
        if writable:
            self._journal = journal.JournalWriter(self.data_dir / self.manifest.journal)

    def _decode(self, codec: Codec[Any], raw: bytes, migrating: bool) -> tuple[Any, Any, Any]:
        if not migrating:
            return codec.decode(raw)
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise CorruptFile(f"not JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get(codec.name, {}), dict):
            raise CorruptFile(f"not a TinyDB database with a {codec.name!r} table")
        table = {
            k: migrate_record(codec.name, v, self.manifest.schema_version, SCHEMA_VERSION)
            for k, v in data.get(codec.name, {}).items()
        }
        return codec.validate_raw(table)

    def _shard_reader(
        self, writable: bool, migrating: bool
    ) -> Callable[[str, int, str], tuple[dict[int, Any], dict[str, Any]]]:
        def read(name: str, shard: int, file_name: str) -> tuple[dict[int, Any], dict[str, Any]]:
            codec = self._codecs[name]
            path = self.data_dir / file_name
            try:
                with no_gc():
                    docs, invalid, problems = self._decode(codec, path.read_bytes(), migrating)
            except (CorruptFile, FileNotFoundError) as exc:
                if not writable and isinstance(exc, FileNotFoundError):
                    raise
                docs, invalid, problems = self._recover_file(path, codec, str(exc), writable, shard)
                if writable:
                    self.tables[name].dirty.add(shard)
                    self._rewrite_on_open = True
            self.report.invalid.extend(problems)
            return docs, invalid

        return read

    def _recover_file(
        self, path: Path, codec: Codec[Any], reason: str, writable: bool, shard: int | None = None
    ) -> tuple[Any, Any, list[InvalidRecord]]:
        """A damaged table or segment: move it aside, take the newest good copy from the backups."""
        if writable and path.exists():
            aside = self._move_aside(path)
            self.report.recovered.append(
                f"{path.name} is damaged ({reason}); moved aside as {aside.name}"
            )
        else:
            self.report.recovered.append(f"{path.name} is damaged ({reason})")
        for backup in backups.list_backups(self.data_dir):
            manifest = backups.backup_manifest(backup)
            if manifest is None:
                continue
            if shard is not None:
                candidate = manifest.tables.get(codec.name, {}).get(shard)
            else:
                candidate = path.name
            if candidate is not None and (backup / candidate).exists():
                try:
                    result = codec.decode((backup / candidate).read_bytes())
                except CorruptFile:
                    continue
                self.report.recovered.append(
                    f"{codec.name}: restored from backup {backup.name} ({plural(len(result[0]), 'record')})"
                )
                return result
        self.report.recovered.append(f"{codec.name}: no good backup copy; that part starts empty")
        return {}, {}, []

    def _segment_reader(
        self, writable: bool, migrating: bool
    ) -> Callable[[Codec[Any], Path], tuple[dict[int, Any], dict[str, Any]]]:
        def read(codec: Codec[Any], path: Path) -> tuple[dict[int, Any], dict[str, Any]]:
            try:
                docs, invalid, problems = self._decode(codec, path.read_bytes(), migrating)
            except (CorruptFile, FileNotFoundError) as exc:
                docs, invalid, problems = self._recover_file(path, codec, str(exc), writable)
                if writable:
                    self._rewrite_segment(codec.name, path, docs, invalid)
            self.report.invalid.extend(problems)
            return docs, invalid

        return read

    def _rewrite_segment(self, log: str, path: Path, docs: Any, invalid: Any) -> None:
        atomic_write(path, self._codecs[log].encode(docs, invalid))

    def _replay(self, *, writable: bool, migrating: bool) -> None:
        path = self.data_dir / self.manifest.journal
        result = journal.replay(path)
        if result.corrupt_line is not None:
            self.report.recovered.append(
                f"{path.name}: line {result.corrupt_line} is damaged; the "
                f"{plural(len(result.transactions), 'transaction')} before it were kept"
            )
            if writable:
                aside = path.with_name(f"{path.name}.corrupt-{_stamp(self.clock())}")
                shutil.copyfile(path, aside)
                self.report.recovered.append(f"the whole journal was kept as {aside.name}")
        if writable and (result.torn_tail or result.corrupt_line is not None):
            with open(path, "r+b") as fh:
                fh.truncate(result.good_bytes)
                fh.flush()
                os.fsync(fh.fileno())
        for ops in result.transactions:
            self._apply(ops, from_disk=True, migrating=migrating)
        if result.corrupt_line is not None:
            self._rewrite_on_open = True

    # ------------------------------------------------------------------ accessors
    @property
    def cards(self) -> Table[Card]:
        return cast(Table[Card], self.tables["cards"])

    @property
    def items(self) -> Table[Item]:
        return cast(Table[Item], self.tables["items"])

    @property
    def sessions(self) -> Table[Session]:
        return cast(Table[Session], self.tables["sessions"])

    @property
    def drafts(self) -> Table[Draft]:
        return cast(Table[Draft], self.tables["drafts"])

    @property
    def settings(self) -> Table[Setting]:
        return cast(Table[Setting], self.tables["settings"])

    @property
    def notetypes(self) -> Table[NoteTypeDef]:
        return cast(Table[NoteTypeDef], self.tables["notetypes"])

    @property
    def media(self) -> Table[MediaFile]:
        return cast(Table[MediaFile], self.tables["media"])

    @property
    def media_folder(self) -> MediaFolder:
        return MediaFolder(self.data_dir)

    @property
    def reviews(self) -> LogTable[ReviewLog]:
        return cast(LogTable[ReviewLog], self.logs["reviews"])

    def _setting_record(self, key: str) -> Setting | None:
        return next((s for s in self.settings.values() if s.key == key), None)

    def setting(self, key: str, default: Any = None) -> Any:
        record = self._setting_record(key)
        return record.value if record is not None else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as tx:
            tx.set_setting(key, value)

    # ------------------------------------------------------------------ writing
    def transaction(self) -> Transaction:
        if self.readonly or self._journal is None:
            raise ReadOnlyStore(f"{self.data_dir} is open read-only")
        return Transaction(self)

    def _next_id(self, name: str) -> int:
        counters = self.manifest.counters
        if name not in counters:
            counters[name] = (self.tables[name].max_id() if name in self.tables else 0) + 1
        value = counters[name]
        counters[name] = value + 1
        return value

    def _commit(self, ops: list[str], parsed: list[list[Any]]) -> None:
        assert self._journal is not None
        line = journal.encode("[" + ",".join(ops) + "]")
        self._journal.append(line)
        self._apply(parsed, from_disk=False, migrating=False)
        if self._journal.size > self.journal_limit:
            self.compact()

    def _apply(self, ops: list[list[Any]], *, from_disk: bool, migrating: bool) -> None:
        counters = self.manifest.counters
        for op in ops:
            kind, name = op[0], op[1]
            if kind in ("put", "app"):
                doc = op[-1]
                if from_disk:
                    codec = self._codecs.get(name)
                    if codec is None:
                        continue
                    raw = doc
                    if migrating:
                        raw = migrate_record(
                            name, raw, self.manifest.schema_version, SCHEMA_VERSION
                        )
                    docs, invalid, problems = codec.validate_raw({str(op[-2]): raw})
                    self.report.invalid.extend(problems)
                    if not docs:
                        if kind == "put":
                            for key, raw_doc in invalid.items():
                                self.tables[name]._keep_invalid(key, raw_doc)
                        continue
                    doc = next(iter(docs.values()))
                    counters[name] = max(counters.get(name, 1), doc.id + 1)
                if kind == "put":
                    self.tables[name]._put(doc)
                else:
                    self.logs[name]._append(op[2], doc)
            elif kind == "del":
                self.tables[name]._delete(op[2])
            elif kind == "rm":
                self.logs[name]._remove(op[2], op[3])

    # ------------------------------------------------------------------ compaction
    def compact(self, *, force: bool = False) -> None:
        """Write changed tables and new log segments, then switch to a new manifest and journal."""
        if self.readonly or self._journal is None:
            return
        dirty = [t for t in self.tables.values() if t.dirty]
        pending = [lg for lg in self.logs.values() if lg.pending_put or lg.pending_del]
        if not (force or dirty or pending or self._journal.size):
            return
        old = self.manifest
        gen = old.gen + 1
        tables = {k: dict(v) for k, v in old.tables.items()}
        for t in dirty:
            shards = tables.setdefault(t.name, {})
            for shard in sorted(t.dirty):
                docs, invalid = t.shard_data(shard)
                if not docs and not invalid:
                    shards.pop(shard, None)
                    continue
                name = f"{t.name}-s{shard}-{gen}.json"
                atomic_write(self.data_dir / name, t.codec.encode(docs, invalid))
                shards[shard] = name
        logs = {k: {m: list(s) for m, s in v.items()} for k, v in old.logs.items()}
        for lg in pending:
            months = logs.setdefault(lg.name, {})
            for month in sorted(set(lg.pending_put) | set(lg.pending_del)):
                segs = months.get(month, [])
                name = f"{lg.name}-{month}-{gen}.json"
                if lg.pending_del.get(month) or len(segs) + 1 > MAX_SEGMENTS_PER_MONTH:
                    docs = lg.month(month)
                    data = lg.codec.encode(docs, lg.invalid_of(month))
                    months[month] = [name]
                else:
                    data = lg.codec.encode(lg.pending_put.get(month, {}), {})
                    months[month] = [*segs, name]
                atomic_write(self.data_dir / name, data)
        new = Manifest(
            schema_version=SCHEMA_VERSION,
            gen=gen,
            tables=tables,
            logs=logs,
            counters=dict(old.counters),
        )
        new_journal = journal.JournalWriter(self.data_dir / new.journal, truncate_to=0)
        write_manifest(self.data_dir, new)  # the commit point
        self._journal.close()
        self._journal = new_journal
        self.manifest = new
        for t in dirty:
            t.files = dict(tables[t.name])
            t.dirty.clear()
        for lg in pending:
            lg.segments = logs[lg.name]
            lg.pending_put.clear()
            lg.pending_del.clear()
        self._remove_orphans()

    def _remove_orphans(self) -> None:
        """Delete data files no manifest names any more (never corrupt-aside files or backups)."""
        with self._pin_lock:
            keep = {*self.manifest.files(), self.manifest.journal, *self._pinned}
        for path in self.data_dir.iterdir():
            name = path.name
            ours = TABLE_FILE.match(name) or SEGMENT_FILE.match(name) or JOURNAL_FILE.match(name)
            stale_tmp = name.startswith(".") and ".tmp-" in name
            if (ours and name not in keep) or stale_tmp:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()

    # ------------------------------------------------------------------ backups
    def backup_due(self) -> bool:
        """True when the newest backup is older than the backup interval (or there is none)."""
        existing = backups.list_backups(self.data_dir)
        if not existing:
            return True
        last = backups.stamp_of(existing[0])
        return last is None or (self.clock() - last).total_seconds() >= self.backup_interval_s

    def prepare_backup(self, keep: int | None = None) -> Callable[[], Path]:
        """Snapshot what to back up now (on the writer's thread); the returned function does the
        copying and may run on any thread: compaction will not delete the files it needs."""
        manifest = self.manifest.model_copy(deep=True)
        names = {*manifest.files(), manifest.journal}
        when = self.clock()
        journal_bytes = self._journal.size if self._journal is not None else None
        keep_n = self.keep_backups if keep is None else keep
        with self._pin_lock:
            self._pinned |= names

        def run() -> Path:
            try:
                with self._backup_running:
                    path = backups.make_backup(self.data_dir, manifest, when, journal_bytes)
                    backups.rotate(self.data_dir, keep_n)
                    self.report.backup = path
                    return path
            finally:
                with self._pin_lock:
                    self._pinned -= names

        return run

    def backup(self, keep: int | None = None) -> Path:
        return self.prepare_backup(keep)()

    def restore(self, backup: Path, keep: int = 10) -> Path:
        """Back up the current state, then make `backup` the current state. Returns the safety backup."""
        manifest = backups.backup_manifest(backup)
        if manifest is None:
            raise StoreError(f"{backup} is not a complete deskwork backup")
        self.compact()
        safety = self.backup(keep=keep + 1)
        assert self._journal is not None
        self._journal.close()
        self._journal = None
        backups.restore_files(backup, self.data_dir, manifest)
        self.tables.clear()
        self.logs.clear()
        self.report = OpenReport()
        self._load(manifest, writable=True)
        self.compact(force=True)
        return safety

    # ------------------------------------------------------------------ closing
    @property
    def closed(self) -> bool:
        return getattr(self, "_closed", False)

    def close(self) -> None:
        """Compact, take a backup if the last one is older than the interval, release the lock."""
        self._closed = True
        if self._journal is not None:
            self.compact()
            with self._backup_running:  # let a background backup finish first
                pass
            if self.backup_due():
                self.backup()
            self._journal.close()
            self._journal = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Transaction:
    """Collects writes; on a clean exit they become one durable journal line, then visible."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._ops: list[str] = []
        self._parsed: list[list[Any]] = []

    def put(self, table: str, doc: R) -> R:
        if table not in TABLES:
            raise KeyError(f"unknown table {table!r}")
        if doc.id == 0:
            doc = doc.model_copy(update={"id": self.store._next_id(table)})
        self._ops.append(f'["put",{json.dumps(table)},{doc.id},{doc.model_dump_json()}]')
        self._parsed.append(["put", table, doc.id, doc])
        return doc

    def set_setting(self, key: str, value: Any) -> None:
        existing = self.store._setting_record(key)
        self.put("settings", Setting(id=existing.id if existing else 0, key=key, value=value))

    def delete(self, table: str, doc_id: int) -> None:
        if table not in TABLES:
            raise KeyError(f"unknown table {table!r}")
        self._ops.append(f'["del",{json.dumps(table)},{int(doc_id)}]')
        self._parsed.append(["del", table, int(doc_id)])

    def next_id(self, name: str) -> int:
        """An id for a record built here (saves the copy `put`/`append` make for id 0)."""
        return self.store._next_id(name)

    def append(self, log: str, doc: R) -> R:
        if log not in LOGS:
            raise KeyError(f"unknown log {log!r}")
        if doc.id == 0:
            doc = doc.model_copy(update={"id": self.store._next_id(log)})
        month = month_of(getattr(doc, LOG_TIME_FIELD))
        self._ops.append(f'["app",{json.dumps(log)},"{month}",{doc.id},{doc.model_dump_json()}]')
        self._parsed.append(["app", log, month, doc.id, doc])
        return doc

    def remove(self, log: str, doc: Record) -> None:
        month = month_of(getattr(doc, LOG_TIME_FIELD))
        self._ops.append(f'["rm",{json.dumps(log)},"{month}",{doc.id}]')
        self._parsed.append(["rm", log, month, doc.id])

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None and self._ops:
            self.store._commit(self._ops, self._parsed)
