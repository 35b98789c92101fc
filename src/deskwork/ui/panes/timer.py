"""The pomodoro timer area: big digits, the phase, progress, today's count against the goal, the
streak, and focus minutes per item today."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Digits, ProgressBar, Static

from deskwork.domain.sessions import SessionKind
from deskwork.domain.text import clean
from deskwork.domain.timer import Status, TimerState
from deskwork.services import DaySummary
from deskwork.ui.commands import TIMER_COMMANDS
from deskwork.ui.widgets.pane import Pane


def clock_text(seconds: float) -> str:
    """`1499.2` -> `"25:00"` (rounded up, so 0:00 shows only at the very end); hours when needed."""
    whole = int(-(-seconds // 1))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class TimerPane(Pane):
    pane_id = "timer"
    title = "Pomodoro"
    key_hint = "F2"
    BINDINGS = [c.binding() for c in TIMER_COMMANDS]

    DEFAULT_CSS = """
    TimerPane #timer-digits { width: auto; margin: 1 0 0 0; }
    TimerPane.-focus-phase #timer-digits { color: $primary; }
    TimerPane.-break-phase #timer-digits { color: $secondary; }
    TimerPane.-paused #timer-digits { color: $text-muted; }
    TimerPane #timer-phase { text-style: bold; }
    TimerPane #timer-item { color: $text-muted; }
    TimerPane ProgressBar { margin: 0 0 1 0; width: 100%; }
    TimerPane ProgressBar Bar { width: 1fr; }
    TimerPane #timer-nudge { color: $warning; }
    TimerPane #timer-keys { color: $text-muted; dock: bottom; }
    """

    def compose(self) -> ComposeResult:
        yield Digits("25:00", id="timer-digits")
        yield Static(id="timer-phase")
        yield Static(id="timer-item")
        yield ProgressBar(total=1000, show_eta=False, show_percentage=False, id="timer-progress")
        yield Static(id="timer-today")
        yield Static(id="timer-items")
        yield Static(id="timer-nudge")
        yield Static(
            "space start/pause · s skip · e +time · i interruption · a abandon · r reset",
            id="timer-keys",
        )

    def show_state(
        self, state: TimerState, now: datetime, item_title: str | None, long_every: int
    ) -> None:
        self.query_one("#timer-digits", Digits).update(clock_text(state.remaining(now)))
        focus = state.phase is SessionKind.FOCUS
        self.set_class(focus, "-focus-phase")
        self.set_class(not focus, "-break-phase")
        self.set_class(state.status is Status.PAUSED, "-paused")
        status = {
            Status.IDLE: "ready",
            Status.RUNNING: "running",
            Status.PAUSED: "paused",
        }[state.status]
        number = state.focus_done % long_every + (1 if focus else 0)
        cycle = f" {number} of {long_every}" if focus else ""
        self.query_one("#timer-phase", Static).update(f"{state.phase.label}{cycle} · {status}")
        on = Text("on ")
        on.append(clean(item_title, single_line=True) if item_title else "unassigned")
        self.query_one("#timer-item", Static).update(on)
        bar = self.query_one("#timer-progress", ProgressBar)
        bar.update(progress=round(state.progress(now) * 1000))

    def show(self, summary: DaySummary) -> None:
        if summary.goal_unit == "pomodoros":
            goal = f"{summary.pomodoros} of {summary.goal:g} pomodoros"
        else:
            goal = f"{summary.focus_minutes:.0f} of {summary.goal:g} focus minutes"
        tick = " ✓" if summary.goal_met else ""
        streak = f"streak {summary.streak_days} day{'s' if summary.streak_days != 1 else ''}"
        self.query_one("#timer-today", Static).update(
            f"Today ({summary.day:%a %d %b}): {goal}{tick} · "
            f"{summary.focus_minutes:.0f} min focus · {streak}"
        )
        lines = Text()
        ranked = sorted(summary.minutes_by_item.items(), key=lambda kv: -kv[1])[:4]
        for item_id, minutes in ranked:
            title = summary.item_titles.get(item_id, "unassigned") if item_id else "unassigned"
            lines.append(f"{minutes:>4.0f} min  ", style="dim")
            lines.append(clean(title, single_line=True)[:60] + "\n")
        self.query_one("#timer-items", Static).update(lines)

    def show_nudge(self, text: str) -> None:
        self.query_one("#timer-nudge", Static).update(text)
