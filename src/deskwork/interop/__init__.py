"""File formats: reading and writing other tools' files (CSV, iCalendar, Markdown posts…).

Every import goes through the same two gates: `read_user_file` (a size cap checked before reading)
and `importing` (any failure while reading becomes one message that names the file and says
nothing was imported). The caps themselves live in `interop.limits`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deskwork.domain.cancel import Cancelled
from deskwork.domain.text import clip

NOTHING = "nothing imported"


class InteropError(ValueError):
    """A file that cannot be read or understood; the message names the file (and line)."""


def require_file(path: Path) -> None:
    """An InteropError in plain words when `path` is not a file one can read."""
    if path.is_dir():
        raise InteropError(f"{path} is a folder, not a file")
    if not path.exists():
        raise InteropError(f"no such file: {path}")


def read_user_file(path: Path, max_bytes: int, what: str = "file") -> str:
    """A user's UTF-8 text file of at most `max_bytes`, or an InteropError that says what is
    wrong with it. The size is checked before anything is read, and the read stops at the cap
    (a file that grows meanwhile is refused too). A leading byte order mark (Notepad's UTF-8)
    is not part of the text: it is left out."""
    require_file(path)
    try:
        with open(path, "rb") as fh:
            size = _size(fh.fileno())
            if size > max_bytes:
                raise InteropError(_too_big(path, what, size, max_bytes))
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InteropError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InteropError(_too_big(path, what, len(data), max_bytes))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InteropError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _size(fd: int) -> int:
    import os
    import stat

    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "a folder, not a file")
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def _too_big(path: Path, what: str, size: int, limit: int) -> str:
    return f"{path}: refused: {mb(size)}, more than a {what} may be ({mb(limit)})"


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


@contextmanager
def importing(path: Path | str) -> Iterator[None]:
    """Read an import's file inside this: every failure leaves as an InteropError (its own kind
    kept) whose message names the file and ends with "nothing imported"; a cancel (`Cancelled`,
    raised by a progress callback) leaves as itself."""
    name = str(path)
    try:
        yield
    except Cancelled:  # asked for: a cancel, not a file that cannot be read
        raise
    except InteropError as exc:
        message = str(exc)
        if name not in message:
            message = f"{name}: {message}"
        if NOTHING not in message:
            message = f"{message}; {NOTHING}"
        raise type(exc)(message) from None
    except Exception as exc:  # what a reader did not foresee: a wrong type, a date out of range…
        reason = clip(str(exc) or type(exc).__name__, 300)
        if isinstance(exc, RecursionError):
            reason = "nested too deeply"
        elif isinstance(exc, MemoryError):
            reason = "too large to read in memory"
        elif isinstance(exc, KeyError):
            reason = f"{type(exc).__name__} {reason}"
        raise InteropError(f"{name}: cannot be read ({reason}); {NOTHING}") from None
