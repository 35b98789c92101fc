"""Insight use-cases: the stats figures, the end-of-day summary and the weekly review draft."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import weakref
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from deskwork.domain import answer_days as ad
from deskwork.domain import insight as di
from deskwork.domain.drafts import Draft
from deskwork.domain.studyday import DayIndex, day_bounds
from deskwork.domain.wording import figure, plural, whole_parts
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
    The review log's counts per study day come from a cache per month, in memory and kept in
    the store (see `answer_days`): a month is read only when its entries changed."""
    now = desk.clock()
    today = desk.today()
    start_hour = desk.config.study.day_start_hour
    sessions = list(desk.store.sessions.values())
    items = list(desk.store.items.values())
    cards = desk.store.cards.all()
    drafts = list(desk.store.drafts.values())
    program = program_of(desk)
    count_days = days_job(desk, weeks)

    def compute() -> di.Insight:
        for _ in range(3):  # a write on the UI thread while this runs on a worker: count again
            with contextlib.suppress(RuntimeError):  # (dictionary changed size during iteration)
                return count()
        return count()

    def count() -> di.Insight:
        report = report_of(program, sessions, items, today)
        return di.compute(
            today=today,
            weeks=weeks,
            start_hour=start_hour,
            sessions=sessions,
            items=items,
            cards=cards,
            drafts=drafts,
            report=report,
            target_hours=target_hours(desk),
            now=now,
            answer_days=count_days(),
        )

    return compute


def days_job(desk: Desk, weeks: int = 12) -> Callable[[], dict[date, ad.Tally]]:
    """The review log's counts per study day that the stats of `weeks` need (the window and the
    30 days), as a function to run on a worker. Also what the app runs ahead, once started (see
    `count_ahead`), so that the stats' first opening finds them counted."""
    now = desk.clock()
    start_hour = desk.config.study.day_start_hour
    start = day_bounds(ad.first_day(desk.today(), weeks * 7), start_hour)[0]
    log = desk.store.reviews
    files = MonthFiles(desk.store)

    def count() -> dict[date, ad.Tally]:
        with _COUNTING:  # one count at a time: a second finds the first one's months counted
            saved = desk.store.setting(SAVED_DAYS, {})
            saved = saved if isinstance(saved, dict) else {}
            per_month = _MONTH_DAYS.setdefault(log, {})
            days, to_save = answer_days(log, per_month, start, now, start_hour, saved, files)
        if to_save:  # written (and synced) with the count released: a waiting screen goes on
            _keep(desk.store, to_save)
        return days

    return count


def count_ahead(desk: Desk, weeks: int = 12) -> bool:
    """Count (or take from the store) the months the stats screen will need, before it opens
    (the app runs it on a worker once started, and after an import that brought history). Only
    a head start: whatever fails here is left to the screen's own count, which reports it."""
    try:
        days_job(desk, weeks)()
    except Exception:
        return False
    return True


# The review log's counts per study day, per month of the log: {log: {month: (the month's stamp
# when counted, the study days' bounds, {study day: counts})}}.
_MONTH_DAYS: weakref.WeakKeyDictionary[Any, dict[str, tuple[int, str, dict[date, ad.Tally]]]] = (
    weakref.WeakKeyDictionary()
)
_COUNTING = threading.Lock()
_KEEPING = threading.Lock()
# The same counts kept in the store across runs, for months whose entries are all in saved files:
# {month: {"files": checksums of its files, "days_of": the study days' bounds,
#          "days": {iso day: [the five counts of answer_days.Tally]}}}.
SAVED_DAYS = "stats.answer_days"
OLD_SAVED_DAYS = "stats.answers_per_day"  # answers only (before retention was counted per day)
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


