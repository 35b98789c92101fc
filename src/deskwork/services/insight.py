"""Insight use-cases: the stats figures, the end-of-day summary and the weekly review draft."""

from __future__ import annotations

from datetime import timedelta

from deskwork.domain import insight as di
from deskwork.domain.drafts import Draft
from deskwork.domain.studyday import day_bounds
from deskwork.domain.wording import plural
from deskwork.services.curriculum import plan_report, program_of
from deskwork.services.desk import Desk


def target_hours(desk: Desk) -> float:
    timer = desk.config.timer
    if timer.goal_unit == "minutes":
        return timer.daily_goal / 60
    return timer.daily_goal * timer.focus_minutes / 60


def gather(desk: Desk, weeks: int = 12) -> di.Insight:
    now = desk.clock()
    today = desk.today()
    start_hour = desk.config.study.day_start_hour
    window_start = day_bounds(today - timedelta(days=weeks * 7 - 1), start_hour)[0]
    since = min(window_start, now - timedelta(days=30))
    return di.compute(
        today=today,
        weeks=weeks,
        start_hour=start_hour,
        sessions=desk.store.sessions.values(),
        items=desk.store.items.values(),
        cards=desk.store.cards.all(),
        reviews=desk.store.reviews.between(since, now + timedelta(seconds=1)),
        drafts=desk.store.drafts.values(),
        report=plan_report(desk),
        target_hours=target_hours(desk),
        now=now,
    )


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
