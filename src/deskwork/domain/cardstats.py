"""Flashcard figures: a due forecast, reviews per day, true retention, cards per state.

True retention (as Anki defines it): of the answers given to cards in review (not learning), the
share that were not "Again"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.studyday import DayIndex


def due_forecast(
    cards: Iterable[Card], today: date, start_hour: int, days: int = 30, tz: tzinfo | None = None
) -> list[int]:
    """Cards falling due on each of the next `days` study days (overdue ones count today)."""
    counts = [0] * days
    index = DayIndex(today, days, start_hour, tz)
    for card in cards:
        if card.suspended or card.last_review is None:
            continue
        offset = index.index(card.due)
        if offset < days:
            counts[max(0, offset)] += 1
    return counts


def overdue_and_tomorrow(
    cards: Iterable[Card], today: date, start_hour: int, tz: tzinfo | None = None
) -> tuple[int, int]:
    """(overdue by tomorrow, due tomorrow): the cards still due from today's study day or before
    (unanswered: tomorrow they are Anki's backlog, its future-due graph's days before 0) and
    those falling due on tomorrow's (its "Due tomorrow", day 1). One pass over the cards."""
    index = DayIndex(today, 2, start_hour, tz)
    overdue = tomorrow = 0
    for card in cards:
        if card.suspended or card.last_review is None:
            continue
        offset = index.index(card.due)
        if offset <= 0:
            overdue += 1
        elif offset == 1:
            tomorrow += 1
    return overdue, tomorrow


def reviews_per_day(
    logs: Iterable[ReviewLog],
    today: date,
    start_hour: int,
    days: int = 30,
    tz: tzinfo | None = None,
) -> list[int]:
    """Answers on each of the last `days` study days, oldest first."""
    counts = [0] * days
    index = DayIndex(today - timedelta(days=days - 1), days, start_hour, tz)
    for log in logs:
        if log.manual:
            continue
        n = index.index(log.ts)
        if 0 <= n < days:
            counts[n] += 1
    return counts


def true_retention(logs: Iterable[ReviewLog], since: datetime) -> float | None:
    passed, total = retention_counts(logs, since)
    return passed / total if total else None


def retention_counts(logs: Iterable[ReviewLog], since: datetime) -> tuple[int, int]:
    """(passed, answered): the answers since `since` on cards in review, and those not "Again"."""
    passed = total = 0
    for log in logs:
        if log.ts >= since and log.state is CardState.REVIEW and not log.manual:
            total += 1
            passed += log.rating > 1
    return passed, total


def state_of(card: Card) -> str:
    """new, learning, relearning, review or suspended (suspension wins)."""
    if card.suspended:
        return "suspended"
    if card.is_new:
        return "new"
    return card.state.name.lower()


def shown_state(card: Card, now: datetime) -> str:
    """The state a card list shows: `state_of`, with "buried" for a card buried until later
    (suspension still wins: it outlasts the burial)."""
    if not card.suspended and card.buried_until is not None and card.buried_until > now:
        return "buried"
    return state_of(card)


def per_state(cards: Iterable[Card]) -> dict[str, int]:
    """Cards per state; relearning cards count as learning, as in Anki's figures."""
    counts = Counter(state_of(c).replace("relearning", "learning") for c in cards)
    return {k: counts.get(k, 0) for k in ("new", "learning", "review", "suspended")}
