"""Anki packages: opening one safely and choosing its collection.

The zip is checked first (member names that are plain file names, declared sizes and compression
ratios under caps), then the newest collection inside is used: `collection.anki21b`
(zstd-compressed SQLite, what current Anki writes), else `collection.anki21`, else
`collection.anki2`. Media names are listed here (checked by `media.py`); their bytes are read
afterwards, one file at a time. What is read from the
collection is `reader.py`'s (note types: `notetypes.py`, decks: `decks.py`, scheduling:
`schedule.py`); writing is `writer.py`'s.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from deskwork.domain.render import field_html
from deskwork.interop.anki.media import entries
from deskwork.interop.anki.model import AnkiError, Deadline, Deck, ImportLimits
from deskwork.interop.anki.reader import read_collection

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
Progress = Callable[[int, int], None]


# ---------------------------------------------------------------------- the zip
def _check_zip(path: Path, archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    total = 0
    for info in archive.infolist():
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or len(pure.parts) != 1 or ":" in name:
            raise AnkiError(f"{path}: refused: member {name!r} escapes the package's folder")
        total += info.file_size
        if (
            info.compress_size
            and info.file_size > 1024 * 1024
            and info.file_size / info.compress_size > limits.max_ratio
        ):
            raise AnkiError(
                f"{path}: refused: member {name!r} expands {info.file_size // info.compress_size}× (a zip bomb?)"
            )
    if total > limits.max_total_bytes:
        raise AnkiError(
            f"{path}: refused: {total / 1e6:.0f} MB uncompressed (limit {limits.max_total_bytes / 1e6:.0f} MB)"
        )


def _read_member(archive: zipfile.ZipFile, name: str, cap: int, path: Path) -> bytes:
    with archive.open(name) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise AnkiError(f"{path}: refused: {name} is larger than {cap / 1e6:.0f} MB")
    return data


def _zstd(data: bytes, cap: int, path: Path, what: str) -> bytes:
    import zstandard

    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            out = reader.read(cap + 1)
    except zstandard.ZstdError as exc:
        raise AnkiError(f"{path}: {what} is not valid zstd data ({exc})") from None
    if len(out) > cap:
        raise AnkiError(f"{path}: refused: {what} decompresses to more than {cap / 1e6:.0f} MB")
    return out


# ---------------------------------------------------------------------- reading
def read_package(
    path: Path, limits: ImportLimits | None = None, progress: Progress | None = None
) -> Deck:
    limits = limits or ImportLimits()
    deadline = Deadline(str(path), limits.max_seconds)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AnkiError(f"{path}: not an Anki package (a zip file): {exc}") from None
    with archive, tempfile.TemporaryDirectory(prefix="deskwork-anki-") as tmp:
        _check_zip(path, archive, limits)
        names = set(archive.namelist())
        chosen = next((n for n in COLLECTIONS if n in names), None)
        if chosen is None:
            raise AnkiError(
                f"{path}: no collection inside (expected one of {', '.join(COLLECTIONS)})"
            )
        data = _read_member(archive, chosen, limits.max_total_bytes, path)
        if chosen.endswith("b"):
            data = _zstd(data, limits.max_total_bytes, path, chosen)
        db_path = Path(tmp) / "collection.sqlite"
        db_path.write_bytes(data)
        media, refused = entries(archive, path)
        try:
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise AnkiError(f"{path}: {chosen} cannot be opened ({exc})") from None
        try:
            deck = read_collection(db, path, deadline, limits, progress)
        except sqlite3.DatabaseError as exc:
            raise AnkiError(
                f"{path}: {chosen} is damaged or not an Anki collection ({exc})"
            ) from None
        finally:
            db.close()
    deck.media_skipped = refused
    deck.media_names = [m.name for m in media]
    deck.source = path
    return deck


from deskwork.interop.anki.writer import write_package  # noqa: E402

__all__ = ["field_html", "read_package", "write_package"]
