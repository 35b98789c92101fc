"""The stats screen's figures as Rich text and tables, from the counted `Insight`: the focus
heatmap against the daily target, the summary tables (pomodoros per track and item, points planned
against done, each item's pace against the program's end), the flashcards' line and the due
forecast's title. The screen that lays them out is ui/screens/stats.py."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from deskwork.domain.insight import Insight, met_target
from deskwork.domain.text import clean
from deskwork.domain.wording import duration, figure, plural, true_retention_said

if TYPE_CHECKING:
    from deskwork.config import Config

LEVELS = ("grey30", "dark_green", "green4", "green3", "bright_green")


def level(hours: float, target: float) -> int:
    if hours <= 0:
        return 0
    if not target:
        return 3
    ratio = hours / target
    return 1 if ratio < 0.5 else 2 if not met_target(hours, target) else 3 if ratio < 1.5 else 4


def heatmap(insight: Insight) -> Text:
    """Weeks as columns, Monday to Sunday as rows, like a contributions calendar."""
    days = insight.days
    first_monday = days[0] - timedelta(days=days[0].weekday())
    weeks = (days[-1] - first_monday).days // 7 + 1
    text = Text()
    for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
        text.append(f"{name:<4}", style="dim")
        for week in range(weeks):
            day = first_monday + timedelta(days=week * 7 + weekday)
            if day not in insight.focus_hours_by_day:
                text.append("  ")
                continue
            hours = insight.focus_hours_by_day[day]
            text.append("■ ", style=LEVELS[level(hours, insight.target_hours)])
        text.append("\n")
    text.append("    less ", style="dim")
    for style in LEVELS:
        text.append("■ ", style=style)
    text.append("more (against the daily target)", style="dim")
    return text


def _bar(done: float, planned: float, width: int = 20) -> str:
    if planned <= 0:
        return ""
    filled = min(width, round(done / planned * width))
    return "█" * filled + "░" * (width - filled)


def summary_tables(insight: Insight) -> list[Table | Text]:
    hours = list(insight.focus_hours_by_day.values())
    total = sum(hours)
    studied = [h for h in hours if h > 0]
    met = sum(1 for h in hours if met_target(h, insight.target_hours))
    head = Text()
    head.append(f"Last {plural(insight.weeks, 'week')}: {duration(total)} of focus", style="bold")
    per_day = duration(total / len(studied)) if studied else "0 min"
    head.append(
        f" on {plural(len(studied), 'day')} ({per_day} a study day); "
        f"target {duration(insight.target_hours)} a day, met on {plural(met, 'day')}"
    )
    pomodoros = Table(
        title="Pomodoros", title_justify="left", expand=False, box=None, padding=(0, 2, 0, 0)
    )
    pomodoros.add_column("Track")
    pomodoros.add_column("#", justify="right")
    for track, n in insight.pomodoros_by_track.items():
        pomodoros.add_row(Text(clean(track, single_line=True)), str(n))
    items = Table(title="By item", title_justify="left", box=None, padding=(0, 2, 0, 0))
    items.add_column("Item")
    items.add_column("#", justify="right")
    for item_id, n in list(insight.pomodoros_by_item.items())[:8]:
        title = (
            insight.item_titles.get(item_id, "(unassigned)")
            if item_id is not None
            else "(unassigned)"
        )
        items.add_row(
            Text(clean(title, single_line=True), no_wrap=True, overflow="ellipsis"), str(n)
        )
    plan = Table(
        title="Points: planned against done (by logged focus)",
        title_justify="left",
        box=None,
        padding=(0, 2, 0, 0),
    )
    for column in ("Track", "Planned", "Done", ""):
        plan.add_column(column)
    for track, planned in insight.points_planned_by_track.items():
        done = insight.points_done_by_track.get(track, 0.0)
        plan.add_row(
            Text(clean(track, single_line=True)),
            f"{planned:.2f}",
            f"{done:.2f}",
            _bar(done, planned),
        )
    plan.add_row(
        Text("All", style="bold"),
        f"{insight.points_planned:.2f}",
        f"{insight.points_done:.2f}",
        _bar(insight.points_done, insight.points_planned),
    )
    pace = Text()
    pace.append(f"The program ends on {insight.program_end:%d %b %Y}.\n", style="bold")
    for p in insight.projections:
        if p.finish is not None:
            title = clean(p.item.title, single_line=True)
            style = "red" if p.late else ""
            pace.append(f"  At this pace {title} finishes on {p.finish:%d %b %Y}", style=style)
            pace.append(" (after the end)\n" if p.late else "\n", style=style)
    # items without a projection, grouped by the plan's own reason (never a guess that
    # contradicts the figures above)
    reasons: dict[str, list[str]] = {}
    for p in insight.projections:
        if p.finish is None:
            reasons.setdefault(p.no_pace or "no pace yet", []).append(
                clean(p.item.title, single_line=True)
            )
    for why, names in reasons.items():
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        pace.append(f"  No projection for {', '.join(names[:3])}{more}: {why}.\n", style="dim")
    return [head, pomodoros, items, plan, pace]


def cards_text(insight: Insight) -> Text:
    text = Text()
    text.append("Flashcards: ", style="bold")
    retention = true_retention_said(
        insight.retention_30d, insight.review_answers_30d, insight.answers_30d
    )
    text.append(f"true retention (30 days): {retention}; ")
    text.append(
        f"{figure(insight.due_forecast[0])} due today, {figure(sum(insight.due_forecast[:7]))} in the "
        "next 7 days"
    )
    return text


def forecast_label(forecast: list[int], config: Config) -> str:
    """The forecast's title with how even it is (from tomorrow: today holds any backlog) and what
    evens it: the load balancer and the easy days."""
    from deskwork.domain.loadbalance import WEEKDAYS, spread

    title = "Due, next 30 days"
    if len(forecast) < 3:
        return title
    low, high, sd = spread(forecast[1:])
    if not config.cards.load_balancer:
        balance = "load balancer off"
    else:
        easy = [
            f"{day[:3].title()} {factor:.0%}"
            for day, factor in zip(WEEKDAYS, config.easy_days.factors(), strict=True)
            if factor < 1
        ]
        balance = "load balancer on" + (f", easy days {', '.join(easy)}" if easy else "")
    return f"{title}: {low}–{high} a day from tomorrow, sd {sd:.1f} ({balance})"
