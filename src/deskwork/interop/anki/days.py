"""Anki's day numbers (a review card's `due`, an interday learning card's `due`) and deskwork's study
days, both ways. Anki counts days on local DATES, not in 24-hour steps (rslib
scheduler/timing.rs): with the v2 scheduler and `creationOffset` set, day 0 is the date of `crt`
at that offset and day N is the date N days later, from the rollover hour on; without
`creationOffset` (legacy v2) day 0 is crt's date at the current offset; v1 counts 24-hour steps
from crt. Counting 24-hour steps from crt instead put a winter due a day early in a collection
made in summer (an hour of DST is enough to cross midnight)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from deskwork.domain.studyday import day_bounds, study_day


@dataclass(frozen=True)
class Timing:
    """What a collection says about its days: `crt` (seconds), the v2 `rollover` hour (None: the
    v1 scheduler) and `creation_offset`, minutes west of UTC at crt (None: legacy timing)."""

    crt: int
    rollover: int | None = 4
    creation_offset: int | None = None


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return int(value)
    except (OverflowError, ValueError):
        return None


def _config(db: sqlite3.Connection, tables: set[str]) -> dict[str, Any]:
    """The collection's config keys: the `config` table (schema 18) or col.conf's JSON (11)."""
    out: dict[str, Any] = {}
    if "config" in tables:
        keys = ("schedVer", "rollover", "creationOffset")
        rows = db.execute("select key, val from config where key in (?, ?, ?)", keys).fetchall()
        for key, val in rows:
            try:
                out[key] = json.loads(bytes(val).decode() if not isinstance(val, str) else val)
            except (ValueError, UnicodeDecodeError, TypeError):
                continue
        if out:
            return out
    try:
        (conf,) = db.execute("select conf from col").fetchone() or ("",)
        parsed = json.loads(conf) if isinstance(conf, (str, bytes)) and conf else {}
    except (sqlite3.Error, ValueError, UnicodeDecodeError):
        return out
    return parsed if isinstance(parsed, dict) else out


def read_timing(db: sqlite3.Connection, crt: int, tables: set[str]) -> Timing:
    """The collection's timing as Anki reads it: v1 unless `schedVer` is 2 or more; a v2
    collection without `rollover` counts from 4 am; a `creationOffset` Anki would refuse (not a
    whole number, beyond ±23 h) reads as absent."""
    conf = _config(db, tables)
    version = _int_or_none(conf.get("schedVer"))
    if version is None or version < 2:
        return Timing(crt, None, None)
    rollover = _int_or_none(conf.get("rollover"))
    rollover = 4 if rollover is None else min(max(rollover, 0), 23)
    offset = _int_or_none(conf.get("creationOffset"))
    if offset is not None and abs(offset) >= 24 * 60:
        offset = None
    return Timing(crt, rollover, offset)


def _fixed(minutes_west: int) -> timezone:
    return timezone(-timedelta(minutes=minutes_west))


def day_zero(timing: Timing, now: datetime, tz: tzinfo | None = None) -> date:
    """The local date of Anki's day 0: crt's date at `creationOffset` (v2), at the offset `tz`
    has at `now` (legacy v2, as Anki takes its current offset), or at crt's own offset (v1,
    whose crt Anki sets at 4 am local)."""
    crt = datetime.fromtimestamp(timing.crt, UTC)
    if timing.rollover is not None and timing.creation_offset is not None:
        return crt.astimezone(_fixed(timing.creation_offset)).date()
    if timing.rollover is not None:
        offset = now.astimezone(tz).utcoffset() or timedelta(0)
        return crt.astimezone(timezone(offset)).date()
    return crt.astimezone(tz).date()


def minutes_west(moment: datetime, tz: tzinfo | None = None) -> int:
    """Anki's `creationOffset` for `moment`: minutes west of UTC in `tz` (default: local)."""
    offset = moment.astimezone(tz).utcoffset() or timedelta(0)
    return -int(offset.total_seconds()) // 60


_FIRST, _LAST = date(1, 1, 2), date(9999, 12, 29)


@dataclass
class AnkiDays:
    """Day numbers counted from `zero` (Anki's day 0) as study days starting at `start_hour` in
    `tz`: Anki's day N is the study day `zero + N`, due from its start."""

    zero: date
    start_hour: int = 4
    tz: tzinfo | None = None
    _starts: dict[int, datetime] = field(default_factory=dict, repr=False)

    def start(self, number: int) -> datetime:
        """When day `number` begins (cached: a collection's cards share few due days)."""
        got = self._starts.get(number)
        if got is None:
            try:  # a hostile due far out of range stops at the ends of the calendar
                day = self.zero + timedelta(days=number)
            except OverflowError:
                day = date.max if number > 0 else date.min
            day = min(max(day, _FIRST), _LAST)
            got = day_bounds(day, self.start_hour, self.tz)[0].astimezone(UTC)
            self._starts[number] = got
        return got

    def number(self, moment: datetime) -> int:
        """The day number of the study day `moment` falls in."""
        return (study_day(moment, self.start_hour, self.tz) - self.zero).days