def answer_days(
    log: Any,
    cache: dict[str, tuple[int, str, dict[date, ad.Tally]]],
    start: datetime,
    now: datetime,
    start_hour: int,
    saved: dict[str, Any] | None = None,
    files: MonthFiles | None = None,
) -> tuple[dict[date, ad.Tally], dict[str, Any]]:
    """The counts per study day of the log's entries from `start` to `now` (whole months: the
    caller takes the days it shows), month by month of the log; a month is counted again only
    when its entries changed (a grade, an undo, an import: the log's stamp) or the study days'
    bounds did. A month kept in `saved` under the checksums of the files that now hold all its
    entries is not read at all. Returns the counts (new lists: the caller's to change), and the
    months to keep in `saved` (counted now, all in files)."""
    total: dict[date, ad.Tally] = {}
    to_save: dict[str, Any] = {}
    first, last = month_of(start.astimezone(UTC)), month_of(now.astimezone(UTC))  # as stored
    for month in log.months():
        if not first <= month <= last:
            continue
        # The study days this month's entries can fall in (days either side: time zones).
        first_day = date(int(month[:4]), int(month[5:]), 1) - timedelta(days=2)
        index = DayIndex(first_day, 35, start_hour)
        days_of = _days_of(index, start_hour)
        known = cache.get(month)
        stamp = log.stamp(month)  # changes with the month's entries: no load to find out
        if known is None or known[:2] != (stamp, days_of):
            key = files.key(log, month) if files is not None else None
            kept = (saved or {}).get(month)
            if key is not None and isinstance(kept, dict) and kept.get("files") == key:
                days = _kept_days(kept, days_of)
            else:
                days = None
            if days is None:
                # A past month is read for this count only (not kept in memory for it); the
                # current one stays, as grades change it: counted again from memory then.
                entries = list(log.month(month, resident=month == last).values())
                days = ad.by_day_indexed(entries, first_day, index)
                if key is not None and files is not None and files.key(log, month) == key:
                    to_save[month] = _kept_form(key, days_of, days)
            known = (stamp, days_of, days)
            cache[month] = known
        elif files is not None and month not in to_save:
            # Counted from memory, and its entries unchanged since (the stamp): once they are
            # all in files (a compaction since), the counts are kept under those files.
            kept = (saved or {}).get(month)
            key = files.key(log, month)
            if key is not None and not (
                isinstance(kept, dict)
                and kept.get("files") == key
                and kept.get("days_of") == days_of
            ):
                to_save[month] = _kept_form(key, days_of, known[2])
        ad.merge(total, known[2])
    return total, to_save


def _kept_form(key: str, days_of: str, days: dict[date, ad.Tally]) -> dict[str, Any]:
    return {"files": key, "days_of": days_of, "days": {d.isoformat(): t for d, t in days.items()}}


def _kept_days(kept: dict[str, Any], days_of: str) -> dict[date, ad.Tally] | None:
    """A month's kept counts, if counted with these study days' bounds and well formed."""
    if kept.get("days_of") != days_of or not isinstance(kept.get("days"), dict):
        return None
    days: dict[date, ad.Tally] = {}
    try:
        for day, tally in kept["days"].items():
            if not isinstance(tally, list) or len(tally) != ad.WIDTH:
                return None
            counts = [int(n) for n in tally]
            if min(counts) < 0:
                return None
            days[date.fromisoformat(day)] = counts
    except (TypeError, ValueError):
        return None  # not as written: count again
    return days


def _keep(store: Any, to_save: dict[str, Any]) -> None:
    """The newly counted months into the store's setting (the most recent SAVED_MONTHS). A
    read-only store (another instance writes) or a failed write keeps nothing: a cache."""
    with _KEEPING:  # the setting as it is now (another count may have kept months meanwhile)
        saved = store.setting(SAVED_DAYS, {})
        saved = saved if isinstance(saved, dict) else {}
        merged = dict(sorted({**saved, **to_save}.items())[-SAVED_MONTHS:])
        old = [s.id for s in store.settings.values() if s.key == OLD_SAVED_DAYS]
        with contextlib.suppress(ReadOnlyStore, StoreError), store.transaction() as tx:
            tx.set_setting(SAVED_DAYS, merged)
            for doc_id in old:  # what an older version kept: replaced by these
                tx.delete("settings", doc_id)


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
    # the lines per item add up to the total shown (each is rounded so that they do)
    shown = whole_parts([max(0.0, summary.focus_minutes - sum(summary.minutes_by_item.values())),
                         *summary.minutes_by_item.values()])  # fmt: skip
    lines = [
        f"{summary.day:%A %d %B}: {plural(summary.pomodoros, 'pomodoro')}, {plural(sum(shown), 'minute')} of focus",
        *(
            f"  {m:4d} min  {title}"
            for title, m in zip(summary.minutes_by_item, shown[1:], strict=True)
        ),
        f"Flashcards: {plural(summary.reviews, 'answer')} today; {figure(summary.cards_due_tomorrow)} due "
        "tomorrow"
        + (
            f", plus {figure(summary.cards_overdue)} overdue by then"
            if summary.cards_overdue
            else ""
        ),
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
