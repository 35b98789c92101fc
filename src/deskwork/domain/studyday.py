"""The "study day": a local calendar day that starts at a configurable hour (default 04:00), so a
session at 01:30 still counts for the evening before. Store UTC, compute days in local time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def study_day(moment: datetime, start_hour: int, tz: tzinfo | None = None) -> date:
    """The study day `moment` (aware) belongs to, in `tz` (default: the machine's local zone)."""
    local = moment.astimezone(tz)
    return (local - timedelta(hours=start_hour)).date()


def day_bounds(day: date, start_hour: int, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a study day as aware datetimes (each end computed on its own: DST-safe)."""

    def at(d: date) -> datetime:
        naive = datetime.combine(d, time(hour=start_hour))
        return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()

    return at(day), at(day + timedelta(days=1))
