"""Recovering a damaged manifest: its intact copy when every data file it names verifies (a
damaged kept journal only costs replaying older backups forward), otherwise the newest backup whose
files all verify with every journal written since replayed on it. Nothing here deletes a file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork.store import backups, journal
from deskwork.store.files import Damaged, read_verified
from deskwork.store.fsutil import atomic_write
from deskwork.store.manifest import (
    JOURNAL_FILE,
    MANIFEST_COPY,
    MANIFEST_NAME,
    BadManifest,
    Manifest,
    NewerStore,
    file_gen,
    read_manifest,
    write_manifest,
)
from deskwork.store.recovery import quarantine

if TYPE_CHECKING:
    from deskwork.store.loading import Loader as Store


class ManifestRecovery:
    def __init__(self, store: Store) -> None:
        self.store = store

    def recover(self, reason: str) -> Manifest | None:
        store = self.store
        aside = quarantine(store.data_dir / MANIFEST_NAME, store.stamp())
        kept = f"; moved aside as {aside.name}" if aside else ""
        store.report.recovered.append(f"{reason}{kept}")
        broken: list[tuple[int, str]] = []
        copy = self.copy(broken)
        if copy is not None:
            store.report.recovered.append(f"{MANIFEST_NAME} restored from its copy, intact")
            for gen, name in broken:  # the data is whole; only replaying old backups loses this
                aside = quarantine(store.data_dir / name, store.stamp())
                store.report.recovered.append(
                    f"{name} (a journal kept to replay older backups forward) was damaged"
                    + (f": moved aside as {aside.name}" if aside else "")
                    + f"; backups older than generation {gen + 1} now give exact copies of "
                    "files only"
                )
            write_manifest(store.data_dir, copy)
            return copy
        for backup, mb in backups.with_manifests(store.data_dir):
            try:
                copies = {n: read_verified(backup / n, (mb.sums or {}).get(n)) for n in mb.files()}
            except Damaged:
                continue
            for n, data in copies.items():
                atomic_write(store.data_dir / n, data)
            self._journals_since(backup, mb)
            store.report.recovered.append(
                f"restored the store from backup {backup.name} and replayed every journal since"
            )
            store.new_chain()
            if mb.sums is None:
                return mb
            data_sums = {n: s for n, s in mb.sums.items() if not JOURNAL_FILE.match(n)}
            return mb.model_copy(update={"sums": data_sums})
        store.report.recovered.append("no usable backup: the store starts empty")
        store.new_chain()
        return None

    def copy(self, broken: list[tuple[int, str]] | None = None) -> Manifest | None:
        """The manifest's copy, if it and every data file it names verify. A kept journal that
        does not verify does not make the copy useless (the data files hold the store whole; the
        kept journals only replay older backups forward): it is left out of the copy returned,
        whose chain then starts after it, and named in `broken` as (generation, file)."""
        folder = self.store.data_dir
        try:
            copy = read_manifest(folder, MANIFEST_COPY)
            if copy is None or copy.sums is None:
                return None
            for name in copy.files():
                read_verified(folder / name, copy.sums.get(name))
        except (BadManifest, NewerStore, Damaged):
            return None
        damaged: list[tuple[int, str]] = []
        for gen, name in sorted(copy.kept_journals().items()):
            try:
                read_verified(folder / name, copy.sums.get(name))
            except Damaged:
                damaged.append((gen, name))
        if damaged:
            gone = {name for _, name in damaged}
            copy = copy.model_copy(
                update={
                    "sums": {n: s for n, s in copy.sums.items() if n not in gone},
                    "chain_from": max(copy.chain_from, max(gen for gen, _ in damaged) + 1),
                }
            )
            if broken is not None:
                broken.extend(damaged)
        return copy

    def _journals_since(self, backup: Path, mb: Manifest) -> None:
        """Gather the intact transactions of every journal from the backup's generation on into
        the backup's journal; move newer data files aside (kept, never deleted)."""
        folder = self.store.data_dir
        gens = sorted(
            (int(m["gen"]), p) for p in folder.iterdir() if (m := JOURNAL_FILE.match(p.name))
        )
        lines: list[bytes] = []
        own = folder / mb.journal
        if not own.is_file() and (backup / mb.journal).is_file():
            gens.insert(0, (mb.gen, backup / mb.journal))
        for gen, path in gens:
            if gen < mb.gen or not path.is_file():
                continue
            replay = journal.replay(path)
            for damaged in replay.damaged:
                self.store.report.recovered.append(f"{path.name}: {damaged} was skipped")
            lines += [journal.encode(_ops_json(tx)) for tx in replay.transactions]
        atomic_write(own, b"".join(lines))
        for path in folder.iterdir():
            newer = file_gen(path.name)
            if newer is not None and newer > mb.gen:
                aside = path.with_name(f"{path.name}.unreferenced-{self.store.stamp()}")
                os.replace(path, aside)
                self.store.report.recovered.append(f"{path.name} was kept as {aside.name}")


def _ops_json(tx: list[Any]) -> str:
    return json.dumps(tx, ensure_ascii=False, separators=(",", ":"))
