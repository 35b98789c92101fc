"""Insight use-cases: the stats figures, the end-of-day summary and the weekly review draft."""

from __future__ import annotations

import contextlib
import hashlib
import weakref
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from deskwork.domain import insight as di
from deskwork.domain.drafts import Draft
from deskwork.domain.studyday import DayIndex, day_bounds
from deskwork.domain.wording import plural
from deskwork.services.curriculum import program_of, report_of
from deskwork.services.desk import Desk
from deskwork.store.errors import ReadOnlyStore, StoreError
from deskwork.store.logs import month_of


def target_hours(desk: Desk) -> float:
    timer = desk.config.timer
    if timer.goal_unit == "minutes":
        return timer.daily_goal / 60
    return timer.daily_goal * timer.focus_minutes / 60


def gather(desk: Desk, weeks: int = 12) -> di.Insight:
    return gather_job(desk, weeks)()


def gather_job(desk: Desk, weeks: int = 12) -> Callable[[], di.Insight]:
    """Take what the figures need now (cheap: lists of the small tables, the program); the
    returned function computes them (the plan's report too) and may run on a worker thread.
    Answers per day of past months come from a cache, in memory and kept in the store (see
    `_answers_by_day`): a month is counted again only when its entries changed."""
    now = desk.clock()
    today = desk.today()
    start_hour = desk.config.study.day_start_hour
    window_start = day_bounds(today - timedelta(days=weeks * 7 - 1), start_hour)[0]
    since = now - timedelta(days=30)
    sessions = list(desk.store.sessions.values())
    items = list(desk.store.items.values())
    cards = desk.store.cards.all()
    drafts = list(desk.store.drafts.values())
    program = program_of(desk)
    log = desk.store.reviews
    per_month = _MONTH_DAYS.setdefault(log, {})
    saved = desk.store.setting(SAVED_DAYS, {})
    saved = saved if isinstance(saved, dict) else {}
    files = MonthFiles(desk.store)

    def compute() -> di.Insight:
        for _ in range(3):  # a write on the UI thread while this runs on a worker: count again
            with contextlib.suppress(RuntimeError):  # (dictionary changed size during iteration)
                return count()
        return count()

    def count() -> di.Insight:
        report = report_of(program, sessions, items, today)
        by_day, to_save = _answers_by_day(
            log, per_month, window_start, now, start_hour, saved, files
        )
        if to_save:
            _keep(desk.store, saved, to_save)
        first = today - timedelta(days=weeks * 7 - 1)
        return di.compute(
            today=today,
            weeks=weeks,
            start_hour=start_hour,
            sessions=sessions,
            items=items,
            cards=cards,
            reviews=log.between(since, now + timedelta(seconds=1)),
            drafts=drafts,
            report=report,
            target_hours=target_hours(desk),
            now=now,
            reviews_by_day=[by_day.get(first + timedelta(days=n), 0) for n in range(weeks * 7)],
        )

    return compute


# The review log's answers per study day, per month of the log: {log: {(month, start_hour):
# (the month's stamp when counted, {study day: answers})}}.
_MONTH_DAYS: weakref.WeakKeyDictionary[Any, dict[tuple[str, int], tuple[int, dict[date, int]]]] = (
    weakref.WeakKeyDictionary()
)
# The same counts kept in the store across runs, for months whose entries are all in saved files:
# {month: {"files": checksums of its files, "days_of": the study days' bounds, "days": {iso: n}}}.
SAVED_DAYS = "stats.answers_per_day"
SAVED_MONTHS = 36  # the most recent months kept


