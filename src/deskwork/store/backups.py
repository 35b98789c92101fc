"""Rotating backups of the store under `<data dir>/backups/<UTC stamp>/`.

A backup holds real copies (never hard links to the live files: a file damaged in place would damage
its backup too). Files are immutable once written, so a file already copied by the previous backup is
hard-linked *from that backup* instead of copied again: old review-log months are copied once, ever,
and one backup costs about the size of what changed since the last one. The manifest is written last;
a folder without one is an interrupted backup and is ignored.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from deskwork.store.fsutil import FILE_MODE, atomic_write, ensure_private_dir, fsync_dir
from deskwork.store.manifest import MANIFEST_NAME, Manifest, read_manifest, write_manifest

BACKUPS = "backups"
STAMP = "%Y%m%dT%H%M%S%fZ"


def stamp_of(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.name, STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def list_backups(data_dir: Path) -> list[Path]:
    """Complete backups, newest first."""
    folder = data_dir / BACKUPS
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if stamp_of(p) and (p / MANIFEST_NAME).exists()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _copy(src: Path, dst: Path, limit: int | None = None) -> None:
    """Durable copy (of the first `limit` bytes); `dst` appears whole or not at all."""
    tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
    with open(src, "rb") as fin:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            with os.fdopen(fd, "wb", closefd=False) as fout:
                if limit is None:
                    shutil.copyfileobj(fin, fout, 1 << 20)
                else:
                    fout.write(fin.read(limit))
                fout.flush()
                os.fsync(fd)
        finally:
            os.close(fd)
    os.replace(tmp, dst)


def make_backup(
    data_dir: Path, manifest: Manifest, now: datetime, journal_bytes: int | None = None
) -> Path:
    """Copy the files `manifest` names (and its journal, its first `journal_bytes` if given: the
    journal keeps growing while a backup runs in the background) into a new backup folder."""
    root = ensure_private_dir(data_dir / BACKUPS)
    target = root / now.astimezone(UTC).strftime(STAMP)
    ensure_private_dir(target)
    previous = next(iter(list_backups(data_dir)), None)
    for name in manifest.files():
        src = data_dir / name
        older = previous / name if previous else None
        if older is not None and older.exists() and older.stat().st_size == src.stat().st_size:
            os.link(older, target / name)
        else:
            _copy(src, target / name)
    journal = data_dir / manifest.journal
    if journal.exists():
        _copy(journal, target / manifest.journal, limit=journal_bytes)
    fsync_dir(target)
    write_manifest(target, manifest)
    return target


def rotate(data_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (and interrupted ones); returns what was removed."""
    removed = []
    complete = list_backups(data_dir)
    for old in complete[keep:]:
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    root = data_dir / BACKUPS
    if root.is_dir():
        for folder in root.iterdir():
            if folder.is_dir() and folder not in complete and stamp_of(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def backup_manifest(backup: Path) -> Manifest | None:
    try:
        return read_manifest(backup)
    except Exception:
        return None


def restore_files(backup: Path, data_dir: Path, manifest: Manifest) -> None:
    """Copy a backup's files back into the data dir and make its manifest current."""
    for name in manifest.files():
        _copy(backup / name, data_dir / name)
    journal = backup / manifest.journal
    if journal.exists():
        _copy(journal, data_dir / manifest.journal)
    fsync_dir(data_dir)
    atomic_write(data_dir / MANIFEST_NAME, (backup / MANIFEST_NAME).read_bytes())
