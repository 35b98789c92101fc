"""When the cyclic garbage collector walks the long-lived part of the interface: while nobody types.

The store's records are out of the collector's way (store/collector.py); what a full collection
still walks is the interface itself — Textual's widgets, styles, caches of rendered lines (Strips
with seven FIFOCaches each, Segments, rich Text, the lists and tuples they hold), an editor's undo
history — tens of thousands of objects, 12–40 ms of this machine's CPU. CPython makes one whenever
ten middle-generation collections happened and the objects not frozen grew by a quarter: every few
seconds of browsing or ~60 keystrokes in a big draft, inside a keystroke's handler; and it walks
everything made since the last freeze (50–90k objects in the stall meter's rows, growing).

So while the app runs (`start` to `stop`) CPython's own full collections are off (the oldest
generation's threshold out of reach; young collections run as before: they walk only the last
few thousand objects), and the full collections are this collector's, on the app's ticker:
- At an idle moment (no key, paste or mouse event for `IDLE_AFTER_S`) after something reached the
  oldest generation, it collects (a walk of only what is not frozen: what was made since the
  previous collection) and freezes what survives (`gc.freeze`): the next walks only what is new.
- So that nobody who never stops for a second keeps cyclic garbage without bound (nor piles up
  one long walk), it collects and freezes the same way, idle or not, once `OVERDUE_OBJECTS`
  objects not frozen are in the oldest generation (measured after each middle-generation
  collection, `_measure`): a walk of about that many and the young ones, 15–30 ms of CPU.
Raising CPython's threshold alone was measured and rejected: the garbage of a long stretch of
typing piled up and the one full collection that came was longer than the ones avoided. Freezing
the survivors of every middle-generation collection (no full walk at all while keys arrive) was
measured and rejected too: every screen closed after it stayed frozen (~46k objects a round of
browser, curriculum and a card dialog) until a sweep, and sweeps then walked twice the heap.

Frozen objects that later die in a reference cycle (a screen open at that moment, closed later)
are not collected while frozen, so the frozen set is swept: at an idle moment when it has grown
by `SWEEP_GROWTH` since the last sweep, everything is unfrozen, collected and frozen again. That
is the one long walk (the whole interface, ~60–200 ms at the power-user scale), made only while
the user is idle and only after such growth; what a cycle can hold meanwhile is bounded by it.
It waits for a longer pause (`SWEEP_AFTER_S`, 5 s) than a collection: a key pressed during it
waits for the whole walk, and a key is far more likely one second into a pause (a user thinking
between two keys) than five (reading, away); until then the ordinary idle collection runs.
Every collection's freeze grows it (the idle ones too: a screen read for two seconds is frozen
open by the idle collection at its first second and dies when it closes; ~20k objects a round of
the card browser, the curriculum and a card dialog), so what each freezes is counted, and once it
may have doubled the frozen set (`FORCE_GROWTH`) it is counted exactly and, if it did, swept at
the next pause of a second (the idle moment a collection waits for, not the sweep's five). Only
at `FORCE_FACTOR` times that growth with no such pause is it swept at once, idle or not (the one
long walk inside a keystroke: 120-130 ms of CPU on the heavy data). Counting only the overdue
collections' freezes let screens read between 1 and 5 s pile up frozen without bound (200 rounds
of the card browser: frozen 389k -> 2.28M objects, rss 205 -> 554 MB, no sweep).
The frozen set is counted once a pause (`gc.get_freeze_count` walks the whole frozen list: 7 ms
for 300k objects alone, 54 ms once in the app's heap on a loaded box; it ran on every tick of
a pause).
No key is not idle while work runs in the background (`busy`: a worker, a compaction), no
collection at the bound is made then either (what the work keeps alive until it ends, an export's
package, would be walked on the UI thread and frozen: 130 ms, then a forced 160 ms sweep as it
ended, at the power scale), and no
sweep is made then, even once the frozen set doubled: an import freezes the file it read until
it is imported, and a sweep then walked its 250k answers (320 ms, measured; at the power-user
scale a sweep forced in the middle of an import took 180 ms of CPU).
Objects are counted with `tracked()`, never `len(gc.get_objects())`: the list `get_objects`
returns holds a reference to every tracked object, a tuple another thread is building from an
iterator among them (`tuple(generator)`, a dataclass being made); a thread switch while that
list lives in Python code made the builder's `_PyTuple_Resize` find two references and raise
`SystemError: bad argument to internal function` (an end-to-end test's app crashed so under
load; two threads reproduce it within 0.1 s). `tracked()` makes, measures and frees the list
inside C calls (`map`, `len`, `sum`), where no thread switch can happen.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_AFTER_S = 1.0
SWEEP_AFTER_S = 5.0  # a sweep (the one long walk) waits for a longer pause than a collection
SWEEP_GROWTH = 0.25  # the frozen set grown by this fraction since the last sweep: sweep again
SWEEP_MIN_OBJECTS = 20_000  # ... and by at least this many objects
OVERDUE_OBJECTS = 50_000  # not frozen, in the oldest generation: collect now, idle or not
FORCE_GROWTH = 1.0  # the frozen set doubled since the last sweep: sweep at the next 1 s pause
FORCE_MIN_OBJECTS = 100_000  # ... and grown by at least this many objects
FORCE_FACTOR = 3  # grown by this many times that bound: sweep now, idle or not
_OUT_OF_REACH = 1 << 30  # the oldest generation's threshold while the app runs: never reached


def tracked(generation: int | None = None) -> int:
    """How many objects the collector tracks in `generation` (None: every generation but the
    frozen set), without the list of them ever reaching Python code: `map` calls
    `gc.get_objects`, passes the list to `len` and frees it, all inside `sum`, with no bytecode
    between where the interpreter could switch threads (see the module docstring)."""
    return sum(map(len, map(gc.get_objects, (generation,))))


class IdleCollector:
    """Full collections at idle moments (or once overdue), sweeps of the frozen set (see the
    module docstring). One per app; `start` and `stop` bracket it (`stop` gives everything back
    to the collector)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        self._clock = clock
        self._busy = busy
        self.last_input = clock()
        self.running = False
        self.collections = 0  # full collections made (idle or overdue)
        self.overdue = 0  # of which made while not idle (OVERDUE_OBJECTS reached)
        self.sweeps = 0  # of which sweeps of the frozen set
        self.forced = 0  # of which sweeps made while not idle (FORCE_GROWTH reached)
        self._swept: int | None = 0  # the frozen set's size after the last sweep (None: not
        # counted yet: at `start` the warm-up's, counted at the first recount, not in a frame)
        self._old = 0  # objects not frozen in the oldest generation, at the last measure
        self._frozen_since = 0  # what collections froze since the frozen set was counted
        self._counted_in_pause = False
        self._usual: tuple[int, int, int] | None = None  # the thresholds before `start`
        self._ours: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Full collections become this collector's. A second `start` changes nothing (it must
        not take the raised thresholds for the usual ones)."""
        if self.running:
            return
        self.running = True
        self._swept = None  # counting walks the whole frozen set: 245k objects at the power scale
        self._old = self._frozen_since = 0
        self._usual = gc.get_threshold()
        gc.set_threshold(self._usual[0], self._usual[1], _OUT_OF_REACH)
        self._ours = gc.get_threshold()
        if self._measure not in gc.callbacks:
            gc.callbacks.append(self._measure)

    def stop(self) -> None:
        """The app ends: what was frozen goes back to the collector, and so do full collections
        (the usual thresholds, unless someone set their own meanwhile)."""
        if self._measure in gc.callbacks:
            gc.callbacks.remove(self._measure)
        gc.unfreeze()  # also for an app that quits before it started (the warm-up's freeze)
        if self.running:
            self.running = False
            if self._usual is not None and gc.get_threshold() == self._ours:
                gc.set_threshold(*self._usual)
            self._usual = self._ours = None

    def _measure(self, phase: str, info: dict[str, int]) -> None:
        """After a middle-generation collection (in whichever thread ran it): how many objects
        not frozen the oldest generation holds now (a list of at most ~OVERDUE_OBJECTS)."""
        if self._old >= OVERDUE_OBJECTS:  # overdue already: the next tick collects anyway
            return
        if phase == "stop" and info["generation"] == 1 and self.running:
            self._old = tracked(2)

    def input(self) -> None:
        """A key, a paste or a mouse event arrived: not idle."""
        self.last_input = self._clock()
        self._counted_in_pause = False

    def _collect(self) -> int:
        """A full collection, what survives frozen; how many objects that froze."""
        gc.collect()
        survivors = tracked()
        gc.freeze()
        self._old = 0
        self.collections += 1
        return survivors

    def _sweep(self) -> None:
        gc.unfreeze()
        self._collect()
        self._swept = gc.get_freeze_count()
        self._frozen_since = 0
        self.sweeps += 1

    def tick(self) -> bool:
        """On the app's ticker: a full collection, if one is due (see the module docstring).
        True if it made one."""
        if not self.running or not gc.isenabled():  # off, or an import holds the collector off
            return False
        busy = self._busy()
        if self._old >= OVERDUE_OBJECTS and not busy:  # nobody paused for long: the bound
            self._frozen_since += self._collect()
            self.overdue += 1
            return True
        if busy:  # an import's file may be frozen until it is imported: no sweep; and what the
            # work keeps alive until it ends is not walked (an export's package: collected at
            # the bound, 130 ms of the UI thread at the power scale; frozen, as it was, it
            # outlived the export in the frozen set and forced a 160 ms sweep of the heap)
            # ... and the user waits for its result: the pause begins when the work ends (a
            # sweep at the first tick after an import landed on the frame showing its result).
            self.last_input = self._clock()
            self._counted_in_pause = False
            return False
        if (
            self._frozen_since > self._bound() * FORCE_FACTOR
            and self._recount() > self._bound() * FORCE_FACTOR  # (the bound once counted)
        ):
            self._sweep()  # nobody paused for a second since it doubled: sweep now, idle or not
            self.forced += 1
            return True
        paused = self._clock() - self.last_input
        if paused < IDLE_AFTER_S:
            return False
        if self._frozen_since > self._bound() and self._recount() > self._bound():
            self._sweep()  # doubled: the first pause of a second sweeps it
            return True
        if paused >= SWEEP_AFTER_S and not self._counted_in_pause:
            self._counted_in_pause = True  # once a pause: counting walks the frozen list
            grown = self._recount()
            if grown > max(SWEEP_MIN_OBJECTS, (self._swept or 0) * SWEEP_GROWTH):
                self._sweep()
                return True
        if gc.get_count()[2] > 0:  # something reached the oldest generation since
            self._frozen_since += self._collect()  # counted too: what it froze may die later
            return True
        return False

    def _bound(self) -> float:
        """The growth of the frozen set since the last sweep that calls for a sweep at the next
        pause of a second (the warm-up's frozen set taken as 0 until counted)."""
        return max(FORCE_MIN_OBJECTS, (self._swept or 0) * FORCE_GROWTH)

    def _recount(self) -> int:
        """How much the frozen set grew since the last sweep, counted (it walks the frozen
        list: only once the estimate says a sweep may be due, or once a long pause)."""
        frozen = gc.get_freeze_count()
        if self._swept is None:  # the first count since `start`: the warm-up's frozen set is
            self._swept = max(0, frozen - self._frozen_since)  # what collections did not freeze
        self._frozen_since = frozen - self._swept
        return self._frozen_since