class MonthFiles:
    """What a month's entries are saved as, for keeping its counts across runs: the checksums of
    its files (content, not names), or None while it has entries only in memory."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def key(self, log: Any, month: str) -> str | None:
        names = log.saved(month)
        sums = self.store.manifest.sums  # one manifest: a compaction replaces it whole
        if not names or sums is None:
            return None
        found = [sums.get(name) for name in names]
        return ",".join(s.b2 for s in found if s is not None) if all(found) else None


def _days_of(index: DayIndex, start_hour: int) -> str:
    """The study days' bounds a month was counted with (the start hour, the local zone's
    offsets and their changes): counts made with other bounds are not reused."""
    bounds = "|".join(t.isoformat() for t in index.starts)
    return hashlib.blake2b(f"{start_hour}|{bounds}".encode(), digest_size=12).hexdigest()


def _answers_by_day(
    log: Any,
    cache: dict[tuple[str, int], tuple[int, dict[date, int]]],
    start: datetime,
    now: datetime,
    start_hour: int,
    saved: dict[str, Any] | None = None,
    files: MonthFiles | None = None,
) -> tuple[dict[date, int], dict[str, Any]]:
    """Answers per study day from `start` to `now`, month by month of the log; a month is counted
    again only when its entries changed (a grade, an undo, an import: the log's stamp). A month
    kept in `saved` under the checksums of the files that now hold all its entries is not read
    at all. Returns the counts, and the months to keep in `saved` (counted now, all in files)."""
    total: dict[date, int] = {}
    to_save: dict[str, Any] = {}
    first, last = month_of(start.astimezone(UTC)), month_of(now.astimezone(UTC))  # as stored
    for month in log.months():
        if not first <= month <= last:
            continue
        known = cache.get((month, start_hour))
        stamp = log.stamp(month)  # changes with the month's entries: no load to find out
        if known is None or known[0] != stamp:
            # The study days this month's entries can fall in (a day either side: time zones).
            first_day = date(int(month[:4]), int(month[5:]), 1) - timedelta(days=2)
            index = DayIndex(first_day, 35, start_hour)
            days_of = _days_of(index, start_hour)
            key = files.key(log, month) if files is not None else None
            kept = (saved or {}).get(month)
            if key is not None and isinstance(kept, dict) and kept.get("files") == key:
                days = _kept_days(kept, days_of)
            else:
                days = None
            if days is None:
                counts = [0] * 36
                for entry in list(log.month(month).values()):
                    if not entry.manual:  # a rescheduling by hand is not an answer
                        counts[max(0, index.index(entry.ts))] += 1
                days = {first_day + timedelta(days=n): c for n, c in enumerate(counts) if c}
                if key is not None and files is not None and files.key(log, month) == key:
                    to_save[month] = {
                        "files": key,
                        "days_of": days_of,
                        "days": {d.isoformat(): n for d, n in days.items()},
                    }
            known = (stamp, days)
            cache[(month, start_hour)] = known
        for day, n in known[1].items():
            total[day] = total.get(day, 0) + n
    return total, to_save


def _kept_days(kept: dict[str, Any], days_of: str) -> dict[date, int] | None:
    """A month's kept counts, if counted with these study days' bounds and well formed."""
    if kept.get("days_of") != days_of or not isinstance(kept.get("days"), dict):
        return None
    try:
        return {date.fromisoformat(d): int(n) for d, n in kept["days"].items()}
    except (TypeError, ValueError):
        return None  # not as written: count again


def _keep(store: Any, saved: dict[str, Any], to_save: dict[str, Any]) -> None:
    """The newly counted months into the store's setting (the most recent SAVED_MONTHS). A
    read-only store (another instance writes) or a failed write keeps nothing: a cache."""
    merged = {**saved, **to_save}
    merged = dict(sorted(merged.items())[-SAVED_MONTHS:])
    with contextlib.suppress(ReadOnlyStore, StoreError):
        store.set_setting(SAVED_DAYS, merged)


def day_end(desk: Desk) -> di.DayEnd:
    day = desk.today()
    start, end = day_bounds(day, desk.config.study.day_start_hour)
    return di.day_end(
        day=day,
        start_hour=desk.config.study.day_start_hour,
        sessions=desk.store.sessions.values(),
        items=desk.store.items.values(),
        reviews_today=desk.store.reviews.between(start, end),
        cards=desk.store.cards.all(),
        drafts=desk.store.drafts.values(),
    )


def day_end_text(summary: di.DayEnd) -> str:
    lines = [
        f"{summary.day:%A %d %B}: {plural(summary.pomodoros, 'pomodoro')}, {plural(round(summary.focus_minutes), 'minute')} of focus",
        *(f"  {minutes:4.0f} min  {title}" for title, minutes in summary.minutes_by_item.items()),
        f"Flashcards: {plural(summary.reviews, 'answer')} today; {summary.cards_due_tomorrow} due tomorrow",
    ]
    if summary.drafts_touched:
        lines.append("Drafts worked on: " + ", ".join(summary.drafts_touched))
    if summary.suggested:
        lines.append("Tomorrow's queue could be:")
        lines += [f"  {n}. {item.title}" for n, item in enumerate(summary.suggested, 1)]
    return "\n".join(lines)


def weekly_draft(desk: Desk) -> Draft:
    """A new draft: the review of the last 7 days, as Markdown, titled "Week N of …"."""
    from deskwork.services.drafts import DraftService

    figures = gather(desk, weeks=2)
    week = di.week_number(program_of(desk).start, desk.today())  # the program alone: no re-scan
    title, body = di.weekly_review(figures, week)
    return DraftService(desk).create(title, body)
