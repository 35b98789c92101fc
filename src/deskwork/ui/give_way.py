"""Workers give way to the event loop: the UI thread goes first for the GIL.

A worker that computes (a card search, the browser's figures) shares the GIL with the UI thread
turn about, a switch interval each: a 15 ms callback of the loop took 30 ms while one worker ran
and 45 ms while two did. `GiveWay` knows whether the loop's thread is working or waiting for
something to do (it wraps the loop's selector: a `select` with a timeout is the loop waiting, one
without is the loop between two ready callbacks). A worker calls `pause` between two slices of its
work: while the loop works, the worker sleeps, off the GIL, until the loop waits again, at most
`MAX_WAIT_S` at a time, so a loop kept busy for long still lets the work go on, a slice a wait.
An event loop without a selector of ours to wrap (another loop implementation) is never waited
for: `pause` then returns at once.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

MAX_WAIT_S = 0.02  # a worker waits for the loop at most this long per pause


class GiveWay:
    """One per app: `install` on its running loop, then workers call `pause` between slices."""

    def __init__(self) -> None:
        self._waiting = threading.Event()  # the loop's thread is waiting in its selector
        self._waiting.set()  # not installed: nobody waits
        self.installed = False
        self.pauses = 0  # pauses that waited for the loop
        self._selector: Any = None
        self._loop_thread: int | None = None

    def install(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Watch `loop`'s selector (once; called on the loop's thread). False when it has none."""
        selector = getattr(loop, "_selector", None)
        select = getattr(selector, "select", None)
        if self.installed or select is None:
            return False
        waiting = self._waiting

        def watched(timeout: float | None = None) -> Any:
            if timeout is None or timeout > 0:  # nothing ready to run: the loop waits
                waiting.set()
            try:
                return select(timeout)
            finally:
                waiting.clear()  # the loop runs what came

        try:
            selector.select = watched  # type: ignore[union-attr]
        except AttributeError:  # a selector that takes no attribute: nothing watched
            return False
        self._selector = selector
        self._loop_thread = threading.get_ident()
        self.installed = True
        waiting.clear()
        return True

    def uninstall(self) -> None:
        """The app ends: the selector as it was, and nobody waits for it any more."""
        if self.installed and self._selector is not None:
            vars(self._selector).pop("select", None)
        self.installed = False
        self._waiting.set()

    def loop_busy(self) -> bool:
        return not self._waiting.is_set()

    def pause(self) -> None:
        """Between two slices of a worker's work: wait while the loop works (never on the loop's
        own thread, where it returns at once)."""
        if self._waiting.is_set() or threading.get_ident() == self._loop_thread:
            return
        self.pauses += 1
        self._waiting.wait(MAX_WAIT_S)
