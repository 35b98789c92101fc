""" "Am I on track?": the figures of the stats screen, the end-of-day summary and the weekly review
post, computed from sessions, items, cards, the review log and drafts. Pure: the day and the clock
are parameters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from deskwork.domain import answer_days as ad
from deskwork.domain import cardstats
from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.drafts import Draft
from deskwork.domain.plan import PlanReport
from deskwork.domain.sessions import Session, SessionKind
from deskwork.domain.studyday import study_day
from deskwork.domain.wording import plural

NO_TRACK = "(no track)"


# Half a second: hours summed from sessions in seconds are not exact in binary (eight sessions of
# 25 minutes are 3.333333333333333 h, the target of 8 x 25 min 3.3333333333333335 h).
_MET_WITHIN_H = 0.5 / 3600


def met_target(hours: float, target: float) -> bool:
    """Whether a day's focus `hours` reached the daily `target` (none set: never)."""
    return target > 0 and hours >= target - _MET_WITHIN_H


@dataclass
class Projection:
    item: Item
    finish: date | None
    late: bool  # projected after the program's end
    no_pace: str = ""  # why there is no projection (from the plan: one source of truth)


@dataclass
class Insight:
    today: date
    weeks: int
    focus_hours_by_day: dict[date, float]  # every day of the window, oldest first, zeros too
    target_hours: float  # the daily goal in hours
    pomodoros_by_item: dict[int | None, int]
    pomodoros_by_track: dict[str, int]
    points_planned_by_track: dict[str, float]
    points_done_by_track: dict[
        str, float
    ]  # focus hours logged on the track's items / hours a point
    projections: list[Projection]
    program_end: date
    reviews_by_day: list[int]  # the window, oldest first
    retention_30d: float | None
    due_forecast: list[int]  # the next 30 days
    drafts_by_status: dict[str, int]
    item_titles: dict[int, str] = field(default_factory=dict)
    answers_30d: int = 0  # every entry of the last 30 study days (today and the 29 before)
    review_answers_30d: int = 0  # answers on cards in review (no manual entry): retention's N

    @property
    def days(self) -> list[date]:
        return list(self.focus_hours_by_day)

    @property
    def points_planned(self) -> float:
        return sum(self.points_planned_by_track.values())

    @property
    def points_done(self) -> float:
        return sum(self.points_done_by_track.values())


def pomodoro_owner(session: Session) -> int | None:
    """The item a completed focus session counts for: the one it spent the most seconds on."""
    seconds = session.seconds_by_item()
    if not seconds:
        return session.item_id
    return max(seconds.items(), key=lambda kv: (kv[1], kv[0] is not None))[0]


