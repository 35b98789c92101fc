"""In-memory views of the store's tables: each sharded by id range into TinyDB files, loaded shard by
shard on first use, read as dicts, changed only through a transaction. The file format of a shard
is store/codec.py's; the review log's months are store/logs.py's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic

from deskwork.store.codec import Codec, T
from deskwork.store.collector import exempt_all, exempt_dict
from deskwork.store.repeats import record_number

SHARD_SIZE = 2000
ShardReader = Callable[[str, int, str], tuple[dict[int, Any], dict[str, Any]]]


def shard_of(doc_id: int) -> int:
    return doc_id // SHARD_SIZE


class Table(Generic[T]):
    """One table, sharded by id range into TinyDB files of at most SHARD_SIZE documents.

    Shards load on first use (or all at once with `load_all`, or one per `load_step` from a
    background worker); a compaction rewrites only the shards a write touched. Reads are dict
    lookups; writes go through a transaction. Thread-safe for one writer thread plus a loader.
    """

    def __init__(self, codec: Codec[T], files: dict[int, str], reader: ShardReader) -> None:
        self.codec = codec
        self.name = codec.name
        self.files = files  # shard -> file name (from the manifest)
        self._reader = reader
        self._shards: dict[int, dict[int, T]] = {}
        self._invalid: dict[int, dict[str, Any]] = {}
        self.dirty: set[int] = set()
        self._lock = threading.RLock()

    # ---------------------------------------------------------------- loading
    def _shard(self, shard: int) -> dict[int, T]:
        docs = self._shards.get(shard)
        if docs is None:
            with self._lock:
                docs = self._shards.get(shard)
                if docs is None:
                    name = self.files.get(shard)
                    loaded, invalid = self._reader(self.name, shard, name) if name else ({}, {})
                    self._invalid[shard] = invalid
                    self._shards[shard] = docs = loaded
        return docs

    @property
    def loaded(self) -> bool:
        return all(s in self._shards for s in self.files)

    def exempt_loaded(self) -> int:
        """The records loaded before the collector was armed, out of its way now as later ones
        are (store/collector.py): each record, then its shard's dict; how many records."""
        done = 0
        with self._lock:
            for shard, docs in self._shards.items():
                done += exempt_all(docs.values())
                self._shards[shard] = exempt_dict(docs)
        return done

    def load_step(self) -> bool:
        """Load one more shard; False once everything is in memory."""
        for shard in sorted(self.files):
            if shard not in self._shards:
                self._shard(shard)
                return True
        return False

    def load_all(self) -> None:
        while self.load_step():
            pass

    def forget(self, shard: int) -> None:
        """Drop a loaded shard that has no unsaved change, so that the next use reads it again."""
        with self._lock:
            if shard not in self.dirty:
                self._shards.pop(shard, None)
                self._invalid.pop(shard, None)

    # ---------------------------------------------------------------- reading
    def get(self, doc_id: int) -> T | None:
        return self._shard(shard_of(doc_id)).get(doc_id)

    def values(self) -> Iterator[T]:
        self.load_all()
        for shard in sorted(self._shards):
            yield from list(self._shards[shard].values())

    def all(self) -> list[T]:
        """Every record, in one list: each shard's records copied by one C call (`extend`), not
        yielded one by one through `values` — 100,000 cards in ~1 ms instead of 3–5 (the card
        browser takes this snapshot on the UI thread). A shard replaced meanwhile by another
        thread (`_put_shard`) is read whole, old or new: extend holds the GIL throughout."""
        self.load_all()
        out: list[T] = []
        for shard in sorted(self._shards):
            out.extend(self._shards[shard].values())
        return out

    def invalid_raw(self) -> dict[str, Any]:
        """Records the model refused, kept raw (as read), by key, from every shard: what a
        dedupe must see too (a name a damaged record holds is taken)."""
        self.load_all()
        out: dict[str, Any] = {}
        with self._lock:
            for shard in sorted(self._invalid):
                out.update(self._invalid[shard])
        return out

    def find(self, predicate: Callable[[T], bool]) -> list[T]:
        return [doc for doc in self.values() if predicate(doc)]

    def __iter__(self) -> Iterator[T]:
        return self.values()

    def __len__(self) -> int:
        self.load_all()
        return sum(len(d) for d in list(self._shards.values()))  # a copy: another thread adds

    def max_id(self) -> int:
        self.load_all()
        return max((max(d, default=0) for d in list(self._shards.values())), default=0)

    # ---------------------------------------------------------------- for the store
    def shard_data(self, shard: int) -> tuple[dict[int, T], dict[str, Any]]:
        return self._shard(shard), self._invalid.get(shard, {})

    def mark_all_dirty(self) -> None:
        self.load_all()
        self.dirty.update(self._shards)

    def _put(self, doc: T) -> None:
        shard = shard_of(doc.id)
        doc = self.codec.lean(doc)
        with self._lock:
            self._shard(shard)[doc.id] = doc
            self._invalid.get(shard, {}).pop(str(doc.id), None)
            self.dirty.add(shard)

    def _put_shard(self, shard: int, docs: dict[int, T], *, made_lean: bool = False) -> None:
        """Many records of one shard at once, copy-on-write: a reader iterating the shard's old
        dict on another thread goes on undisturbed. `made_lean`: the caller did it already."""
        if not made_lean:
            lean = self.codec.lean
            docs = {doc_id: lean(doc) for doc_id, doc in docs.items()}
        with self._lock:
            merged = dict(self._shard(shard))
            merged.update(docs)
            invalid = self._invalid.get(shard)
            if invalid:
                self._invalid[shard] = {
                    k: v for k, v in invalid.items() if not (k.isdigit() and int(k) in docs)
                }
            self._shards[shard] = exempt_dict(merged)  # (a copy: untracked again if it can be)
            self.dirty.add(shard)

    def _delete(self, doc_id: int) -> None:
        shard = shard_of(doc_id)
        with self._lock:
            self._shard(shard).pop(doc_id, None)
            self._invalid.get(shard, {}).pop(str(doc_id), None)
            self.dirty.add(shard)

    def _keep_invalid(self, doc_id: str, raw: Any) -> None:
        shard = shard_of(record_number(doc_id))  # `12`, or an earlier copy's `12 duplicate 1`
        with self._lock:
            self._shard(shard)
            self._invalid.setdefault(shard, {})[doc_id] = raw
            self.dirty.add(shard)
