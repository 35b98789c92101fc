"""The frame shared by the four desk areas: a focusable, titled container."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widget import Widget


class Pane(Vertical, can_focus=True):
    """One desk area. `pane_id` names it for focus commands; subclasses fill it."""

    DEFAULT_CSS = """
    Pane {
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        padding: 0 1;
        height: 1fr;
        width: 1fr;
    }
    Pane:focus-within, Pane:focus {
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
    }
    """

    pane_id = ""
    title = ""
    binding_id = ""  # the command that goes to this area: its key is written on the border

    def on_mount(self) -> None:
        self.border_title = self.title
        self.border_subtitle = self.key_hint

    @property
    def key_hint(self) -> str:
        """The key bound now to go to this area (after the user's keymap), for its border."""
        return self.key(self.binding_id) if self.binding_id else ""

    def key(self, binding_id: str) -> str:
        """The key bound now to `binding_id` (after the user's keymap), as people read it, for the
        hints an area writes (the app keeps the table; outside it, the id itself)."""
        bound: dict[str, str] = getattr(self.app, "bound", {})
        return bound.get(binding_id) or binding_id

    def focus_target(self) -> Widget:
        """What gets the keyboard when the pane is chosen (its list, its editor…)."""
        return self
