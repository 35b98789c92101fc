"""Reading the desk's in-memory tables on a worker thread while the UI thread may write them.

A worker that walks every card (a review session, today's due counts) can meet a dict that
changed size under it: a grade written on the UI thread meanwhile (RuntimeError). The read is
simply made again, a few times; a worker whose app is quitting or whose work was cancelled
stops instead (the desk may be closing under it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
TRIES = 3


class ReadCancelled(Exception):
    """`cancelled()` held before the read could be made: the caller hands nothing back."""


def read_while_written(
    read: Callable[[], T], cancelled: Callable[[], bool] = lambda: False
) -> T | None:
    """`read()`, made again when a write on the UI thread changed a dict under it; None once
    `TRIES` reads all met one. ReadCancelled if `cancelled()` before a try."""
    for _ in range(TRIES):
        if cancelled():
            raise ReadCancelled
        try:
            return read()
        except RuntimeError:  # a dict changed size: a write on the UI thread meanwhile
            continue
    return None
