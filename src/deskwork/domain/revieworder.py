"""Review sort orders as Anki has them for FSRS (the preset's "Review sort order"), and a card's
current retrievability (FSRS's R at now) that two of them sort by.

Anki gathers a day's reviews (and interday learning cards) in this order, so it also decides
which cards a review limit leaves for tomorrow; every order ends with Anki's stable "random"
(an FNV hash of the card's id and modification time) to break ties. Pure: the clock is a
parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from deskwork.domain.cards import Card
from deskwork.domain.studyday import days_before

DAY_S = 86400.0
# FSRS-6's default decay (w20), as fsrs and fsrs-rs have it.
DEFAULT_DECAY = 0.1542

# key → Anki's label (with FSRS on: "Ascending ease" reads "Difficult cards first").
ORDERS: dict[str, str] = {
    "due": "Due date, then random",
    "due_then_deck": "Due date, then deck",
    "deck_then_due": "Deck, then due date",
    "intervals_ascending": "Ascending intervals",
    "intervals_descending": "Descending intervals",
    "difficulty_descending": "Difficult cards first",
    "difficulty_ascending": "Easy cards first",
    "retrievability_ascending": "Ascending retrievability",
    "retrievability_descending": "Descending retrievability",
    "relative_overdueness": "Relative overdueness",
    "random": "Random",
    "added": "Order added",
    "reverse_added": "Latest added first",
}
# Anki's ReviewCardOrder numbers (deck_config.proto), for its deck options.
ANKI_NUMBERS: dict[int, str] = {
    0: "due", 1: "due_then_deck", 2: "deck_then_due", 3: "intervals_ascending",
    4: "intervals_descending", 5: "difficulty_descending", 6: "difficulty_ascending",
    7: "retrievability_ascending", 11: "retrievability_descending", 12: "relative_overdueness",
    8: "random", 9: "added", 10: "reverse_added",
}  # fmt: skip


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


_BY_TEXT = {_norm(k): k for k in ORDERS} | {_norm(v): k for k, v in ORDERS.items()}


def parse_order(text: str) -> str:
    """A key or Anki's label, any case ('Ascending retrievability', 'retrievability-ascending')
    → the key; ValueError names the choices."""
    found = _BY_TEXT.get(_norm(str(text)))
    if found is None:
        raise ValueError(f"{text!r} is not a review order; the orders are {', '.join(ORDERS)}")
    return found


# ---------------------------------------------------------------------- retrievability
def decay_of(parameters: tuple[float, ...] | None) -> float:
    """The preset's decay (w20); FSRS-6's default without parameters."""
    return parameters[20] if parameters and len(parameters) > 20 else DEFAULT_DECAY


def retrievability(card: Card, now: datetime, decay: float = DEFAULT_DECAY) -> float | None:
    """FSRS's probability of recall now: (1 + factor · t / S)^-decay, t the days since the last
    review (fractional, as Anki counts them for R); None for a card without a memory state."""
    if card.last_review is None or not card.stability or not card.stability > 0:
        return None  # no memory state; a stability of 0, below or NaN has no R
    elapsed = max(0.0, (now - card.last_review).total_seconds()) / DAY_S
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return float((1.0 + factor * elapsed / card.stability) ** -decay)


def describe_retrievability(value: float | None) -> str:
    """R as a whole percent, rounded down: a card shown as 90% has R of at least 0.90, so
    `prop:r<0.9` never finds a card shown as 90% (rounding showed R 0.896 as 90%)."""
    if value is None or not math.isfinite(value):  # no memory state (or a broken one)
        return "—"
    return f"{math.floor(value * 100 + 1e-9)}%"  # 1e-9: 0.29 * 100 is 28.999999999999996


# ---------------------------------------------------------------------- Anki's stable random
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1


def fnvhash(*values: int) -> int:
    """Anki's SQL `fnvhash`: FNV-1a (64 bit) over each value's 8 little-endian bytes, as i64."""
    h = _FNV_OFFSET
    for value in values:
        for byte in (value & _MASK).to_bytes(8, "little"):
            h = ((h ^ byte) * _FNV_PRIME) & _MASK
    return h - (1 << 64) if h >= 1 << 63 else h


def _random(card: Card) -> int:
    return fnvhash(card.id, int(card.modified.timestamp()))


# ---------------------------------------------------------------------- the orders
def _deck(card: Card) -> tuple[str, ...]:
    """Decks in the deck list's order (parents before their subdecks, case-insensitive)."""
    return tuple(part.lower() for part in card.deck.split("::"))


def _nulls_first(value: float | None) -> tuple[int, float]:
    """SQLite sorts NULL before every number, ascending."""
    return (0, 0.0) if value is None else (1, value)


def _nulls_last_desc(value: float | None) -> tuple[int, float]:
    """Descending, NULL after every number (as `order by x desc` in SQLite)."""
    return (1, 0.0) if value is None else (0, -value)


def sort_key(
    order: str,
    now: datetime,
    day_end: datetime,
    decay_for: Callable[[Card], float] = lambda _: DEFAULT_DECAY,
    retention_for: Callable[[Card], float] = lambda _: 0.9,
) -> Callable[[Card], Any]:
    """The key that sorts reviews in `order` (Anki's `review_order_sql`, random last)."""

    def due_day(card: Card) -> int:  # Anki's `due` of a review card: its day number
        return -days_before(day_end, card.due)

    def interval(card: Card) -> int:  # Anki's `ivl`
        if card.last_review is None:
            return 0
        return max(0, days_before(day_end, card.last_review) - days_before(day_end, card.due))

    def r(card: Card) -> float | None:
        return retrievability(card, now, decay_for(card))

    def overdueness(card: Card) -> float:
        """Anki's `extract_fsrs_relative_retrievability` (ascending: the most overdue relative to
        the desired retention first); SM-2's fallback for a card without a memory state."""
        value = r(card)
        if value is not None:
            decay = decay_for(card)
            wanted = max(retention_for(card), 0.0001)
            value = max(value, 0.0001)
            return float(-(value ** (-1 / decay) - 1) / (wanted ** (-1 / decay) - 1))
        elapsed = max(0, days_before(day_end, card.last_review)) if card.last_review else 0
        return -(elapsed + 0.001) / max(interval(card), 1)

    keys: dict[str, Callable[[Card], Any]] = {
        "due": lambda c: (due_day(c),),
        "due_then_deck": lambda c: (due_day(c), _deck(c)),
        "deck_then_due": lambda c: (_deck(c), due_day(c)),
        "intervals_ascending": lambda c: (interval(c),),
        "intervals_descending": lambda c: (-interval(c),),
        "difficulty_descending": lambda c: (_nulls_last_desc(c.difficulty),),
        "difficulty_ascending": lambda c: (_nulls_first(c.difficulty),),
        "retrievability_ascending": lambda c: (_nulls_first(r(c)),),
        "retrievability_descending": lambda c: (_nulls_last_desc(r(c)),),
        "relative_overdueness": lambda c: (overdueness(c),),
        "random": lambda c: (),
        "added": lambda c: (c.created, c.note_guid, c.ord),
        "reverse_added": lambda c: (-c.created.timestamp(), c.note_guid, c.ord),
    }
    first = keys.get(order, keys["due"])
    return lambda c: (*first(c), _random(c), c.id)
