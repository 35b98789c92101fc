"""Long passes over the cards on a worker thread, paced: `paced` calls a pause between slices of
an iteration. The pause is the desk's `give_way` (a no-op unless an interface set one: the TUI's
waits while its event loop runs a callback, deskwork/ui/give_way.py), so a worker's scan of
20,000 cards does not take the GIL turn about with the UI thread's callbacks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

EVERY = 1000  # items between two pauses (~1 ms of a scan over the cards)


def nothing() -> None:
    """The pause of a desk without an interface to give way to."""


def paced(items: Iterable[T], pause: Callable[[], None], every: int = EVERY) -> Iterator[T]:
    """`items`, with `pause()` called before the first and after every `every` of them."""
    for n, item in enumerate(items):
        if n % every == 0:
            pause()
        yield item
