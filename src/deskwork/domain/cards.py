"""Flashcards and their review log. Scheduling fields mirror fsrs 6's `Card` so no state is lost."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from pydantic import Field

from deskwork.domain.records import Record, UTCDateTime


class CardState(IntEnum):
    """fsrs 6 states (new cards are `LEARNING` with no review yet)."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class NoteType(StrEnum):
    BASIC = "basic"
    REVERSED = "reversed"  # basic + reversed: card 0 front→back, card 1 back→front
    CLOZE = "cloze"  # one card per cN number; `front` holds the text with deletions


class Card(Record):
    deck: str = "Default"  # nested with "::"
    front: str
    back: str = ""  # for cloze: the "Back Extra" field
    tags: list[str] = Field(default_factory=list)
    note_guid: str = ""  # the note this card belongs to (Anki's guid when imported)
    note_type: NoteType = NoteType.BASIC
    ord: int = Field(default=0, ge=0)  # which card of the note: 0/1 reversed, cloze number - 1
    html: bool = False  # fields are Anki HTML (shown as text); else plain text
    source_item: int | None = None
    source_draft: int | None = None
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

    def question(self) -> str:
        """What the card asks, as plain text."""
        return _render(self, ask=True)

    def answer(self) -> str:
        """The answer side, as plain text."""
        return _render(self, ask=False)

    def answer_runs(self) -> list[tuple[str, bool]]:
        """The answer side as (text, highlighted) runs: a cloze's asked deletion is highlighted
        where `answer()` brackets it."""
        from deskwork.domain import cloze

        if self.note_type is not NoteType.CLOZE:
            return [(self.answer(), False)]
        return cloze.marked_runs(_render(self, ask=False, marks=(cloze.MARK_START, cloze.MARK_END)))


def _render(card: Card, *, ask: bool, marks: tuple[str, str] = ("[[", "]]")) -> str:
    from deskwork.domain import cloze
    from deskwork.domain.ankihtml import html_to_text
    from deskwork.domain.text import clean

    def text(field: str) -> str:
        return html_to_text(field) if card.html else clean(field).strip()

    if card.note_type is NoteType.CLOZE:
        number = card.ord + 1
        shown = (
            cloze.question(card.front, number) if ask else cloze.answer(card.front, number, marks)
        )
        extra = "" if ask or not card.back else "\n\n" + text(card.back)
        return text(shown) + extra
    front, back = (card.back, card.front) if card.ord == 1 else (card.front, card.back)
    return text(front) if ask else text(back)


class ReviewLog(Record):
    """One answer to one card. Append-only; the full log is what an optimizer needs."""

    card_id: int
    rating: int = Field(ge=1, le=4)
    ts: UTCDateTime
    duration_ms: int = Field(default=0, ge=0)
    state: CardState = CardState.LEARNING  # the card's state before this answer
    was_new: bool = False  # the card's first answer (counts against the new cards per day)
