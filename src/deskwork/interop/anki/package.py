"""Anki packages: opening one safely and choosing its collection.

The member names are checked first (plain file names only), then the newest collection inside is
unpacked (`unpack.py`: size, ratio and zstd-window caps) into the data dir's temp folder:
`collection.anki21b` (zstd-compressed SQLite, what current Anki writes), else `collection.anki21`,
else `collection.anki2`. Media names are listed here (checked by `media.py`); their bytes are
read afterwards, one file at a time. What is read from the collection is `reader.py`'s (note
types: `notetypes.py`, decks: `decks.py`, scheduling: `schedule.py`); writing is `writer.py`'s.
Deck presets (Anki's deck configs) are read by `deckconfig.py`, attached to the read deck.
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from deskwork.domain.render import field_html
from deskwork.interop.anki import deckconfig
from deskwork.interop.anki.media import entries
from deskwork.interop.anki.model import AnkiError, Deadline, Deck, ImportLimits
from deskwork.interop.anki.reader import read_collection
from deskwork.interop.anki.unpack import check_names, unpack
from deskwork.interop.anki.writer import write_package

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
Progress = Callable[[int, int], None]

__all__ = ["COLLECTIONS", "field_html", "read_package", "write_package"]


def read_package(
    path: Path,
    limits: ImportLimits | None = None,
    progress: Progress | None = None,
    data_dir: Path | None = None,
    start_hour: int = 4,
    tz: tzinfo | None = None,
) -> Deck:
    """The package's cards (a due day is the start of that study day: `start_hour` in `tz`,
    default local time). The collection is unpacked into the data dir's temp folder (swept at
    the next open if this process is killed), or the system's when no data dir is given."""
    from deskwork.store.scratch import scratch

    limits = limits or ImportLimits()
    deadline = Deadline(str(path), limits.max_seconds)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AnkiError(f"{path}: not an Anki package (a zip file): {exc}") from None
    with archive, scratch(data_dir, "anki-import-") as tmp:
        check_names(path, archive)
        names = set(archive.namelist())
        chosen = next((n for n in COLLECTIONS if n in names), None)
        if chosen is None:
            raise AnkiError(
                f"{path}: no collection inside (expected one of {', '.join(COLLECTIONS)})"
            )
        db_path = tmp / "collection.sqlite"
        unpack(path, archive, chosen, db_path, limits)
        media, refused = entries(archive, path)
        try:
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise AnkiError(f"{path}: {chosen} cannot be opened ({exc})") from None
        try:
            deck = read_collection(db, path, deadline, limits, progress, None, start_hour, tz)
            deckconfig.attach(db, deck, start_hour, tz)  # presets, deck → preset, learning steps
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
