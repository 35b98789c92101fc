"""The help screen: every command with the keys that trigger it now (after the user's keymap), one
section per area, keys written as people read them (`?`, `/`, `+`, `Ctrl+P`). Long descriptions
wrap instead of being cut."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from deskwork.ui.commands import Command
from deskwork.ui.keymap import key_label

KEYS_MOST, TITLE_MOST = 16, 18  # the keys' and the title's cells below 100 columns

# (scope, heading, the binding id of the key that reaches that area, if any)
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("", "Anywhere", ""),
    ("timer", "Pomodoro timer", "pane.timer"),
    ("queue", "Today's queue", "pane.queue"),
    ("review", "Flashcard review", "pane.review"),
    ("draft", "Draft post", "pane.draft"),
    ("browser", "Card browser", "cards.browse"),
    ("decks", "Deck list", "cards.decks"),
    ("presets", "Deck presets", "cards.presets"),
    ("retention", "Desired retention", "cards.retention"),
    ("curriculum", "Curriculum table", "app.curriculum"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 118; max-width: 100%; height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen .help-heading { text-style: bold; color: $primary; margin: 1 0 0 0; }
    HelpScreen #help-foot { color: $text-muted; }
    """

    def __init__(self, commands: list[tuple[Command, str]]) -> None:
        super().__init__()
        self.commands = commands
        # what is shown, for tests and the palette: (section heading, keys, title, binding id)
        self.rows: list[tuple[str, str, str, str]] = []

    def compose(self) -> ComposeResult:
        keys_of = {c.id: keys for c, keys in self.commands}
        with Vertical():
            yield Static("[b]deskwork keys[/b]  (↑ ↓ PgUp PgDn scroll, Esc closes)")
            with VerticalScroll(id="help-scroll"):
                for scope, heading, reach in SECTIONS:
                    rows = [(c, k) for c, k in self.commands if c.scope == scope]
                    if not rows:
                        continue
                    title = heading
                    if reach and keys_of.get(reach):
                        title += f"  ({key_label(keys_of[reach])})"
                    yield Static(Text(title), classes="help-heading")
                    yield Static(self._table(heading, rows), classes="help-table")
            yield Static(
                'Rebind any key in config.toml: [keys] "<binding id>" = "key,other_key" '
                "(the ids are listed on a terminal 100 columns wide, and in the README).",
                id="help-foot",
                markup=False,
            )

    def _table(self, heading: str, rows: list[tuple[Command, str]]) -> Table:
        table = Table(box=None, show_header=False, expand=True, pad_edge=False)
        wide = self.app.size.width >= 100  # on a small terminal the description gets the room
        # Below 100 columns a long key list or title wraps within its column (at most
        # KEYS_MOST / TITLE_MOST cells) rather than squeezing the description: one long title
        # ("Import cards (Anki .apkg / .txt)") left it 19 columns of a 80-column terminal.
        table.add_column(
            "Keys", style="bold", no_wrap=wide, min_width=14, max_width=None if wide else KEYS_MOST
        )
        table.add_column(
            "Command", no_wrap=wide, min_width=16, max_width=None if wide else TITLE_MOST
        )
        table.add_column("What it does", ratio=1)
        if wide:
            table.add_column("Binding id", style="dim", no_wrap=True)
        for command, keys in rows:
            label = key_label(keys)
            self.rows.append((heading, label, command.title, command.id))
            cells = [Text(label), Text(command.title), Text(command.help)]
            table.add_row(*cells, *([command.id] if wide else []))
        return table

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
