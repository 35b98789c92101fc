"""Keys that work on every screen, dialogs included: quit and the command palette.

Textual stops looking for bindings at a modal screen, so the app's own keys (`Ctrl+Q`, `Ctrl+P`)
went dead while a dialog or the first-run welcome was open, although the footer still offered
them. Every modal screen gets these commands' bindings (same binding ids, so the user's keymap
applies), pointed at the app.

Quitting from anywhere asks first when a dialog holds typed text it cannot save half-written: such
a screen says so with `unsaved_changes()` (see `unsaved_in`).
"""

from __future__ import annotations

from dataclasses import replace

from textual.screen import Screen

from deskwork.ui.commands import Command

EVERYWHERE = ("app.quit", "app.palette")
_LENT = "_deskwork_keys_lent"


def lend_app_keys(screen: Screen[object], commands: tuple[Command, ...]) -> None:
    """Give a modal `screen` the bindings of the EVERYWHERE commands (once)."""
    if not screen.is_modal or getattr(screen, _LENT, False):
        return
    setattr(screen, _LENT, True)
    own = screen._bindings.key_to_bindings
    for command in commands:
        if command.id not in EVERYWHERE:
            continue
        binding = command.binding()
        for key in command.keys.split(","):
            if key not in own:  # a dialog's own use of a key wins
                own[key] = [replace(binding, key=key, action=f"app.{command.action}")]


def unsaved_in(screen: Screen[object]) -> str:
    """What quitting would throw away on `screen`, as the start of a question ("Discard this
    card"), or "" when nothing: a screen tells by an `unsaved_changes()` method."""
    ask = getattr(screen, "unsaved_changes", None)
    return str(ask()) if callable(ask) else ""
