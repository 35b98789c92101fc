"""Scheduling between Anki's card columns (type, queue, due, ivl, odue, odid, data) and deskwork's
fsrs fields, both ways.

From Anki: new cards stay new; learning cards keep their due time; review cards keep their due day,
interval-based stability and Anki's FSRS memory state (stability, difficulty) when the card has
one. A card in a filtered deck is scheduled by its home deck's due (`odue`), not the filtered
position. To Anki: the due day counted from the collection's creation, and `ivl` as whole days
between the last review's day and the due day."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from deskwork.domain.cards import Card, CardState
from deskwork.interop.anki.days import AnkiDays


def ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def memory_of(data: str) -> Any:
    """A card's `data` column parsed (Anki keeps the FSRS memory state there: `s`, `d`); {} when
    it is not JSON. orjson first (4x faster); what it refuses and Python's JSON reads (NaN,
    Infinity, lone surrogates) is read by Python's. Only used through float(), where the one
    difference left (a huge integer: orjson's float, Python's int) is the same number."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(data)
    except ValueError:
        return {}


_BELOW_ONE = math.nextafter(1.0, 0.0)  # difficulty 1 is in range


def _memory_value(value: Any, above: float, at_most: float) -> float | None:
    """An FSRS memory value from the file when it is a finite number in its range (stability
    above 0; difficulty 1 to 10); else None, as if absent (the card's interval stands in). A
    NaN, an infinity, a negative stability or a text made R undefined and crashed what shows
    it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and above < number <= at_most else None


# A schedule as `schedule_of` gives it: (state, step, stability, difficulty, due, last_review).
Schedule = tuple[CardState, int | None, float | None, float | None, datetime, datetime | None]
NEW_KEYS = ("state", "step", "due")  # the fields a new card's schedule sets
SCHEDULED_KEYS = ("state", "step", "stability", "difficulty", "due", "last_review")  # the others'


def schedule_of(
    ctype: int, due: int, ivl: int, data: str, days: AnkiDays, last: datetime | None,
    now: datetime,
) -> Schedule:  # fmt: skip
    """A card's schedule from its Anki columns: for a new card (type 0) the fields `NEW_KEYS`
    name (the others None, their defaults), else every field `SCHEDULED_KEYS` names."""
    if ctype == 0:  # new
        return CardState.LEARNING, 0, None, None, now, None
    memory = memory_of(data) if data else None
    if isinstance(memory, dict):
        stability = _memory_value(memory.get("s"), 0.0, math.inf)
        difficulty = _memory_value(memory.get("d"), _BELOW_ONE, 10.0)
    else:
        stability = difficulty = None
    if ctype == 2:  # review: due is a day number, its study day counted from Anki's day 0
        due_at = days.start(due)
        return (
            CardState.REVIEW, None,
            float(stability) if stability else float(max(ivl, 1)),
            float(difficulty) if difficulty else 5.0,
            due_at, last or due_at - timedelta(days=max(ivl, 1)),
        )  # fmt: skip
    # learning (1) or relearning (3): due is a time (seconds) or, for interday steps, a day number
    due_at = datetime.fromtimestamp(due, UTC) if due > 1_000_000_000 else days.start(due)
    relearning = ctype == 3
    return (
        CardState.RELEARNING if relearning else CardState.LEARNING, 0,
        float(stability) if stability else (float(max(ivl, 1)) if relearning else None),
        float(difficulty) if difficulty else (5.0 if relearning else None),
        due_at, last or now,
    )  # fmt: skip


def to_anki(card: Card, days: AnkiDays, now: datetime, position: int) -> tuple[int, int, int, int]:
    """(type, queue, due, ivl) in Anki's terms. Days are study days (`days`: Anki's day 0 and the
    study day's start hour, Anki's rollover): a review at 00:30 belongs to the day before, in
    Anki's `ivl` as in deskwork's queue (a card is due on the study day its due moment falls in).
    A learning step of a day or more (the last review and the due on different study days) goes
    as Anki keeps it: queue 3, due a day number; a shorter one as queue 1, due a time."""
    if card.is_new:
        return 0, 0, position, 0
    if card.state is CardState.REVIEW:
        due_day = days.number(card.due)
        ivl = max(1, due_day - days.number(card.last_review or now))
        return 2, 2, due_day, ivl
    ctype = 3 if card.state is CardState.RELEARNING else 1
    ivl = 0
    if ctype == 3 and card.stability:
        ivl = max(1, round(card.stability))
    due_day = days.number(card.due)
    if due_day != days.number(card.last_review or now):  # an interday step
        return ctype, 3, due_day, ivl
    return ctype, 1, int(card.due.timestamp()), ivl
