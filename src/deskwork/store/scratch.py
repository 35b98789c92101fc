"""The data dir's own temp folder (`<data>/tmp`, 0700) for the big transient files an import or
export needs (an Anki collection unpacked for SQLite, an export being built).

Kept inside the data dir, not `$TMPDIR`: it is on the same disk the user chose for deskwork, and a
process killed mid-import leaves nothing behind for good, because the writer that next opens the
data dir sweeps the folder. Each scratch folder holds an `flock` on its `.owner` file while in use
(the kernel drops it when the process dies), so the sweep removes only what nobody is using: a
read-only `cards export` running beside the TUI keeps its files.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SCRATCH = "tmp"
OWNER = ".owner"


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
        owner = os.open(Path(folder) / OWNER, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(owner, fcntl.LOCK_EX)
            yield Path(folder)
        finally:
            os.close(owner)


def sweep(data_dir: Path) -> list[str]:
    """Remove what killed processes left in the temp folder (folders nobody holds); returns the
    names removed."""
    folder = data_dir / SCRATCH
    if not folder.is_dir() or folder.is_symlink():
        return []
    removed = []
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                if _in_use(Path(entry.path)):
                    continue
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def _in_use(folder: Path) -> bool:
    try:
        fd = os.open(folder / OWNER, os.O_RDONLY)
    except FileNotFoundError:  # being set up this instant, or killed before it took its lock
        return time.time() - folder.stat().st_mtime < 60
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
