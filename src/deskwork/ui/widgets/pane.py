"""The frame shared by the four desk areas: a focusable, titled container.

Which area holds the keyboard is drawn with the `-has-focus` class, kept by the desk screen
(`mark_focused_area`), not with Textual's `:focus-within`: for a `:focus-within` rule Textual
restyles every widget inside both areas on each focus move, and for `:focus` the whole area the
pane holds; the frame's look depends on the frame alone, so only the two frames are restyled
(the stall meter's `switch_areas`). The focused frame's title is bold and in the border's colour
by its own text style, not by `border-title-color` / `border-title-style` rules: Textual repaints
every widget inside a widget whose colour or text-style rule changes (they might inherit it), so
those rules made an area switch redraw both areas whole."""

from __future__ import annotations

from collections.abc import Iterable

from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget

FOCUSED_TITLE = "bold $primary"  # the title of the area that holds the keyboard


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
    Pane.-has-focus {
        border: round $primary;
    }
    """

    pane_id = ""
    title = ""
    binding_id = ""  # the command that goes to this area: its key is written on the border

    def on_mount(self) -> None:
        self.show_title()
        self.border_subtitle = self.key_hint

    def show_title(self) -> None:
        """The title on the border: bold, in the border's colour, while the area has the keyboard
        (FOCUSED_TITLE over the muted `border-title-color`)."""
        focused = self.has_class("-has-focus")
        self.border_title = Content.styled(self.title, FOCUSED_TITLE) if focused else self.title

    @property
    def key_hint(self) -> str:
        """The key bound now to go to this area (after the user's keymap), for its border."""
        return self.key(self.binding_id) if self.binding_id else ""

    def key(self, binding_id: str) -> str:
        """The key bound now to `binding_id` (after the user's keymap), as people read it, for the
        hints an area writes (the app keeps the table; outside it, the id itself)."""
        bound: dict[str, str] = getattr(self.app, "bound", {})
        return bound.get(binding_id) or binding_id

    def watch_has_focus(self, _has_focus: bool) -> None:
        restyle_frame(self)

    def focus_target(self) -> Widget:
        """What gets the keyboard when the pane is chosen (its list, its editor…)."""
        return self


def restyle_frame(pane: Pane) -> None:
    """The pane's own styles brought up to date, not those of the widgets inside: no rule styles
    them by the pane's focus or by its `-has-focus` / `-current` classes."""
    pane.app.stylesheet.update_nodes([pane], animate=True)


def set_frame_class(pane: Pane, on: bool, name: str) -> None:
    """Add or remove one of the frame's own classes, restyling the frame alone."""
    if pane.has_class(name) != on:
        pane.set_class(on, name, update=False)
        restyle_frame(pane)
        if name == "-has-focus":
            pane.show_title()


def mark_focused_area(panes: Iterable[Pane], focused: Widget | None) -> None:
    """`-has-focus` on the area holding `focused` (itself or a widget inside), off the others."""
    holder = focused
    while holder is not None and not isinstance(holder, Pane):
        holder = holder.parent if isinstance(holder.parent, Widget) else None
    for pane in panes:
        set_frame_class(pane, pane is holder, "-has-focus")
