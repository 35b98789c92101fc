"""Daily goal and streak arithmetic on hand-made histories, and the desk's reading of them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain.daystats import (
    DayFocus,
    _walk_streak,
    focus_by_day,
    goal_met,
    recent_focus_and_streak,
    streak,
)
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


# ---------------------------------------------------------------------- the desk's reading
# `recent_focus_and_streak` reads only the sessions of the days the streak looks at; its figures
# must be exactly what reading every session gives, in zones with DST changes at the study day's
# start hour too.
ZONES = ("UTC", "America/New_York", "Australia/Lord_Howe", "Europe/London", "Pacific/Apia")


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start_hour=st.integers(0, 6),
    today=st.dates(date(2011, 12, 1), date(2027, 4, 1)),
    # minutes before `today`'s noon (UTC), clustered so that streaks of many days happen
    ages=st.lists(
        st.one_of(st.integers(0, 60 * 24 * 40), st.integers(0, 60 * 24 * 400)), max_size=120
    ),
    dense_days=st.integers(0, 60),
    goal=st.sampled_from([0, 1, 2, 50]),
    unit=st.sampled_from(["pomodoros", "minutes"]),
    rest=st.sampled_from([(), ("sat", "sun"), ("wed",)]),
    breaks=st.lists(st.booleans(), max_size=120),
)
def test_recent_focus_and_streak_is_the_full_readings(
    zone: str,
    start_hour: int,
    today: date,
    ages: list[int],
    dense_days: int,
    goal: float,
    unit: str,
    rest: tuple[str, ...],
    breaks: list[bool],
) -> None:
    tz = ZoneInfo(zone)
    noon = datetime.combine(today, time(12), UTC)
    starts = [noon - timedelta(minutes=m) for m in ages]
    # an unbroken run of days with two pomodoros each, at hours around the start hour
    starts += [
        noon - timedelta(days=n, hours=8 + n % 11, minutes=n % 7) for n in range(dense_days)
    ] * 2
    sessions = [
        focus(t, completed=not (i < len(breaks) and breaks[i])) for i, t in enumerate(starts)
    ]
    sessions.append(
        Session(  # a break counts for nothing
            kind=SessionKind.SHORT_BREAK,
            start=noon,
            end=noon + timedelta(minutes=5),
            planned_s=300,
            actual_s=300,
            completed=True,
        )
    )
    full = focus_by_day(sessions, start_hour, tz)
    expected = streak(full, today, goal, unit, rest)
    days, got = recent_focus_and_streak(sessions, today, start_hour, goal, unit, rest, tz)
    assert got == expected
    # every day the streak looked at (today back to the day that broke it) is complete
    earliest = _walk_streak(full, today, goal, unit, rest)[1]
    day = today
    while day >= earliest:
        assert days.get(day) == full.get(day), day
        day -= timedelta(days=1)


def test_recent_focus_and_streak_stops_reading_at_the_streaks_end() -> None:
    """A year of sessions and a three-day streak: the old days are never converted."""
    today = date(2026, 11, 21)
    noon = datetime(2026, 11, 21, 12, tzinfo=UTC)
    sessions = [focus(noon - timedelta(days=n)) for n in range(3)]
    sessions += [focus(noon - timedelta(days=n)) for n in range(30, 400)]
    days, count = recent_focus_and_streak(sessions, today, 4, 1, "pomodoros", (), UTC)
    assert count == 3
    assert min(days) >= today - timedelta(days=40)  # the year before was not read
    assert days[today].pomodoros == 1
