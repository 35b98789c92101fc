"""Choose a desired retention with numbers: a preset's coming year simulated at each retention
(in a thread worker: the screen paints at once with a progress bar), the chart of minutes a day
and cards remembered, the cheapest per card remembered marked; ←/→ move over retentions, Enter
applies the one under the cursor to the preset."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from deskwork.domain.cancel import Cancelled
from deskwork.domain.presets import DEFAULT_PRESET_ID, PresetError
from deskwork.domain.text import clean
from deskwork.domain.wording import figure, plural, plural_noun
from deskwork.ui.commands import RETENTION_COMMANDS
from deskwork.ui.widgets.retention_chart import RetentionChart

if TYPE_CHECKING:
    from deskwork.services.retention import Report
    from deskwork.ui.host import PaneHost


class RetentionScreen(Screen[float | None]):
    """Dismissed with the retention applied (None when nothing was applied)."""

    command_scope = "retention"
    BINDINGS = [c.binding() for c in RETENTION_COMMANDS]
    DEFAULT_CSS = """
    RetentionScreen { padding: 0 1; }
    RetentionScreen #retention-title { text-style: bold; height: auto; }
    RetentionScreen #retention-progress { height: 1; margin: 1 0; }
    RetentionScreen #retention-detail { height: auto; }
    RetentionScreen #retention-notes { height: auto; color: $text-muted; }
    RetentionScreen #retention-keys { height: auto; color: $text-muted; }
    """

    def __init__(self, preset_id: int = DEFAULT_PRESET_ID, *, days: int = 365) -> None:
        super().__init__()
        self.preset_id = preset_id
        self.days = days
        self.report: Report | None = None
        self.cursor = 0
        self.applied: float | None = None
        self._stop = threading.Event()

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    @property
    def preset_ref(self) -> str:
        return str(self.preset_id) if self.preset_id != DEFAULT_PRESET_ID else "Default"

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Desired retention", id="retention-title", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="retention-progress")
            yield Static("Simulating the coming year at each retention…", id="retention-status")
            yield RetentionChart(id="retention-chart")
            yield Static("", id="retention-detail", markup=False)
            yield Static("", id="retention-notes", markup=False)
            yield Static(
                "←/→ choose a retention · Enter applies it to the preset · Esc back",
                id="retention-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        from deskwork.services import retention

        try:
            job = retention.simulation_job(self.desk_app.desk, self.preset_ref, days=self.days)
        except PresetError as exc:
            self._status(f"Cannot simulate: {exc}")
            return

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        def compute() -> None:
            try:
                report = job(progress, self._stop.is_set)
            except Cancelled:
                return
            if not self._stop.is_set():
                self.app.call_from_thread(self._show, report)

        # Started after the first paint: the screen and its progress bar show at once.
        self.call_after_refresh(
            self.run_worker, compute, thread=True, exclusive=True, group="retention",
            name="simulate",
        )  # fmt: skip

    def on_unmount(self) -> None:
        self._stop.set()  # the worker stops at the next simulated day

    # ------------------------------------------------------------------ showing
    def _status(self, text: str) -> None:
        self.query_one("#retention-status", Static).update(text)

    def _progress(self, done: int, total: int) -> None:
        if not self.is_mounted:
            return
        self.query_one(ProgressBar).update(total=total, progress=done)
        self._status(f"Simulating the coming year: {done} of {total} retentions")

    def _show(self, report: Report) -> None:
        if not self.is_mounted or self._stop.is_set():
            return
        self.report = report
        rows = report.rows
        best = report.best
        near = min(range(len(rows)), key=lambda i: abs(rows[i].retention - report.current))
        self.cursor = near if rows else 0
        self.query_one(ProgressBar).display = False
        name = clean(report.preset, single_line=True)
        self.query_one("#retention-title", Static).update(
            f"Desired retention for {name!r}: now {report.current:.2f} · "
            f"{plural(report.studied, 'studied card')}, {figure(report.new_cards)} new · "
            f"{plural(report.days, 'day')}"
        )
        if best is not None:
            b = rows[best]
            self._status(
                f"★ {b.retention:.2f} costs least per card remembered "
                f"({b.per_card_text()} min each, {b.minutes_per_day:.1f} min a day)"
            )
        else:
            self._status("Nothing to simulate: no cards in this preset's decks.")
        self.query_one("#retention-notes", Static).update("\n".join(report.notes()))
        self._draw()

    def _draw(self) -> None:
        report = self.report
        if report is None or not report.rows or report.best is None:
            return  # nothing remembered at any retention (no cards): no curve to draw
        self.query_one(RetentionChart).show(report.rows, self.cursor, report.best)
        row = report.rows[self.cursor]
        self.query_one("#retention-detail", Static).update(
            f"▲ {row.retention:.2f}: {row.minutes_per_day:.1f} min a day · "
            f"{row.memorized:,.0f} remembered · {row.per_card_text()} min per card · "
            f"{row.reviews:,} {plural_noun(row.reviews, 'review')}"
        )

    # ------------------------------------------------------------------ actions
    def action_move(self, delta: int) -> None:
        if self.report is None or not self.report.rows:
            return
        self.cursor = min(max(self.cursor + delta, 0), len(self.report.rows) - 1)
        self._draw()

    def action_best(self) -> None:
        if self.report is not None and self.report.best is not None:
            self.cursor = self.report.best
            self._draw()

    def action_apply(self) -> None:
        from deskwork.services import retention

        report = self.report
        if report is None or not report.rows or not self.desk_app.writable():
            return
        value = report.rows[self.cursor].retention
        try:
            preset = retention.apply(self.desk_app.desk, self.preset_ref, value)
        except PresetError as exc:
            self.app.notify(str(exc), severity="warning", markup=False)
            return
        self.applied = preset.desired_retention
        self.desk_app.presets_changed()
        self.app.notify(
            f"Preset {preset.name!r}: desired retention {preset.desired_retention:.2f} "
            f"(was {report.current:.2f})",
            markup=False,
        )
        self.dismiss(self.applied)

    def action_close(self) -> None:
        self._stop.set()
        self.dismiss(self.applied)
