"""The footer of every deskwork screen: the keys bound now. Textual's own "^p Commands" entry is
left out because the `app.palette` command is already there (and follows the user's keymap)."""

from __future__ import annotations

from textual.widgets import Footer


class DeskFooter(Footer):
    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
