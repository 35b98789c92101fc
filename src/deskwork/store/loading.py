"""Loading the store: verified reads of table shards and log segments (rebuilt by recovery.py when
damaged; a damaged manifest by manifest_recovery.py), migration of old records, and replay of the journal — every intact transaction applied,
damaged ones skipped and accounted for. `Store` (store.py) builds on this with opening, writing,
compaction, backups and closing.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork.store import backups, journal
from deskwork.store.checksums import FileSum, sum_of
from deskwork.store.codec import Codec, InvalidRecord
from deskwork.store.errors import StoreError, no_gc
from deskwork.store.files import Damaged, FileSource
from deskwork.store.fsutil import FILE_MODE
from deskwork.store.journal_writer import JournalWriter
from deskwork.store.lock import StoreLock
from deskwork.store.logs import LogTable
from deskwork.store.manifest import Manifest
from deskwork.store.manifest_recovery import ManifestRecovery
from deskwork.store.migrations import migrate_record
from deskwork.store.recovery import Owner, Recovery, quarantine
from deskwork.store.repeats import CorruptFile, load_table_json, record_number
from deskwork.store.report import OpenReport
from deskwork.store.schema import LAZY_TABLES, LOGS, SCHEMA_VERSION, TABLES
from deskwork.store.tables import Table

if TYPE_CHECKING:
    from deskwork.store.background import Background
    from deskwork.store.flusher import Flusher

Clock = Callable[[], datetime]


class Loader:
    """The store's state and how it is read from disk (see `Store`)."""

    def __init__(self, data_dir: Path, *, readonly: bool, clock: Clock) -> None:
        self.data_dir = data_dir
        self.readonly = readonly
        self.clock = clock
        self.report = OpenReport()
        self.tables: dict[str, Table[Any]] = {}
        self.logs: dict[str, LogTable[Any]] = {}
        self.manifest = Manifest(schema_version=SCHEMA_VERSION, gen=0, sums={})
        self.files = FileSource(data_dir)
        self.recovery = Recovery(self)
        self.manifest_recovery = ManifestRecovery(self)
        self.journal_limit = 2 << 20
        self._journal: JournalWriter | None = None
        self._lock: StoreLock | None = None
        self._rewrite_on_open = False  # set by recovery and migration: persist the repaired state
        self.chain_broken = False  # the next compaction starts a new journal chain (see manifest)
        self.min_gen = 0  # generations are never reused: the next one is at least this
        self.seen_sums: dict[str, FileSum] = {}  # sums of files read that the manifest lacks
        # Sums of files a compaction replaced while a thread was reading them (a pinned old
        # segment): checked like any file until that thread is done (orphans.py forgets them).
        self.retired_sums: dict[str, FileSum] = {}
        self.recovered_files: set[str] = set()  # files found damaged and rebuilt by recovery
        self._journal_txs: list[list[Any]] = []  # the current journal's transactions, as replayed
        self.start_counters: dict[str, int] = {}  # id counters as the last compaction left them
        self._mark: journal.Mark | None = None  # what the writer noted after its last append
        self._pending_journal_losses: tuple[str, journal.Replay] | None = None
        self._replaying = ""  # the journal line being replayed, named in an invalid record's report
        self.damaged_live: list[str] = []  # found by a background backup, rebuilt on our thread
        self.journal_floor = 0  # journals older than every backup are not kept
        self._pinned: set[str] = set()  # files an in-flight backup is copying: not to be deleted
        self._pin_lock = threading.Lock()
        self._backup_running = threading.Lock()
        # The one-writer rule inside the process: every change of the store's state (a commit's
        # append and apply, handing out ids, a compaction's snapshot and switch, a backup's
        # snapshot) happens under this lock, whichever thread does it (store/background.py).
        self.write_lock = threading.RLock()
        self._compaction_lock = (
            threading.Lock()
        )  # one compaction at a time; taken before write_lock
        self.background: Background | None = None  # compaction and backups off the caller's path
        self.flusher: Flusher | None = None  # group commit: the journal's fdatasync off the writer
        self.froze = False  # an import froze objects for the collector (`no_gc(freeze=True)`)
        self.backup_interval_s: float = 3600
        self.keep_backups = 10
        self.backup_on_quit = False  # the TUI: `close` backs up any write the backups lack
        # Each model imported when its table is first read or written (store/schema.py); its
        # records' shared key order settled then, before the first one (store/lean.py).
        self._codecs: dict[str, Codec[Any]] = {
            name: Codec(name, functools.partial(models.__getitem__, name))
            for models in (TABLES, LOGS)
            for name in models
        }

    @property
    def writable(self) -> bool:
        return not self.readonly

    def stamp(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    def new_chain(self) -> None:
        """What follows does not continue the journals: never reuse a generation, start a chain."""
        self.chain_broken = True
        self._rewrite_on_open = True
        self.min_gen = max(self.min_gen, backups.highest_gen(self.data_dir) + 1)

    def _load(self, manifest: Manifest | None, *, writable: bool) -> None:
        self.report.invalid.clear()
        self.manifest = manifest or Manifest(schema_version=SCHEMA_VERSION, gen=0, sums={})
        self.manifest.raise_counters()  # never below an id its files hold
        version = self.manifest.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.data_dir} was written by a newer deskwork (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade deskwork"
            )
        migrating = version < SCHEMA_VERSION
        with no_gc():
            for name in TABLES:
                files = dict(self.manifest.tables.get(name, {}))
                self.tables[name] = table = Table(self._codecs[name], files, self._read_shard)
                if migrating or name not in LAZY_TABLES:
                    table.load_all()
            for name in LOGS:
                segments = {m: list(s) for m, s in self.manifest.logs.get(name, {}).items()}
                log = LogTable(self._codecs[name], self.data_dir, segments, self._read_segment)
                self.logs[name] = log
                if migrating:  # every month is rewritten at once: kept in memory until it is
                    log.rewrite.update(log.months())  # (a dropped one would be read again as new)
                    log.all()
            self._replay(writable=writable, migrating=migrating)
        if migrating:
            self.report.migrated_from = version
            self.manifest = self.manifest.model_copy(update={"schema_version": SCHEMA_VERSION})
            for t in self.tables.values():
                t.mark_all_dirty()
            for lg in self.logs.values():
                lg.rewrite.update(lg.months())
            self.chain_broken = self._rewrite_on_open = True
        if writable:
            self._journal = JournalWriter(self.data_dir / self.manifest.journal)

    # ------------------------------------------------------------------ reading files
    def decode(
        self, codec: Codec[Any], raw: bytes, version: int
    ) -> tuple[dict[int, Any], dict[str, Any], list[InvalidRecord]]:
        """A table file's records (migrated from `version`). Raises CorruptFile."""
        if version >= SCHEMA_VERSION:
            return codec.decode(raw)
        if not raw.strip():
            raise CorruptFile("the file is empty")
        data = load_table_json(raw)
        if not isinstance(data, dict) or not isinstance(data.get(codec.name), dict):
            raise CorruptFile(f"no {codec.name!r} table in it")
        table = {
            k: migrate_record(codec.name, v, version, SCHEMA_VERSION) if isinstance(v, dict) else v
            for k, v in data[codec.name].items()
        }
        return codec.validate_raw(table)

    def decode_problems(self, codec: Codec[Any], invalid: dict[str, Any]) -> list[InvalidRecord]:
        return codec.validate_raw(invalid)[2]

    def _read_file(
        self, codec: Codec[Any], name: str, owner: Owner
    ) -> tuple[dict[int, Any], dict[str, Any], bool]:
        """Verified records of one file, or what recovery rebuilt; the bool: rewrite it."""
        expected = self.expected_sum(name)
        try:
            with no_gc():
                data = self.files.read(name, expected)
                docs, invalid, problems = self.decode(codec, data, self.manifest.schema_version)
            if self.manifest.sums is None:
                self.seen_sums[name] = sum_of(
                    data, [*docs, *map(int, filter(str.isdigit, invalid))]
                )
            rewrite = False
        except (Damaged, CorruptFile) as exc:
            self.recovered_files.add(name)
            docs, invalid, problems, exact = self.recovery.recover(name, owner, codec, str(exc))
            rewrite = self.writable and not exact
            if rewrite:
                self._rewrite_on_open = self.chain_broken = True
        self.report.invalid.extend(p.found_in(name) for p in problems)
        return docs, invalid, rewrite

    def expected_sum(self, name: str) -> FileSum | None:
        """The checksum `name` must match: the manifest's, or for a file a compaction replaced
        while a thread still reads it, the one it had (None: a store from before checksums)."""
        sums = self.manifest.sums
        if sums is None:
            return None
        return sums.get(name) or self.retired_sums.get(name)

    def _read_shard(self, name: str, shard: int, file_name: str) -> tuple[dict[int, Any], Any]:
        docs, invalid, rewrite = self._read_file(self._codecs[name], file_name, (name, shard))
        if rewrite:
            self.tables[name].dirty.add(shard)
        return docs, invalid

    def _read_segment(self, codec: Codec[Any], name: str, month: str) -> tuple[dict[int, Any], Any]:
        docs, invalid, rewrite = self._read_file(codec, name, (codec.name, month))
        if rewrite:
            self.logs[codec.name].rewrite.add(month)
        if name in self.recovered_files and codec.name in self.logs:
            self.logs[codec.name].keep.add(month)  # not dropped: a reread would recover it again
        return docs, invalid

    def current_ops(self, owner: Owner) -> set[int]:
        """Ids the current journal writes for `owner` (they win over any recovered version)."""
        from deskwork.store.recovery import _owned

        ids = set()
        for tx in self._journal_txs:
            for op in tx:
                if _owned(op, owner):
                    ids.add(record_number(op[-2] if op[0] in ("put", "app") else op[-1]))
        return ids

    def _replay(self, *, writable: bool, migrating: bool) -> None:
        path = self.data_dir / self.manifest.journal
        try:
            data = self.files.raw(self.manifest.journal)
        except Damaged as exc:
            data = b""
            if str(exc) != "missing":
                aside = quarantine(path, self.stamp()) if writable else None
                kept = f"; moved aside as {aside.name}" if aside else ""
                self.report.recovered.append(f"{path.name} {exc}; its transactions are lost{kept}")
                self.chain_broken = self._rewrite_on_open = True
        mark = journal.read_mark(self.data_dir)
        if mark is not None and mark.journal != path.name:
            mark = None
        result = journal.parse(data, mark.size if mark else 0)
        self._mark = mark
        self._journal_txs = result.transactions
        self.start_counters = dict(self.manifest.counters)
        if result.damaged or result.cut_bytes:
            self._journal_damage(path, data, result, writable)
        if writable and result.good_bytes < len(data):  # a torn append or a damaged tail
            with open(path, "r+b") as fh:
                fh.truncate(result.good_bytes)
                fh.flush()
                os.fsync(fh.fileno())
        counters = self.manifest.counters
        for name, highest in result.max_ids.items():
            if name in self._codecs:
                counters[name] = max(counters.get(name, 1), highest + 1)
        for number, ops in zip(result.lines, result.transactions, strict=True):
            self._replaying = f"{path.name} line {number}"
            self._apply(ops, from_disk=True, migrating=migrating)
        self._replaying = ""
        if self._pending_journal_losses is not None:
            self.recovery.journal_losses(*self._pending_journal_losses)
            self._pending_journal_losses = None

    def _journal_damage(
        self, path: Path, data: bytes, result: journal.Replay, writable: bool
    ) -> None:
        self.report.recovered.append(
            f"{path.name}: {len(result.damaged)} damaged transactions skipped, "
            f"{len(result.transactions)} intact ones applied"
        )
        for damaged in result.damaged:
            self.report.recovered.append(f"{path.name}: {damaged} could not be applied")
        if writable:
            aside = path.with_name(f"{path.name}.corrupt-{self.stamp()}")
            fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            self.report.recovered.append(f"the whole journal was kept as {aside.name}")
            self.chain_broken = self._rewrite_on_open = True
        self._pending_journal_losses = (path.name, result)

    def ids_of(self, name: str) -> set[int]:
        if name in self.tables:
            return {doc.id for doc in self.tables[name].values()}
        return {doc.id for doc in self.logs[name].all()}

    def count_ids(self, ops: list[list[Any]]) -> None:
        """Raise the counters past every id these ops write, before they are written (the mark's
        header then has them): a record written with its own id (an import, an undo, a restore
        of records) is never handed out again to a new one. Under the write lock."""
        counters = self.manifest.counters
        for op in ops:
            kind = op[0]
            if kind in ("put", "app"):
                ids = [op[-2]]
            elif kind in ("putm", "appm"):
                ids = [max(op[-1])] if op[-1] else []
            else:
                continue
            name = op[1]
            for doc_id in ids:
                if counters.get(name, 1) <= doc_id:
                    counters[name] = doc_id + 1

    def _apply(self, ops: list[list[Any]], *, from_disk: bool, migrating: bool) -> None:
        for op in ops:
            if not from_disk:
                self._apply_op(op, from_disk, migrating)
                continue
            try:
                self._apply_op(op, from_disk, migrating)
            except (IndexError, KeyError, TypeError, ValueError, AttributeError) as exc:
                self.report.recovered.append(f"journal op {str(op)[:80]} is malformed: {exc}")

    def _apply_op(self, op: list[Any], from_disk: bool, migrating: bool) -> None:
        counters = self.manifest.counters
        kind, name = op[0], op[1]
        if kind in ("put", "app"):
            doc = op[-1]
            if from_disk:
                codec = self._codecs.get(name)
                if codec is None:
                    return
                raw = doc
                if migrating:
                    raw = migrate_record(name, raw, self.manifest.schema_version, SCHEMA_VERSION)
                docs, invalid, problems = codec.validate_raw({str(op[-2]): raw})
                self.report.invalid.extend(p.found_in(self._replaying) for p in problems)
                if not docs:
                    if kind == "put":
                        for key, raw_doc in invalid.items():
                            self.tables[name]._keep_invalid(key, raw_doc)
                    return
                doc = next(iter(docs.values()))
                counters[name] = max(counters.get(name, 1), doc.id + 1)
            if kind == "put":
                self.tables[name]._put(doc)
            else:
                self.logs[name]._append(op[2], doc)
        elif kind == "del":
            self.tables[name]._delete(int(op[2]))
        elif kind == "rm":
            self.logs[name]._remove(op[2], int(op[3]))
