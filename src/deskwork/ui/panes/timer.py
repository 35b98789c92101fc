"""The pomodoro timer area: big digits (bigger on a big terminal), the phase and its
interruptions, the item the timer is on, progress, today's count against the goal, the streak, and
focus minutes per item today."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Digits, ProgressBar, Static

from deskwork.domain.sessions import SessionKind
from deskwork.domain.text import clean
from deskwork.domain.timer import Status, TimerState, phase_line
from deskwork.domain.wording import plural
from deskwork.services import DaySummary
from deskwork.ui.commands import TIMER_COMMANDS
from deskwork.ui.widgets.big_clock import BigClock, scale_for
from deskwork.ui.widgets.pane import Pane
from deskwork.ui.widgets.static_text import update_static

# The lines around the clock (phase, item, progress, today, items, nudge, keys): the block clock
# is used only when it leaves room for them.
_OTHER_ROWS = 12


def clock_text(seconds: float) -> str:
    """`1499.2` -> `"25:00"` (rounded up, so 0:00 shows only at the very end); hours when needed."""
    whole = int(-(-seconds // 1))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def state_classes(state: TimerState) -> set[str]:
    """The timer area's classes for `state` (its digits' colour): the app composes the area with
    them, so its first `show_state` restyles nothing."""
    return {
        "-focus-phase" if state.phase is SessionKind.FOCUS else "-break-phase",
        *(("-paused",) if state.status is Status.PAUSED else ()),
    }


class TimerPane(Pane):
    pane_id = "timer"
    title = "Pomodoro"
    binding_id = "pane.timer"
    BINDINGS = [c.binding() for c in TIMER_COMMANDS]

    DEFAULT_CSS = """
    TimerPane #timer-digits { width: auto; margin: 1 0 0 0; }
    TimerPane #timer-big { width: auto; margin: 1 0 0 0; display: none; }
    TimerPane.-big #timer-big { display: block; }
    TimerPane.-big #timer-digits { display: none; }
    TimerPane.-focus-phase #timer-digits, TimerPane.-focus-phase #timer-big { color: $primary; }
    TimerPane.-break-phase #timer-digits, TimerPane.-break-phase #timer-big { color: $secondary; }
    TimerPane.-paused #timer-digits, TimerPane.-paused #timer-big { color: $text-muted; }
    TimerPane ProgressBar { margin: 0 0 1 0; width: 100%; }
    TimerPane ProgressBar Bar { width: 1fr; }
    TimerPane #timer-keys { color: $text-muted; dock: bottom; }
    """

    def compose(self) -> ComposeResult:
        yield Digits("25:00", id="timer-digits")
        # The block clock (a big terminal only) is made when first needed: `_big_clock`.
        # Few widgets: the text above the bar (the phase, the item) is one widget, and the text
        # under it (today, the items, the end-of-day nudge) another.
        yield Static(id="timer-head")
        yield ProgressBar(total=1000, show_eta=False, show_percentage=False, id="timer-progress")
        yield Static(id="timer-body")
        yield Static(id="timer-keys")

    _scale = 0
    _keys: dict[str, str] = {}
    _big: BigClock | None = None
    # The parts of the two text widgets, each set by its own `show…` call.
    _phase = Text()
    _on = Text()
    _today = Text()
    _items = Text()
    _nudge = ""

    def _show_head(self) -> None:
        update_static(
            self.query_one("#timer-head", Static), Text("\n").join((self._phase, self._on))
        )

    def _show_body(self) -> None:
        text = Text("\n").join((self._today, self._items))
        body = Content.assemble(Content.from_rich_text(text), "\n", (self._nudge, "$warning"))
        update_static(self.query_one("#timer-body", Static), body)

    def show_keys(self, keys: dict[str, str]) -> None:
        """The keys bound now (after the user's keymap), by binding id, as people read them."""
        self._keys = keys
        hints = [
            ("timer.toggle", "start/pause"),
            ("timer.skip", "skip"),
            ("timer.extend", "+time"),
            ("timer.interrupt", "interruption"),
            ("timer.item", "item"),
            ("timer.abandon", "abandon"),
            ("timer.reset", "reset"),
        ]
        self.query_one("#timer-keys", Static).update(
            Text(" · ".join(f"{keys[i]} {what}" for i, what in hints if keys.get(i)))
        )

    def on_resize(self, event: events.Resize) -> None:
        width, height = self.content_size.width, self.content_size.height
        self._scale = scale_for("25:00", width, height - _OTHER_ROWS) if height >= 20 else 0
        self.set_class(self._scale > 0, "-big")
        self._show_clock(self.query_one("#timer-digits", Digits).value)

    def _show_clock(self, text: str) -> None:
        digits = self.query_one("#timer-digits", Digits)
        if digits.value != text:  # Digits draws itself again even for the same text
            digits.update(text)
        if self._scale:
            self._big_clock().show(text, self._scale)

    def _big_clock(self) -> BigClock:
        """The block clock, made the first time the area is big enough for it."""
        if self._big is None:
            self._big = BigClock(id="timer-big")
            self.mount(self._big, after="#timer-digits")
        return self._big

    def show_state(
        self, state: TimerState, now: datetime, item_title: str | None, long_every: int
    ) -> None:
        self._show_clock(clock_text(state.remaining(now)))
        shown = state_classes(state)
        for name in ("-focus-phase", "-break-phase", "-paused"):
            self.set_class(name in shown, name)
        phase = Text()
        phase.append(phase_line(state, long_every), style="bold")
        if state.interruptions:
            internal = sum(1 for i in state.interruptions if i.kind.value == "internal")
            external = len(state.interruptions) - internal
            kinds = [
                f"{internal} internal" if internal else "",
                f"{external} external" if external else "",
            ]
            phase.append(
                f" · {plural(len(state.interruptions), 'interruption')} "
                f"({', '.join(k for k in kinds if k)})",
                style="not bold yellow",
            )
        self._phase = phase
        on = Text("Timer on: ", style="dim")
        if item_title:
            on.append(clean(item_title, single_line=True), style="bold")
        else:
            on.append("no item", style="italic")
        if state.item_changes and state.status is not Status.IDLE:
            since = state.item_changes[-1].at.astimezone()
            on.append(
                f"  (since {since:%H:%M}; the minutes before stay where they were)", style="dim"
            )
        self._on = on
        self._show_head()
        bar = self.query_one("#timer-progress", ProgressBar)
        bar.update(progress=round(state.progress(now) * 1000))

    def show(self, summary: DaySummary) -> None:
        if summary.goal_unit == "pomodoros":
            goal = f"{summary.pomodoros} of {plural(summary.goal, 'pomodoro')}"
        else:
            goal = f"{summary.focus_minutes:.0f} of {plural(summary.goal, 'focus minute')}"
        tick = " ✓" if summary.goal_met else ""
        streak = f"streak {plural(summary.streak_days, 'day')}"
        self._today = Text(
            f"Today ({summary.day:%a %d %b}): {goal}{tick} · "
            f"{summary.focus_minutes:.0f} min focus · {streak}"
        )
        lines = Text()
        ranked = sorted(summary.minutes_by_item.items(), key=lambda kv: -kv[1])[:4]
        for item_id, minutes in ranked:
            title = summary.item_titles.get(item_id, "unassigned") if item_id else "unassigned"
            lines.append(f"{minutes:>4.0f} min  ", style="dim")
            lines.append(clean(title, single_line=True)[:60] + "\n")
        self._items = lines
        self._show_body()

    def show_nudge(self, text: str) -> None:
        self._nudge = text
        self._show_body()
