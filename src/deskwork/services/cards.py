"""Flashcards outside a review: adding a note's cards (quick capture) and editing a note, the
decks there are, the deck a new card goes to, and the figures for `cards stats`. The review
session is services/review_session.py (`ReviewSession` is imported from here in many places)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from deskwork.domain import cardstats
from deskwork.services import notes
from deskwork.services.desk import Desk
from deskwork.services.notes import LAST_DECK
from deskwork.services.review_session import ReviewSession

__all__ = ["ReviewSession", "add_note", "decks", "edit_note", "last_deck", "stats"]


# ---------------------------------------------------------------------- adding and editing
add_note = notes.add_note
edit_note = notes.edit_note


def last_deck(desk: Desk) -> str:
    return str(desk.store.setting(LAST_DECK) or desk.config.cards.default_deck)


def decks(desk: Desk) -> list[str]:
    """Every deck: those with cards, and those imported from Anki (empty ones too)."""
    imported = set(desk.store.setting("anki_decks", {}) or {})
    return sorted({c.deck for c in desk.store.cards.all()} | {last_deck(desk)} | imported)


# ---------------------------------------------------------------------- figures
def stats(desk: Desk) -> dict[str, Any]:
    """`due_today` is what today's review queue holds (each deck's limits), as `today` and the
    review pane count it; `due_without_limits` ignores the limits."""
    from deskwork.services.due_today import due_today

    cards = desk.store.cards.all()
    due = due_today(desk, cards)
    return {
        "notes": len({c.note_guid or f"card-{c.id}" for c in cards}),
        "cards": len(cards),
        "due_today": due.total,
        "due_today_parts": due.parts(),
        "due_without_limits": due.without_limits,
        **cardstats.per_state(cards),
        "decks": dict(sorted(Counter(c.deck for c in cards).items())),
    }
