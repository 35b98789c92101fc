"""Per-study-day focus figures, the daily goal and the streak of days that met it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from operator import attrgetter

from deskwork.domain.sessions import Session, SessionKind
from deskwork.domain.studyday import study_day

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class DayFocus:
    pomodoros: int = 0  # completed focus sessions
    focus_s: float = 0.0  # every focused second, completed or not

    @property
    def focus_minutes(self) -> float:
        return self.focus_s / 60


def focus_by_day(
    sessions: Iterable[Session], start_hour: int, tz: tzinfo | None = None
) -> dict[date, DayFocus]:
    days: dict[date, DayFocus] = {}
    for s in sessions:
        if s.kind is not SessionKind.FOCUS:
            continue
        day = days.setdefault(study_day(s.start, start_hour, tz), DayFocus())
        day.focus_s += s.actual_s
        day.pomodoros += int(s.completed)
    return days


def goal_met(day: DayFocus | None, goal: float, unit: str) -> bool:
    if day is None:
        return False
    if goal <= 0:
        return day.pomodoros > 0 or day.focus_s > 0
    value = day.pomodoros if unit == "pomodoros" else day.focus_minutes
    return value >= goal


def streak(
    days: dict[date, DayFocus],
    today: date,
    goal: float,
    unit: str,
    rest_days: Iterable[str] = (),
) -> int:
    """Consecutive study days meeting the goal, ending today (or yesterday while today is still
    open). Rest days (e.g. weekends off) neither break a streak nor count unless the goal was met."""
    return _walk_streak(days, today, goal, unit, rest_days)[0]


def _walk_streak(
    days: dict[date, DayFocus], today: date, goal: float, unit: str, rest_days: Iterable[str]
) -> tuple[int, date]:
    """(the streak, the earliest day it looked at)."""
    rest = {WEEKDAYS.index(d) for d in rest_days}
    count = 0
    day = today if goal_met(days.get(today), goal, unit) else today - timedelta(days=1)
    for _ in range(3660):
        if goal_met(days.get(day), goal, unit):
            count += 1
        elif day.weekday() not in rest:
            break
        day -= timedelta(days=1)
    return count, min(day, today)


# A session's study day is its local time's date: a later moment's is never earlier by more than
# a backward jump of the local clock (a DST change, a zone's new offset: hours, never a day).
_CLOCK_JUMP = timedelta(days=1)


def recent_focus_and_streak(
    sessions: Sequence[Session],
    today: date,
    start_hour: int,
    goal: float,
    unit: str,
    rest_days: Iterable[str] = (),
    tz: tzinfo | None = None,
) -> tuple[dict[date, DayFocus], int]:
    """`focus_by_day` and `streak` as the desk shows them (today's figures, the streak), reading
    only the sessions of the days the streak looks at, newest first: a year of sessions is not
    converted to local days at every start. The figures of every day from the streak's earliest
    to today are exactly `focus_by_day`'s (a day is complete once a session more than a clock
    jump older has been read); older days are left out or partial."""
    newest_first = sorted(
        (s for s in sessions if s.kind is SessionKind.FOCUS), key=attrgetter("start"), reverse=True
    )
    days: dict[date, DayFocus] = {}
    read = 0
    oldest = today  # the study day of the last session read
    horizon = today - timedelta(days=7)
    while True:
        while read < len(newest_first) and oldest >= horizon:
            s = newest_first[read]
            oldest = study_day(s.start, start_hour, tz)
            day = days.setdefault(oldest, DayFocus())
            day.focus_s += s.actual_s
            day.pomodoros += int(s.completed)
            read += 1
        count, earliest = _walk_streak(days, today, goal, unit, rest_days)
        if read == len(newest_first) or earliest > oldest + _CLOCK_JUMP:
            return days, count
        # the streak reached days not read to the end: read on, twice as far back
        horizon = earliest - max(timedelta(days=2), today - earliest)
