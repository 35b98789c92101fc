"""Recovering damaged files: quarantine, the newest backup copy that verifies, the journals since.

A damaged table shard or log segment is moved aside (`<name>.corrupt-<stamp>`, 0600) and rebuilt:

1. a backup copy whose checksum is the one the manifest expects is the file itself: nothing is lost;
2. otherwise the newest backup whose copy verifies is a base, and the journals of every generation
   since (kept for this until no backup needs them) are replayed on it: exact when none is missing;
3. what still differs from the manifest's list of ids is reported as lost (table, ids, count), and
   records that could only come back in an older version are reported as such.

A damaged manifest is rebuilt the same way (manifest_recovery.py): the newest backup whose files all
verify, plus every journal written since. Nothing here deletes a damaged file.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork.domain.wording import plural
from deskwork.store import backups, journal
from deskwork.store.checksums import FileSum
from deskwork.store.codec import Codec, InvalidRecord
from deskwork.store.files import Damaged, read_verified
from deskwork.store.fsutil import FILE_MODE, atomic_write, fsync_dir
from deskwork.store.manifest import (
    Manifest,
)
from deskwork.store.migrations import migrate_record
from deskwork.store.repeats import CorruptFile, record_number
from deskwork.store.report import Loss
from deskwork.store.schema import LOGS, SCHEMA_VERSION
from deskwork.store.tables import shard_of

if TYPE_CHECKING:
    from deskwork.store.loading import Loader as Store

Docs = tuple[dict[int, Any], dict[str, Any]]
# One repair of a live file at a time: a background backup and a loader thread may both find it.
REPAIR_LOCK = threading.RLock()
REPAIR_HINT = "`deskwork doctor --repair`"  # what writes a file a read-only open only rebuilt
Owner = tuple[str, Any]  # (table, shard) or (log, month)


def quarantine(path: Path, stamp: str) -> Path | None:
    """Move a damaged file (or a directory in a file's place) aside, private; None if absent."""
    if not os.path.lexists(path):
        return None
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while os.path.lexists(target):
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    with contextlib.suppress(OSError):
        os.chmod(target, 0o700 if target.is_dir() else FILE_MODE)
    fsync_dir(path.parent)
    return target


def _owned(op: list[Any], owner: Owner) -> bool:
    try:
        kind, name = op[0], op[1]
        if name != owner[0]:
            return False
        if kind in ("put", "del"):
            return bool(shard_of(record_number(op[2])) == owner[1])
        if kind in ("app", "rm"):
            return bool(op[2] == owner[1])
    except (IndexError, TypeError, ValueError):
        return False
    return False


class Recovery:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ---------------------------------------------------------------- helpers
    def _decode(self, codec: Codec[Any], data: bytes, version: int) -> Docs:
        docs, invalid, _ = self.store.decode(codec, data, version)
        return docs, invalid

    def _apply(self, codec: Codec[Any], version: int, ops: list[list[Any]], out: Docs) -> None:
        docs, invalid = out
        for op in ops:
            kind = op[0]
            if kind in ("put", "app"):
                raw = op[-1]
                if version < SCHEMA_VERSION and isinstance(raw, dict):
                    raw = migrate_record(codec.name, raw, version, SCHEMA_VERSION)
                good, bad, _ = codec.validate_raw({str(op[-2]): raw})
                docs.update(good)
                for key in good:
                    invalid.pop(str(key), None)
                invalid.update(bad)
            elif kind in ("del", "rm"):
                docs.pop(int(op[-1]), None)
                invalid.pop(str(op[-1]), None)

    def _base(self, backup: Path, mb: Manifest, owner: Owner, codec: Codec[Any]) -> Docs | None:
        """The owner's records in one backup; None if a copy it needs does not verify."""
        if owner[0] in LOGS:
            names = mb.logs.get(owner[0], {}).get(owner[1], [])
        else:
            one = mb.tables.get(owner[0], {}).get(owner[1])
            names = [one] if one else []
        docs: dict[int, Any] = {}
        invalid: dict[str, Any] = {}
        for name in names:
            try:
                data = read_verified(backup / name, (mb.sums or {}).get(name))
                got = self._decode(codec, data, mb.schema_version)
            except (Damaged, CorruptFile):
                return None
            docs.update(got[0])
            invalid.update(got[1])
        return docs, invalid

    def _chain(self, backup: Path, mb: Manifest, owner: Owner) -> tuple[list[list[Any]], bool]:
        """Every op for `owner` in the journals from the backup's generation to the current one
        (exclusive: the current journal is replayed by the store), and whether none is missing."""
        manifest = self.store.manifest
        sums = manifest.sums or {}
        complete = mb.gen >= manifest.chain_from and manifest.sums is not None
        ops: list[list[Any]] = []
        for gen in range(mb.gen, manifest.gen):
            name = f"journal-{gen}.jsonl"
            expected = sums.get(name)
            data: bytes | None = None
            if expected is not None:
                with contextlib.suppress(Damaged):
                    data = read_verified(self.store.data_dir / name, expected)
            if data is None and gen == mb.gen:
                complete = False  # the backup holds this journal only up to its own instant
                with contextlib.suppress(Damaged):
                    data = read_verified(backup / name, (mb.sums or {}).get(name))
            if data is None:
                complete = False
                continue
            replay = journal.parse(data)
            complete = complete and not replay.damaged
            for tx in replay.transactions:
                ops.extend(op for op in tx if _owned(op, owner))
        return ops, complete

    # ---------------------------------------------------------------- a data file
    def recover(
        self, name: str, owner: Owner, codec: Codec[Any], reason: str
    ) -> tuple[dict[int, Any], dict[str, Any], list[InvalidRecord], bool]:
        """Rebuild one damaged file. Returns (docs, invalid, problems, exact): exact means the
        manifest's file is back in place, byte for byte (a writer needs no rewrite)."""
        with REPAIR_LOCK:
            return self._recover(name, owner, codec, reason)

    def _recover(
        self, name: str, owner: Owner, codec: Codec[Any], reason: str
    ) -> tuple[dict[int, Any], dict[str, Any], list[InvalidRecord], bool]:
        store = self.store
        expected = store.expected_sum(name)
        if store.writable and expected is not None:  # a backup may have put it back meanwhile
            with contextlib.suppress(Damaged, CorruptFile):
                data = read_verified(store.data_dir / name, expected)
                docs, invalid, problems = store.decode(codec, data, store.manifest.schema_version)
                return docs, invalid, problems, True
        aside = quarantine(store.data_dir / name, store.stamp()) if store.writable else None
        kept = f"; moved aside as {aside.name}" if aside else ""
        store.report.recovered.append(f"{name} is damaged ({reason}){kept}")
        candidates = backups.with_manifests(self.store.data_dir)
        for backup, mb in candidates:  # 1. the very file, verified
            if name not in mb.files():
                continue
            try:
                data = read_verified(backup / name, expected or (mb.sums or {}).get(name))
                docs, invalid, problems = store.decode(codec, data, store.manifest.schema_version)
            except (Damaged, CorruptFile):
                continue
            if store.writable and expected is not None:
                atomic_write(store.data_dir / name, data)
                store.report.recovered.append(f"{name}: restored from backup {backup.name}, intact")
            else:  # read-only: nothing is written, the intact copy is only read
                store.report.recovered.append(
                    f"{name}: backup {backup.name} holds an intact copy (read from there; "
                    f"nothing was changed): {REPAIR_HINT} puts it back"
                )
            return docs, invalid, problems, store.writable and expected is not None
        return (*self._rebuild(name, owner, codec, expected, candidates), False)

    def _rebuild(
        self,
        name: str,
        owner: Owner,
        codec: Codec[Any],
        expected: FileSum | None,
        candidates: list[tuple[Path, Manifest]],
    ) -> tuple[dict[int, Any], dict[str, Any], list[InvalidRecord]]:
        store = self.store
        docs: dict[int, Any] = {}
        invalid: dict[str, Any] = {}
        complete, since = False, ""
        for backup, mb in candidates:  # 2. a base and the journals since
            base = self._base(backup, mb, owner, codec)
            if base is None:
                continue
            docs, invalid = base
            ops, complete = self._chain(backup, mb, owner)
            self._apply(codec, store.manifest.schema_version, ops, (docs, invalid))
            since = backup.name
            break
        wanted = expected.id_set() if expected is not None else None
        if wanted is not None:  # the file held exactly these ids
            docs = {k: v for k, v in docs.items() if k in wanted}
            invalid = {k: v for k, v in invalid.items() if k.isdigit() and int(k) in wanted}
        present = set(docs) | {int(k) for k in invalid if k.isdigit()}
        later = store.current_ops(owner)  # replayed on top by the store: puts and deletes win
        note = f"are as of backup {since}; changes made to them after it could not be recovered"
        loss = Loss(owner[0], stale_note=note)
        if wanted is not None:
            loss.ids = wanted - present - later
        if not complete and owner[0] not in LOGS:  # log entries never change once written
            loss.stale = present - later
        if since:
            how = "exactly" if complete and not loss.ids else "partly"
            rebuilt = f"{how} from backup {since} and the journals since"
            if store.writable:
                store.report.recovered.append(
                    f"{name}: rebuilt {rebuilt} ({plural(len(docs), 'record')})"
                )
            else:  # read-only: the rebuild is only in memory, the file is as it was
                store.report.recovered.append(
                    f"{name}: can be rebuilt {rebuilt} ({plural(len(docs), 'record')}; read "
                    f"that way, nothing was changed): {REPAIR_HINT} rebuilds it"
                )
        else:
            store.report.recovered.append(f"{name}: no backup holds a good copy")
        if wanted is None and not complete:
            store.report.recovered.append(
                f"{owner[0]}: records written to {name} after the backup could not be recovered "
                "(the store predates checksums: their number is unknown)"
            )
        store.report.lose(loss)
        return docs, invalid, [] if not invalid else store.decode_problems(codec, invalid)

    # ---------------------------------------------------------------- the journal
    def journal_losses(self, name: str, result: journal.Replay) -> None:
        """Name what damaged journal lines cost: the ids they still show (their last change is
        lost), the ids handed out since the last compaction that no record has (created there),
        and, if the end is gone, keep new ids clear of whatever it may have held."""
        store = self.store
        counters = store.manifest.counters
        named: dict[str, set[int]] = {}
        for damaged in result.damaged:
            for table, ids in damaged.ids.items():
                named.setdefault(table, set()).update(ids)
        if result.cut_bytes:
            store.report.recovered.append(
                f"{name} is {result.cut_bytes} bytes shorter than what was written to it: "
                "the transactions at its end are lost"
            )
        noted = store._mark.counters if store._mark is not None else {}
        lost_entries = _unmatched(store._mark, result)
        if lost_entries is not None:  # the mark names exactly what the damaged lines held
            named = {}
            for table, doc_id in lost_entries:
                named.setdefault(table, set()).add(doc_id)
        for table in [*store.tables, *store.logs]:
            start = store.start_counters.get(table, 1)
            highest = max(result.max_ids.get(table, 0), *named.get(table, {0}))
            highest = max(highest, noted.get(table, 0) - 1)  # the writer's own count
            present = store.ids_of(table) if highest >= start or table in named else set()
            gone = set(range(start, min(highest + 1, start + 100_000)))
            gone -= present | result.deleted.get(table, set())
            gone |= named.get(table, set()) - present
            stale = named.get(table, set()) & present
            store.report.lose(
                Loss(
                    table,
                    ids=gone,
                    stale=stale,
                    stale_note=f"lost their last change (a damaged transaction in {name})",
                )
            )
            if result.lost_tail:
                margin = (result.cut_bytes + sum(d.length for d in result.damaged)) // 30 + 1
                counters[table] = max(counters.get(table, 1), highest + 1) + margin
        if result.lost_tail and lost_entries is None:
            store.report.recovered.append(
                f"{name}: changes to older records in its lost end cannot be named (records it "
                "created are named above); no id it may have used is handed out again"
            )


def _unmatched(mark: journal.Mark | None, result: journal.Replay) -> set[tuple[str, int]] | None:
    """(table, id) of every acknowledged transaction the journal no longer holds intact, and not
    rewritten by a later intact one — None when the mark does not line up with the journal."""
    if mark is None:
        return None
    intact = [journal.entry_of(tx) for tx in result.transactions]
    lost: list[tuple[int, set[tuple[str, int]]]] = []
    matched_at: list[int] = []
    j = 0
    for position, entry in enumerate(mark.transactions):
        if j < len(intact) and intact[j] == entry:
            matched_at.append(position)
            j += 1
        else:
            lost.append((position, entry))
    if j < len(intact):
        return None
    out: set[tuple[str, int]] = set()
    for position, entry in lost:
        later = set()
        for k, at in enumerate(matched_at):
            if at > position:
                later |= intact[k]
        out |= entry - later
    return out
