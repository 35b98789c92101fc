"""The store's exceptions (and `no_gc`, which loading and imports share)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


class ReadOnlyStore(Exception):
    pass


class StoreError(Exception):
    pass


class StoreWriteError(StoreError):
    """A write that did not become durable (disk full, I/O error): nothing of it was saved."""


_holding = 0  # no_gc windows open, in any thread
_was_enabled = False  # the collector's state when the first of them opened
_windows = threading.Lock()


@contextlib.contextmanager
def no_gc(*, freeze: bool = False) -> Iterator[None]:
    """Loading creates many objects that all survive: collections meanwhile are wasted work.
    `freeze`: afterwards, move what exists into the collector's permanent generation — without
    it the first collection after an import walks its millions of new objects (a second and
    more, all of them alive). Frozen objects are still freed by reference counting; garbage in
    reference cycles made during the window would stay, so what exists before is collected
    first (in the app most of it is frozen already: a short collection). What is frozen with
    the rest and dies later in a cycle (a screen of the moment) is freed by the app's next sweep
    of the frozen set (ui/idle_collector.py).

    The collector's switch is one for the whole process, so windows on several threads are
    counted: it is back on when the last one closes (an import's window used to be switched
    back on by a month read on another thread that finished first, and full collections of
    the import's half-built records ran in the middle of it)."""
    global _holding, _was_enabled
    if freeze:  # what is garbage already is collected now, not frozen with the rest
        gc.collect()
    with _windows:
        if _holding == 0:
            _was_enabled = gc.isenabled()
        _holding += 1
        gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        with _windows:
            _holding -= 1
            if _holding == 0 and _was_enabled:
                gc.enable()
