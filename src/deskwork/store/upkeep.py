"""The store's upkeep: compaction (here or on the background thread) and backups (due, taken,
taken in the background, rebuilding a live file a backup found damaged). `Store` inherits it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from deskwork.store import backups
from deskwork.store.background import Background
from deskwork.store.loading import Loader

if TYPE_CHECKING:
    from deskwork.store.store import Store


class Upkeep(Loader):
    """Compaction and backups of an open store (see `Store`)."""

    # ------------------------------------------------------------------ compaction
    def start_background(self, backup_check_s: float = 60.0) -> Background:
        """Compactions (and the due backup, looked for every `backup_check_s`) from now on run on
        a background thread (store/background.py); `close` stops it. The compaction's module is
        imported here, not at the first compaction: that is often at quit, when a deskwork
        upgraded or removed while the app ran would fail to import it."""
        from deskwork.store import compaction  # noqa: F401  (see above)

        if self.background is None and not self.readonly:
            self.background = Background(cast("Store", self), backup_check_s)
        assert self.background is not None
        return self.background

    def compact(self, *, force: bool = False) -> None:
        """Write changed tables and new log segments, then switch to a new manifest and journal."""
        from deskwork.store import compaction  # with the first compaction, not at every start

        compaction.compact(cast("Store", self), force=force)

    def compact_or_warn(self, *, force: bool = False) -> bool:
        try:
            self.compact(force=force)
        except OSError as exc:
            self.report.warnings.append(self.compaction_failed(exc.strerror or str(exc)))
            return False
        return True

    def compaction_failed(self, why: str) -> str:
        """The warning for a failed compaction: the journal keeps every write safe, unless its
        own sync is failing too (group commit), which is then said instead of "safe"."""
        journal = self._journal
        failure = journal.failure if journal is not None else None
        if failure is not None:
            return (
                f"compaction failed ({why}); the last changes are kept in the journal but may "
                f"not be on disk: {failure.what()}"
            )
        return (
            f"compaction failed ({why}); every write is safe in the journal and it is retried later"
        )

    # ------------------------------------------------------------------ backups
    def backup_due(self) -> bool:
        """True when the newest backup is older than the backup interval (or there is none) and
        the store was written since it: a desk left open, or opened and closed, with nothing
        new would otherwise fill every slot with the same state and rotate away the backups of
        the days before."""
        existing = backups.list_backups(self.data_dir)
        if not existing:
            return True
        last = backups.stamp_of(existing[0])
        if last is not None and (self.clock() - last).total_seconds() < self.backup_interval_s:
            return False
        return self.written_since_backup()

    def written_since_backup(self) -> bool:
        """True when something was written since the newest backup (or there is none)."""
        newest = backups.newest_manifest(self.data_dir)
        if newest is None:
            return True
        size = self._journal.size if self._journal is not None else 0
        return backups.written_since(newest, self.manifest, size)

    def prepare_backup(self, keep: int | None = None) -> Callable[[], Path]:
        """Snapshot what to back up now (on the writer's thread); the returned function does the
        copying and may run on any thread: compaction will not delete the files it needs."""
        if self._rewrite_on_open:
            self.compact_or_warn()  # a file rebuilt after damage is written before it is copied
        with self.write_lock:  # a consistent snapshot: no commit or compaction switch meanwhile
            manifest = self.manifest.model_copy(deep=True)
            names = {*manifest.files(), manifest.journal}
            when = self.clock()
            journal_bytes = self._journal.size if self._journal is not None else None
            copied = self._journal
            with self._pin_lock:
                self._pinned |= names
        keep_n = self.keep_backups if keep is None else keep

        def run() -> Path:
            try:
                if copied is not None:  # what it copies is durable in the store first
                    copied.sync()  # (a journal switched meanwhile was synced by the switch)
                with self._backup_running:
                    repaired: list[str] = []
                    path = backups.make_backup(
                        self.data_dir, manifest, when, journal_bytes, repaired
                    )
                    self.report.recovered.extend(repaired)
                    backups.rotate(self.data_dir, keep_n, live=manifest)
                    self.journal_floor = backups.journal_floor(self.data_dir)
                    self.report.backup = path
                    return path
            finally:
                with self._pin_lock:
                    self._pinned -= names

        return run

    def backup_in_background(self) -> Callable[[], Path | None]:
        """The due backup as a job for another thread that never raises: a failure becomes a
        warning; live files found damaged are left for `repair_damaged_live` (writer's thread)."""
        job = self.prepare_backup()

        def run() -> Path | None:
            try:
                return job()
            except backups.DamagedLive as exc:
                self.damaged_live.extend(exc.names)
            except (OSError, backups.BackupFailed) as exc:
                self.report.warnings.append(f"the backup failed: {exc}")
            return None

        return run

    def repair_damaged_live(self) -> None:
        """Rebuild the live files a background backup found damaged, then take the backup."""
        names, self.damaged_live = self.damaged_live, []
        self._rebuild_owners_of(names)
        if names:
            self.backup_now()

    def backup(self, keep: int | None = None) -> Path:
        return self.prepare_backup(keep)()

    def backup_now(self) -> Path | None:
        """The due backup; a live file found damaged is rebuilt first. Failure is a warning."""
        for _ in range(2):
            try:
                return self.backup()
            except backups.DamagedLive as exc:
                self._rebuild_owners_of(exc.names)
            except (OSError, backups.BackupFailed) as exc:
                self.report.warnings.append(f"the backup failed: {exc}")
                return None
        return None

    def _rebuild_owners_of(self, names: list[str]) -> None:
        """Load (so rebuild) the shards or months of every damaged file named, then write them in
        one compaction. Each used to be written before the next was rebuilt: that compaction
        retired the journals the next rebuild replays on its backup, and a second damaged file
        came back only as of that backup (2,000 cards' later changes lost)."""
        for name in names:
            self._load_owner_of(name)
        if names:
            self.compact_or_warn()

    def _load_owner_of(self, name: str) -> None:
        owner = self.manifest.owner_of(name)
        if owner is None:
            return
        if owner[0] in self.tables:
            table = self.tables[owner[0]]
            table.forget(int(owner[1]))
            table._shard(int(owner[1]))
        else:
            self.logs[owner[0]].forget(str(owner[1]))
            self.logs[owner[0]].month(str(owner[1]))
