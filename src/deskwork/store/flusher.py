"""The store's flusher thread: the fdatasync of group commit, off the writer's thread.

With it running (`Store.start_group_commit`, the TUI) a commit applies its transaction in memory
and writes its journal line on the writer's thread as always (tables, ids and the journal's bytes
change there only, in order), then wakes this thread, which makes everything written so far
durable with one fdatasync (`JournalWriter.sync`): a burst of writes costs one sync, and the event
loop never waits for the disk. This thread touches no table and takes no store lock; it only
syncs the journal. The listeners hear `(ticket, failure)` after every sync of the store's journal,
this thread's or another's (a flush, a bulk write, a compaction, a backup: the journal's
`on_sync`, store/durability.py): `ticket`, the lines known durable
(`JournalWriter.lines_synced`), `failure` a `SyncFailure` when the sync failed (the lines stay in
memory and are written again at the next sync: the next write's, a `flush`, the close's).

Without it (the CLI, tests by default) every commit syncs before it returns, as before.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from deskwork.store.journal_writer import SyncFailure

if TYPE_CHECKING:
    from deskwork.store.store import Store

Listener = Callable[[int, SyncFailure | None], None]


class Flusher:
    """One daemon thread syncing one store's journal when woken (`kick`)."""

    def __init__(self, store: Store, listener: Listener | None = None) -> None:
        self.store = store
        self.listeners: list[Listener] = [listener] if listener is not None else []
        self.gate = threading.Event()  # a test hook: cleared, the thread waits before it syncs
        self.gate.set()
        self.kicks = 0  # writes that woke it (the benchmark: syncs per write)
        self.syncs = 0  # fdatasyncs it made (each covering every line written before it)
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="deskwork-flush", daemon=True)
        self._thread.start()

    def kick(self) -> None:
        """Something was written: sync it soon (with whatever else is written meanwhile)."""
        self.kicks += 1
        self._wake.set()

    def stop(self) -> None:
        """Stop after the sync under way (what is left, `Store.flush` syncs on the caller)."""
        self._stopping = True
        self.gate.set()
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self.gate.wait()
            if self._stopping:
                return
            self._wake.clear()  # before the sync: a write meanwhile wakes the next round
            journal = self.store._journal
            if journal is None:
                continue
            with contextlib.suppress(OSError):  # kept in `journal.failure`, retried later
                if journal.sync():  # the listeners hear it from the journal (`on_sync`)
                    self.syncs += 1
