"""Keys are handled in the order they were typed, even when they arrive in one burst (tmux
send-keys, a terminal's single read of a fast typist, keys pasted without bracketed paste).

Textual hands each key from the terminal to the app's message queue; the app checks its *priority*
bindings at once and otherwise posts the key to the focused widget's own queue, which reads it
later. Two orders broke under a burst:

- A priority binding (Ctrl+S in a form, Ctrl+K quick capture, F6 the timer) ran while the keys
  typed before it still waited in the field's queue: `Ctrl+U 0.85 Ctrl+S` saved the old value, a
  card's front typed just before Ctrl+S was "empty". `settle_before_priority_key` now waits, before such a
  key, until the focused widget has read what is queued for it (its queue gets a marker; bounded
  by `SETTLE_SECONDS` so a stuck widget cannot freeze the keyboard).
- A field's own editing keys (Ctrl+U, Backspace, arrows: bindings, not text) travelled up to the
  app before running, so characters typed after them were inserted first (`Ctrl+U 0.85` ended
  empty). `run_own_bindings_inline` makes Input and TextArea run their own bindings as they read
  the key, as upstream proposes (Textual issue #6605, pull request #6631).

A third order: Tab (next field) is a binding the app runs when the key has bubbled back up to it,
behind the keys it read after Tab and already handed to the field: `Capital of France?` Tab
`Paris` filled one field. Where Tab and Shift+Tab do what Textual binds them to (move the focus),
the app now moves it as it reads them, once the field has read the keys before.

A fourth order is the focus: `Widget.focus()` only queues the change behind what the app already
holds, so a key typed right after F2..F5 (go to an area) met the bindings of the area left: F4
then Space while the cards were still loading started the pomodoro. The desk moves the focus with
`focus_now`.

And an Alt chord (Alt+O, Alt+1) is never read as text by a field: it reaches the bindings.

A fifth order, the keys typed right after a key that opens a dialog (`n` then a title) or
after a dialog's Enter (a new draft's first words), is `ui/key_hold.py`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import Input

SETTLE_SECONDS = 0.5

_KeyHandler = Callable[[Any, events.Key], Awaitable[None]]


async def _run_own_binding(widget: Widget, event: events.Key) -> None:
    """The widget's own (non-priority) binding for the key, now, if the widget left the key."""
    if event._stop_propagation or event._no_default_action:
        return  # read as text (or otherwise used) by the widget
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return


def _inline(original: _KeyHandler) -> _KeyHandler:
    async def _on_key(self: Widget, event: events.Key) -> None:
        if event.key.startswith("alt+") and event.is_printable:
            # An Alt chord is a command, never text: Textual gives Alt+O the character "o",
            # which the field typed (Alt+1 typed "1", Alt+O in the editor "o") instead of the
            # app's binding running. Left unread, it goes on to the bindings.
            await _run_own_binding(self, event)
            return
        await original(self, event)
        await _run_own_binding(self, event)

    _on_key.__doc__ = original.__doc__
    _on_key._deskwork_inline = True  # type: ignore[attr-defined]
    return _on_key


def run_own_bindings_inline(*classes: type[Widget]) -> None:
    """Install (once) the in-order editing keys on Input, and on `classes` (TextArea: by
    ui/text_fields.py, which imports it, before any text area is made)."""
    for cls in (Input, *classes):
        handler = cls.__dict__["_on_key"]
        if not getattr(handler, "_deskwork_inline", False):
            setattr(cls, "_on_key", _inline(handler))  # noqa: B010


FOCUS_ACTIONS = {
    "tab": ("app.focus_next", "focus_next"),
    "shift+tab": ("app.focus_previous", "focus_previous"),
}


async def settle_before_priority_key(app: App[Any], event: events.Event) -> bool:
    """Called by the app for every event it reads: before a key from the terminal that has a
    priority binding, wait for the focused widget to read the keys typed before it. Tab and
    Shift+Tab that would move the focus (Textual's binding, not a widget's own) move it here,
    once those keys are read, so that the keys after them go to the next field; True then (the
    key is used)."""
    if not isinstance(event, events.Key) or event.is_forwarded:
        return False
    focused = app.focused
    if focused is None:
        return False
    if event.key in FOCUS_ACTIONS and _binding_action(app, event.key) in FOCUS_ACTIONS[event.key]:
        if getattr(focused, "tab_behavior", None) == "indent":  # a TextArea that indents
            return False  # the key is text there
        await settle(focused)
        if event.key == "tab":
            app.screen.focus_next()
        else:
            app.screen.focus_previous()
        return True
    if _is_priority_key(app, event.key):
        await settle(focused)
    return False


def _bindings(app: App[Any], key: str) -> list[Binding]:
    """The key's bindings from the focused widget up to the app, nearest first."""
    with contextlib.suppress(Exception):  # no screen yet, or one closing
        return [b for _node, m in app.screen._binding_chain for b in m.key_to_bindings.get(key, ())]
    return []


def _binding_action(app: App[Any], key: str) -> str | None:
    """The action the key's first binding runs, from the focused widget up (None: unbound)."""
    found = _bindings(app, key)
    return found[0].action if found else None


def _is_priority_key(app: App[Any], key: str) -> bool:
    return any(b.priority for b in _bindings(app, key))


def focus_now(widget: Widget) -> None:
    """Focus `widget` at once (the keys read next see it focused); a widget that cannot take the
    focus yet (not shown until the next refresh) gets it the usual, deferred way."""
    with contextlib.suppress(NoScreen):
        widget.screen.set_focus(widget)
    if widget.app.focused is not widget:
        widget.focus()


async def settle(widget: Widget) -> None:
    """Wait until `widget` has handled the messages already queued for it."""
    done = asyncio.Event()
    widget.call_later(done.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), SETTLE_SECONDS)
