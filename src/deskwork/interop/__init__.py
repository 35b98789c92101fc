"""File formats: reading and writing other tools' files (CSV, iCalendar, Markdown posts…)."""

from __future__ import annotations

from pathlib import Path


class InteropError(ValueError):
    """A file that cannot be read or understood; the message names the file (and line)."""


def require_file(path: Path) -> None:
    """An InteropError in plain words when `path` is not a file one can read."""
    if path.is_dir():
        raise InteropError(f"{path} is a folder, not a file")
    if not path.exists():
        raise InteropError(f"no such file: {path}")


def read_user_file(path: Path) -> str:
    """A user's UTF-8 text file, or an InteropError that says what is wrong with it."""
    require_file(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InteropError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InteropError(f"{path}: cannot read ({exc.strerror})") from None
