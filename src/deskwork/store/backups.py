"""Rotating, verified backups of the store under `<data dir>/backups/<UTC stamp>/`.

A backup holds real copies (never hard links to the live files: a file damaged in place would damage
its backup too). A file whose checksum equals that of a copy in an earlier backup is hard-linked *from
that backup* once that copy verifies (byte-identical by checksum, never by name and size): old
review-log months are copied once, ever. Every live file is verified before it is copied, every copy
after; the manifest (with the sums of the copies) is written last: a folder without one is an
interrupted backup and is ignored. Rotation keeps the newest `keep` backups and never deletes the
newest copy of a file the store still uses.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from deskwork.store.checksums import FileSum, sum_of
from deskwork.store.files import Damaged, read_verified
from deskwork.store.fsutil import FILE_MODE, atomic_write, ensure_private_dir, fsync_dir
from deskwork.store.manifest import (
    MANIFEST_COPY,
    MANIFEST_NAME,
    BadManifest,
    Manifest,
    file_gen,
    manifest_bytes,
    read_manifest,
    write_manifest,
)

BACKUPS = "backups"
STAMP = "%Y%m%dT%H%M%S%fZ"


class BackupFailed(Exception):
    pass


class DamagedLive(BackupFailed):
    """Live files that do not verify and of which no backup holds a good copy: rebuild first."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"damaged and not in any backup: {', '.join(names)}")
        self.names = names


# The form `STAMP` writes, read without strptime: its first call builds the locale's tables (~7 ms
# of every start-up, which lists the backups to know whether one is due).
_WRITTEN_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{6})Z")


def stamp_of(path: Path) -> datetime | None:
    text = path.name.split("-")[0]
    try:
        written = _WRITTEN_STAMP.fullmatch(text)
        if written is not None:
            year, month, day, hour, minute, second, micro = map(int, written.groups())
            return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
        return datetime.strptime(text, STAMP).replace(tzinfo=UTC)  # any other form it accepts
    except ValueError:
        return None


def list_backups(data_dir: Path) -> list[Path]:
    """Complete backups, newest first."""
    folder = data_dir / BACKUPS
    try:
        found = [p for p in folder.iterdir() if stamp_of(p) and (p / MANIFEST_NAME).is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (stamp_of(p), p.name), reverse=True)


def backup_manifest(backup: Path) -> Manifest | None:
    try:
        return read_manifest(backup)
    except (BadManifest, OSError):
        return None


def with_manifests(data_dir: Path) -> list[tuple[Path, Manifest]]:
    """Every backup whose manifest reads, newest first, with that manifest."""
    out = []
    for backup in list_backups(data_dir):
        manifest = backup_manifest(backup)
        if manifest is not None:
            out.append((backup, manifest))
    return out


def newest_manifest(data_dir: Path) -> Manifest | None:
    """The manifest of the newest complete backup whose manifest reads."""
    for backup in list_backups(data_dir):
        manifest = backup_manifest(backup)
        if manifest is not None:
            return manifest
    return None


def written_since(backup: Manifest, live: Manifest, journal_size: int) -> bool:
    """Whether the live store (`live`, its current journal `journal_size` bytes long) holds a
    write the backup lacks. Writes are journal lines: the bytes appended since the backup's copy of
    its journal, on the chain of kept journals from its generation to the live one. A broken chain
    (a restore, a migration, a lossy recovery) or a journal no longer kept counts as written."""
    copied = (backup.sums or {}).get(backup.journal)
    copied_bytes = copied.size if copied is not None else 0
    if live.gen == backup.gen:
        return journal_size != copied_bytes
    if live.gen < backup.gen or live.chain_from > backup.gen:
        return True
    kept = {gen: (live.sums or {})[name].size for gen, name in live.kept_journals().items()}
    if backup.gen not in kept:
        return True
    appended = kept[backup.gen] - copied_bytes
    appended += sum(size for gen, size in kept.items() if backup.gen < gen < live.gen)
    return appended + journal_size != 0


def highest_gen(data_dir: Path) -> int:
    """The highest generation any file or backup of this data dir has used (never to be reused)."""
    gens = [0]
    with contextlib.suppress(OSError):
        for path in data_dir.iterdir():
            base = path.name.split(".corrupt-")[0].split(".unreferenced-")[0]
            gens.append(file_gen(base) or 0)
    with contextlib.suppress(BadManifest, OSError):
        live = read_manifest(data_dir)
        gens.append(live.gen if live else 0)
    for _, manifest in with_manifests(data_dir):
        gens.append(manifest.gen)
    return max(gens)


def journal_floor(data_dir: Path) -> int:
    """Journals from this generation on are kept: some backup may need them replayed on it."""
    gens = [m.gen for _, m in with_manifests(data_dir)]
    return min(gens) if gens else 0


def _write_copy(data: bytes, dst: Path) -> None:
    """Durable copy; `dst` appears whole or not at all."""
    tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, dst)


def _new_folder(root: Path, now: datetime) -> Path:
    base = now.astimezone(UTC).strftime(STAMP)
    target, n = root / base, 1
    while target.exists():  # two backups within a microsecond (or a clock set back)
        target, n = root / f"{base}-{n}", n + 1
    ensure_private_dir(target)
    return target


