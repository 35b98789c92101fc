"""Plan arithmetic: effort in FTE points against the capacity of a program.

1 point = the full focus of one university course for a semester (seed 004): by default 120 hours
(12 weeks × 10 h). Capacity = weeks × study days per week × hours per day / hours per point, so
seed 004's 7.4 points against 12 weeks at 8 h a day, 5 days a week (4 points) is 1.85× over.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from deskwork.domain.curriculum import Item, ItemStatus

COUNTED = {ItemStatus.PLANNED, ItemStatus.ACTIVE, ItemStatus.PAUSED, ItemStatus.DONE}


class PlanValueError(ValueError):
    """A program's figure out of range (the message names the field)."""


@dataclass(frozen=True)
class Bound:
    """What a program's figure may be: a finite number from `least` (more than 0) to `most`.
    Both ends finite, so no figure the bounds take makes a capacity of 0 points or a ratio of
    infinity (`deskwork plan --json` would print `Infinity`, which is not JSON). `label`: the
    field as the plan screen and messages name it."""

    label: str
    most: float
    least: float = 0.01

    def problem(self, value: float | str, named: str = "") -> str:
        """'' when `value` may be the figure; else why, naming the field (`named`, else the
        label): "Hours a day must be at most 24 (got 30)"."""
        name = named or self.label
        try:
            number = float(value)
        except (TypeError, ValueError):
            return f"{name} must be a number (got {value!r})"
        got = value if isinstance(value, str) else f"{number:g}"  # as typed, or as a number
        if math.isnan(number):
            return f"{name} must be a number (got {got})"
        if not number > 0:
            return f"{name} must be more than 0 (got {got})"
        if number < self.least:
            return f"{name} must be at least {self.least:g} (got {got})"
        if number > self.most:
            return f"{name} must be at most {self.most:g} (got {got})"
        return ""


# The one table of the program's bounds: the config's [plan], `deskwork plan`'s what-if options
# and the plan screen's fields check against it. The least figures all together still make a
# capacity of 1e-6 h (1e-10 points at the most hours per point): never 0.
PLAN_BOUNDS: dict[str, Bound] = {
    "weeks": Bound("Weeks", 520),  # ten years
    "hours_per_day": Bound("Hours a day", 24),
    "days_per_week": Bound("Days a week", 7),
    "hours_per_point": Bound("Hours per point", 10_000),  # 1 point = five years of full days
}


@dataclass(frozen=True)
class Program:
    """A study program: from `start`, its length and pace (each within PLAN_BOUNDS, else
    PlanValueError naming the field: no capacity of negative hours or of no days)."""

    start: date
    weeks: float = 12
    hours_per_day: float = 8
    days_per_week: float = 5
    hours_per_point: float = 120

    def __post_init__(self) -> None:
        problems = [b.problem(getattr(self, name)) for name, b in PLAN_BOUNDS.items()]
        if any(problems):
            raise PlanValueError("; ".join(p for p in problems if p))

    @property
    def end(self) -> date:
        return self.start + timedelta(days=round(self.weeks * 7))

    @property
    def capacity_hours(self) -> float:
        return self.weeks * self.days_per_week * self.hours_per_day

    @property
    def capacity_points(self) -> float:
        return self.capacity_hours / self.hours_per_point


@dataclass
class ItemPlan:
    item: Item
    effort_hours: float
    focus_hours: float
    projected_finish: date | None  # at the pace of the focus logged so far; None: no pace yet
    no_pace: str = ""  # when there is no projection: why, in a learner's words

    @property
    def progress(self) -> float:
        return min(1.0, self.focus_hours / self.effort_hours) if self.effort_hours else 0.0


@dataclass
class PlanReport:
    program: Program
    planned_points: float
    total_cost: dict[str, float]
    tracks: dict[str, float]
    items: list[ItemPlan] = field(default_factory=list)

    @property
    def overcommit_ratio(self) -> float:
        """Planned points over capacity; math.inf when there is no capacity (not within
        PLAN_BOUNDS) or the quotient overflows: `finite_ratio` for what must be a number."""
        cap = self.program.capacity_points
        return self.planned_points / cap if cap else math.inf

    @property
    def finite_ratio(self) -> float | None:
        """`overcommit_ratio`, None when it is not a finite number (JSON has no Infinity)."""
        ratio = self.overcommit_ratio
        return ratio if math.isfinite(ratio) else None


def study_days_between(start: date, end: date, days_per_week: float) -> float:
    return max(0, (end - start).days) * days_per_week / 7


def plan(
    program: Program,
    items: Iterable[Item],
    focus_hours: dict[int, float],
    today: date,
) -> PlanReport:
    """The plan against reality. `focus_hours`: hours the timer logged per item id."""
    counted = [i for i in items if i.status in COUNTED]
    tracks: dict[str, float] = {}
    cost: dict[str, float] = {}
    rows: list[ItemPlan] = []
    elapsed_days = study_days_between(program.start, today, program.days_per_week)
    for item in counted:
        tracks[item.track or "(no track)"] = (
            tracks.get(item.track or "(no track)", 0.0) + item.effort_points
        )
        if item.cost:
            cost[item.currency] = cost.get(item.currency, 0.0) + item.cost
        effort = item.effort_points * program.hours_per_point
        done = focus_hours.get(item.id, 0.0)
        finish: date | None = None
        why = ""
        if item.status is ItemStatus.DONE:
            finish = item.finished.date() if item.finished else today
        elif done > 0 and elapsed_days > 0 and effort > 0:
            per_study_day = done / elapsed_days
            remaining_days = max(0.0, effort - done) / per_study_day
            finish = today + timedelta(days=math.ceil(remaining_days * 7 / program.days_per_week))
        elif done <= 0:
            why = "no focus logged yet"
        elif effort <= 0:
            why = "no effort estimate (edit the item's points)"
        else:
            why = "focus logged, but the program has not run a full day yet"
        rows.append(ItemPlan(item, effort, done, finish, why))
    return PlanReport(
        program=program,
        planned_points=round(sum(i.effort_points for i in counted), 6),
        total_cost=cost,
        tracks=tracks,
        items=rows,
    )
