"""Flashcards and their review log. Scheduling fields mirror fsrs 6's `Card` so no state is lost."""

from __future__ import annotations

from enum import IntEnum

from pydantic import Field

from deskwork.domain.records import Record, UTCDateTime


class CardState(IntEnum):
    """fsrs 6 states (new cards are `LEARNING` with no review yet)."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class Card(Record):
    deck: str = "Default"
    front: str
    back: str = ""
    tags: list[str] = Field(default_factory=list)
    note_guid: str = ""
    source_item: int | None = None
    created: UTCDateTime
    modified: UTCDateTime
    # scheduling (fsrs)
    state: CardState = CardState.LEARNING
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: UTCDateTime
    last_review: UTCDateTime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    buried_until: UTCDateTime | None = None
    flag: int = 0

    @property
    def is_new(self) -> bool:
        return self.last_review is None


class ReviewLog(Record):
    """One answer to one card. Append-only; the full log is what an optimizer needs."""

    card_id: int
    rating: int = Field(ge=1, le=4)
    ts: UTCDateTime
    duration_ms: int = Field(default=0, ge=0)
