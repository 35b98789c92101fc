"""The pomodoro timer area: big digits, the phase, today's focus."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Digits, Static

from deskwork.services import DaySummary
from deskwork.ui.widgets.pane import Pane


class TimerPane(Pane):
    pane_id = "timer"
    title = "Pomodoro"
    key_hint = "F2"

    DEFAULT_CSS = """
    TimerPane #timer-digits { width: auto; color: $primary; margin: 1 0 0 0; }
    TimerPane #timer-phase { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Digits("25:00", id="timer-digits")
        yield Static("Ready to focus", id="timer-phase")
        yield Static(id="timer-today")

    def show(self, summary: DaySummary) -> None:
        today = self.query_one("#timer-today", Static)
        today.update(
            f"Today ({summary.day:%a %d %b}): {summary.pomodoros} pomodoros, "
            f"{summary.focus_minutes:.0f} focus minutes"
        )
