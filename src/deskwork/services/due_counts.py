"""The load balancer's counts for a review session: cards due per study day and preset, counted
once a session (on a worker while the first question shows: `counting_job`) and then moved by
each answer and undo (`move`), never counted again. A count made from cards read before an
answer or undo is dropped (the answer would be missing from it): `days` counts afresh."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime

from deskwork.domain import loadbalance as lb
from deskwork.domain.cards import Card
from deskwork.domain.presets import Presets
from deskwork.services.desk import Desk
from deskwork.services.pacing import paced


class DueCounts:
    """One session's counts (see the module docstring); thread-safe."""

    def __init__(self, desk: Desk, presets: Presets, day_end: Callable[[], datetime]) -> None:
        self.desk = desk
        self.presets = presets
        self.day_end = day_end
        self.counted: lb.DueDays | None = None  # None: not counted yet
        self._lock = threading.Lock()
        self._moves = 0  # answers and undos moved (a count older than the last is stale)

    def days(self) -> lb.DueDays:
        """The counts, made now if no worker made them yet (a scan of every card)."""
        with self._lock:
            if self.counted is None:
                self.counted = self._count(self.desk.store.cards.all())
            return self.counted

    def _count(self, cards: Iterable[Card]) -> lb.DueDays:
        return lb.DueDays.build(
            cards, self.desk.today(), self.day_end(), lambda deck: self.presets.preset_of(deck).id
        )

    def counting_job(self) -> Callable[[], None] | None:
        """The scan of every card (35 ms at 20,000 cards) for a worker thread, the cards read
        now, on the caller's thread; None when counted already. Its count is dropped if an
        answer or undo came after the cards were read."""
        if self.counted is not None:
            return None
        cards, moves = self.desk.store.cards.all(), self._moves

        def job() -> None:
            counted = self._count(paced(cards, self.desk.give_way))
            with self._lock:
                if self.counted is None and self._moves == moves:
                    self.counted = counted

        return job

    def move(self, before: Card, after: Card) -> None:
        """An answer or undo changed `before` into `after`: its due day moves in the counts."""
        today, day_end = self.desk.today(), self.day_end()
        preset = self.presets.preset_of(before.deck).id
        with self._lock:
            self._moves += 1  # a count from a snapshot older than this is stale
            if self.counted is not None:
                self.counted.move(
                    preset, lb.due_day(before, today, day_end), lb.due_day(after, today, day_end)
                )
