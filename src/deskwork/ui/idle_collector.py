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
  one long walk), it collects and freezes the same way, idle or not, once the heap grew by
  `OVERDUE_BLOCKS` since the last collection while something reached the oldest generation: a
  walk of ~50k objects and the young ones, 15–30 ms of CPU.
Raising CPython's threshold alone was measured and rejected: the garbage of a long stretch of
typing piled up and the one full collection that came was longer than the ones avoided. Freezing
the survivors of every middle-generation collection (no full walk at all while keys arrive) was
measured and rejected too: every screen closed after it stayed frozen (~46k objects a round of
browser, curriculum and a card dialog) until a sweep, and sweeps then walked twice the heap.

Frozen objects that later die in a reference cycle (a screen open at that moment, closed later)
are not collected while frozen, so the frozen set is swept: everything unfrozen, collected and
frozen again. That is the one long walk (the whole interface, ~60–200 ms at the power-user
scale), made only while the user is idle and only after the heap grew since the last sweep:
- by `SWEEP_GROWTH` (a quarter) at a pause of `SWEEP_AFTER_S` (5 s: a key pressed during the walk
  waits for all of it, and a key is far more likely one second into a pause, a user thinking
  between two keys, than five: reading, away);
- by `FORCE_GROWTH` (doubled) at the next pause of a second. Every collection's freeze grows the
  frozen set (a screen read for two seconds is frozen open by the idle collection at its first
  second and dies when it closes; ~20k objects a round of the card browser, the curriculum and a
  card dialog): without this, screens read between 1 and 5 s piled up frozen without bound (200
  rounds of the card browser: frozen 389k -> 2.28M objects, rss 205 -> 554 MB, no sweep);
- by `FORCE_FACTOR` times that with no such pause: at once, idle or not (the one long walk inside
  a keystroke: 120-130 ms of CPU on the heavy data).
No key is not idle while work runs in the background (`busy`: a worker, a compaction), and no
sweep is made then: an import freezes the file it read until it is imported, and a sweep then
walked its 250k answers (320 ms, measured; at the power-user scale a sweep forced in the middle of
an import took 180 ms of CPU).

