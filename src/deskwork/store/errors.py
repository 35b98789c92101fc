"""The store's exceptions (and `no_gc`, which loading and imports share)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


class ReadOnlyStore(Exception):
    pass


class StoreError(Exception):
    pass


class StoreWriteError(StoreError):
    """A write that did not become durable (disk full, I/O error): nothing of it was saved."""


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Loading creates many objects that all survive: collections meanwhile are wasted work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
