"""When the cyclic garbage collector walks the long-lived part of the interface: while nobody types.

The store's records are out of the collector's way (store/collector.py); what a full collection
still walks is the interface itself — Textual's widgets, styles, caches of rendered lines, an
editor's undo history — tens of thousands of objects, 20–50 ms of this machine's CPU. CPython
makes one whenever ten young collections happened and the long-lived objects grew by a quarter:
every ~60 keystrokes in a big draft, in the middle of one of them.

`IdleCollector.tick` runs on the app's ticker. At an idle moment (no key, paste or mouse event for
`IDLE_AFTER_S`) after something reached the oldest generation, it collects (a walk of only what
is not frozen: what was made since the previous idle moment) and freezes what survives
(`gc.freeze`): the collector's own full collections while the user types again walk only what is
new since. Raising CPython's threshold instead was measured and rejected: the garbage of a long
stretch of typing piled up and the one full collection that came was longer than the ones avoided.

Frozen objects that later die in a reference cycle (a screen open at that moment, closed later)
are not collected while frozen, so the frozen set is swept: at an idle moment when it has grown
by `SWEEP_GROWTH` since the last sweep, everything is unfrozen, collected and frozen again. That
is the one long walk (the whole interface, ~60–200 ms at the power-user scale), made only while
the user is idle and only after such growth; what a cycle can hold meanwhile is bounded by it.
It waits for a longer pause (`SWEEP_AFTER_S`, 5 s) than a collection: a key pressed during it
waits for the whole walk, and a key is far more likely one second into a pause (a user thinking
between two keys) than five (reading, away); until then the ordinary idle collection runs.
No key is not idle while work runs in the background (`busy`: a worker, a compaction): an
import freezes the file it read until it is imported, and a sweep then walked its 250k answers
(320 ms, measured).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_AFTER_S = 1.0
SWEEP_AFTER_S = 5.0  # a sweep (the one long walk) waits for a longer pause than a collection
SWEEP_GROWTH = 0.25  # the frozen set grown by this fraction since the last sweep: sweep again
SWEEP_MIN_OBJECTS = 20_000  # ... and by at least this many objects


class IdleCollector:
    """Collect-and-freeze at idle moments, sweeps of the frozen set (see the module docstring).
    One per app; `start` and `stop` bracket it (`stop` gives everything back to the collector)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        self._clock = clock
        self._busy = busy
        self.last_input = clock()
        self.running = False
        self.collections = 0  # idle collections made
        self.sweeps = 0  # of which sweeps of the frozen set
        self._swept = 0  # the frozen set's size after the last sweep

    def start(self) -> None:
        self.running = True
        self._swept = gc.get_freeze_count()

    def stop(self) -> None:
        """The app ends: what was frozen goes back to the collector."""
        if self.running:
            self.running = False
            gc.unfreeze()

    def input(self) -> None:
        """A key, a paste or a mouse event arrived: not idle."""
        self.last_input = self._clock()

    def tick(self) -> bool:
        """On the app's ticker: an idle collection, if now is an idle moment and one is due.
        True if it made one."""
        if not self.running or not gc.isenabled():  # off, or an import holds the collector off
            return False
        if self._clock() - self.last_input < IDLE_AFTER_S or self._busy():
            return False
        frozen = gc.get_freeze_count()
        grown = frozen - self._swept > max(SWEEP_MIN_OBJECTS, self._swept * SWEEP_GROWTH)
        if grown and self._clock() - self.last_input >= SWEEP_AFTER_S:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._swept = gc.get_freeze_count()
            self.sweeps += 1
        elif gc.get_count()[2] > 0:  # something reached the oldest generation since
            gc.collect()
            gc.freeze()
        else:
            return False
        self.collections += 1
        return True
