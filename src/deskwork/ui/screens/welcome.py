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

Move between areas with {next} or {timer}, {queue}, {review}, {draft}; [b]{help}[/b] lists \
every key; [b]{palette}[/b] opens the command palette; [b]{quit}[/b] quits. Everything you do is \
saved as you go.
"""


def welcome_text(keys: dict[str, str]) -> Text:
    """The welcome with the keys bound now (after the user's keymap)."""
    from rich.markup import escape

    def k(binding_id: str, default: str) -> str:
        return escape(keys.get(binding_id) or default)

    return Text.from_markup(
        WELCOME.format(
            next=k("pane.next", "Tab"),
            timer=k("pane.timer", "F2"),
            queue=k("pane.queue", "F3"),
            review=k("pane.review", "F4"),
            draft=k("pane.draft", "F5"),
            help=k("app.help", "?"),
            palette=k("app.palette", "Ctrl+P"),
            quit=k("app.quit", "q"),
        )
    )


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

    def __init__(self, starter_available: bool, keys: dict[str, str] | None = None) -> None:
        super().__init__()
        self.starter_available = starter_available
        self.keys = keys or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(welcome_text(self.keys))
            with Horizontal():
                if self.starter_available:
                    yield Button("Load the starter curriculum", id="starter", variant="primary")
                yield Button("Start with an empty desk", id="empty")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "empty")
