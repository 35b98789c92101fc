"""Spaced repetition with fsrs 6: grading a card, the next interval for each answer, leeches.

fsrs wants UTC datetimes and an explicit card id (without one it sleeps 1 ms to make one).
The clock is a parameter; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING

from deskwork.domain.cards import Card, CardState, ReviewLog

if TYPE_CHECKING:  # fsrs loads when the first card is scheduled, not at start-up
    from fsrs import Card as FsrsCard
    from fsrs import Scheduler

LEECH_TAG = "leech"


class Grade(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class SchedulerSettings:
    desired_retention: float = 0.90
    learning_steps_minutes: tuple[float, ...] = (1, 10)
    relearning_steps_minutes: tuple[float, ...] = (10,)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    leech_lapses: int = 8
    leech_suspend: bool = False

    def scheduler(self) -> Scheduler:
        from fsrs import Scheduler

        return Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in self.learning_steps_minutes),
            relearning_steps=tuple(timedelta(minutes=m) for m in self.relearning_steps_minutes),
            maximum_interval=self.maximum_interval_days,
            enable_fuzzing=self.fuzz,
        )


def to_fsrs(card: Card) -> FsrsCard:
    from fsrs import Card as FsrsCard
    from fsrs import State

    return FsrsCard(
        card_id=card.id or 1,
        state=State(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def grade(
    scheduler: Scheduler,
    settings: SchedulerSettings,
    card: Card,
    rating: Grade,
    now: datetime,
    duration_ms: int = 0,
) -> tuple[Card, ReviewLog]:
    """The card after the answer and the log entry for it."""
    from fsrs import Rating

    after, _ = scheduler.review_card(to_fsrs(card), Rating(int(rating)), now)
    lapses = card.lapses + (1 if card.state is CardState.REVIEW and rating is Grade.AGAIN else 0)
    update: dict[str, object] = {
        "state": CardState(int(after.state)),
        "step": after.step,
        "stability": after.stability,
        "difficulty": after.difficulty,
        "due": after.due,
        "last_review": after.last_review,
        "reps": card.reps + 1,
        "lapses": lapses,
    }
    if lapses >= settings.leech_lapses and LEECH_TAG not in card.tags:
        update["tags"] = [*card.tags, LEECH_TAG]
        if settings.leech_suspend:
            update["suspended"] = True
    log = ReviewLog(
        card_id=card.id,
        rating=int(rating),
        ts=now,
        duration_ms=max(0, duration_ms),
        state=card.state,
        was_new=card.is_new,
    )
    return card.model_copy(update=update), log


def next_intervals(scheduler: Scheduler, card: Card, now: datetime) -> dict[Grade, timedelta]:
    """What each answer would schedule (shown on the buttons). With fuzz on, the real interval
    may differ by a few percent for long intervals."""
    from fsrs import Rating

    fsrs_card = to_fsrs(card)
    out = {}
    for g in Grade:
        after, _ = scheduler.review_card(fsrs_card, Rating(int(g)), now)
        out[g] = after.due - now
    return out


def describe(interval: timedelta) -> str:
    """An interval the way Anki's buttons show it: <1m, 10m, 3h, 4d, 2.1mo, 1.5y."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86400:
        return f"{seconds / 3600:.0f}h"
    days = seconds / 86400
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