def make_backup(
    data_dir: Path,
    manifest: Manifest,
    now: datetime,
    journal_bytes: int | None = None,
    repaired: list[str] | None = None,
) -> Path:
    """Copy the files `manifest` names (and its journal, its first `journal_bytes` if given: the
    journal keeps growing while a backup runs in the background) into a new, verified backup.
    A live file found damaged whose good copy an earlier backup holds is put back (said in
    `repaired`); one without a good copy anywhere raises DamagedLive."""
    root = ensure_private_dir(data_dir / BACKUPS)
    previous = with_manifests(data_dir)
    target = _new_folder(root, now)
    try:
        sums = _copy_files(data_dir, manifest, previous, target, repaired)
        journal = data_dir / manifest.journal
        if journal.is_file():
            with open(journal, "rb") as fh:
                data = fh.read() if journal_bytes is None else fh.read(journal_bytes)
            _write_copy(data, target / manifest.journal)
            sums[manifest.journal] = sum_of(data)
        fsync_dir(target)
        for name, expected in sums.items():  # verified after writing
            try:
                read_verified(target / name, expected)
            except Damaged as exc:
                raise BackupFailed(f"the copy of {name} does not verify ({exc})") from None
        write_manifest(target, manifest.model_copy(update={"sums": sums}))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _copy_files(
    data_dir: Path,
    manifest: Manifest,
    previous: list[tuple[Path, Manifest]],
    target: Path,
    repaired: list[str] | None,
) -> dict[str, FileSum]:
    sums: dict[str, FileSum] = {}
    damaged: list[str] = []
    for name in manifest.files():
        expected = (manifest.sums or {}).get(name)
        reason = ""
        try:
            data: bytes | None = read_verified(data_dir / name, expected)
        except Damaged as exc:
            data, reason = None, str(exc)
        source = _link_verified(name, expected, previous, target)
        if source is not None:
            aside = _repair_live(data_dir, name, target, expected) if data is None else None
            if aside is not None and repaired is not None:  # the good copy was put back in place
                repaired.append(
                    f"{name} is damaged ({reason}); moved aside as {aside}; restored from "
                    f"backup {source.name}, intact"
                )
        elif data is None:
            damaged.append(name)
            continue
        else:
            _write_copy(data, target / name)
        sums[name] = expected or sum_of(data or b"")
    if damaged:
        raise DamagedLive(damaged)
    return sums


def _link_verified(
    name: str, expected: FileSum | None, previous: list[tuple[Path, Manifest]], target: Path
) -> Path | None:
    """Hard-link `name` from the newest earlier backup whose copy has the same checksum and
    still verifies; the backup it came from, or None."""
    if expected is None:
        return None
    for backup, mb in previous:
        theirs = (mb.sums or {}).get(name)
        if theirs is None or theirs.b2 != expected.b2 or theirs.size != expected.size:
            continue
        try:
            read_verified(backup / name, expected)
            os.link(backup / name, target / name)
            return backup
        except (Damaged, OSError):
            continue
    return None


def _repair_live(data_dir: Path, name: str, target: Path, expected: FileSum | None) -> str | None:
    """Put the verified copy back in place of a damaged live file; None if, meanwhile, the
    store's own recovery (a loader thread) already did."""
    from deskwork.store.recovery import REPAIR_LOCK, quarantine

    with REPAIR_LOCK:
        with contextlib.suppress(Damaged):
            read_verified(data_dir / name, expected)
            return None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = quarantine(data_dir / name, stamp)
        atomic_write(data_dir / name, (target / name).read_bytes())
    return aside.name if aside else "nothing (it was missing)"


def rotate(
    data_dir: Path, keep: int, *, live: Manifest | None = None, protect: tuple[Path, ...] = ()
) -> list[Path]:
    """Delete all but the newest `keep` backups (and interrupted ones), never one in `protect` nor
    the newest backup holding a copy of a file `live` uses; returns what was removed."""
    complete = with_manifests(data_dir)
    kept = {b for b, _ in complete[: max(keep, 1)]} | {p.resolve() for p in protect} | set(protect)
    for name in live.files() if live is not None else []:
        holder = next((b for b, mb in complete if name in mb.files()), None)
        if holder is not None:
            kept.add(holder)
    removed = []
    for old, _ in complete:
        if old not in kept and old.resolve() not in kept:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    root = data_dir / BACKUPS
    names = {b for b, _ in complete}
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            if folder.is_dir() and folder not in names and stamp_of(folder) and folder not in kept:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def check_backup(backup: Path) -> str | None:
    """What is wrong with a backup (its manifest, or the first copy that does not verify), or
    None when every file in it verifies."""
    manifest = backup_manifest(backup)
    if manifest is None:
        return "its manifest is missing or damaged"
    for name in [*manifest.files(), manifest.journal]:
        if name == manifest.journal and not (backup / name).is_file():
            continue
        try:
            read_verified(backup / name, (manifest.sums or {}).get(name))
        except Damaged as exc:
            return f"{name} is damaged ({exc})"
    return None


def restore_files(
    backup: Path, data_dir: Path, manifest: Manifest, keep_counters: dict[str, int] | None = None
) -> None:
    """Copy a backup's (verified) files back into the data dir and make its manifest current.
    `keep_counters`: the id counters of the state the restore replaces; the manifest made current
    counts from the higher of those and the backup's, so that a crash before the restore's
    compaction cannot leave the backup's lower counters current (an id the replaced state used,
    kept in the safety backup, handed out again)."""
    for name in [*manifest.files(), manifest.journal]:
        if name == manifest.journal and not (backup / name).is_file():
            continue
        data = read_verified(backup / name, (manifest.sums or {}).get(name))
        _write_copy(data, data_dir / name)
    fsync_dir(data_dir)
    chosen = (backup / MANIFEST_NAME).read_bytes()
    if keep_counters:
        counters = dict(manifest.counters)
        for name, value in keep_counters.items():
            counters[name] = max(counters.get(name, 1), value)
        if counters != manifest.counters:
            chosen = manifest_bytes(manifest.model_copy(update={"counters": counters}))
    atomic_write(data_dir / MANIFEST_COPY, chosen)  # never a copy from the other timeline
    atomic_write(data_dir / MANIFEST_NAME, chosen)
