"""Writing the journal (its format, replay and the mark: journal.py): `JournalWriter` appends lines
in order on the writer's thread and makes them durable with one fdatasync for all written so far
(group commit: on the store's flusher thread, store/flusher.py, or at once); a failed fdatasync is
kept as a `SyncFailure` and its lines written again from memory at the next sync."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deskwork.store import fsutil
from deskwork.store.fsutil import open_append
from deskwork.store.journal import HEADER, MARK_NAME, read_mark


@dataclass
class _Unsynced:
    """A line written (in the page cache) but not yet covered by a returned fdatasync."""

    end: int  # the journal's length once it was written
    data: bytes
    counters: str  # the id counters after it, as the mark's header gives them
    entry: str  # the mark entry: every table:id it writes


@dataclass
class SyncFailure:
    """An fdatasync that failed after its lines were written: what they hold may not be on disk."""

    error: OSError
    entries: list[str]  # the mark entries of the lines not known durable

    @property
    def why(self) -> str:
        return self.error.strerror or str(self.error)

    def what(self) -> str:
        return describe(self.entries)


def describe(entries: list[str]) -> str:
    """Mark entries in words: "drafts 3; cards 12, 14; reviews 88" (the first ids of each)."""
    ids: dict[str, list[str]] = {}
    for entry in entries:
        for token in filter(None, entry.rstrip(";").split(",")):
            table, _, doc_id = token.partition(":")
            if doc_id not in ids.setdefault(table, []):
                ids[table].append(doc_id)
    parts = []
    for table, found in ids.items():
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        parts.append(f"{table} {', '.join(found[:5])}{more}")
    return "; ".join(parts) or "nothing"


class JournalWriter:
    """Appends transactions. One writer per store (the lock guarantees it).

    Group commit: `write` puts a line into the page cache (on the caller's thread, in order, under
    the store's write lock) and `sync` makes everything written so far durable with one fdatasync,
    on whichever thread calls it (the store's flusher, store/flusher.py, or the writer itself:
    `append` is `write` + `sync`). Only after a sync returns does the mark's header claim the
    bytes it covered, so the header never says more is acknowledged than is on disk.

    A failed fdatasync is kept (`failure`), never dropped: the lines it covered stay in memory and
    the next `sync` writes them again at their offsets before syncing. On Linux a failed fsync may
    leave the pages marked clean (the error is reported once, the data may be gone from the cache
    or never written), so syncing again would "succeed" without writing them; writing the bytes
    again from memory dirties them once more and the next fdatasync really writes them."""

    def __init__(self, path: Path, *, truncate_to: int | None = None, first_line: int = 0) -> None:
        self.path = path
        synced = truncate_to is not None
        if truncate_to is not None and path.exists() and path.stat().st_size != truncate_to:
            with open(path, "r+b") as fh:
                fh.truncate(truncate_to)
                fh.flush()
                os.fsync(fh.fileno())
        self._fd = open_append(path)
        self.size = os.fstat(self._fd).st_size
        self.synced = 0  # the bytes a returned fdatasync covered
        self.lines = first_line  # lines written (a ticket: `lines_synced` reaches it once durable)
        self.lines_synced = first_line
        self.syncs = 0  # fdatasyncs that returned (the benchmark counts them)
        self.failure: SyncFailure | None = None
        self.sync_fn: Callable[[int], None] | None = None  # a test seam; None: os.fdatasync
        # Told `(lines_synced, failure)` after every sync that ran, failed or not (the store's
        # group commit hands it to its listeners: store/durability.py).
        self.on_sync: Callable[[int, SyncFailure | None], None] | None = None
        self._unsynced: list[_Unsynced] = []
        self._state = threading.Lock()  # size, the unsynced lines and the failure change together
        self._syncing = threading.Lock()  # one sync at a time; `close` waits for it
        self._outcomes: deque[tuple[int, SyncFailure | None]] = deque()  # not yet told
        self._telling = threading.Lock()  # one thread tells `on_sync`, in order
        self._teller: int | None = None  # that thread's id while it tells
        self._rewrite_fd = -1  # without O_APPEND: a retry writes lines again at their offsets
        self._broken_tail = False  # a failed append could not be cut off: start on a new line
        self._mark = -1
        self._mark_end = HEADER
        old = read_mark(path.parent, header_only=True)
        same = old is not None and old.journal == path.name
        if not synced and self.size and not (same and old is not None and old.size == self.size):
            # Bytes nobody acknowledged (a crash before their sync) or no mark: make the file as
            # it is durable once, so that the header below claims only what is on disk.
            try:
                os.fdatasync(self._fd)
                synced = True
            except OSError:  # claimed by none: the next sync covers them (its target is `size`)
                pass
        else:
            synced = True
        self.synced = self.size if synced else 0
        with contextlib.suppress(OSError):
            self._mark = os.open(path.parent / MARK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
            if same and old is not None and old.size <= self.size:
                # The same journal, reopened (lines written after its last sync have their
                # entries already: they are written with the line).
                self._mark_end = max(HEADER, os.fstat(self._mark).st_size)
            else:
                os.ftruncate(self._mark, HEADER)
            self._note_header(self.synced, "{}")

    def _note_header(self, size: int, counters: str) -> None:
        if self._mark < 0:
            return
        with contextlib.suppress(OSError):
            text = f"{self.path.name} {size} {counters}".encode()
            os.pwrite(self._mark, text.ljust(HEADER)[:HEADER], 0)

    def _note_entry(self, entry: str) -> None:
        if self._mark < 0 or not entry:
            return
        with contextlib.suppress(OSError):
            data = entry.encode()
            os.pwrite(self._mark, data, self._mark_end)
            self._mark_end += len(data)

    def write(self, line: bytes, counters: dict[str, int] | None = None, entry: str = "") -> int:
        """Put `line` in the page cache after the others (not durable yet: `sync`); the ticket
        `lines_synced` must reach for it to be. A failed write cuts what it wrote and raises:
        nothing of it is in the journal. `counters` (the id counters after it) and `entry` (the
        ids it writes) go into the mark, so that what a damaged journal lost can be named."""
        data = b"\n" + line if self._broken_tail else line
        try:
            fsutil.write_all(self._fd, data)  # (a module attribute: the tests' seam)
        except OSError:
            self._cut()
            raise
        self._broken_tail = False
        with self._state:
            self.size += len(data)
            self.lines += 1
            self._unsynced.append(_Unsynced(self.size, data, json.dumps(counters or {}), entry))
            ticket = self.lines
        self._note_entry(entry)
        return ticket

    def _cut(self) -> None:
        """A half-written line (disk full…) must not sit before the next good one."""
        try:
            os.ftruncate(self._fd, self.size)
        except OSError:
            self._broken_tail = True  # a damaged line that replay skips and reports

    def append(self, line: bytes, counters: dict[str, int] | None = None, entry: str = "") -> None:
        """Write `line` durably (it and every line before it): `write`, then `sync`. A failed
        sync cuts this line off again and raises (nothing of it saved); lines written before it
        stay, kept for the next sync (see `failure`). The sync and the cut happen under one hold
        of `_syncing`: no other thread's sync (the flusher's retry) can sync or write the line
        again in between, so "nothing saved" stays true and the offsets stay right."""
        self.write(line, counters, entry)
        try:
            with self._syncing:
                try:
                    done = self._sync_held()
                except OSError:
                    self._drop_last()
                    self._note_outcome()
                    raise
                if done:
                    self._note_outcome()
        finally:
            self._tell()

    def _drop_last(self) -> None:
        """Undo the last `write` after its sync failed (under `_syncing`)."""
        with self._state:
            last = self._unsynced.pop()
            self.size -= len(last.data)
            self.lines -= 1
            if not self._unsynced:
                self.failure = None  # what it covered is cut off: nothing else is at risk
            elif self.failure is not None:
                self.failure.entries = [u.entry for u in self._unsynced]
        self._cut()
        if self._mark >= 0 and last.entry:
            self._mark_end -= len(last.entry.encode())
            with contextlib.suppress(OSError):
                os.ftruncate(self._mark, self._mark_end)

    def sync(self) -> bool:
        """Make every line written so far durable (one fdatasync for all of them), then let the
        mark's header claim them. True if an fdatasync ran. Raises the OSError of a failed one,
        kept in `failure` until a later sync succeeds. Whoever calls it (the flusher, a flush, a
        compaction, a backup), `on_sync` hears the outcome of every sync that ran."""
        try:
            with self._syncing:
                try:
                    done = self._sync_held()
                except OSError:
                    self._note_outcome()
                    raise
                if done:
                    self._note_outcome()
                return done
        finally:
            self._tell()

    def _note_outcome(self) -> None:
        """Under `_syncing`: the outcome of the sync that just ran, queued for `_tell`."""
        self._outcomes.append((self.lines_synced, self.failure))

    def _tell(self) -> None:
        """`on_sync(lines_synced, failure)` for each outcome queued, in the order the syncs
        ran, outside `_syncing`: a listener may sync itself (a flush) without a deadlock. One
        thread tells at a time; a sync made by a listener (on the telling thread) is told by
        that thread after the listener returns. When `sync` returns its outcome has been told
        (by this thread, or by the one telling, which this one waited for)."""
        me = threading.get_ident()
        if self._teller == me:
            return  # a listener's own sync: told by the loop below once the listener returns
        with self._telling:
            self._teller = me
            try:
                while self._outcomes:
                    ticket, failure = self._outcomes.popleft()
                    hook = self.on_sync
                    if hook is not None:
                        with contextlib.suppress(Exception):  # a listener's bug breaks no write
                            hook(ticket, failure)
            finally:
                self._teller = None

    def _sync_held(self) -> bool:
        if self._fd < 0:
            return False
        with self._state:
            target, ticket = self.size, self.lines
            retry = [u for u in self._unsynced] if self.failure is not None else []
            if target <= self.synced and not retry:
                return False
            last = self._unsynced[-1].counters if self._unsynced else "{}"
        try:
            for line in retry:  # what a failed sync may have left marked clean
                self._rewrite(line)
            (self.sync_fn or os.fdatasync)(self._fd)
        except OSError as exc:
            with self._state:
                self.failure = SyncFailure(exc, [u.entry for u in self._unsynced])
            raise
        with self._state:
            self.syncs += 1
            self.synced, self.lines_synced = target, ticket
            self._unsynced = [u for u in self._unsynced if u.end > target]
            self.failure = None
        self._note_header(target, last)
        return True

    def _rewrite(self, line: _Unsynced) -> None:
        if self._rewrite_fd < 0:
            self._rewrite_fd = os.open(self.path, os.O_WRONLY)
        view = memoryview(line.data)
        offset = line.end - len(line.data)
        while view:
            written = os.pwrite(self._rewrite_fd, view, offset)
            view, offset = view[written:], offset + written

    @property
    def pending(self) -> int:
        """Bytes written but not yet durable."""
        return self.size - self.synced

    def file_size(self) -> int:
        """The file's length (`size` plus a failed append's leftovers, if any)."""
        return os.fstat(self._fd).st_size

    @property
    def mark_end(self) -> int:
        return self._mark_end

    def entries_since(self, offset: int) -> str:
        """The mark's entries of the transactions appended since the mark ended at `offset`."""
        if self._mark < 0 or self._mark_end <= offset:
            return ""
        with contextlib.suppress(OSError, UnicodeDecodeError):
            return os.pread(self._mark, self._mark_end - offset, offset).decode()
        return ""

    def close(self) -> None:
        """Close the files (after a sync under way; it does not sync: the store flushes first)."""
        with self._syncing:
            for name in ("_fd", "_rewrite_fd", "_mark"):
                fd = getattr(self, name)
                if fd >= 0:
                    os.close(fd)
                    setattr(self, name, -1)