def compute(
    *,
    today: date,
    weeks: int,
    start_hour: int,
    sessions: Iterable[Session],
    items: Iterable[Item],
    cards: Iterable[Card],
    drafts: Iterable[Draft],
    report: PlanReport,
    target_hours: float,
    now: datetime,
    tz: tzinfo | None = None,
    reviews: Iterable[ReviewLog] = (),
    answer_days: Mapping[date, Sequence[int]] | None = None,
) -> Insight:
    """The review log's figures come from `answer_days` (domain/answer_days: the counts per study
    day, at least from `answer_days.first_day(today, weeks * 7)`) or, if the caller has not
    counted them, from `reviews` (every entry of the window and of the 30 days)."""
    first = today - timedelta(days=weeks * 7 - 1)
    items = list(items)
    by_id = {i.id: i for i in items}
    focus: dict[date, float] = {first + timedelta(days=n): 0.0 for n in range(weeks * 7)}
    per_item: Counter[int | None] = Counter()
    # Sessions that began two days before the window's first day fall before it in any zone:
    # no time-zone conversion for the years of sessions before the window.
    earliest = datetime.combine(first - timedelta(days=2), time(), tzinfo=UTC)
    for s in sessions:
        if s.kind is not SessionKind.FOCUS or s.start < earliest:
            continue
        day = study_day(s.start, start_hour, tz)
        if not first <= day <= today:
            continue
        focus[day] += s.actual_s / 3600
        if s.completed:
            per_item[pomodoro_owner(s)] += 1
    per_track: Counter[str] = Counter()
    for item_id, n in per_item.items():
        item = by_id.get(item_id) if item_id is not None else None
        per_track[(item.track or NO_TRACK) if item else NO_TRACK] += n
    hpp = report.program.hours_per_point
    done_by_track: dict[str, float] = {}
    for row in report.items:  # focus hours of the whole plan, not only the window
        track = row.item.track or NO_TRACK
        done_by_track[track] = done_by_track.get(track, 0.0) + row.focus_hours / hpp
    projections = [
        Projection(
            row.item,
            row.projected_finish,
            bool(row.projected_finish and row.projected_finish > report.program.end),
            row.no_pace,
        )
        for row in report.items
        if row.item.status is ItemStatus.ACTIVE
    ]
    projections.sort(key=lambda p: (p.finish is None, p.finish or today, p.item.title))
    if answer_days is None:
        answer_days = ad.by_day(reviews, start_hour, tz)
    log = ad.window(answer_days, today, weeks * 7)
    return Insight(
        today=today,
        weeks=weeks,
        focus_hours_by_day=focus,
        target_hours=target_hours,
        pomodoros_by_item=dict(per_item.most_common()),
        pomodoros_by_track=dict(per_track.most_common()),
        points_planned_by_track=dict(sorted(report.tracks.items())),
        points_done_by_track=dict(sorted(done_by_track.items())),
        projections=projections,
        program_end=report.program.end,
        reviews_by_day=log.answers_by_day,
        retention_30d=log.retention_30d,
        answers_30d=log.entries_30d,
        review_answers_30d=log.graded_30d,
        due_forecast=cardstats.due_forecast(cards, today, start_hour, 30, tz),
        drafts_by_status=dict(Counter(d.status.value for d in drafts if not d.deleted)),
        item_titles={i.id: i.title for i in items},
    )


def as_json(insight: Insight) -> dict[str, object]:
    return {
        "today": insight.today.isoformat(),
        "weeks": insight.weeks,
        "target_hours_per_day": round(insight.target_hours, 2),
        "focus_hours_by_day": {
            d.isoformat(): round(h, 2) for d, h in insight.focus_hours_by_day.items()
        },
        "pomodoros_by_item": {
            (insight.item_titles.get(k, f"item {k}") if k is not None else "(unassigned)"): n
            for k, n in insight.pomodoros_by_item.items()
        },
        "pomodoros_by_track": insight.pomodoros_by_track,
        "points_planned": round(insight.points_planned, 2),
        "points_done": round(insight.points_done, 2),
        "points_by_track": {
            t: {"planned": round(p, 2), "done": round(insight.points_done_by_track.get(t, 0.0), 2)}
            for t, p in insight.points_planned_by_track.items()
        },
        "program_end": insight.program_end.isoformat(),
        "projected_finish_by_item": {
            p.item.title: {"finish": p.finish.isoformat() if p.finish else None, "late": p.late}
            for p in insight.projections
        },
        "retention_30d": round(insight.retention_30d, 4)
        if insight.retention_30d is not None
        else None,
        "reviews_by_day": {
            (insight.today - timedelta(days=len(insight.reviews_by_day) - 1 - n)).isoformat(): c
            for n, c in enumerate(insight.reviews_by_day)
        },
        "due_forecast": insight.due_forecast,
        "drafts_by_status": insight.drafts_by_status,
    }


# ---------------------------------------------------------------------- the end of the day
@dataclass
class DayEnd:
    day: date
    pomodoros: int
    focus_minutes: float
    minutes_by_item: dict[str, float]
    reviews: int
    cards_due_tomorrow: int
    cards_overdue: int  # due by today and not answered: overdue tomorrow (due then too)
    drafts_touched: list[str]
    suggested: list[Item]


