"""When the cyclic garbage collector makes its full collections: while nobody is typing.

The store's records are out of the collector's way (store/collector.py); what it still walks in a
full collection is the interface itself — Textual's widgets, styles, caches of rendered lines,
an editor's undo history — tens of thousands of objects, 15–30 ms of this machine's CPU. CPython
starts one whenever ten young collections have happened and the long-lived objects grew by a
quarter: every ~40 keystrokes in a big draft, in the middle of one of them.

`IdleCollector` moves them to the pauses: while the app runs, the collector's own full
collections wait for `BUSY_LIMIT` young collections instead of 10 (so a long stretch without a
pause — a paste, an import — still ends in one: memory stays bounded), and the app's ticker calls
`tick`, which makes the full collection as soon as no key, paste or mouse event came for
`IDLE_AFTER_S` and enough happened since the last one (`IDLE_AFTER_COLLECTIONS`, CPython's own
count). Young collections are untouched (they walk only what was made since the last one: well
under a millisecond). Nothing is frozen: every object stays collectable.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_AFTER_S = 1.0
IDLE_AFTER_COLLECTIONS = 10  # young (generation 1) collections since the last full one
BUSY_LIMIT = 200  # ... after which the collector makes a full collection even without a pause


class IdleCollector:
    """Full collections at idle moments (see the module docstring). One per app."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.last_input = clock()
        self._saved: tuple[int, int, int] | None = None
        self.collections = 0  # full collections made at idle moments

    @property
    def running(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        """Raise the collector's threshold for full collections (given back by `stop`)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, BUSY_LIMIT)

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input(self) -> None:
        """A key, a paste or a mouse event arrived: not idle."""
        self.last_input = self._clock()

    def tick(self) -> bool:
        """On the app's ticker: the full collection, if now is an idle moment and one is due.
        True if it made one."""
        if self._saved is None or not gc.isenabled():  # off, or an import holds it off
            return False
        if self._clock() - self.last_input < IDLE_AFTER_S:
            return False
        if gc.get_count()[2] < IDLE_AFTER_COLLECTIONS:
            return False
        gc.collect()
        self.collections += 1
        return True
