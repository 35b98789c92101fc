"""Today's review queue: learning cards due now, then reviews due (up to the day's limit), then new
cards (up to the day's limit). Buried and suspended cards wait. Limits count the study day's answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from deskwork.domain.cards import Card, CardState, ReviewLog

LEARN_AHEAD = timedelta(minutes=20)  # a learning card due this soon is shown when nothing else is


@dataclass(frozen=True)
class Limits:
    new_per_day: int = 20
    reviews_per_day: int = 200


@dataclass(frozen=True)
class DayCounts:
    new: int = 0
    reviews: int = 0

    @classmethod
    def of(cls, logs: Iterable[ReviewLog]) -> DayCounts:
        new = reviews = 0
        seen: set[int] = set()
        for log in logs:
            if log.manual:
                continue
            if log.was_new:
                new += 1
            elif log.state is CardState.REVIEW and log.card_id not in seen:
                reviews += 1
                seen.add(log.card_id)
        return cls(new, reviews)


def available(card: Card, now: datetime) -> bool:
    return not card.suspended and (card.buried_until is None or card.buried_until <= now)


@dataclass
class ReviewQueue:
    learning: list[Card]  # due by the end of the learn-ahead window, by due time
    reviews: list[Card]
    new: list[Card]

    @property
    def size(self) -> int:
        return len(self.learning) + len(self.reviews) + len(self.new)


def build(
    cards: Iterable[Card], now: datetime, day_end: datetime, limits: Limits, done: DayCounts
) -> ReviewQueue:
    learning: list[Card] = []
    reviews: list[Card] = []
    new: list[Card] = []
    for card in cards:
        if not available(card, now):
            continue
        if card.last_review is None:
            new.append(card)
        elif card.state is CardState.REVIEW:
            if card.due <= now:
                reviews.append(card)
        elif card.due < day_end:
            learning.append(card)
    learning.sort(key=lambda c: (c.due, c.id))
    reviews.sort(key=lambda c: (c.due, c.id))
    new.sort(key=lambda c: (c.created, c.id))
    return ReviewQueue(
        learning,
        reviews[: max(0, limits.reviews_per_day - done.reviews)],
        new[: max(0, limits.new_per_day - done.new)],
    )


def next_card(queue: ReviewQueue, now: datetime) -> Card | None:
    """Learning cards that are due, then reviews, then new cards, then learning cards due soon."""
    if queue.learning and queue.learning[0].due <= now:
        return queue.learning[0]
    if queue.reviews:
        return queue.reviews[0]
    if queue.new:
        return queue.new[0]
    if queue.learning and queue.learning[0].due <= now + LEARN_AHEAD:
        return queue.learning[0]
    return None


def remove(queue: ReviewQueue, card_id: int) -> None:
    for part in (queue.learning, queue.reviews, queue.new):
        part[:] = [c for c in part if c.id != card_id]


def place(queue: ReviewQueue, card: Card, day_end: datetime) -> None:
    """After an answer: a card still learning today goes back in by due time."""
    remove(queue, card.id)
    if card.state is not CardState.REVIEW and card.due < day_end and available(card, card.due):
        queue.learning.append(card)
        queue.learning.sort(key=lambda c: (c.due, c.id))


def next_due(cards: Iterable[Card], now: datetime) -> datetime | None:
    return min((c.due for c in cards if available(c, now) and c.due > now), default=None)
