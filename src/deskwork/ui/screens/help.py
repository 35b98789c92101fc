"""The help screen: every command with the keys that trigger it now (after the user's keymap)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from deskwork.ui.commands import Command

_KEY_NAMES = {"question_mark": "?", "colon": ":", "escape": "Esc", "ctrl": "Ctrl"}


def key_label(keys: str) -> str:
    """`"question_mark,f1"` -> `"? / F1"`, `"shift+tab"` -> `"Shift+Tab"`."""

    def one(part: str) -> str:
        if part in _KEY_NAMES:
            return _KEY_NAMES[part]
        if len(part) <= 3 and part[0] == "f" and part[1:].isdigit():
            return part.upper()
        return part.capitalize() if len(part) > 1 else part

    return " / ".join("+".join(one(p) for p in key.strip().split("+")) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 110; max-width: 98%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: auto; max-height: 30; }
    HelpScreen #help-foot { color: $text-muted; }
    """

    def __init__(self, commands: list[tuple[Command, str]]) -> None:
        super().__init__()
        self.commands = commands

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]deskwork keys[/b]")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                'Rebind any key in config.toml: [keys] "<id>" = "key,other_key". Esc closes.',
                id="help-foot",
                markup=False,
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Keys", "Command", "What it does", "Binding id")
        for command, keys in self.commands:
            table.add_row(Text(key_label(keys)), command.title, command.help, command.id)
        table.focus()
