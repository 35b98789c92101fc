"""One writer per data dir: an advisory `flock` on `deskwork.lock`, released by the kernel when the
holder dies (so a crash never leaves a stale lock). The holder writes who it is into the file so a
second process can say exactly which process holds the store."""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from deskwork.store.fsutil import FILE_MODE

LOCK_NAME = "deskwork.lock"


class StoreLocked(Exception):
    def __init__(self, path: Path, holder: dict[str, object]) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"the data dir {path.parent} is in use by {describe_holder(holder)}; "
            "quit it first, or use read-only commands such as `deskwork today`"
        )


def describe_holder(holder: dict[str, object]) -> str:
    """Who holds the lock, in plain words, saying only what is known: the holder may have just
    taken the lock and not written its name yet, or an older deskwork wrote less."""
    what = str(holder.get("what") or "") or "another deskwork process"
    facts = []
    if holder.get("pid") not in (None, "", "?"):
        facts.append(f"pid {holder['pid']}")
    if holder.get("host") not in (None, "", "?"):
        facts.append(f"on {holder['host']}")
    if holder.get("since") not in (None, "", "?"):
        facts.append(f"since {holder['since']}")
    return f"{what} ({' '.join(facts)})" if facts else what


def read_holder(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class StoreLock:
    path: Path
    fd: int

    @classmethod
    def acquire(cls, data_dir: Path, what: str, now: datetime) -> StoreLock:
        path = data_dir / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocked(path, read_holder(path)) from None
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "what": what,
            "since": now.isoformat(timespec="seconds"),
        }
        try:  # who holds it is information; a full disk must not stop the lock itself
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except OSError:
            pass
        return cls(path, fd)

    def release(self) -> None:
        if self.fd >= 0:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1


def is_locked(data_dir: Path) -> dict[str, object] | None:
    """The holder's info if another process holds the lock, else None (does not keep the lock)."""
    path = data_dir / LOCK_NAME
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return read_holder(path) or {"pid": "?"}
    finally:
        os.close(fd)
    return None
