"""The plan: planned points against the program's capacity (with what-if values), total cost,
points per track, and per item the focus logged against its effort and a projected finish."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from deskwork.domain.plan import PlanReport
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.services.curriculum import plan_report
from deskwork.ui.widgets.footer import DeskFooter

if TYPE_CHECKING:
    from deskwork.ui.app import DeskworkApp

WHAT_IF = (("weeks", "Weeks"), ("hours_per_day", "Hours a day"), ("days_per_week", "Days a week"))


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


class PlanScreen(Screen[None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="plan.close")]
    DEFAULT_CSS = """
    PlanScreen #plan-whatif { height: auto; padding: 0 1; }
    PlanScreen #plan-whatif Static { width: auto; padding: 1 1 0 2; }
    PlanScreen #plan-whatif Input { width: 12; }
    PlanScreen #plan-headline { padding: 1 2; height: auto; }
    PlanScreen #plan-tracks { height: auto; max-height: 10; }
    PlanScreen #plan-items { height: 1fr; }
    """

    @property
    def desk_app(self) -> DeskworkApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        cfg = self.desk_app.desk.config.plan
        with Horizontal(id="plan-whatif"):
            for name, label in WHAT_IF:
                yield Static(label)
                yield Input(f"{getattr(cfg, name):g}", id=f"plan-{name}", type="number")
        yield Static("", id="plan-headline")
        tracks: DataTable[Text] = DataTable(id="plan-tracks", cursor_type="none")
        yield tracks
        items: DataTable[Text] = DataTable(id="plan-items", cursor_type="row", zebra_stripes=True)
        yield items
        yield DeskFooter()

    def on_mount(self) -> None:
        tracks = self.query_one("#plan-tracks", DataTable)
        tracks.add_columns("Track", "Points", "Share")
        items = self.query_one("#plan-items", DataTable)
        items.add_columns(
            "Item", "Status", "Points", "Effort h", "Focus h", "Done", "Projected finish"
        )
        self.recompute()
        items.focus()

    def overrides(self) -> dict[str, float | None]:
        values: dict[str, float | None] = {}
        for name, _ in WHAT_IF:
            try:
                value = float(self.query_one(f"#plan-{name}", Input).value)
            except ValueError:
                value = None
            values[name] = value if value and value > 0 else None
        if values["days_per_week"] and values["days_per_week"] > 7:
            values["days_per_week"] = None
        if values["hours_per_day"] and values["hours_per_day"] > 24:
            values["hours_per_day"] = None
        return values

    def on_input_changed(self, event: Input.Changed) -> None:
        self.recompute()

    def recompute(self) -> None:
        report = plan_report(self.desk_app.desk, **self.overrides())
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
        items.clear()
        end = report.program.end
        for row in sorted(
            report.items, key=lambda r: (r.item.status.value != "active", r.item.title)
        ):
            finish = Text("no pace yet", style="dim")
            if row.projected_finish is not None:
                late = row.projected_finish > end and row.item.status.value != "done"
                finish = Text(
                    f"{row.projected_finish:%d %b %Y}" + (" (after the end)" if late else ""),
                    style="red" if late else "",
                )
            items.add_row(
                Text(clean(row.item.title, single_line=True), no_wrap=True, overflow="ellipsis"),
                Text(row.item.status.value),
                Text(f"{row.item.effort_points:g}"),
                Text(f"{row.effort_hours:.0f}"),
                Text(f"{row.focus_hours:.1f}"),
                Text(f"{row.progress:.0%}"),
                finish,
            )
