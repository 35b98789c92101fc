"""File formats: reading and writing other tools' files (CSV, iCalendar, Markdown posts…)."""

from __future__ import annotations

from pathlib import Path


class InteropError(ValueError):
    """A file that cannot be read or understood; the message names the file (and line)."""


def read_user_file(path: Path) -> str:
    """A user's UTF-8 text file, or an InteropError that says what is wrong with it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InteropError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InteropError(f"{path}: cannot read ({exc.strerror})") from None
