"""First run: what the four areas are for, and a way to start with a curriculum."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

WELCOME = """\
[b]Welcome to deskwork[/b] — your study desk for teaching yourself a field.

[b]Pomodoro[/b]  focus sessions and breaks, attributed to what you study.
[b]Today's queue[/b]  the courses, textbooks, papers and projects on today's plan.
[b]Review[/b]  flashcards with spaced repetition (Anki-compatible).
[b]Draft post[/b]  write the blog post while you learn: it is your proof of work.

Move between areas with Tab or F2–F5; [b]?[/b] or F1 lists every key; Ctrl+P or [b]:[/b] opens \
the command palette. Everything you do is saved as you go.
"""


class WelcomeScreen(ModalScreen[str]):
    """Dismissed with "starter" (load the starter curriculum) or "empty"."""

    BINDINGS = [Binding("escape", "dismiss('empty')", "Close", id="welcome.close")]

    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical {
        width: 84; max-width: 95%; height: auto; border: round $primary;
        background: $surface; padding: 1 2;
    }
    WelcomeScreen Horizontal { height: auto; margin: 1 0 0 0; }
    WelcomeScreen Button { margin: 0 2 0 0; }
    """

    def __init__(self, starter_available: bool) -> None:
        super().__init__()
        self.starter_available = starter_available

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text.from_markup(WELCOME))
            with Horizontal():
                if self.starter_available:
                    yield Button("Load the starter curriculum", id="starter", variant="primary")
                yield Button("Start with an empty desk", id="empty")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "empty")
