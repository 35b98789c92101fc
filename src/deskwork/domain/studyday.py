"""The "study day": a local calendar day that starts at a configurable hour (default 04:00), so a
session at 01:30 still counts for the evening before. Store UTC, compute days in local time."""

from __future__ import annotations

import math
from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta, tzinfo


def study_day(moment: datetime, start_hour: int, tz: tzinfo | None = None) -> date:
    """The study day `moment` (aware) belongs to, in `tz` (default: the machine's local zone)."""
    local = moment.astimezone(tz)
    return (local - timedelta(hours=start_hour)).date()


def days_before(day_end: datetime, moment: datetime) -> int:
    """Which study day `moment` falls in, counted back from today (0), the day ending at
    `day_end` and each starting at its first instant: 1 yesterday, negative after today."""
    return math.ceil((day_end - moment).total_seconds() / 86400) - 1


def day_bounds(day: date, start_hour: int, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a study day as aware datetimes (each end computed on its own: DST-safe)."""

    def at(d: date) -> datetime:
        naive = datetime.combine(d, time(hour=start_hour))
        return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()

    return at(day), at(day + timedelta(days=1))


class DayIndex:
    """Which of `days` consecutive study days from `first` a moment falls in, by bisecting the
    days' start times (hundreds of thousands of log entries: no time-zone conversion each)."""

    def __init__(self, first: date, days: int, start_hour: int, tz: tzinfo | None = None) -> None:
        self.days = days
        # In UTC, like stored times: comparing datetimes that share a tzinfo skips offset lookups.
        self.starts = [
            day_bounds(first + timedelta(days=n), start_hour, tz)[0].astimezone(UTC)
            for n in range(days + 1)
        ]

    def index(self, moment: datetime) -> int:
        """-1 before the first day, `days` after the last, else the day's offset."""
        return min(bisect_right(self.starts, moment) - 1, self.days)
