"""The data dir's own temp folder (`<data>/tmp`, 0700) for the big transient files an import or
export needs (an Anki collection unpacked for SQLite, an export being built).

Kept inside the data dir, not `$TMPDIR`: it is on the same disk the user chose for deskwork, and a
process killed mid-import leaves nothing behind for good, because the writer that next opens the
data dir (it holds the lock, so no other import is running) sweeps the folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

SCRATCH = "tmp"


def scratch_dir(data_dir: Path) -> Path:
    folder = data_dir / SCRATCH
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def scratch(data_dir: Path | None, prefix: str) -> Iterator[Path]:
    """A fresh private folder under the data dir's temp folder (or the system's when there is no
    data dir), removed on the way out."""
    root = scratch_dir(data_dir) if data_dir is not None else None
    with tempfile.TemporaryDirectory(prefix=prefix, dir=root) as folder:
        yield Path(folder)


def sweep(data_dir: Path) -> list[str]:
    """Remove what killed processes left in the temp folder; returns the names removed. Call it
    only while holding the writer lock."""
    folder = data_dir / SCRATCH
    if not folder.is_dir() or folder.is_symlink():
        return []
    removed = []
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
    return removed
