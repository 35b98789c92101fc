"""Per-study-day focus figures, the daily goal and the streak of days that met it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

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
    rest = {WEEKDAYS.index(d) for d in rest_days}
    count = 0
    day = today if goal_met(days.get(today), goal, unit) else today - timedelta(days=1)
    for _ in range(3660):
        if goal_met(days.get(day), goal, unit):
            count += 1
        elif day.weekday() not in rest:
            break
        day -= timedelta(days=1)
    return count