**What it measures: the heap's pymalloc blocks (`sys.getallocatedblocks`), never objects.** The
first version counted objects with `gc.get_objects()` (in a gc callback, in whichever thread ran
the young collection) and `gc.get_freeze_count()`. `gc.get_objects()` hands out a reference to
every tracked object, including a tuple another thread is building from an iterator
(`tuple(generator)`, a dataclass being made): if the thread switch lands while that list is
alive, the builder's `_PyTuple_Resize` finds two references and raises `SystemError: bad
argument to internal function` (an end-to-end test's app crashed so; a two-thread script
reproduces it within seconds). `sys.getallocatedblocks()` takes no reference (0.4 ms for a heap
of 1.8M blocks, on the ticker only when something reached the oldest generation or at a pause);
an object of the interface is ~2 blocks (its values or dict). Right after a sweep the whole live
heap is frozen, so the heap's growth since then is what the frozen set and the garbage waiting
for the next collection grew by; a heap that shrank (an import's file freed) lowers the mark.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

IDLE_AFTER_S = 1.0
SWEEP_AFTER_S = 5.0  # a sweep (the one long walk) waits for a longer pause than a collection
SWEEP_GROWTH = 0.25  # the heap grown by this fraction since the last sweep: sweep at a long pause
SWEEP_MIN_BLOCKS = 40_000  # ... and by at least this many blocks (~20k objects)
OVERDUE_BLOCKS = 100_000  # grown since the last collection (~50k objects): collect, idle or not
FORCE_GROWTH = 1.0  # the heap doubled since the last sweep: sweep at the next 1 s pause
FORCE_MIN_BLOCKS = 200_000  # ... and grown by at least this many blocks (~100k objects)
FORCE_FACTOR = 3  # grown by this many times that bound: sweep now, idle or not
_OUT_OF_REACH = 1 << 30  # the oldest generation's threshold while the app runs: never reached


class IdleCollector:
    """Full collections at idle moments (or once overdue), sweeps of the frozen set (see the
    module docstring). One per app; `start` and `stop` bracket it (`stop` gives everything back
    to the collector). `heap` (blocks) is a parameter for tests; the app's is pymalloc's."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        busy: Callable[[], bool] = lambda: False,
        heap: Callable[[], int] = sys.getallocatedblocks,
    ) -> None:
        self._clock = clock
        self._busy = busy
        self._heap = heap
        self.last_input = clock()
        self.running = False
        self.collections = 0  # full collections made (idle or overdue)
        self.overdue = 0  # of which made while not idle (OVERDUE_BLOCKS reached)
        self.sweeps = 0  # of which sweeps of the frozen set
        self.forced = 0  # of which sweeps made while not idle (FORCE_GROWTH reached)
        self._after_sweep = 0  # the heap (blocks) after the last sweep: ~the frozen set
        self._after_collect = 0  # the heap after the last collection
        self._weigh = False  # a collection froze more since the heap was last weighed
        self._usual: tuple[int, int, int] | None = None  # the thresholds before `start`
        self._ours: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Full collections become this collector's. A second `start` changes nothing (it must
        not take the raised thresholds for the usual ones)."""
        if self.running:
            return
        self.running = True
        self._after_sweep = self._after_collect = self._heap()
        self._usual = gc.get_threshold()
        gc.set_threshold(self._usual[0], self._usual[1], _OUT_OF_REACH)
        self._ours = gc.get_threshold()

    def stop(self) -> None:
        """The app ends: what was frozen goes back to the collector, and so do full collections
        (the usual thresholds, unless someone set their own meanwhile)."""
        gc.unfreeze()  # also for an app that quits before it started (the warm-up's freeze)
        if self.running:
            self.running = False
            if self._usual is not None and gc.get_threshold() == self._ours:
                gc.set_threshold(*self._usual)
            self._usual = self._ours = None

    def input(self) -> None:
        """A key, a paste or a mouse event arrived: not idle."""
        self.last_input = self._clock()

    def _collect(self) -> None:
        """A full collection, what survives frozen."""
        gc.collect()
        gc.freeze()
        self._after_collect = self._heap()
        # The heap shrank below the last sweep's (an import's file freed): the frozen set did.
        self._after_sweep = min(self._after_sweep, self._after_collect)
        self._weigh = True  # what it froze may call for a sweep: weighed at the next tick
        self.collections += 1

    def _sweep(self) -> None:
        gc.unfreeze()
        self._collect()
        self._after_sweep = self._after_collect
        self.sweeps += 1

    def tick(self) -> bool:
        """On the app's ticker: a full collection, if one is due (see the module docstring).
        True if it made one."""
        if not self.running or not gc.isenabled():  # off, or an import holds the collector off
            return False
        moved = gc.get_count()[2] > 0  # something reached the oldest generation since
        paused = self._clock() - self.last_input
        if not moved and paused < IDLE_AFTER_S and not self._weigh:
            return False  # keys arriving, nothing new in the oldest generation: nothing to weigh
        heap = self._heap()
        self._weigh = False
        if moved and heap - self._after_collect >= OVERDUE_BLOCKS:  # no pause for long: the bound
            self._collect()
            self.overdue += 1
            return True
        if self._busy():  # an import's file may be frozen until it is imported: no sweep
            return False
        grown = heap - self._after_sweep
        bound = max(FORCE_MIN_BLOCKS, self._after_sweep * FORCE_GROWTH)
        if grown > bound * FORCE_FACTOR:
            self._sweep()  # nobody paused for a second since it doubled: sweep now, idle or not
            self.forced += 1
            return True
        if paused < IDLE_AFTER_S:
            return False
        if grown > bound:
            self._sweep()  # doubled: the first pause of a second sweeps it
            return True
        if paused >= SWEEP_AFTER_S and grown > max(
            SWEEP_MIN_BLOCKS, self._after_sweep * SWEEP_GROWTH
        ):
            self._sweep()
            return True
        if moved:
            self._collect()
            return True
        return False
