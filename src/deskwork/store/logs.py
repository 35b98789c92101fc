"""Append-mostly logs (the review log) partitioned by month and loaded on demand.

A year of study writes ~250k review entries. Holding them all in memory, or rewriting them on each
write, would make every grade slower as the log grows. Instead each month is a list of immutable
TinyDB segment files; a compaction writes the month's new entries as one more segment (cost: the new
entries only), and rewrites a month only when entries were deleted (undo) or segments pile up.

The log is never wholly resident: loaded months are kept while they hold at most `ROWS_RESIDENT`
entries together (least recently used dropped first; the month just used always stays), so reading
the whole log (`iter_all`, an export) holds one month at a time. A dropped month is read again (and
verified again) on its next use; its unsaved entries live in `pending_put` / `pending_del` meanwhile.
Months rebuilt after damage or holding invalid records stay loaded (rereading would report the
damage again). `stamp(month)` changes whenever a month's entries may have changed, so a caller can
cache figures per month without loading it (the stats screen's answers per day).
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic

from deskwork.store.codec import Codec, InvalidRecord, T
from deskwork.store.collector import exempt_all, exempt_dict

MAX_SEGMENTS_PER_MONTH = 8
ROWS_RESIDENT = 100_000  # loaded months kept up to this many entries (~55 MB of review rows)
_stamps = itertools.count(1)


def month_of(ts: datetime) -> str:
    return f"{ts.year:04d}-{ts.month:02d}"


def _utc(ts: datetime) -> datetime:
    """An aware time in UTC (a naive one is taken as UTC already, as stored times are)."""
    return ts.astimezone(UTC) if ts.tzinfo is not None else ts


class LogTable(Generic[T]):
    def __init__(
        self,
        codec: Codec[T],
        folder: Path,
        segments: dict[str, list[str]],
        read_segment: Callable[[Codec[T], str, str], tuple[dict[int, T], dict[str, Any]]],
    ) -> None:
        self.codec = codec
        self.name = codec.name
        self.folder = folder
        self.segments = segments  # month -> file names, oldest first (from the manifest)
        self._read_segment = read_segment
        self._loaded: OrderedDict[str, dict[int, T]] = OrderedDict()  # least recently used first
        self._invalid: dict[str, dict[str, Any]] = {}
        self.pending_put: dict[str, dict[int, T]] = {}
        self.pending_del: dict[str, set[int]] = {}
        self.rewrite: set[str] = set()  # months rebuilt after damage: written whole at compaction
        # What a compaction running in the background is writing (pending until it commits).
        self.inflight_put: dict[str, dict[int, T]] = {}
        self.inflight_del: dict[str, set[int]] = {}
        self.inflight_rewrite: set[str] = set()
        # Loading a month reads the segments, then what is in flight and pending: a background
        # compaction's switch (segments + in flight -> new segments) must not fall in between.
        self.lock = threading.RLock()
        self.problems: list[InvalidRecord] = []
        self.keep: set[str] = set()  # months never dropped from memory (see the module docstring)
        self.rows_resident = ROWS_RESIDENT
        self._stamps: dict[str, int] = {}
        # Segment files a thread is reading now (under `lock`): a compaction's orphan removal
        # keeps them (it would otherwise delete a month's old files under a reader's feet, and
        # the missing file would be taken for damage and "recovered").
        self.reading: Counter[str] = Counter()

    def months(self) -> list[str]:
        return sorted(set(self.segments) | set(self.inflight_put) | set(self.pending_put))

    def stamp(self, month: str) -> int:
        """A number that changes whenever the month's entries may have changed (cheap: no load)."""
        return self._stamps.setdefault(month, next(_stamps))

    def exempt_loaded(self) -> int:
        """The entries loaded before the collector was armed, out of its way now (see
        `Table.exempt_loaded`); how many."""
        done = 0
        with self.lock:
            for month, docs in self._loaded.items():
                done += exempt_all(docs.values())
                self._loaded[month] = exempt_dict(docs)
        return done

    def _changed(self, month: str) -> None:
        self._stamps[month] = next(_stamps)

    def saved(self, month: str) -> list[str] | None:
        """The files that hold every entry of `month` (immutable: see the module docstring), or
        None while some of its entries are only in memory or being rewritten (pending, in flight
        to a compaction, kept after damage): with their checksums, a key that figures counted
        from the month can be kept under across runs (the stats' answers per day)."""
        with self.lock:
            if (
                self.pending_put.get(month)
                or self.pending_del.get(month)
                or self.inflight_put.get(month)
                or self.inflight_del.get(month)
                or month in self.rewrite
                or month in self.inflight_rewrite
                or month in self.keep
                or month not in self.segments
            ):
                return None
            return list(self.segments[month])

    def loaded_months(self) -> list[str]:
        return list(self._loaded)

    def month(self, month: str, *, resident: bool = True) -> dict[int, T]:
        """Every entry of one month (loads its segments on first use; past `rows_resident` the
        least recently used months are dropped again). The files are read without the lock (a
        grade appending meanwhile does not wait for them); what is in flight and pending is
        merged under it, and if a background compaction switched the month's segments in
        between, they are read again. `resident=False`: a month not loaded yet is read for this
        call only, and not kept in memory (a figure counted once), unless it must stay (damage)."""
        loaded = self._loaded.get(month)
        if loaded is not None:
            with contextlib.suppress(KeyError):  # dropped by another thread meanwhile
                self._loaded.move_to_end(month)  # the most recently used, last
            return loaded
        while True:
            with self.lock:  # the names and their pin at once: a switch is before or after
                names = list(self.segments.get(month, []))
                self.reading.update(names)
            docs: dict[int, T] = {}
            invalid: dict[str, Any] = {}
            try:
                for name in names:
                    seg_docs, seg_invalid = self._read_segment(self.codec, name, month)
                    docs.update(seg_docs)
                    invalid.update(seg_invalid)
            finally:
                self._unpin(names)
            with self.lock:
                if month in self._loaded:
                    return self._loaded[month]
                if self.segments.get(month, []) != names:
                    continue
                for doc_id in self.inflight_del.get(month, ()):
                    docs.pop(doc_id, None)
                docs.update(self.inflight_put.get(month, {}))
                for doc_id in self.pending_del.get(month, ()):
                    docs.pop(doc_id, None)
                docs.update(self.pending_put.get(month, {}))
                if not resident and not invalid and month not in self.keep | self.rewrite:
                    return docs
                self._invalid[month] = invalid
                if invalid:
                    self.keep.add(month)
                self._loaded[month] = docs
                self._drop_least_used(month)
                return docs

    def frozen(self, month: str) -> Frozen[T]:
        """The month as it is now, to be read later on another thread without loading it on
        this one: a loaded month copied; else its segment names kept from deletion (`reading`)
        and what is in flight and pending copied, the files read and those laid over them when
        `Frozen.read` is called (at most once; `Frozen.release` unpins one never read)."""
        with self.lock:
            loaded = self._loaded.get(month)
            if loaded is not None:
                return Frozen(self, month, [], [], dict(loaded))
            names = list(self.segments.get(month, []))
            self.reading.update(names)
            layers = [
                (set(self.inflight_del.get(month, ())), dict(self.inflight_put.get(month, {}))),
                (set(self.pending_del.get(month, ())), dict(self.pending_put.get(month, {}))),
            ]
        return Frozen(self, month, names, layers, None)

    def _unpin(self, names: list[str]) -> None:
        with self.lock:
            self.reading.subtract(names)
            self.reading = +self.reading  # the names no one reads any more dropped

    def _drop_least_used(self, used: str) -> None:
        """Drop loaded months, least recently used first, until the rest fit `rows_resident`
        (never one kept, nor one a compaction must write whole)."""
        rows = sum(len(d) for d in list(self._loaded.values()))
        for month in list(self._loaded):
            if rows <= self.rows_resident:
                return
            if (
                month == used
                or month in self.keep
                or month in self.rewrite
                or month in self.inflight_rewrite
            ):
                continue
            docs = self._loaded.pop(month, None)
            self._invalid.pop(month, None)
            rows -= len(docs or ())

    def forget(self, month: str) -> None:
        """Drop a loaded month, so that the next use reads its segments again."""
        self._loaded.pop(month, None)
        self._invalid.pop(month, None)
        self.keep.discard(month)
        self._changed(month)

    def between(self, start: datetime, end: datetime) -> Iterator[T]:
        """Entries with start <= ts < end, loading only the months that overlap. Months are UTC
        months (entries are filed by their UTC time), so local bounds are turned to UTC first: a
        study day starting 00:00+02:00 on the 1st begins in the month before, at 22:00 UTC."""
        # Compared in UTC too, as entries are stored: no offset lookup per entry compared.
        start, end = _utc(start), _utc(end)
        first, last = month_of(start), month_of(end)
        # Each month copied before its first entry is handed out: a worker reading here while
        # the UI thread appends to the month would otherwise meet a dict that changed size.
        for month in self.months():
            if first < month < last:  # a month wholly inside: no comparisons
                yield from list(self.month(month).values())
            elif first <= month <= last:
                for doc in list(self.month(month).values()):
                    ts = getattr(doc, "ts")  # noqa: B009 - the log's time field
                    if start <= ts < end:
                        yield doc

    def iter_all(self) -> Iterator[T]:
        """Every entry, month by month: only about `rows_resident` of them in memory at once."""
        for month in self.months():
            yield from list(self.month(month).values())

    def all(self) -> list[T]:
        """Every entry in one list (the whole log in memory while the list lives: prefer
        `iter_all`)."""
        return list(self.iter_all())

    def count(self) -> int:
        return sum(len(self.month(m)) for m in self.months())

    # applied by the store once a transaction is durable
    def _append(self, month: str, doc: T) -> None:
        doc = self.codec.lean(doc)
        with self.lock:  # not between a loading month's reads
            self.pending_put.setdefault(month, {})[doc.id] = doc
            self.pending_del.get(month, set()).discard(doc.id)
            loaded = self._loaded.get(month)
            if loaded is not None:
                loaded[doc.id] = doc
            self._changed(month)

    def _append_many(self, month: str, docs: dict[int, T], *, made_lean: bool = False) -> None:
        """Many entries of one month, copy-on-write (see `Table._put_shard`)."""
        if not made_lean:
            lean = self.codec.lean
            docs = {doc_id: lean(doc) for doc_id, doc in docs.items()}
        with self.lock:
            pending = dict(self.pending_put.get(month, {}))
            pending.update(docs)
            self.pending_put[month] = exempt_dict(pending)  # (copies: see collector.exempt_dict)
            deleted = self.pending_del.get(month)
            if deleted:
                self.pending_del[month] = deleted - docs.keys()
            if month in self._loaded:
                loaded = dict(self._loaded[month])
                loaded.update(docs)
                self._loaded[month] = exempt_dict(loaded)
            self._changed(month)

    def _remove(self, month: str, doc_id: int) -> None:
        with self.lock:
            if self.pending_put.get(month, {}).pop(doc_id, None) is None:
                self.pending_del.setdefault(month, set()).add(doc_id)
            loaded = self._loaded.get(month)
            if loaded is not None:
                loaded.pop(doc_id, None)
            self._changed(month)

    # a compaction in the background: what it takes, and what becomes of it
    def take_inflight(self) -> None:
        self.inflight_put, self.pending_put = self.pending_put, {}
        self.inflight_del, self.pending_del = self.pending_del, {}
        self.inflight_rewrite, self.rewrite = self.rewrite, set()

    def drop_inflight(self) -> None:
        """Written: the entries are in the segments now."""
        self.inflight_put, self.inflight_del, self.inflight_rewrite = {}, {}, set()

    def restore_inflight(self) -> None:
        """Not written: pending again, under what was written since."""
        for month, docs in self.inflight_put.items():
            gone = self.pending_del.get(month, set())
            kept = {k: v for k, v in docs.items() if k not in gone}
            self.pending_put[month] = {**kept, **self.pending_put.get(month, {})}
        for month, ids in self.inflight_del.items():
            self.pending_del[month] = ids | self.pending_del.get(month, set())
        self.rewrite |= self.inflight_rewrite
        self.drop_inflight()

    def invalid_of(self, month: str) -> dict[str, Any]:
        self.month(month)
        return self._invalid.get(month, {})


class Frozen(Generic[T]):
    """One month of a log as it was when `LogTable.frozen` was called (see there)."""

    def __init__(
        self,
        log: LogTable[T],
        month: str,
        names: list[str],
        layers: list[tuple[set[int], dict[int, T]]],
        docs: dict[int, T] | None,
    ) -> None:
        self.log, self.month, self.names, self.layers, self.docs = log, month, names, layers, docs

    def read(self) -> dict[int, T]:
        if self.docs is not None:
            return self.docs
        docs: dict[int, T] = {}
        try:
            for name in self.names:
                docs.update(self.log._read_segment(self.log.codec, name, self.month)[0])
        finally:
            self.release()
        for deleted, put in self.layers:
            for doc_id in deleted:
                docs.pop(doc_id, None)
            docs.update(put)
        self.docs = docs
        return docs

    def release(self) -> None:
        names, self.names = self.names, []
        if names:
            self.log._unpin(names)
