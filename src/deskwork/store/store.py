"""The store: opening (lock, verification, recovery, migration, journal replay), reads and writes.

Layout of a data dir:

    manifest.json            which files are current, their checksums, schema version, id counters
    cards-s0-12.json …       one TinyDB file per table shard, immutable once written
    reviews-2026-11-12.json  review-log segments, one or more per month, immutable
    journal-12.jsonl         fsync'd append journal of transactions since the last compaction
    journal-11.jsonl …       older journals, kept while a backup may need them replayed on it
    backups/<stamp>/         rotating, verified backups
    deskwork.lock            the single-writer lock

A write is one journal line + one fdatasync (its cost does not depend on how much data there is). By
default the line is durable before the write returns and the in-memory tables are updated only
then. With group commit (`start_group_commit`, the TUI) the line is written and applied at once and
the fdatasync comes from the flusher thread (flusher.py), one for every line written meanwhile;
`flush` (close, compaction, backup, the remote channel's answer) waits for it. Compaction (compaction.py) writes the
changed tables as new files and commits them by replacing the manifest. Every file read is checked
against its checksum first; a damaged one is rebuilt by recovery.py and the loss, if any, reported.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from deskwork.domain.records import utcnow
from deskwork.domain.settings import Setting
from deskwork.store import backups, fsutil, journal
from deskwork.store.durability import Durability
from deskwork.store.errors import ReadOnlyStore, StoreError, StoreWriteError, no_gc
from deskwork.store.fsutil import ensure_private_dir
from deskwork.store.loading import Clock
from deskwork.store.lock import LOCK_NAME, StoreLock
from deskwork.store.logs import LogTable
from deskwork.store.manifest import (
    JOURNAL_FILE,
    MANIFEST_NAME,
    SEGMENT_FILE,
    TABLE_FILE,
    BadManifest,
    NewerStore,
    read_manifest,
)
from deskwork.store.media import MediaFolder
from deskwork.store.orphans import remove_orphans
from deskwork.store.recovery import quarantine
from deskwork.store.report import OpenReport
from deskwork.store.tables import Table, shard_of
from deskwork.store.transaction import Transaction

if TYPE_CHECKING:  # their modules come with the tables that use them (store/schema.py)
    from deskwork.domain.cards import Card, ReviewLog
    from deskwork.domain.curriculum import Item
    from deskwork.domain.drafts import Draft
    from deskwork.domain.media import MediaFile
    from deskwork.domain.notetypes import NoteTypeDef
    from deskwork.domain.sessions import Session

__all__ = [
    "Clock",
    "OpenReport",
    "ReadOnlyStore",
    "Store",
    "StoreError",
    "StoreWriteError",
    "Transaction",
    "no_gc",
    "shard_of",
]


class Store(Durability):
    """Durable, fast storage for every deskwork record. Use `Store.open(...)`."""

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
        for_restore: bool = False,
        backup_on_quit: bool = False,
    ) -> Store:
        """Open the store in `data_dir` (created 0700). A writer takes the lock (StoreLocked if held).

        With `backup_on_open=False` the caller takes the due backup itself, e.g. from a worker
        thread after the first frame (`backup_due` / `prepare_backup`). `for_restore`: open for
        `restore` only — no compaction, no backup, no rotation before the restore.
        `backup_on_quit` (the TUI): `close` backs up whenever anything was written since the
        newest backup, not only when the interval has passed."""
        store = cls(data_dir, readonly=readonly, clock=clock)
        store.backup_interval_s, store.keep_backups = backup_interval_s, keep_backups
        store.backup_on_quit = backup_on_quit
        if readonly:
            store._open_readonly()
            return store
        ensure_private_dir(data_dir)
        lock_path = data_dir / LOCK_NAME
        if lock_path.is_dir() and not lock_path.is_symlink():
            aside = quarantine(lock_path, store.stamp())
            store.report.recovered.append(
                f"a directory was in place of {LOCK_NAME}: moved aside as "
                f"{aside.name if aside else '?'}"
            )
        store._lock = StoreLock.acquire(data_dir, what, clock())
        try:
            store._open_writer(backup_on_open and not for_restore, for_restore)
        except NewerStore as exc:
            store.files.unpin()
            store._lock.release()
            raise StoreError(str(exc)) from None
        except BaseException:
            store.files.unpin()
            store._lock.release()
            raise
        return store

    def _open_readonly(self) -> None:
        """A consistent snapshot without the lock: every file the manifest names is pinned (held
        open) at once, so a compaction meanwhile cannot take one away; retry if it did before."""
        for attempt in range(20):
            try:
                manifest = read_manifest(self.data_dir)
            except NewerStore as exc:
                raise StoreError(str(exc)) from None
            except BadManifest as exc:
                manifest = self.manifest_recovery.copy()
                if manifest is None:
                    raise StoreError(
                        f"{exc}; open deskwork (or run `deskwork doctor --repair`) to restore it "
                        "from the newest backup"
                    ) from None
                if attempt == 0:
                    self.report.recovered.append(
                        f"{exc}; read through its intact copy (`deskwork doctor --repair` "
                        "puts it back)"
                    )
            if manifest is None:
                self._load(None, writable=False)
                return
            try:
                self.files.pin([*manifest.files(), manifest.journal])
            except FileNotFoundError:
                if attempt < 3 or read_manifest(self.data_dir) != manifest:
                    continue  # a compaction switched files meanwhile: read the new manifest
                self.files.pin_present(manifest.files())  # really missing: damage, found on read
            self._load(manifest, writable=False)
            return
        raise StoreError(f"{self.data_dir}: the store kept changing while being read; try again")

    def _open_writer(self, backup_on_open: bool, for_restore: bool) -> None:
        try:
            manifest = read_manifest(self.data_dir)
            if manifest is None and self._has_data_files():
                raise BadManifest(f"{self.data_dir / MANIFEST_NAME} is missing")
        except BadManifest as exc:
            manifest = self.manifest_recovery.recover(str(exc))
        fresh = manifest is None
        self.journal_floor = backups.journal_floor(self.data_dir)
        self._load(manifest, writable=True)
        if manifest is not None and manifest.sums is None:
            self._add_checksums()
        if for_restore:
            return
        if fresh or self._rewrite_on_open:
            self.compact_or_warn(force=True)  # on failure the journal still holds everything
        remove_orphans(self)
        if backup_on_open and self.backup_due():
            self.backup_now()

    def _add_checksums(self) -> None:
        """A store written before checksums: read every file once (verified by parsing) and
        record what was read, so that from now on every file is checked against its sum."""
        counters = self.manifest.counters
        for name in [*self.tables, *self.logs]:
            # every record read anyway: no counter below an id held (a store of that age could
            # count below ids written with their own id; the checksums' id ranges, which raise
            # the counters at every later open, do not exist yet)
            counters[name] = max(counters.get(name, 1), self._highest_id(name) + 1)
        self._rewrite_on_open = True
        self.report.recovered.append("checksums recorded for every file (a one-time upgrade)")

    def _has_data_files(self) -> bool:
        return any(
            TABLE_FILE.match(p.name) or SEGMENT_FILE.match(p.name) or JOURNAL_FILE.match(p.name)
            for p in self.data_dir.iterdir()
        )

    # ------------------------------------------------------------------ accessors
    def exempt_loaded(self) -> int:
        """Every record in memory out of the cyclic collector's way (the collector just armed:
        what was loaded before — the desk's 4,000 sessions at the heavy year, with a dict each
        — was frozen with start-up and walked by every sweep of the frozen set); how many."""
        tables = sum(t.exempt_loaded() for t in self.tables.values())
        return tables + sum(log.exempt_loaded() for log in self.logs.values())

    @property
    def cards(self) -> Table[Card]:
        return cast("Table[Card]", self.tables["cards"])

    @property
    def items(self) -> Table[Item]:
        return cast("Table[Item]", self.tables["items"])

    @property
    def sessions(self) -> Table[Session]:
        return cast("Table[Session]", self.tables["sessions"])

    @property
    def drafts(self) -> Table[Draft]:
        return cast("Table[Draft]", self.tables["drafts"])

    @property
    def settings(self) -> Table[Setting]:
        return cast("Table[Setting]", self.tables["settings"])

    @property
    def notetypes(self) -> Table[NoteTypeDef]:
        return cast("Table[NoteTypeDef]", self.tables["notetypes"])

    @property
    def media(self) -> Table[MediaFile]:
        return cast("Table[MediaFile]", self.tables["media"])

    @property
    def media_folder(self) -> MediaFolder:
        return MediaFolder(self.data_dir)

    @property
    def reviews(self) -> LogTable[ReviewLog]:
        return cast("LogTable[ReviewLog]", self.logs["reviews"])

    def _setting_record(self, key: str) -> Setting | None:
        return next((s for s in self.settings.values() if s.key == key), None)

    def setting(self, key: str, default: Any = None) -> Any:
        record = self._setting_record(key)
        return record.value if record is not None else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as tx:
            tx.set_setting(key, value)

    # ------------------------------------------------------------------ writing
    def transaction(
        self,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Transaction:
        """A transaction; `progress` / `cancelled` matter for bulk ones (see Transaction)."""
        if self.readonly or self._journal is None:
            raise ReadOnlyStore(f"{self.data_dir} is open read-only")
        return Transaction(self, progress=progress, cancelled=cancelled)

    def _next_id(self, name: str) -> int:
        return self._reserve_ids(name, 1).start

    def _reserve_ids(self, name: str, n: int) -> range:
        with self.write_lock:  # two threads building transactions never get the same id
            counters = self.manifest.counters
            if name not in counters:  # no counter, nor id ranges to raise one (manifest.py)
                counters[name] = self._highest_id(name) + 1
            value = counters[name]
            counters[name] = value + n
            return range(value, value + n)

    def _highest_id(self, name: str) -> int:
        """The highest id a table or log holds, read from its records (every shard or month)."""
        if name in self.tables:
            return self.tables[name].max_id()
        return max((doc.id for doc in self.logs[name].iter_all()), default=0)

    def _commit(self, ops: list[str], parsed: list[list[Any]]) -> None:
        """Durable first (or StoreWriteError, nothing saved), then visible; a compaction that
        fails after that is a warning: the write itself is safe in the journal. The append and
        the apply happen under the write lock: one writer at a time, whatever the thread.
        With group commit: written (or StoreWriteError, nothing saved), visible, and durable
        once the flusher's next sync returns."""
        line = journal.encode("[" + ",".join(ops) + "]")
        entry = journal.touched(parsed)
        with self.write_lock:
            flusher = self.flusher  # (the close stops it under this lock)
            self.count_ids(parsed)
            self._append_line(line, entry, wait=flusher is None)
            self._apply(parsed, from_disk=False, migrating=False)
        if flusher is not None:
            flusher.kick()
        self._journal_grew()

    def _commit_bulk(self, tx: Transaction) -> None:
        from deskwork.store.bulk import commit

        commit(self, tx)

    def _append_line(self, line: bytes, entry: str, *, wait: bool = True) -> None:
        """`wait`: durable before this returns (else written, for the flusher to sync)."""
        if self._journal is None:
            raise ReadOnlyStore(f"{self.data_dir} is closed")
        try:
            if wait:
                self._journal.append(line, self.manifest.counters, entry)
            else:
                self._journal.write(line, self.manifest.counters, entry)
        except OSError as exc:
            raise StoreWriteError(
                f"could not save to {self.data_dir} ({exc.strerror or exc}): nothing was saved"
            ) from exc

    def _journal_grew(self, *, bulk: bool = False) -> None:
        """Compact once the journal passes its limit: on the background thread when one runs
        (store/background.py), else here — except after a bulk write, whose compaction waits
        for the next write or the close (the import returns as soon as it is durable)."""
        journal_now = self._journal
        if journal_now is None or journal_now.size <= self.journal_limit:
            return
        if self.background is not None:
            self.background.request_compaction()
        elif not bulk:
            self.compact_or_warn()

    def restore(self, backup: Path, keep: int = 10) -> Path | None:
        """Make `backup` the current state; the state before it is backed up first (returned)."""
        from deskwork.store.restore import restore_into

        return restore_into(self, backup, keep).safety

    def probe(self) -> bool:
        """After a failed save: does writing work again? (A small durable write, then removed.)"""
        if self.readonly:
            return False
        probe = self.data_dir / ".probe"
        try:  # the calls a journal append makes: a write and an fdatasync
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                fsutil.write_all(fd, b"\0" * 8192)
                os.fdatasync(fd)
            finally:
                os.close(fd)
                probe.unlink()
        except OSError:
            return False
        if self.sync_failure is not None:  # lines a failed sync left: written again and synced
            try:
                self.flush()
            except StoreWriteError:
                return False
        return self.compact_or_warn()

    # ------------------------------------------------------------------ closing
    @property
    def closed(self) -> bool:
        return getattr(self, "_closed", False)

    def close(self) -> None:
        """Compact, take a backup if the last one is older than the interval (or, opened with
        `backup_on_quit`, if anything was written since it), release the lock. Never raises for a failed compaction or backup: the journal already holds every write."""
        self._closed = True
        try:
            if self.background is not None:
                self.background.stop()  # a compaction or backup under way finishes first
                self.background = None
            with self.write_lock:  # a worker's write comes before, or finds the store closed
                if self._journal is not None:
                    self._flush_or_warn()  # durable before anything else, the lock's release last
                    self.compact_or_warn()
                    with self._backup_running:  # let a background backup finish first
                        pass
                    if self.backup_due() or (self.backup_on_quit and self.written_since_backup()):
                        self.backup_now()
                    self._journal.close()
                    self._journal = None
        finally:
            self.files.unpin()
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            if self.froze:  # what its imports froze for the collector goes back to it
                gc.unfreeze()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
