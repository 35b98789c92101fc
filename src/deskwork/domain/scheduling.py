"""Spaced repetition as Anki schedules it with FSRS: grading a card, the next interval for each
answer, leeches.

The memory model (stability, difficulty) is the `fsrs` package's FSRS-6, with the preset's
parameters. What Anki adds on top is done here, following Anki's scheduler (rslib/src/scheduler/
states): days elapsed counted in study days, learning and relearning steps (the Hard delay of the
first step, delays over a day rounded to days), a graduating Easy at least a day past Good, review
intervals that keep Hard < Good < Easy and do not let fuzz shrink an interval, the maximum
interval, and Anki's fuzz. The clock is a parameter; nothing here does I/O.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.studyday import days_before  # not decklimits: the presets come with it

if TYPE_CHECKING:  # fsrs loads when the first card is scheduled, not at start-up
    from fsrs import Card as FsrsCard
    from fsrs import Scheduler

LEECH_TAG = "leech"
DAY_S = 86400


class Grade(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class SchedulerSettings(NamedTuple):
    """What the scheduler works with, from a deck's preset.
    A NamedTuple, not a frozen dataclass: the class is made at every start, and a
    dataclass's generated methods cost ~0.5 ms to compile (README, "Where a start goes")."""

    desired_retention: float = 0.90
    learning_steps_minutes: tuple[float, ...] = (1, 10)
    relearning_steps_minutes: tuple[float, ...] = (10,)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    leech_lapses: int = 8
    leech_suspend: bool = False
    parameters: tuple[float, ...] | None = None  # 21 FSRS-6 parameters; None = the defaults

    def scheduler(self) -> Scheduler:
        """The fsrs model for the memory states (steps and intervals are worked out here)."""
        from fsrs import Scheduler

        if self.parameters is None:
            return Scheduler(desired_retention=self.desired_retention, enable_fuzzing=False)
        return Scheduler(
            parameters=self.parameters,
            desired_retention=self.desired_retention,
            enable_fuzzing=False,
        )

    @property
    def short_term_allowed(self) -> bool:
        """Anki schedules same-day intervals without steps only when w17 and w18 are positive."""
        p = self.parameters
        return p is None or (p[17] > 0 and p[18] > 0)


class Balance(Protocol):
    """Anki's load balancer as the scheduler sees it (`loadbalance.Balancer`): the day inside the
    fuzz range for `interval` given the draw `u`, or None to leave it to plain fuzz."""

    def __call__(self, interval: float, minimum: int, maximum: int, u: float) -> int | None: ...


class Outcome(NamedTuple):
    """What one answer does to a card."""

    state: CardState
    step: int | None
    due_in: timedelta
    stability: float
    difficulty: float


# ---------------------------------------------------------------------- Anki's rounding and fuzz
def _round(x: float) -> int:
    """Rust's `f32::round`: halves away from zero."""
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def _fuzz_delta(interval: float) -> float:
    if interval < 2.5:
        return 0.0
    delta = 1.0
    for start, end, factor in ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05)):
        delta += factor * max(min(interval, end) - start, 0.0)
    return delta


