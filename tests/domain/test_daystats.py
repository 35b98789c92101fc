"""Daily goal and streak arithmetic on hand-made histories."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from deskwork.domain.daystats import DayFocus, focus_by_day, goal_met, streak
from deskwork.domain.sessions import Session, SessionKind
from deskwork.domain.studyday import day_bounds, study_day


def focus(start: datetime, minutes: float = 25, completed: bool = True) -> Session:
    return Session(
        kind=SessionKind.FOCUS,
        start=start,
        end=start + timedelta(minutes=minutes),
        planned_s=1500,
        actual_s=minutes * 60,
        completed=completed,
    )


def test_study_day_starts_at_the_configured_hour() -> None:
    assert study_day(datetime(2026, 11, 21, 3, 59, tzinfo=UTC), 4, UTC) == date(2026, 11, 20)
    assert study_day(datetime(2026, 11, 21, 4, 0, tzinfo=UTC), 4, UTC) == date(2026, 11, 21)
    start, end = day_bounds(date(2026, 11, 21), 4, UTC)
    assert (start.hour, end - start) == (4, timedelta(days=1))


def test_focus_by_day_counts_completed_pomodoros_and_all_minutes() -> None:
    t = datetime(2026, 11, 21, 9, tzinfo=UTC)
    days = focus_by_day(
        [focus(t), focus(t + timedelta(hours=1), 10, completed=False), focus(t.replace(hour=2))],
        start_hour=4,
        tz=UTC,
    )
    assert days[date(2026, 11, 21)].pomodoros == 1
    assert days[date(2026, 11, 21)].focus_minutes == 35
    assert days[date(2026, 11, 20)].pomodoros == 1, "02:00 belongs to the evening before"


def test_goal_in_pomodoros_or_minutes() -> None:
    day = DayFocus(pomodoros=3, focus_s=80 * 60)
    assert goal_met(day, 3, "pomodoros") and not goal_met(day, 4, "pomodoros")
    assert goal_met(day, 80, "minutes") and not goal_met(day, 81, "minutes")
    assert not goal_met(None, 1, "pomodoros")


def test_streak_counts_back_and_skips_rest_days() -> None:
    # Mon 16 .. Sun 22 November 2026
    met = DayFocus(pomodoros=8)
    days = {date(2026, 11, d): met for d in (12, 13, 16, 17, 18, 19, 20)}
    friday = date(2026, 11, 20)
    assert streak(days, friday, 8, "pomodoros") == 5
    sunday = date(2026, 11, 22)
    assert streak(days, sunday, 8, "pomodoros") == 0, "the weekend broke it"
    weekends_off = ["sat", "sun"]
    assert streak(days, sunday, 8, "pomodoros", rest_days=weekends_off) == 7, "12-13, 16-20"
    days[date(2026, 11, 22)] = DayFocus(pomodoros=2)
    assert streak(days, sunday, 8, "pomodoros", rest_days=weekends_off) == 7, "today still open"
    days[date(2026, 11, 22)] = met
    assert streak(days, sunday, 8, "pomodoros", rest_days=weekends_off) == 8
