"""Group commit's side of the store: starting and stopping the flusher thread (flusher.py), the
tickets that say whether a write is durable yet, `flush` (everything written so far durable, on the
calling thread; a failed sync retried) and telling the listeners of every sync, whichever thread
made it (the flusher, a flush, a bulk write, a compaction or a backup) and whenever a journal
switch moved the durable ticket. `Store` inherits it; what each write does is `Store._commit`
(synced at once without a flusher, written and left to the flusher with one)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, cast

from deskwork.store.errors import StoreWriteError
from deskwork.store.flusher import Flusher, Listener
from deskwork.store.journal_writer import JournalWriter, SyncFailure
from deskwork.store.upkeep import Upkeep

if TYPE_CHECKING:
    from deskwork.store.store import Store


class Durability(Upkeep):
    """When the store's writes are on disk (see `Store`)."""

    flush_failed = False  # the close's last flush failed: some changes may not be on disk

    # The store's journal: every one gets `on_sync`, so that the listeners hear each sync of it.
    @property
    def _journal(self) -> JournalWriter | None:
        return self.__dict__.get("_journal_now")

    @_journal.setter
    def _journal(self, journal: JournalWriter | None) -> None:
        self.__dict__["_journal_now"] = journal
        if journal is not None:
            journal.on_sync = self._heard_sync
            if self.__dict__.get("flusher") is not None:
                # A compaction's switch: the new journal holds the old one's last lines, already
                # synced (its tail), so what is durable may have moved without a sync of this one.
                self._heard_sync(journal.lines_synced, journal.failure)

    def _heard_sync(self, ticket: int, failure: SyncFailure | None) -> None:
        """A journal of this store synced (or failed to): the group commit's listeners hear it."""
        flusher = self.__dict__.get("flusher")
        if flusher is None:
            return
        for listener in list(flusher.listeners):
            with contextlib.suppress(Exception):  # a listener's bug must not stop the syncs
                listener(ticket, failure)

    def start_group_commit(self, listener: Listener | None = None) -> Flusher:
        """From now on a commit returns once its line is written and applied; the flusher thread
        makes it durable (store/flusher.py). `listener(ticket, failure)` hears of every sync."""
        if self.flusher is None and not self.readonly:
            self.flusher = Flusher(cast("Store", self), listener)
        elif self.flusher is not None and listener is not None:
            self.flusher.listeners.append(listener)
        assert self.flusher is not None
        return self.flusher

    def stop_group_commit(self) -> None:
        """Back to a sync per commit; what is written is made durable here (`flush`)."""
        if self.flusher is not None:
            self.flusher.stop()
        try:
            self.flush()
        finally:
            self.flusher = None

    def ticket(self) -> int:
        """The ticket of the last line written: durable once `durable_ticket` reaches it."""
        return self._journal.lines if self._journal is not None else 0

    @property
    def durable_ticket(self) -> int:
        return self._journal.lines_synced if self._journal is not None else 0

    @property
    def sync_failure(self) -> SyncFailure | None:
        """The fdatasync that failed, while what it covered is not known to be on disk."""
        return self._journal.failure if self._journal is not None else None

    def flush(self) -> None:
        """Make every write so far durable, on this thread (a failed sync is retried: its lines
        written again); StoreWriteError naming what may not be on disk if it fails again."""
        current = self._journal
        if current is None:
            return
        try:
            current.sync()  # the listeners hear it (`_heard_sync`)
        except OSError:
            failure = current.failure
            if failure is None:
                return
            raise StoreWriteError(
                f"could not make the last changes durable in {self.data_dir} ({failure.why}); "
                f"they may not be on disk: {failure.what()}"
            ) from failure.error

    def _flush_or_warn(self) -> None:
        if self.flusher is not None:
            self.flusher.stop()
            self.flusher = None
        try:
            self.flush()
        except StoreWriteError as exc:
            self.flush_failed = True  # the TUI exits non-zero (cli.run_tui)
            self.report.warnings.append(str(exc))
