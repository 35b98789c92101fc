"""Small dialogs of the timer: log an interruption, abandon with a reason."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

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
