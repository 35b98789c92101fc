"""What the Anki readers produce: cards grouped by note, their review history, and the counts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.notetypes import NoteTypeDef
from deskwork.interop import InteropError


class AnkiError(InteropError):
    """A deck that cannot be imported; the message names the file and what is wrong."""


MiB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """A package's caps. The collection is unpacked to a temp file under these caps; media files
    are read one at a time, each under `max_media_bytes` and all together under
    `max_total_bytes`, and stored before the next one is read."""

    max_total_bytes: int = 1024 * MiB  # the collection, unpacked (a 100k-card one is ~100-300 MB)
    max_ratio: int = 200  # the collection may not be this many times bigger than its packed self…
    ratio_floor_bytes: int = 4 * MiB  # …once past this size (a fresh, empty one is mostly zeros)
    max_window_bytes: int = 16 * MiB  # a zstd frame's window (Anki's frames use 2-8 MB)
    max_seconds: float = 120.0
    max_notes: int = 500_000
    max_cards: int = 2_000_000  # counted before anything is read (a note has 1-few cards)
    max_note_chars: int = 8 * MiB  # one note's fields together (inline images make them big)
    max_media_bytes: int = 100 * MiB  # one media file


@dataclass
class Deck:
    """A deck read from a file: the cards (scheduling mapped), and for each card its review log."""

    name: str  # the file, for messages
    cards: list[Card] = field(default_factory=list)
    # index in cards -> its review-log entries (answers, manual entries), oldest first: records
    # with id 0 and Anki's card id until the import gives them theirs (reader.py builds them checked)
    history: dict[int, list[ReviewLog]] = field(default_factory=dict)
    revlog: list[ReviewLog] = field(default_factory=list)  # every entry of the file, oldest first
    media_skipped: int = 0
    notes_skipped: int = 0  # note types deskwork cannot show (image occlusion…)
    notetypes: dict[str, NoteTypeDef] = field(default_factory=dict)  # imported types, by key
    deck_ids: dict[str, int] = field(default_factory=dict)  # every (non-filtered) deck: name -> id
    filtered_decks: list[str] = field(default_factory=list)  # not kept; cards went home
    buried: set[int] = field(default_factory=set)  # indexes in cards buried in Anki today
    guids_renamed: int = 0  # notes that shared a guid with another note of the file
    source: Path | None = None  # the package, for its media files (read after the notes)
    media_names: list[str] = field(default_factory=list)  # media files the package has
    media_blobs: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (sha256, size)
    # plain text without a guid column: notes match by first field within the note type (Anki's
    # duplicate rule); the file line of each note, and the rows left out with why
    match_first_field: bool = False
    lines: dict[str, int] = field(default_factory=dict)  # note guid -> line
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    columns_left_out: list[str] = field(default_factory=list)  # sentences for the import report
    presets: Any = None  # deckconfig.AnkiPresets from a package; None from plain text
    renamed: bool = False  # every card put in one deck chosen at import

    @property
    def notes(self) -> int:
        return len({c.note_guid for c in self.cards})


class Deadline:
    def __init__(self, name: str, seconds: float) -> None:
        self.name = name
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise AnkiError(f"{self.name}: took longer than {self.seconds:g} s; nothing imported")
