"""Reading the store's data files, verified: bytes that do not match their recorded checksum (or do
not parse as their table) are `Damaged`, never data.

A read-only store *pins* every file its manifest names by opening it at once: a writer's compaction
may delete the names afterwards, but an open descriptor keeps the bytes, so a reader's lazy loads see
the same snapshot as its first read.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from deskwork.store.checksums import FileSum


class Damaged(Exception):
    """A store file that cannot be trusted: missing, unreadable, not matching its checksum, not
    its table."""


class NotAFile(OSError):
    pass


def open_file(path: Path) -> int:
    """A descriptor on a regular file (a FIFO or a device in its place must not hang a read)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        raise NotAFile(f"{path} is not a regular file")
    return fd


def read_all(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    chunks, offset = [], 0
    while True:
        chunk = os.pread(fd, max(size - offset, 1 << 16), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _describe(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "missing"
    if isinstance(exc, IsADirectoryError):
        return "a directory is in its place"
    if isinstance(exc, PermissionError):
        return "cannot be read (permission denied)"
    if isinstance(exc, NotAFile):
        return "not a regular file"
    return f"cannot be read ({exc.strerror or exc})"


class FileSource:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._pins: dict[str, int] = {}
        self.missing: set[str] = set()  # names that were not there when pinned

    def pin(self, names: list[str]) -> None:
        """Open every name now (FileNotFoundError if one is gone: the caller re-reads the manifest)."""
        self.unpin()
        try:
            for name in names:
                try:
                    self._pins[name] = open_file(self.data_dir / name)
                except (IsADirectoryError, NotAFile):
                    self.missing.add(name)  # damage, found on read
        except BaseException:
            self.unpin()
            raise

    def pin_present(self, names: list[str]) -> None:
        """Pin what is there; a name that is missing is damage (found at read time)."""
        self.unpin()
        for name in names:
            try:
                self._pins[name] = open_file(self.data_dir / name)
            except OSError:
                self.missing.add(name)

    def unpin(self) -> None:
        for fd in self._pins.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._pins.clear()
        self.missing.clear()

    def raw(self, name: str) -> bytes:
        """The bytes of `name` (pinned or from the folder). Raises Damaged."""
        fd = self._pins.get(name)
        try:
            if fd is not None:
                return read_all(fd)
            return read_path(self.data_dir / name)  # unpinned, or what is wrong with it
        except OSError as exc:
            raise Damaged(_describe(exc)) from None

    def read(self, name: str, expected: FileSum | None) -> bytes:
        data = self.raw(name)
        if expected is not None and not expected.matches(data):
            raise Damaged(mismatch(data, expected))
        return data


def mismatch(data: bytes, expected: FileSum) -> str:
    if len(data) != expected.size:
        return f"{len(data)} bytes where its checksum says {expected.size}"
    return "its content does not match its checksum"


def read_verified(path: Path, expected: FileSum | None) -> bytes:
    """One file outside the live folder (a backup copy). Raises Damaged."""
    try:
        data = read_path(path)
    except OSError as exc:
        raise Damaged(_describe(exc)) from None
    if expected is not None and not expected.matches(data):
        raise Damaged(mismatch(data, expected))
    return data


def read_path(path: Path) -> bytes:
    """The bytes of a regular file (OSError for anything else: a FIFO must not hang us)."""
    fd = open_file(path)
    try:
        return read_all(fd)
    finally:
        os.close(fd)
