"""The store's background thread: compactions and the periodic backup, off the writers' path.

The rule that keeps one writer: every change of the store's state happens under `store.write_lock`
(a commit's append and apply, handing out ids, a compaction's snapshot and switch, a backup's
snapshot), whichever thread makes it. This thread takes it only for those short steps: writing the
new files of a compaction (compaction.py) and copying a backup (backups.py) run without it, so a
grade made meanwhile waits at most for one snapshot or one switch, never for the whole job.

A failure is a warning in the store's report (the journal still holds every write; the next
compaction retries); a backup that finds a live file damaged leaves it in `store.damaged_live` for
the writer's thread to rebuild, as a backup run from a worker does.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deskwork.store.store import Store


class Background:
    """One daemon thread serving the requests of one store; `stop` lets a running job finish."""

    def __init__(self, store: Store, backup_check_s: float = 60.0) -> None:
        self.store = store
        self.backup_check_s = backup_check_s
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._compact = False
        self._backup = False
        self._state = threading.Lock()  # the requests and `_idle` change together
        self._stopping = False
        self.compactions = 0  # done here (for tests and the benchmark)
        self.backups = 0
        self._thread = threading.Thread(target=self._run, name="deskwork-store", daemon=True)
        self._thread.start()

    def request_compaction(self) -> None:
        with self._state:
            self._idle.clear()
            self._compact = True
        self._wake.set()

    def request_backup(self) -> None:
        with self._state:
            self._idle.clear()
            self._backup = True
        self._wake.set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once every request so far has been served."""
        return self._idle.wait(timeout)

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        while not self._stopping:
            woken = self._wake.wait(self.backup_check_s)
            self._wake.clear()
            if self._stopping:
                break
            if not woken and self._backup_due():
                self.request_backup()
            while not self._stopping:
                with self._state:
                    compact, backup = self._compact, self._backup
                    self._compact = self._backup = False
                    if not (compact or backup):
                        self._idle.set()
                        break
                if compact:
                    self._compaction()
                if backup:
                    self._backup_job()
        self._idle.set()

    def _backup_due(self) -> bool:
        try:
            return self.store.backup_due() and not self.store._backup_running.locked()
        except OSError:
            return False

    def _compaction(self) -> None:
        from deskwork.store import compaction

        store = self.store
        if store.closed or store._journal is None:
            return
        try:
            compaction.compact_in_background(store)
            self.compactions += 1
        except Exception as exc:  # a thread that died would never compact again
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            store.report.warnings.append(store.compaction_failed(why))

    def _backup_job(self) -> None:
        store = self.store
        if store.closed or store._journal is None:
            return
        if store.backup_in_background()() is not None:
            self.backups += 1
