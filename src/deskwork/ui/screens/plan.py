"""The plan: planned points against the program's capacity (with what-if values), total cost,
points per track, and per item the focus logged against its effort and a projected finish."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from deskwork.domain.plan import PLAN_BOUNDS, ItemPlan, PlanReport
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.services.curriculum import plan_report
from deskwork.ui.screens.opening import OpensInSteps, yield_to_loop
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.lean_table import LeanTable
from deskwork.ui.widgets.tables import RowFeeder

if TYPE_CHECKING:
    from deskwork.ui.host import PaneHost

WHAT_IF = ("weeks", "hours_per_day", "days_per_week")  # the fields, labelled by PLAN_BOUNDS
# "12 Mar 2027 (after the end)" fits; the other columns take about 48 cells with their padding.
FINISH_WIDTH = 28
OTHER_COLUMNS = FINISH_WIDTH + 48


class WhatIf(Validator):
    """A what-if figure within its bounds (domain/plan.PLAN_BOUNDS, as `deskwork plan` and the
    config check it): else the field is marked and the reason shown, naming the field; the plan
    keeps the configured value meanwhile."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.bound = PLAN_BOUNDS[name]

    def validate(self, value: str) -> ValidationResult:
        problem = self.bound.problem(value)
        return self.failure(problem) if problem else self.success()


def headline(report: PlanReport) -> Text:
    p = report.program
    ratio = report.overcommit_ratio
    style = "bold red" if ratio > 1.05 else ("bold green" if ratio <= 1 else "bold yellow")
    text = Text()
    text.append(f"{report.planned_points:.2f} points planned", style="bold")
    text.append(f" against {p.capacity_points:.2f} of capacity: ")
    text.append(f"{ratio:.2f}×", style=style)
    verdict = " over" if ratio > 1 else " (fits)"
    text.append(verdict, style=style)
    text.append(
        f"\n{p.start:%d %b %Y} → {p.end:%d %b %Y} · {plural(p.weeks, 'week')} × {plural(p.days_per_week, 'day')} × "
        f"{p.hours_per_day:g} h = {p.capacity_hours:.0f} h · 1 point = {p.hours_per_point:g} h"
    )
    cost = ", ".join(f"{v:,.2f} {k}" for k, v in sorted(report.total_cost.items())) or "free"
    text.append(f"\nCost: {cost}")
    return text