def day_end(
    *,
    day: date,
    start_hour: int,
    sessions: Iterable[Session],
    items: Iterable[Item],
    reviews_today: Iterable[ReviewLog],
    cards: Iterable[Card],
    drafts: Iterable[Draft],
    tz: tzinfo | None = None,
) -> DayEnd:
    from deskwork.domain import queue as q

    items = list(items)
    titles = {i.id: i.title for i in items}
    pomodoros, focus_s = 0, 0.0
    per_item: dict[str, float] = {}
    for s in sessions:
        if s.kind is SessionKind.FOCUS and study_day(s.start, start_hour, tz) == day:
            pomodoros += int(s.completed)
            focus_s += s.actual_s
            for item_id, seconds in s.seconds_by_item().items():
                title = titles.get(item_id, "(unassigned)") if item_id else "(unassigned)"
                per_item[title] = per_item.get(title, 0.0) + seconds / 60
    tomorrow = day + timedelta(days=1)
    unfinished = [i for i in q.todays_queue(items, day) if i.unfinished]
    planned = q.todays_queue(items, tomorrow)
    extra = [
        i for i in q.candidates(items, tomorrow, 12) if i not in unfinished and i not in planned
    ]
    suggested = (planned + unfinished + extra)[:5]
    overdue, due_tomorrow = cardstats.overdue_and_tomorrow(cards, day, start_hour, tz)
    return DayEnd(
        day=day,
        pomodoros=pomodoros,
        focus_minutes=focus_s / 60,
        minutes_by_item=dict(sorted(per_item.items(), key=lambda kv: -kv[1])),
        reviews=sum(1 for log in reviews_today if not log.manual),
        cards_due_tomorrow=due_tomorrow,
        cards_overdue=overdue,
        drafts_touched=[
            d.title for d in drafts if not d.deleted and study_day(d.updated, start_hour, tz) == day
        ],
        suggested=suggested,
    )


# ---------------------------------------------------------------------- the weekly review post
def week_number(program_start: date, today: date) -> int:
    return max(1, (today - program_start).days // 7 + 1)


def weekly_review(
    insight: Insight, week: int, program_name: str = "my open-source masters"
) -> tuple[str, str]:
    """(title, Markdown body) of the review of the last 7 days, fed by the real numbers."""
    last7 = list(insight.focus_hours_by_day.items())[-7:]
    hours = sum(h for _, h in last7)
    days_on = sum(1 for _, h in last7 if h > 0)
    met = sum(1 for _, h in last7 if met_target(h, insight.target_hours))
    reviews = sum(insight.reviews_by_day[-7:])
    title = f"Week {week} of {program_name}"
    lines = [
        f"This week I studied **{hours:.1f} hours** on {plural(days_on, 'day')} "
        f"(the daily target of {insight.target_hours:.1f} h was met on {met}).",
        "",
        "## Focus per day",
        "",
        "| Day | Hours |",
        "| --- | ---: |",
        *(f"| {d:%a %d %b} | {h:.1f} |" for d, h in last7),
        "",
        "## Where the pomodoros went",
        "",
        *(
            [f"- {track}: {n}" for track, n in insight.pomodoros_by_track.items()]
            or ["No pomodoros logged."]
        ),
        "",
        "## Plan against reality",
        "",
        f"{insight.points_done:.2f} of {insight.points_planned:.2f} planned points done by logged focus; "
        f"the program ends on {insight.program_end:%d %b %Y}.",
        "",
        *(
            f"- {p.item.title}: "
            + (
                f"at this pace finishes on {p.finish:%d %b %Y}"
                + (" (after the end)" if p.late else "")
                if p.finish
                else "no pace yet"
            )
            for p in insight.projections
        ),
        "",
        "## Flashcards",
        "",
        f"{plural(reviews, 'review')} this week"
        + (
            f"; true retention over 30 days {insight.retention_30d:.0%}."
            if insight.retention_30d is not None
            else "."
        ),
        "",
        "## What I learned",
        "",
        "TODO: the one idea that stuck this week",
        "",
        "## Next week",
        "",
        "TODO: what I will do differently",
    ]
    return title, "\n".join(lines) + "\n"
