"""What the Anki readers produce: cards grouped by note, their review history, and the counts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.interop import InteropError


class AnkiError(InteropError):
    """A deck that cannot be imported; the message names the file and what is wrong."""


@dataclass(frozen=True)
class ImportLimits:
    max_total_bytes: int = 1024 * 1024 * 1024  # everything a package may decompress to
    max_ratio: int = 200  # a zip member may not be this many times bigger than its compressed self
    max_seconds: float = 120.0
    max_notes: int = 500_000


class Answer(NamedTuple):
    """One answer from a file's review history, checked (rating 1–4, duration capped); it becomes
    a ReviewLog once its card has an id."""

    ts: datetime
    rating: int
    duration_ms: int
    state: CardState
    was_new: bool

    def log(self, log_id: int, card_id: int) -> ReviewLog:
        # Built without re-validation: 250,000 answers would cost seconds, and every field was
        # checked above (the timestamp is UTC, the rating in range, the duration capped).
        return ReviewLog.model_construct(
            id=log_id, card_id=card_id, rating=self.rating, ts=self.ts,
            duration_ms=self.duration_ms, state=self.state, was_new=self.was_new,
        )  # fmt: skip


@dataclass
class Deck:
    """A deck read from a file: the cards (scheduling mapped), and for each card its review log."""

    name: str  # the file, for messages
    cards: list[Card] = field(default_factory=list)
    history: dict[int, list[Answer]] = field(default_factory=dict)  # index in cards -> answers
    media_skipped: int = 0
    notes_skipped: int = 0  # note types deskwork cannot show (image occlusion…)
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