def _fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = _fuzz_delta(interval)
    lower = min(max(_round(interval - delta), minimum), maximum)
    upper = min(max(_round(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def with_fuzz(fuzz: float | None, interval: float, minimum: int, maximum: int) -> int:
    """Anki's `with_review_fuzz`: unfuzzed, the rounded interval within the bounds."""
    if fuzz is None:
        return min(max(_round(interval), minimum), maximum)
    lower, upper = _fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + fuzz * (1 + upper - lower))


def _min_fuzz_interval(interval: float, previous: int, maximum: int) -> int:
    """Anki: fuzz may not shrink an interval that grew."""
    _, upper = _fuzz_bounds(interval, 1, maximum)
    if _round(interval) > previous:
        return previous + 1
    return previous if previous <= upper else 0


# ---------------------------------------------------------------------- steps
def _secs(minutes: float) -> int:
    return int(minutes * 60)


def _round_in_days(secs: int) -> int:
    return _round(secs / DAY_S) * DAY_S if secs > DAY_S else secs


def _hard_delay(steps: tuple[float, ...], index: int) -> int:
    current = _secs(steps[index])
    if index > 0:
        return current
    if len(steps) > 1:
        return _round_in_days((current + _secs(steps[1])) // 2)
    return _round_in_days(min(current * 3 // 2, current + DAY_S))


# ---------------------------------------------------------------------- the four answers
def days_elapsed(card: Card, now: datetime, day_end: datetime | None) -> int:
    """Study days since the last review, as Anki counts them (from the end of today)."""
    if card.last_review is None:
        return 0
    end = day_end or now
    return max(0, int((end - card.last_review).total_seconds() // DAY_S))


def scheduled_days(card: Card, day_end: datetime) -> int:
    """The card's current interval in days (Anki's `ivl`): from its last review's study day to
    its due day."""
    if card.last_review is None:
        return 0
    return max(0, days_before(day_end, card.last_review) - days_before(day_end, card.due))


def to_fsrs(card: Card, elapsed: int | None = None, now: datetime | None = None) -> FsrsCard:
    from fsrs import Card as FsrsCard
    from fsrs import State

    last = card.last_review
    if elapsed is not None and now is not None and last is not None:
        last = now - timedelta(days=elapsed)  # fsrs counts whole 24 h; Anki counts study days
    state = State(int(card.state))
    return FsrsCard(
        card_id=card.id or 1,
        state=state,
        step=card.step if card.step is not None or state is State.Review else 0,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=last,
    )


def outcomes(
    scheduler: Scheduler,
    settings: SchedulerSettings,
    card: Card,
    now: datetime,
    day_end: datetime | None = None,
    fuzz: float | None = None,
    balance: Balance | None = None,
) -> dict[Grade, Outcome]:
    """Every answer's result, by Anki's rules (`fuzz` in [0, 1) or None for none). With fuzz,
    `balance` (Anki's load balancer) picks the day inside each fuzz range."""
    from fsrs import Rating

    elapsed = days_elapsed(card, now, day_end)
    fsrs_card = to_fsrs(card, elapsed, now)
    memory: dict[Grade, tuple[float, float]] = {}
    for g in Grade:
        after, _ = scheduler.review_card(fsrs_card, Rating(int(g)), now)
        memory[g] = (float(after.stability or 0.0), float(after.difficulty or 0.0))
    decay = -scheduler.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    scale = (settings.desired_retention ** (1 / decay) - 1) / factor
    ivl = {g: memory[g][0] * scale for g in Grade}
    maximum = max(1, settings.maximum_interval_days)

    def fuzzed(interval: float, minimum: int, maximum: int) -> int:
        """Anki's `StateContext::with_review_fuzz`: the load balancer's day, else plain fuzz."""
        if fuzz is not None and balance is not None:
            found = balance(interval, minimum, maximum, fuzz)
            if found is not None:
                return found
        return with_fuzz(fuzz, interval, minimum, maximum)

    def review(g: Grade, days: int) -> Outcome:
        return Outcome(CardState.REVIEW, None, timedelta(days=days), *memory[g])

    def stay(g: Grade, state: CardState, step: int, secs: int) -> Outcome:
        return Outcome(state, step, timedelta(seconds=secs), *memory[g])

    def leave_steps(g: Grade, state: CardState, step: int, steps: tuple[float, ...]) -> Outcome:
        """No step left: a review, or a same-day interval where Anki allows one."""
        if settings.short_term_allowed and not steps and ivl[g] < 0.5:
            return stay(g, state, step, int(ivl[g] * DAY_S))
        return review(g, fuzzed(max(_round(ivl[g]), 1), 1, maximum))

    if card.state is CardState.REVIEW:
        steps = settings.relearning_steps_minutes
        out = {
            Grade.AGAIN: stay(Grade.AGAIN, CardState.RELEARNING, 0, _secs(steps[0]))
            if steps
            else leave_steps(Grade.AGAIN, CardState.RELEARNING, 0, steps)
        }
        previous = scheduled_days(card, day_end or now)
        floor = 0
        for g in (Grade.HARD, Grade.GOOD, Grade.EASY):
            least = max(_min_fuzz_interval(ivl[g], previous, maximum), floor + 1, 1)
            days = fuzzed(ivl[g], min(max(least, 1), maximum), maximum)
            out[g] = review(g, days)
            floor = days
        return out

    state = card.state
    steps = (
        settings.relearning_steps_minutes
        if state is CardState.RELEARNING
        else settings.learning_steps_minutes
    )
    index = min(card.step or 0, len(steps) - 1) if steps else 0
    out = {}
    out[Grade.AGAIN] = (
        stay(Grade.AGAIN, state, 0, _secs(steps[0]))
        if steps
        else leave_steps(Grade.AGAIN, state, 0, steps)
    )
    out[Grade.HARD] = (
        stay(Grade.HARD, state, index, _hard_delay(steps, index))
        if steps
        else leave_steps(Grade.HARD, state, index, steps)
    )
    out[Grade.GOOD] = (
        stay(Grade.GOOD, state, index + 1, _secs(steps[index + 1]))
        if index + 1 < len(steps)
        else leave_steps(Grade.GOOD, state, index, steps)
    )
    good = fuzzed(ivl[Grade.GOOD], 1, maximum)
    easy = fuzzed(max(_round(ivl[Grade.EASY]), 1), min(good + 1, maximum), maximum)
    out[Grade.EASY] = review(Grade.EASY, easy)
    return out


def leech(lapses: int, threshold: int) -> bool:
    """Anki's rule: at the threshold, then every half-threshold lapses after it."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(threshold // 2, 1) == 0


def grade(
    scheduler: Scheduler,
    settings: SchedulerSettings,
    card: Card,
    rating: Grade,
    now: datetime,
    duration_ms: int = 0,
    day_end: datetime | None = None,
    balance: Balance | None = None,
) -> tuple[Card, ReviewLog]:
    """The card after the answer and the log entry for it (`balance`: Anki's load balancer)."""
    fuzz = random.random() if settings.fuzz else None
    result = outcomes(scheduler, settings, card, now, day_end, fuzz, balance)[rating]
    lapsed = card.state is CardState.REVIEW and rating is Grade.AGAIN
    lapses = card.lapses + (1 if lapsed else 0)
    update: dict[str, object] = {
        "state": result.state,
        "step": result.step,
        "stability": result.stability,
        "difficulty": result.difficulty,
        "due": now + result.due_in,
        "last_review": now,
        "reps": card.reps + 1,
        "lapses": lapses,
    }
    if lapsed and leech(lapses, settings.leech_lapses):
        if LEECH_TAG not in card.tags:
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


def next_intervals(
    scheduler: Scheduler,
    card: Card,
    now: datetime,
    settings: SchedulerSettings | None = None,
    day_end: datetime | None = None,
) -> dict[Grade, timedelta]:
    """What each answer would schedule (shown on the buttons), without fuzz."""
    results = outcomes(scheduler, settings or SchedulerSettings(), card, now, day_end)
    return {g: results[g].due_in for g in Grade}


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
