"""The fsync'd append journal: one line per committed transaction, checksummed.

Line format: `<crc32 as 8 hex digits> <json array of ops>\\n`. A line is acknowledged once its fsync
returns. On replay a torn last line (a crash mid-append: no newline, or a checksum that does not match)
is an unacknowledged write and is dropped; a bad line *followed by good ones* is corruption and is
reported, never silently skipped.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskwork.store.fsutil import open_append, write_all

Op = list[Any]


def encode(ops_json: str) -> bytes:
    body = ops_json.encode()
    return b"%08x %s\n" % (zlib.crc32(body), body)


@dataclass
class Replay:
    transactions: list[list[Op]] = field(default_factory=list)
    good_bytes: int = 0
    torn_tail: bool = False
    corrupt_line: int | None = (
        None  # 1-based line number of the first bad line followed by good ones
    )


def _decode(line: bytes) -> list[Op] | None:
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        ops = json.loads(body)
    except ValueError:
        return None
    return ops if isinstance(ops, list) else None


def replay(path: Path) -> Replay:
    """Read every committed transaction in `path` (missing file: nothing)."""
    result = Replay()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return result
    lines = data.split(b"\n")
    complete, tail = lines[:-1], lines[-1]
    offset = 0
    for number, line in enumerate(complete, start=1):
        ops = _decode(line)
        if ops is None:
            if number == len(complete) and not tail:
                result.torn_tail = True
            else:
                result.corrupt_line = number
            return result
        result.transactions.append(ops)
        offset += len(line) + 1
        result.good_bytes = offset
    if tail:
        result.torn_tail = True
    return result


class JournalWriter:
    """Appends transactions durably. One writer per store (the lock guarantees it)."""

    def __init__(self, path: Path, *, truncate_to: int | None = None) -> None:
        self.path = path
        if truncate_to is not None and path.exists() and path.stat().st_size != truncate_to:
            with open(path, "r+b") as fh:
                fh.truncate(truncate_to)
                fh.flush()
                os.fsync(fh.fileno())
        self._fd = open_append(path)
        self.size = os.fstat(self._fd).st_size

    def append(self, line: bytes) -> None:
        try:
            write_all(self._fd, line)
            os.fdatasync(self._fd)
        except OSError:
            # A half-written line (disk full…) must not sit before the next good one.
            os.ftruncate(self._fd, self.size)
            raise
        self.size += len(line)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
