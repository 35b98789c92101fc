"""Bulk writes: an import's cards and its year of review history as a few bulk journal ops.

A transaction's `put_many` / `append_many` become `["putm",table,{id:doc,…}]` and
`["appm",log,month,{id:doc,…}]` in the transaction's one journal line (journal.py): durable with
one write and one fdatasync, checksummed like any line, so all or nothing. What makes it cheap is
what it does not do per row: no JSON text per record (the records are serialised a thousand at a
time, by orjson where it writes pydantic's bytes: store/rowjson.py), no op list per record, one mark
entry per table as an id range. It is encoded in chunks, so that a progress callback is called and a cancellation is honoured
between them (cancelled: nothing is written), and a thread doing it lets the event loop run.

Once durable, the records become visible copy-on-write: each shard or month it touches is copied,
updated and swapped in, so a reader on another thread iterating a table never sees it change size
under it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from deskwork.domain.cancel import Cancelled
from deskwork.store.codec import Codec
from deskwork.store.tables import shard_of

if TYPE_CHECKING:
    from deskwork.store.logs import LogTable
    from deskwork.store.store import Store
    from deskwork.store.tables import Table
    from deskwork.store.transaction import Transaction

CHUNK = 1000  # records serialised per call: a few ms between two looks at the event loop
Progress = Callable[[int, int], None]


@dataclass
class BulkOp:
    kind: str  # "putm" (table records) or "appm" (log entries of one month)
    name: str
    month: str  # "" for a table
    docs: dict[int, Any]
    # put_many(unchanged_since=…): each record is written only if the table still holds this very
    # object for its id (a card answered meanwhile is left out, see `drop_changed`)
    base: dict[int, Any] | None = None
    lean: bool = False  # the records are as the store holds them already (`make_lean`)

    def parsed(self) -> list[Any]:
        head: list[Any] = [self.kind, self.name] + ([self.month] if self.kind == "appm" else [])
        return [*head, self.docs]


def by_month(docs: Iterable[Any], time_field: str) -> dict[str, dict[int, Any]]:
    """Log entries grouped by the month of their time (`YYYY-MM`, as logs.month_of)."""
    groups: dict[int, dict[int, Any]] = {}
    for doc in docs:
        ts = getattr(doc, time_field)
        key = ts.year * 100 + ts.month
        group = groups.get(key)
        if group is None:
            groups[key] = group = {}
        group[doc.id] = doc
    return {f"{k // 100:04d}-{k % 100:02d}": v for k, v in sorted(groups.items())}


class Encoder:
    """Serialises a transaction's bulk ops chunk by chunk, calling back and checking for a
    cancellation between chunks."""

    def __init__(
        self,
        codecs: dict[str, Codec[Any]],
        ops: list[BulkOp],
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.codecs = codecs
        self.ops = ops
        self.progress = progress
        self.cancelled = cancelled
        self.total = sum(len(op.docs) for op in ops)
        self.done = 0

    def _tick(self, n: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("cancelled: nothing was saved")
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)

    def encode(self, op: BulkOp) -> list[bytes]:
        codec = self.codecs[op.name]
        pairs = iter(op.docs.items())  # a chunk at a time: see tables.Codec._encode_in_chunks
        head = b'["%s","%s",' % (op.kind.encode(), op.name.encode())
        if op.kind == "appm":
            head += b'"%s",' % op.month.encode()
        parts = [head + b"{"]
        while True:
            self._tick(0)
            chunk = list(islice(pairs, CHUNK))
            if not chunk:
                break
            if len(parts) > 1:
                parts.append(b",")
            parts.append(codec.dump_items(chunk)[1:-1])  # '"1":{…},"2":{…}'
            self._tick(len(chunk))
        parts.append(b"}]")
        return parts

    def body(self, plain_ops: list[str]) -> list[bytes]:
        """The whole transaction, in parts: its plain ops, then its bulk ones."""
        parts = [b"["]
        for plain in plain_ops:
            parts += [plain.encode(), b","]
        for bulk in self.ops:
            parts += [*self.encode(bulk), b","]
        parts[-1] = b"]"  # the last comma closes the list (a bulk transaction has a bulk op)
        self._tick(0)
        return parts


def by_shard(docs: dict[int, Any]) -> dict[int, dict[int, Any]]:
    shards: dict[int, dict[int, Any]] = {}
    for doc_id, doc in docs.items():
        shard = shard_of(doc_id)
        group = shards.get(shard)
        if group is None:
            shards[shard] = group = {}
        group[doc_id] = doc
    return shards


def make_lean(store: Store, tx: Transaction) -> None:
    """The bulk ops' records as the store holds them (store/lean.py), before the write lock is
    taken: a quarter of a million log entries take ~0.5 s to make lean, and a grade committed
    meanwhile waits for the write lock. The values do not change, nor the bytes they serialise
    to; a record made lean again is the same record."""
    for op in tx._bulk:
        op.docs = store._codecs[op.name].lean.many(op.docs)
        op.lean = True


def apply_table(table: Table[Any], docs: dict[int, Any], *, made_lean: bool = False) -> None:
    """Durable records into a table, copy-on-write per shard."""
    for shard, group in by_shard(docs).items():
        table._put_shard(shard, group, made_lean=made_lean)


def apply_log(
    log: LogTable[Any], month: str, docs: dict[int, Any], *, made_lean: bool = False
) -> None:
    log._append_many(month, docs, made_lean=made_lean)


def drop_changed(store: Store, tx: Transaction) -> bool:
    """Leave out of conditional puts every record whose stored version is no longer the one it
    was made from (named in `tx.skipped`), and drop bulk ops left empty; True if any changed."""
    dropped = False
    for op in tx._bulk:
        if op.base is None:
            continue
        table = store.tables[op.name]
        stale = [doc_id for doc_id in op.docs if table.get(doc_id) is not op.base.get(doc_id)]
        for doc_id in stale:
            del op.docs[doc_id]
        if stale:
            tx.skipped.setdefault(op.name, set()).update(stale)
            dropped = True
    tx._bulk = [op for op in tx._bulk if op.docs]
    return dropped


def _encode(store: Store, tx: Transaction) -> tuple[bytes, str]:
    from deskwork.store import journal

    encoder = Encoder(store._codecs, tx._bulk, tx.progress, tx.cancelled)
    line = journal.encode_parts(encoder.body(tx._ops))
    return line, journal.touched(tx._parsed + [op.parsed() for op in tx._bulk])


def commit(store: Store, tx: Transaction) -> None:
    """Serialise (outside the write lock: other writers go on meanwhile), then append durably
    and apply under it. Cancelled or failed before the append: nothing was written. A conditional
    put (`unchanged_since`) is checked before the serialising and again under the lock; a record
    changed in between is left out and the rest serialised again there (rare: a grade landing
    during the few hundred ms of serialising)."""
    drop_changed(store, tx)
    if not tx._bulk and not tx._ops:  # every conditional record changed meanwhile, nothing else
        return
    make_lean(store, tx)
    line, entry = _encode(store, tx)  # (only plain ops left: the same line a plain commit writes)
    with store.write_lock:  # held for the append and dict copies: nothing per record
        if tx.cancelled is not None and tx.cancelled():
            raise Cancelled("cancelled: nothing was saved")
        if drop_changed(store, tx):
            if not tx._bulk and not tx._ops:
                return
            line, entry = _encode(store, tx)
        store.count_ids([*tx._parsed, *(op.parsed() for op in tx._bulk)])
        store._append_line(line, entry)
        store._apply(tx._parsed, from_disk=False, migrating=False)
        for op in tx._bulk:
            if op.kind == "putm":
                apply_table(store.tables[op.name], op.docs, made_lean=op.lean)
            else:
                apply_log(store.logs[op.name], op.month, op.docs, made_lean=op.lean)
    store._journal_grew(bulk=True)
