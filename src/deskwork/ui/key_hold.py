"""Keys typed in a burst after a key that opens something reach what it opens (a fifth order of
keys: see `ui/key_order.py` for the other four).

Two cases, one hold. The app, while holding, keeps every key (and bracketed paste) it reads from
the terminal and afterwards hands them on, in the order typed, through its own key path, to
whatever has the focus then.

- Any key that is not text for the focused field (`n` on the list of drafts, Ctrl+K anywhere,
  Enter on a list): the app holds the keys read after it until that key has been handled all the
  way (the focused widget read it, it bubbled up to the app, whose binding ran its action) and,
  when that opened a screen (a dialog), until the screen is mounted and has given the focus to
  its field. Without it, `n` then a title typed within ~20 ms lost the title: the keys after `n`
  were handed to the list before `n` had opened the dialog (as commands of the list: `d` deletes),
  and Ctrl+K then text met a dialog with no focus yet. This is `trip` below: the general rule,
  for every dialog, no dialog has to ask for it.
- A dialog whose Enter opens a place to type (a new draft's editor) sets `HOLD_KEYS_ON_SUBMIT`:
  the keys after its Enter are held until whoever opened the dialog calls `release_keys` (the
  editor has the focus): the draft is made and the editor built after the dialog has closed,
  which the trip cannot see. A dialog that stays open (a missing file said in it) releases them
  into itself.

A hold nobody releases ends after `HOLD_SECONDS`, so a key is never kept for good.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

HOLD_SECONDS = 1.0


class KeyHold:
    """The keys an app holds (None: not holding)."""

    def __init__(self) -> None:
        self.keys: list[events.Key | events.Paste] | None = None
        self.timer: Timer | None = None
        self.trip: asyncio.Task[None] | None = None


def _hold(app: App[Any]) -> KeyHold:
    hold: KeyHold | None = getattr(app, "_deskwork_key_hold", None)
    if hold is None:
        hold = KeyHold()
        app._deskwork_key_hold = hold  # type: ignore[attr-defined]
    return hold


def holding(app: App[Any]) -> bool:
    return _hold(app).keys is not None


def _start(app: App[Any]) -> KeyHold:
    hold = _hold(app)
    hold.keys = []
    hold.timer = app.set_timer(HOLD_SECONDS, lambda: release_keys(app))
    return hold


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
        _start(app)
    return False


def _submits_holding_dialog(app: App[Any]) -> bool:
    try:
        screen = app.screen
    except Exception:  # no screen yet, or one closing
        return False
    return getattr(screen, "HOLD_KEYS_ON_SUBMIT", False) and isinstance(app.focused, Input)


class Before:
    """Where a key from the terminal was going, read before the app handles it."""

    def __init__(self, app: App[Any], event: events.Event) -> None:
        self.key = event if isinstance(event, events.Key) and not event.is_forwarded else None
        self.focused: Widget | None = None
        self.screen: Screen[Any] | None = None
        if self.key is not None:
            with contextlib.suppress(Exception):  # no screen yet, or one closing
                self.screen = app.screen
                self.focused = app.focused


def _is_text(key: events.Key, focused: Widget | None) -> bool:
    """The key is typed into the focused field as text (never opens anything)."""
    # TextArea by name: Textual's TextArea is imported with the first text area (not at start)
    field = isinstance(focused, Input) or any(
        cls.__name__ == "TextArea" for cls in type(focused).__mro__
    )
    return field and key.is_printable and not key.key.startswith(("alt+", "ctrl+"))


def trip(app: App[Any], before: Before) -> None:
    """Called by the app once it has handled a key from the terminal (`before` read first): hold
    the keys read next until that key has gone all the way (and what it opened has the focus)."""
    key = before.key
    if key is None or before.screen is None or holding(app) or _is_text(key, before.focused):
        return
    chain: list[MessagePump] = []
    node: MessagePump | None = before.focused or before.screen
    while isinstance(node, Widget):  # the focused widget up to its screen: the key bubbles so
        chain.append(node)
        node = node.parent
    hold = _start(app)
    hold.trip = asyncio.create_task(_trip(app, chain, before.screen))


async def _trip(app: App[Any], chain: list[MessagePump], screen_before: Screen[Any]) -> None:
    """No time limit of its own: the hold's timer (`_start`) releases the keys after
    `HOLD_SECONDS` whatever holds them, and the release cancels this task if still waiting."""
    await _gone_all_the_way(app, chain, screen_before)
    release_keys(app)


async def _gone_all_the_way(
    app: App[Any], chain: list[MessagePump], screen_before: Screen[Any]
) -> None:
    for node in chain:  # twice: what the key's handler posted to the widget itself is read too
        await _settle(node)
        await _settle(node)
    await _settle(app)  # the key, bubbled up to the app: its binding has run
    try:
        screen = app.screen
    except Exception:  # no screen: nothing to wait for
        return
    if screen is screen_before:
        return
    await screen._mounted_event.wait()  # a screen opened (or the one below came back)
    await _settle(screen)
    await _settle(screen)
    await _settle(app)  # a field's focus() is the app's to run


async def _settle(pump: MessagePump) -> None:
    """Until `pump` has read what is queued for it now (at once when it reads no more)."""
    done = asyncio.Event()
    if pump.call_later(done.set):
        await done.wait()


def release_keys(app: App[Any]) -> None:
    """Hand the held keys on, in the order typed, to what has the focus when the app gets to
    it: after the keys and messages it has already read (those it read meanwhile are held
    too). Nothing when not holding."""
    if not holding(app):
        return
    app.call_later(_replay, app)


async def _replay(app: App[Any]) -> None:
    hold = _hold(app)
    if hold.keys is None:  # released twice (the trip and the time limit): done already
        return
    keys, hold.keys = hold.keys, None
    if hold.timer is not None:
        hold.timer.stop()
        hold.timer = None
    if hold.trip is not None:
        if not hold.trip.done():
            hold.trip.cancel()
        hold.trip = None
    pending = list(keys)
    while pending:
        key = pending.pop(0)
        await app.on_event(key)  # the app's own path: its other key orders apply
        if hold.keys is not None:  # that key started another hold
            hold.keys[:0] = pending
            return
