"""Compaction: the changed tables and new log segments become new immutable files, each with its
checksum and ids in a new manifest, and replacing the manifest commits them.

The journal just closed is kept (with its checksum) as long as some backup is older than it: replayed
on that backup, the chain of journals rebuilds any file exactly. Files no manifest names are deleted,
never quarantined copies or backups.

On a background thread (`compact_in_background`) the store's write lock is held only to take a
snapshot of what to write and, after writing it, to switch: the journal lines appended meanwhile are
copied to the start of the new journal before the new manifest commits, so a crash at any point
leaves either the old manifest with the whole old journal or the new one with those lines. The
closing journal is synced before the switch (group commit leaves its last lines to the flusher).
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from deskwork.store.checksums import DIGEST_SIZE, FileSum, sum_of
from deskwork.store.fsutil import atomic_write
from deskwork.store.journal_writer import JournalWriter
from deskwork.store.logs import MAX_SEGMENTS_PER_MONTH
from deskwork.store.manifest import (
    Manifest,
    write_manifest,
)
from deskwork.store.orphans import remove_orphans

if TYPE_CHECKING:
    from deskwork.store.logs import LogTable
    from deskwork.store.store import Store
    from deskwork.store.tables import Table


def _ids(docs: dict[int, Any], invalid: dict[str, Any]) -> list[int]:
    return [*docs, *(int(k) for k in invalid if k.isdigit())]


@dataclass
class Plan:
    """What one compaction writes, taken from the store under its write lock (a snapshot: the
    records are copied, writes made meanwhile stay pending for the next compaction)."""

    old: Manifest
    gen: int
    known: dict[str, FileSum]
    tables: dict[str, dict[int, str]]
    logs: dict[str, dict[str, list[str]]]
    shards: list[tuple[Table[Any], int, dict[int, Any], dict[str, Any]]] = field(
        default_factory=list
    )
    months: list[tuple[LogTable[Any], str, dict[int, Any], dict[str, Any], bool]] = field(
        default_factory=list
    )  # (log, month, entries, invalid ones, whole: the month's only segment)
    inflight: list[LogTable[Any]] = field(default_factory=list)
    journal_size: int = 0  # the journal's bytes the snapshot holds; the rest is carried over
    mark_from: int = 0
    chain_broken: bool = False
    rewrite_on_open: bool = False
    keep_journal: bool = False  # the closing journal stays (a backup may need it replayed)
    written: dict[str, FileSum] = field(default_factory=dict)
    journal_hash: Any = None


def compact(store: Store, *, force: bool = False) -> None:
    """A whole compaction on the calling thread, holding the write lock throughout."""
    with store._compaction_lock, store.write_lock:
        plan = snapshot(store, force=force)
        if plan is None:
            return
        try:
            write_files(store, plan)
            switch(store, plan)
        except BaseException:
            give_back(store, plan)
            raise
    remove_orphans(store)


def compact_in_background(store: Store) -> None:
    """The same on a background thread: the write lock is held only to take the snapshot and to
    switch to the new files (and carry over the journal lines appended meanwhile); the writing
    itself lets every writer go on."""
    with store._compaction_lock:
        with store.write_lock:
            plan = snapshot(store)
        if plan is None:
            return
        try:
            write_files(store, plan)
            _lock_synced(store)
            try:
                switch(store, plan)
            finally:
                store.write_lock.release()
        except BaseException:
            with store.write_lock:
                give_back(store, plan)
            raise
    remove_orphans(store)
    release(plan)


def _lock_synced(store: Store) -> None:
    """Take the write lock with the closing journal already synced: its fdatasync runs outside
    the lock (a write made meanwhile waits for the lock, never for the disk), again if lines came
    meanwhile (at most three times; then the switch syncs the last ones under the lock)."""
    for _ in range(3):
        closing = store._journal
        if closing is not None:
            closing.sync()
        store.write_lock.acquire()
        if closing is None or store._journal is not closing or closing.pending == 0:
            return
        store.write_lock.release()
    store.write_lock.acquire()


def release(plan: Plan) -> None:
    """Drop the plan's records one at a time. The log entries it wrote for months nobody has
    loaded are held by nothing else now: freed at once (250,000 after an import), their
    deallocation is one uninterruptible cascade that holds the GIL for most of a second."""
    for _, _, docs, _, _ in plan.months:
        while docs:
            docs.popitem()
    plan.months.clear()
    plan.shards.clear()


def snapshot(store: Store, *, force: bool = False) -> Plan | None:
    if store.readonly or store._journal is None:
        return None
    dirty = [t for t in store.tables.values() if t.dirty]
    pending = [lg for lg in store.logs.values() if lg.pending_put or lg.pending_del or lg.rewrite]
    if not (force or dirty or pending or store._journal.size or store._rewrite_on_open):
        return None
    old = store.manifest
    plan = Plan(
        old=old,
        gen=max(old.gen + 1, store.min_gen),
        known={**store.seen_sums, **(old.sums or {})},
        tables={k: dict(v) for k, v in old.tables.items()},
        logs={k: {m: list(s) for m, s in v.items()} for k, v in old.logs.items()},
        journal_size=store._journal.file_size(),
        mark_from=store._journal.mark_end,
        chain_broken=store.chain_broken,
        rewrite_on_open=store._rewrite_on_open,
    )
    for t in dirty:
        for shard in sorted(t.dirty):
            docs, invalid = t.shard_data(shard)
            plan.shards.append((t, shard, dict(docs), dict(invalid)))
        t.dirty.clear()
    for lg in pending:
        for month in sorted(set(lg.pending_put) | set(lg.pending_del) | lg.rewrite):
            segs = plan.logs.get(lg.name, {}).get(month, [])
            whole = lg.pending_del.get(month) or month in lg.rewrite
            if whole or len(segs) + 1 > MAX_SEGMENTS_PER_MONTH:
                entries, invalid = dict(lg.month(month)), dict(lg.invalid_of(month))
                plan.months.append((lg, month, entries, invalid, True))
            else:
                plan.months.append((lg, month, lg.pending_put.get(month, {}), {}, False))
        with lg.lock:
            lg.take_inflight()
        plan.inflight.append(lg)
    chain_from = plan.gen if plan.chain_broken else old.chain_from
    floor = max(store.journal_floor, chain_from)
    plan.keep_journal = old.gen >= floor
    store.chain_broken = store._rewrite_on_open = False
    return plan


def write_files(store: Store, plan: Plan) -> None:
    """The new files (no lock needed: the plan's records are its own copies)."""
    gen = plan.gen

    def write(name: str, data: bytes, ids: list[int]) -> None:
        atomic_write(store.data_dir / name, data)
        plan.written[name] = sum_of(data, ids)

    for t, shard, docs, invalid in plan.shards:
        shards = plan.tables.setdefault(t.name, {})
        if not docs and not invalid:
            shards.pop(shard, None)
            continue
        name = f"{t.name}-s{shard}-{gen}.json"
        write(name, t.codec.encode(docs, invalid), _ids(docs, invalid))
        shards[shard] = name
    for lg, month, docs, invalid, whole in plan.months:
        months = plan.logs.setdefault(lg.name, {})
        name = f"{lg.name}-{month}-{gen}.json"
        months[month] = [name] if whole else [*months.get(month, []), name]
        write(name, lg.codec.encode(docs, invalid), _ids(docs, invalid))
    closing = store.data_dir / plan.old.journal
    if plan.keep_journal and closing.is_file():
        with contextlib.suppress(OSError), open(closing, "rb") as fh:
            hasher = hashlib.blake2b(digest_size=DIGEST_SIZE)
            hasher.update(fh.read(plan.journal_size))
            plan.journal_hash = hasher


def switch(store: Store, plan: Plan) -> None:
    """The commit point: the new manifest names the new files and a new journal that starts
    with the lines appended since the snapshot (under the write lock)."""
    assert store._journal is not None
    # Every line of the closing journal durable before the manifest names its checksum and a
    # new journal takes over (group commit: the flusher may not have synced the last ones).
    store._journal.sync()
    old, gen = plan.old, plan.gen
    chain_from = gen if plan.chain_broken else old.chain_from
    sums: dict[str, FileSum] = {}
    for names in (
        [n for s in plan.tables.values() for n in s.values()],
        [n for m in plan.logs.values() for s in m.values() for n in s],
    ):
        for name in names:
            found = plan.written.get(name) or plan.known.get(name)
            if found is None:  # not read since a store without checksums was opened
                found = sum_of((store.data_dir / name).read_bytes())
            sums[name] = found
    floor = max(store.journal_floor, chain_from)
    for jgen, jname in old.kept_journals().items():
        if jgen >= floor and old.sums is not None:
            sums[jname] = old.sums[jname]
    closing = store.data_dir / old.journal
    tail = b""
    if store._journal.file_size() > plan.journal_size:
        with open(closing, "rb") as fh:
            fh.seek(plan.journal_size)
            tail = fh.read()
    if old.gen >= floor and closing.is_file():
        hasher = plan.journal_hash
        if hasher is not None:
            hasher.update(tail)
            sums[old.journal] = FileSum(
                size=plan.journal_size + len(tail), b2=hasher.hexdigest(), ids=""
            )
        else:
            with contextlib.suppress(OSError):
                sums[old.journal] = sum_of(closing.read_bytes())
    new = Manifest(
        schema_version=old.schema_version,  # migrated on load: the current version
        gen=gen,
        tables=plan.tables,
        logs=plan.logs,
        counters=dict(store.manifest.counters),
        sums=sums,
        chain_from=chain_from,
    )
    entries = store._journal.entries_since(plan.mark_from) if tail else ""
    new_journal = JournalWriter(
        store.data_dir / new.journal, truncate_to=0, first_line=store._journal.lines
    )
    try:
        if tail:  # the lines appended since the snapshot: their records are in no new file
            new_journal.append(tail, new.counters, entries)
        write_manifest(store.data_dir, new, copy=True)  # the commit point
    except BaseException:
        new_journal.close()
        with contextlib.suppress(OSError):
            (store.data_dir / new.journal).unlink()
        raise
    store._journal.close()
    store._journal = new_journal
    # A segment a thread is reading (LogTable.reading) outlives the manifest that named it: its
    # sum is kept, set before the switch, so that its read is checked like any other.
    store.retired_sums.update((n, fs) for n, fs in (old.sums or {}).items() if n not in sums)
    store.manifest = new
    store._journal_txs = []
    for name in plan.known:
        store.seen_sums.pop(name, None)
    for t, _, _, _ in plan.shards:
        t.files = dict(plan.tables[t.name])
    for lg in plan.inflight:
        with lg.lock:  # a month being loaded on another thread sees before or after, whole
            lg.segments = plan.logs[lg.name]
            lg.drop_inflight()


def give_back(store: Store, plan: Plan) -> None:
    """A compaction that failed: what it took is pending again (the journal still holds it)."""
    for t, shard, _, _ in plan.shards:
        t.dirty.add(shard)
    for lg in plan.inflight:
        with lg.lock:
            lg.restore_inflight()
    store.chain_broken |= plan.chain_broken
    store._rewrite_on_open |= plan.rewrite_on_open
