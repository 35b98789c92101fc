"""Compaction: the changed tables and new log segments become new immutable files, each with its
checksum and ids in a new manifest, and replacing the manifest commits them.

The journal just closed is kept (with its checksum) as long as some backup is older than it: replayed
on that backup, the chain of journals rebuilds any file exactly. Files no manifest names are deleted,
never quarantined copies or backups.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from deskwork.store import journal
from deskwork.store.checksums import FileSum, sum_of
from deskwork.store.fsutil import atomic_write
from deskwork.store.logs import MAX_SEGMENTS_PER_MONTH
from deskwork.store.manifest import (
    JOURNAL_FILE,
    SEGMENT_FILE,
    TABLE_FILE,
    Manifest,
    write_manifest,
)

if TYPE_CHECKING:
    from deskwork.store.store import Store


def _ids(docs: dict[int, Any], invalid: dict[str, Any]) -> list[int]:
    return [*docs, *(int(k) for k in invalid if k.isdigit())]


def compact(store: Store, *, force: bool = False) -> None:
    if store.readonly or store._journal is None:
        return
    dirty = [t for t in store.tables.values() if t.dirty]
    pending = [lg for lg in store.logs.values() if lg.pending_put or lg.pending_del or lg.rewrite]
    if not (force or dirty or pending or store._journal.size or store._rewrite_on_open):
        return
    old = store.manifest
    gen = max(old.gen + 1, store.min_gen)
    known = {**store.seen_sums, **(old.sums or {})}
    written: dict[str, FileSum] = {}

    def write(name: str, data: bytes, ids: list[int]) -> None:
        atomic_write(store.data_dir / name, data)
        written[name] = sum_of(data, ids)

    tables = {k: dict(v) for k, v in old.tables.items()}
    for t in dirty:
        shards = tables.setdefault(t.name, {})
        for shard in sorted(t.dirty):
            docs, invalid = t.shard_data(shard)
            if not docs and not invalid:
                shards.pop(shard, None)
                continue
            name = f"{t.name}-s{shard}-{gen}.json"
            write(name, t.codec.encode(docs, invalid), _ids(docs, invalid))
            shards[shard] = name
    logs = {k: {m: list(s) for m, s in v.items()} for k, v in old.logs.items()}
    for lg in pending:
        months = logs.setdefault(lg.name, {})
        for month in sorted(set(lg.pending_put) | set(lg.pending_del) | lg.rewrite):
            segs = months.get(month, [])
            name = f"{lg.name}-{month}-{gen}.json"
            whole = lg.pending_del.get(month) or month in lg.rewrite
            if whole or len(segs) + 1 > MAX_SEGMENTS_PER_MONTH:
                docs, invalid = lg.month(month), lg.invalid_of(month)
                months[month] = [name]
            else:
                docs, invalid = lg.pending_put.get(month, {}), {}
                months[month] = [*segs, name]
            write(name, lg.codec.encode(docs, invalid), _ids(docs, invalid))
    chain_from = gen if store.chain_broken else old.chain_from
    sums: dict[str, FileSum] = {}
    for names in (
        [n for s in tables.values() for n in s.values()],
        [n for m in logs.values() for s in m.values() for n in s],
    ):
        for name in names:
            found = written.get(name) or known.get(name)
            if found is None:  # not read since a store without checksums was opened
                found = sum_of((store.data_dir / name).read_bytes())
            sums[name] = found
    floor = max(store.journal_floor, chain_from)
    for jgen, jname in old.kept_journals().items():
        if jgen >= floor and old.sums is not None:
            sums[jname] = old.sums[jname]
    closing = store.data_dir / old.journal
    if old.gen >= floor and closing.is_file():
        with contextlib.suppress(OSError):
            sums[old.journal] = sum_of(closing.read_bytes())
    new = Manifest(
        schema_version=old.schema_version,  # migrated on load: the current version
        gen=gen,
        tables=tables,
        logs=logs,
        counters=dict(old.counters),
        sums=sums,
        chain_from=chain_from,
    )
    new_journal = journal.JournalWriter(store.data_dir / new.journal, truncate_to=0)
    try:
        write_manifest(store.data_dir, new, copy=True)  # the commit point
    except BaseException:
        new_journal.close()
        with contextlib.suppress(OSError):
            (store.data_dir / new.journal).unlink()
        raise
    store._journal.close()
    store._journal = new_journal
    store.manifest = new
    store._journal_txs = []
    store.seen_sums.clear()
    store.chain_broken = store._rewrite_on_open = False
    for t in dirty:
        t.files = dict(tables[t.name])
        t.dirty.clear()
    for lg in pending:
        lg.segments = logs[lg.name]
        lg.pending_put.clear()
        lg.pending_del.clear()
        lg.rewrite.clear()
    remove_orphans(store)


def remove_orphans(store: Store) -> None:
    """Delete data files no manifest names any more (never corrupt-aside files or backups)."""
    manifest: Manifest = store.manifest
    with store._pin_lock:
        keep = {*manifest.files(), manifest.journal, *manifest.kept_journals().values()}
        keep |= store._pinned
    for path in store.data_dir.iterdir():
        name = path.name
        ours = TABLE_FILE.match(name) or SEGMENT_FILE.match(name) or JOURNAL_FILE.match(name)
        stale_tmp = name.startswith(".") and ".tmp-" in name
        if (ours and name not in keep) or stale_tmp:
            with contextlib.suppress(OSError):
                path.unlink()
