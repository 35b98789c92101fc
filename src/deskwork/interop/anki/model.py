"""What the Anki readers produce: cards grouped by note, their review history, and the counts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from deskwork.domain.cards import Card, ReviewLog
from deskwork.interop import InteropError


class AnkiError(InteropError):
    """A deck that cannot be imported; the message names the file and what is wrong."""


@dataclass(frozen=True)
class ImportLimits:
    max_total_bytes: int = 1024 * 1024 * 1024  # everything a package may decompress to
    max_ratio: int = 200  # a zip member may not be this many times bigger than its compressed self
    max_seconds: float = 120.0
    max_notes: int = 500_000


@dataclass
class Deck:
    """A deck read from a file: the cards (scheduling mapped), and for each card its review log."""

    name: str  # the file, for messages
    cards: list[Card] = field(default_factory=list)
    history: dict[int, list[ReviewLog]] = field(default_factory=dict)  # index in cards -> logs
    media_skipped: int = 0
    notes_skipped: int = 0  # note types deskwork cannot show (image occlusion…)

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
