"""Flashcards and their review log. Scheduling fields mirror fsrs 6's `Card` so no state is lost."""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from pydantic import Field

from deskwork.domain.records import Record, UTCDateTime, empty_list

if TYPE_CHECKING:
    from deskwork.domain.notetypes import NoteTypeDef


class CardState(IntEnum):
    """fsrs 6 states (new cards are `LEARNING` with no review yet)."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class NoteType(StrEnum):
    """The built-in (stock) note types' keys; imported note types are keyed `anki:<id>`."""

    BASIC = "basic"
    REVERSED = "reversed"  # basic + reversed: card 0 front→back, card 1 back→front
    OPTIONAL_REVERSED = "optional-reversed"  # card 1 only when "Add Reverse" is filled
    TYPE_IN = "type-in"  # type the back in
    CLOZE = "cloze"  # one card per cN number


class Card(Record):
    """One card of a note. The note (type, ordered fields, tags, guid, modified time) is carried by
    each of its cards and kept identical across them by the services that edit notes."""

    deck: str = "Default"  # nested with "::"
    fields: list[str] = Field(default_factory=lambda: [""])  # the note's fields, in order
    tags: list[str] = Field(default_factory=empty_list)
    note_guid: str = ""  # the note this card belongs to (Anki's guid when imported)
    note_type: str = NoteType.BASIC  # a stock key or "anki:<id>"
    ord: int = Field(default=0, ge=0)  # template ord (cloze: number - 1)
    html: bool = False  # fields are Anki HTML; else plain text
    source_item: int | None = None
    source_draft: int | None = None
    created: UTCDateTime
    modified: UTCDateTime
    note_modified: UTCDateTime | None = None  # last change to the note's fields or tags
    anki_id: int | None = None  # Anki's card id (kept so an export matches the same card)
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
    def front(self) -> str:
        return self.fields[0] if self.fields else ""

    @property
    def back(self) -> str:
        return self.fields[1] if len(self.fields) > 1 else ""

    @property
    def is_new(self) -> bool:
        return self.last_review is None

    def question(self, notetype: "NoteTypeDef | None" = None) -> str:
        """What the card asks, as plain text (a stock type's, unless `notetype` is given)."""
        from deskwork.domain.render import render_card

        return render_card(self, notetype).question

    def answer(self, notetype: "NoteTypeDef | None" = None) -> str:
        """The answer side, as plain text."""
        from deskwork.domain.render import render_card

        return render_card(self, notetype).answer()

    def answer_runs(self, notetype: "NoteTypeDef | None" = None) -> list[tuple[str, bool]]:
        """The answer side as (text, highlighted) runs: a cloze's asked deletion is highlighted."""
        from deskwork.domain.render import render_card

        return render_card(self, notetype).answer_runs()


class ReviewLog(Record):
    """One answer to one card. Append-only; the full log is what an optimizer needs."""

    card_id: int
    # 1-4 for an answer; 0 only for a manual entry (the Anki reader makes those; no validator
    # here: the log is the hottest thing the store loads)
    rating: int = Field(ge=0, le=4)
    ts: UTCDateTime
    duration_ms: int = Field(default=0, ge=0)
    state: CardState = CardState.LEARNING  # the card's state before this answer
    was_new: bool = False  # the card's first answer (counts against the new cards per day)
    # For entries that are not answers, Anki's kind: 4 = manual (set due date, forget),
    # 5 = rescheduled; these are kept for the way back, never counted as answers.
    manual: int = 0
    # From Anki: [revlog id (a re-import merges by it), ivl, lastIvl, factor]; one field, so a
    # review made in deskwork stores one null.
    anki: tuple[int, int, int, int] | None = None

    @property
    def anki_id(self) -> int | None:
        return self.anki[0] if self.anki else None

    @property
    def is_answer(self) -> bool:
        return not self.manual
