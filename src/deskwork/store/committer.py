"""The store's writer thread: the TUI's journal appends (one line and one fdatasync each) off the
UI thread, in the order they were made.

`Store.start_committer()` (the TUI does it) starts it; from then on every plain commit, from any
thread, goes through its queue, one at a time:

- under `store.write_lock`, as every change of the store's state (store/background.py): the
  line is appended and fdatasync'd, then applied to the in-memory tables. Durable first, then
  visible, as a synchronous commit; a compaction's snapshot or switch falls before or after it,
  whole. The UI thread never takes that lock for a write (ids come from `store._ids_lock`).
- a commit made with `store.transaction(deferred=True)` returns at once with its `Future`
  (`tx.pending`): resolved once the line is durable and applied, or failed with the
  StoreWriteError that says nothing was saved. Every other commit waits for its own future, so
  the CLI, the services and the tests see the synchronous contract unchanged.
- a write that fails fails the writes queued behind it too (each was made after it and may
  build on it: none is applied, each is told); writes submitted later are tried afresh.
- `drain()` waits for the queue to empty; `stop()` drains and ends the thread (`Store.close`
  does, before its compaction and backup: on quit every pending write is flushed first).

Acknowledged means the future resolved: a kill -9 at any instant after that leaves it in the
journal (tests/store/test_committer.py kills a child mid-stream).
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from deskwork.store.errors import StoreWriteError

if TYPE_CHECKING:
    from deskwork.store.store import Store


@dataclass
class _Write:
    line: bytes
    entry: str
    parsed: list[list[Any]]
    done: Future[None] = field(default_factory=Future)


class Committer:
    """One daemon thread appending the store's transactions in submission order."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: deque[_Write] = deque()
        self._cond = threading.Condition()
        self._busy = False  # a write is being appended (popped from the queue, not yet done)
        self._stopping = False
        self.written = 0  # lines appended here (for tests and the benchmark)
        self._thread = threading.Thread(target=self._run, name="deskwork-journal", daemon=True)
        self._thread.start()

    @property
    def on_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, line: bytes, entry: str, parsed: list[list[Any]]) -> Future[None]:
        write = _Write(line, entry, parsed)
        with self._cond:
            if self._stopping:
                raise StoreWriteError(f"could not save to {self.store.data_dir}: it is closing")
            self._queue.append(write)
            self._cond.notify_all()
        return write.done

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._queue) + self._busy

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every write submitted so far is done (durable, or failed and told)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout)

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if not self.on_thread:
            self._thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._stopping)
                if not self._queue:  # stopping, and everything is written
                    self._cond.notify_all()
                    return
                write = self._queue.popleft()
                self._busy = True
            failed = self._write(write)
            if failed is not None:
                with self._cond:
                    behind, self._queue = list(self._queue), deque()
                for later in behind:
                    later.done.set_exception(
                        StoreWriteError(f"{failed}; a change made after it was not saved either")
                    )
            with self._cond:
                self._busy = False
                self._cond.notify_all()

    def _write(self, write: _Write) -> str | None:
        """Append and apply one write; the reason it failed, or None."""
        store = self.store
        if not write.done.set_running_or_notify_cancel():
            return None
        try:
            with store.write_lock:
                store._append_line(write.line, write.entry)
                store._apply(write.parsed, from_disk=False, migrating=False)
        except BaseException as exc:  # told to whoever waits; the thread goes on
            write.done.set_exception(exc)
            return str(exc)
        self.written += 1
        write.done.set_result(None)
        try:
            store._journal_grew()
        except Exception as exc:  # the write is safe in the journal: a warning, as elsewhere
            store.report.warnings.append(f"compaction failed ({exc}); it is retried later")
        return None
