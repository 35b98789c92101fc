"""Small dialogs of the timer: log an interruption, abandon with a reason, choose the timer's item."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from deskwork.domain.sessions import InterruptionKind

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 70; max-width: 95%; height: auto; border: round $primary;
    background: $surface; padding: 1 2;
}}
{name} Horizontal {{ height: auto; margin: 1 0 0 0; }}
{name} Button {{ margin: 0 2 0 0; }}
"""


class InterruptScreen(ModalScreen[tuple[InterruptionKind, str] | None]):
    """Returns (kind, note), or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="InterruptScreen")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Log an interruption on this focus session")
            yield Input(placeholder="what happened (optional)", id="note", max_length=200)
            with Horizontal():
                yield Button("Internal: I got distracted", id="internal", variant="primary")
                yield Button("External: someone else", id="external")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss((InterruptionKind.INTERNAL, event.value.strip()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        note = self.query_one("#note", Input).value.strip()
        self.dismiss((InterruptionKind(event.button.id or "internal"), note))


class AbandonScreen(ModalScreen[str | None]):
    """Returns the reason ("" if none given), or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="AbandonScreen")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Abandon this session? It is kept in your history as abandoned.")
            yield Input(
                placeholder="reason (optional); Enter abandons, Esc keeps going", id="reason"
            )
            with Horizontal():
                yield Button("Abandon", id="abandon", variant="error")
                yield Button("Keep going", id="keep")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "abandon":
            self.dismiss(self.query_one("#reason", Input).value.strip())
        else:
            self.dismiss(None)


NO_ITEM = "none"


class TimerItemScreen(ModalScreen[tuple[int | None] | None]):
    """Which item the timer's minutes go to: today's queue, then what could be picked, or none.
    Returns `(item_id,)` (`(None,)` for no item), or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="TimerItemScreen")
        + """
    TimerItemScreen > Vertical { max-height: 90%; }
    TimerItemScreen OptionList { height: auto; max-height: 20; }
    """
    )

    def __init__(self, choices: list[tuple[int, str, bool]], current: int | None) -> None:
        super().__init__()
        self.choices = choices  # (id, title, picked for today)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Put the timer on… (Enter chooses, Esc keeps it as it is)")
            options: list[Option | None] = []
            today = [c for c in self.choices if c[2]]
            others = [c for c in self.choices if not c[2]]
            if today:
                options.append(Option(Text("Today's queue", style="dim"), disabled=True))
                options += [self._option(c) for c in today]
            if others:
                options.append(Option(Text("Not picked for today", style="dim"), disabled=True))
                options += [self._option(c) for c in others]
            options.append(None)
            options.append(Option(Text("No item (unassigned)", style="italic"), id=NO_ITEM))
            yield OptionList(*options, id="timer-item-choices")

    def _option(self, choice: tuple[int, str, bool]) -> Option:
        item_id, title, _ = choice
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append("● " if item_id == self.current else "  ", style="bold")
        label.append(title)
        return Option(label, id=str(item_id))

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        wanted = NO_ITEM if self.current is None else str(self.current)
        with contextlib.suppress(OptionDoesNotExist):
            listing.highlighted = listing.get_option_index(wanted)
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        self.dismiss((None,) if option_id == NO_ITEM else (int(option_id or 0),))
