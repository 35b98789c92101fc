"""The review log as the stats screen needs it: per study day, five counts (`Tally`) from which
the answers per day and the 30 days' true retention follow. Pure and additive: the counts of a
month are the sum of its days', so past months can be counted once and kept (services/insight).

The 30 days are study days, today and the 29 before (as Anki's True Retention table counts its
"month": whole days back from the next day's start), so they are a sum of whole days' counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from deskwork.domain.cards import CardState, ReviewLog
from deskwork.domain.studyday import DayIndex, study_day

RETENTION_DAYS = 30
# A day's counts, in this order (a list in memory, kept as one in the store):
ANSWERS = 0  # answers given (a rescheduling by hand is not one): the answers-per-day sparkline
ENTRIES = 1  # every entry of the log, by hand too
REVIEW = 2  # entries on cards in review
GRADED = 3  # answers on cards in review: what true retention is made of
PASSED = 4  # of those, the ones not Again
WIDTH = 5
Tally = list[int]


def add(tally: Tally, log: ReviewLog) -> None:
    tally[ENTRIES] += 1
    manual = log.manual
    if not manual:
        tally[ANSWERS] += 1
    if log.state is CardState.REVIEW:
        tally[REVIEW] += 1
        if not manual:
            tally[GRADED] += 1
            tally[PASSED] += log.rating > 1


def by_day(
    logs: Iterable[ReviewLog], start_hour: int, tz: tzinfo | None = None
) -> dict[date, Tally]:
    """Every entry's study day found on its own (the count from scratch)."""
    days: dict[date, Tally] = {}
    for log in logs:
        day = study_day(log.ts, start_hour, tz)
        tally = days.get(day)
        if tally is None:
            tally = days[day] = [0] * WIDTH
        add(tally, log)
    return days


def by_day_indexed(logs: Iterable[ReviewLog], first: date, index: DayIndex) -> dict[date, Tally]:
    """The same, for entries known to fall within `index`'s days from `first` (a month of the
    log, with days either side): a bisection per entry instead of a time-zone conversion."""
    counts = [[0] * WIDTH for _ in range(index.days + 1)]
    for log in logs:
        add(counts[max(0, index.index(log.ts))], log)
    return {first + timedelta(days=n): c for n, c in enumerate(counts) if c[ENTRIES]}


def merge(into: dict[date, Tally], days: Mapping[date, Sequence[int]]) -> None:
    for day, tally in days.items():
        mine = into.get(day)
        if mine is None:
            into[day] = list(tally)
        else:
            for n in range(WIDTH):
                mine[n] += tally[n]


@dataclass
class Window:
    """What the stats show of the log: answers per day of the window, the 30 days' counts."""

    answers_by_day: list[int]  # oldest first
    entries_30d: int
    review_30d: int
    graded_30d: int
    passed_30d: int

    @property
    def retention_30d(self) -> float | None:
        return self.passed_30d / self.graded_30d if self.graded_30d else None


def window(days: Mapping[date, Sequence[int]], today: date, length: int) -> Window:
    first = today - timedelta(days=length - 1)
    since = today - timedelta(days=RETENTION_DAYS - 1)
    answers = []
    for n in range(length):
        tally = days.get(first + timedelta(days=n))
        answers.append(tally[ANSWERS] if tally else 0)
    recent = [0] * WIDTH
    for n in range(RETENTION_DAYS):
        tally = days.get(since + timedelta(days=n))
        if tally:
            for k in range(WIDTH):
                recent[k] += tally[k]
    return Window(answers, recent[ENTRIES], recent[REVIEW], recent[GRADED], recent[PASSED])


def first_day(today: date, length: int) -> date:
    """The first study day the stats need counted: the window's or the 30 days', the earlier."""
    return today - timedelta(days=max(length, RETENTION_DAYS) - 1)
