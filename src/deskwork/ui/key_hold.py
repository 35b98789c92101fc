"""Keys typed right after a dialog's Enter reach what the dialog opens (a fifth order of keys:
see `ui/key_order.py` for the other four), and keys typed while a grade is being saved reach the
next card (`hold_keys`).

"New draft", a title, Enter, and the learner types on: the post's first words. Between the
Enter and the editor taking the focus the app closes the dialog, makes the draft and builds the
editor, tens of milliseconds in which the keys typed went to the closing dialog's field (or,
once it was gone, to the list of drafts, as commands) and were lost. A dialog that opens a
place to type sets `HOLD_KEYS_ON_SUBMIT`: the app then holds the keys read after its Enter and,
once whoever opened the dialog calls `release_keys` (the editor has the focus), hands them on in
the order typed to whatever has the focus (a bracketed paste among them, in its place). A
dialog that stays open (a missing file said in it) releases them into itself; a hold nobody
releases ends after `HOLD_SECONDS`, so a key is never kept for good.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.timer import Timer
from textual.widgets import Input

HOLD_SECONDS = 1.0


class KeyHold:
    """The keys an app holds (None: not holding)."""

    def __init__(self) -> None:
        self.keys: list[events.Key | events.Paste] | None = None
        self.timer: Timer | None = None


def _hold(app: App[Any]) -> KeyHold:
    hold: KeyHold | None = getattr(app, "_deskwork_key_hold", None)
    if hold is None:
        hold = KeyHold()
        app._deskwork_key_hold = hold  # type: ignore[attr-defined]
    return hold


def holding(app: App[Any]) -> bool:
    return _hold(app).keys is not None


def held_key(app: App[Any], event: events.Event) -> bool:
    """Called by the app for every event it reads, before anything else: True when the event is
    a key from the terminal that it now holds. An Enter that submits a dialog which holds the
    keys after it starts the hold (the Enter itself goes on to the dialog)."""
    if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
        return False
    hold = _hold(app)
    if hold.keys is not None:  # a paste is typing too: held in its place among the keys
        hold.keys.append(event)
        return True
    if isinstance(event, events.Key) and event.key == "enter" and _submits_holding_dialog(app):
        hold.keys = []
        hold.timer = app.set_timer(HOLD_SECONDS, lambda: release_keys(app))
    return False


def hold_keys(app: App[Any], seconds: float = HOLD_SECONDS) -> None:
    """Hold the keys read from now on until `release_keys` (or `seconds`): a grade whose write
    is on its way to disk holds them, so that a key typed meanwhile lands on the next card
    (ui/panes/review.py). Already holding: the hold goes on."""
    hold = _hold(app)
    if hold.keys is None:
        hold.keys = []
        hold.timer = app.set_timer(seconds, lambda: release_keys(app))


def _submits_holding_dialog(app: App[Any]) -> bool:
    try:
        screen = app.screen
    except Exception:  # no screen yet, or one closing
        return False
    return getattr(screen, "HOLD_KEYS_ON_SUBMIT", False) and isinstance(app.focused, Input)


def release_keys(app: App[Any]) -> None:
    """Hand the held keys on, in the order typed, to what has the focus when the app gets to
    it: after the keys and messages it has already read (those it read meanwhile are held
    too). Nothing when not holding."""
    if not holding(app):
        return
    app.call_later(_replay, app)


async def _replay(app: App[Any]) -> None:
    hold = _hold(app)
    keys, hold.keys = hold.keys, None
    if hold.timer is not None:
        hold.timer.stop()
        hold.timer = None
    pending = list(keys or ())
    while pending:
        key = pending.pop(0)
        await app.on_event(key)  # the app's own path: its other key orders apply
        if hold.keys is not None:  # that key was an Enter that started another hold
            hold.keys[:0] = pending
            return