class PlanScreen(OpensInSteps, Screen[None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="plan.close")]
    DEFAULT_CSS = """
    PlanScreen #plan-whatif { height: auto; padding: 0 1; }
    PlanScreen #plan-whatif Static { width: auto; padding: 1 1 0 2; }
    PlanScreen #plan-whatif Input { width: 12; }
    PlanScreen #plan-whatif-problem { color: $error; padding: 0 2; height: auto; }
    PlanScreen #plan-headline { padding: 1 2; height: auto; }
    PlanScreen #plan-tracks { height: auto; max-height: 10; }
    PlanScreen #plan-items { height: 1fr; }
    """

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    _computed_with: dict[str, float | None] | None = None  # the what-if values shown now
    _feeder: RowFeeder[ItemPlan] | None = None
    _end: date = date.max

    def compose(self) -> ComposeResult:
        cfg = self.desk_app.desk.config.plan
        with Horizontal(id="plan-whatif"):
            for name in WHAT_IF:
                yield Static(PLAN_BOUNDS[name].label)
                yield Input(
                    f"{getattr(cfg, name):g}",
                    id=f"plan-{name}",
                    type="number",
                    validators=[WhatIf(name)],
                    validate_on=["changed", "submitted"],
                )
        yield Static("", id="plan-whatif-problem", markup=False)
        yield Static("", id="plan-headline")
        tracks: DataTable[Text] = DataTable(id="plan-tracks", cursor_type="none")
        yield tracks
        items: DataTable[Text] = LeanTable(id="plan-items", cursor_type="row", zebra_stripes=True)
        yield items
        yield DeskFooter()

    async def on_mount(self) -> None:
        tracks = self.query_one("#plan-tracks", DataTable)
        tracks.add_columns("Track", "Points", "Share")
        items = self.query_one("#plan-items", DataTable)
        items.add_column("Item", width=self._item_width(self.app.size.width), key="item")
        items.add_columns("Status", "Points", "Effort h", "Focus h", "Done")
        items.add_column("Projected finish", width=FINISH_WIDTH, key="finish")
        self.recompute()
        items.focus()
        await yield_to_loop()  # the first layout and drawing in a turn of their own

    def overrides(self) -> dict[str, float | None]:
        """The valid what-if values (None: the configured one), and the reasons for the others
        shown under the fields."""
        cfg = self.desk_app.desk.config.plan
        values: dict[str, float | None] = {}
        problems = []
        for name in WHAT_IF:
            field = self.query_one(f"#plan-{name}", Input)
            result = WhatIf(name).validate(field.value.strip())
            field.set_class(not result.is_valid, "-invalid")
            if result.is_valid:
                values[name] = float(field.value)
            else:
                values[name] = None
                problems.append(
                    f"{result.failure_descriptions[0]}: the plan uses {getattr(cfg, name):g} "
                    "from the config until it is fixed."
                )
        self.query_one("#plan-whatif-problem", Static).update("\n".join(problems))
        return values

    @staticmethod
    def _item_width(screen_width: int) -> int:
        """The title column gets what the other columns leave: "Projected finish" is never cut."""
        return max(16, screen_width - OTHER_COLUMNS)

    def on_resize(self, event: events.Resize) -> None:
        items = self.query_one("#plan-items", DataTable)
        column = items.columns.get(ColumnKey("item"))
        if column is not None:
            column.width = self._item_width(event.size.width)
            items.refresh()

    def on_input_changed(self, event: Input.Changed) -> None:
        # The fields announce their first values as the screen mounts: the plan is computed
        # again only when a what-if value actually changed (each computation rebuilds the table).
        values = self.overrides()
        if values != self._computed_with:
            self.recompute(values)

    def recompute(self, values: dict[str, float | None] | None = None) -> None:
        values = self.overrides() if values is None else values
        self._computed_with = values
        report = plan_report(self.desk_app.desk, **values)
        self.query_one("#plan-headline", Static).update(headline(report))
        tracks = self.query_one("#plan-tracks", DataTable)
        tracks.clear()
        total = report.planned_points or 1
        for track, points in sorted(report.tracks.items(), key=lambda kv: -kv[1]):
            tracks.add_row(
                Text(clean(track, single_line=True)),
                Text(f"{points:.2f}"),
                Text(f"{points / total:.0%}"),
            )
        items = self.query_one("#plan-items", DataTable)
        if self._feeder is None:  # a long plan: added a batch of rows per frame
            self._feeder = RowFeeder(items, lambda row: str(row.item.id), self._item_cells)
        self._end = report.program.end
        self._feeder.fill(
            sorted(report.items, key=lambda r: (r.item.status.value != "active", r.item.title))
        )

    @property
    def busy(self) -> bool:
        """Rows of the items table still being added."""
        return self._feeder is not None and self._feeder.busy

    def _item_cells(self, row: ItemPlan) -> tuple[Text, ...]:
        finish = Text("no pace yet", style="dim")
        if row.projected_finish is not None:
            late = row.projected_finish > self._end and row.item.status.value != "done"
            finish = Text(
                f"{row.projected_finish:%d %b %Y}" + (" (after the end)" if late else ""),
                style="red" if late else "",
            )
        return (
            Text(clean(row.item.title, single_line=True), no_wrap=True, overflow="ellipsis"),
            Text(row.item.status.value),
            Text(f"{row.item.effort_points:g}"),
            Text(f"{row.effort_hours:.0f}"),
            Text(f"{row.focus_hours:.1f}"),
            Text(f"{row.progress:.0%}"),
            finish,
        )
