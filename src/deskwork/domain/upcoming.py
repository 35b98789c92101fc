"""When the next card comes up after now, and whether by the day ("Nothing due. Next card: …"),
kept for a review session: a review or a learning step that crossed into a later study day comes
up at that day's start (the queue takes it then, whatever its hour), a learning step within the
day at its moment. One pass over the cards when the session is built (on its worker), then each
write of the session re-places the cards it wrote, and an ask looks at the heads of two heaps:
the reviews by due (a review's day start grows with its due: only the head's is worked out), the
other cards (learning steps, few) by their moment. Asked at each refresh of the desk while
nothing is due, it was a pass over every card (~40 ms of the UI thread at 100,000).

An entry leaves when its card falls due (time only moves on: once due, out of the running for
good) or when the session wrote the card since (its newer entry, if any, is in the heap too):
both are dropped as they reach a head, each once. What the heaps cannot follow asks for a new
pass (`fits` says False): a clock set back, a buried card's return (its burial ends), another
day start hour."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from deskwork.domain.cards import Card, CardState
from deskwork.domain.decklimits import is_interday
from deskwork.domain.studyday import day_bounds, study_day

# (due, False, card id, due) of a review; (moment, not by the day, card id, due) of any other
# card: on a tie of moments the day's start (shown as the day) comes first, whatever the order.
_Entry = tuple[datetime, bool, int, datetime]


def moment_of(card: Card, start_hour: int) -> tuple[datetime, bool]:
    """When a card due later comes up, and whether by the day: a review or a learning step that
    crossed into a later study day from that day's start, a step within the day at its due."""
    if card.state is CardState.REVIEW:
        return day_start(card.due, start_hour), True
    day_end = day_bounds(study_day(card.due, start_hour), start_hour)[1]
    if is_interday(card, day_end):
        return day_start(card.due, start_hour), True
    return card.due, False


def day_start(moment: datetime, start_hour: int) -> datetime:
    return day_bounds(study_day(moment, start_hour), start_hour)[0]


class Upcoming:
    """The cards not due yet of a session (its deck), in due order: the reviews due by the end of
    tomorrow's study day (the rest, due later, are only counted on: they come after), every
    other card."""

    def __init__(self, cards: Iterable[Card], now: datetime, start_hour: int) -> None:
        now = now.astimezone(UTC)  # as stored: plain comparisons
        self.start_hour = start_hour
        self._seen = now  # the latest moment asked about
        self._wakes: datetime | None = None  # the earliest end of a burial met
        # Reviews due from `_floor` on are not kept (None: every one is): the heap answers while
        # its head is due before it. By tomorrow's end: the day's turn makes a new session.
        floor = day_bounds(study_day(now, start_hour) + timedelta(days=1), start_hour)[1]
        floor = floor.astimezone(UTC)
        reviews: list[_Entry] = []
        others: list[Card] = []
        later: Card | None = None  # the earliest review not kept
        review = CardState.REVIEW
        for card in cards:  # a hundred thousand at the power scale: plain comparisons
            due = card.due
            if due <= now or card.suspended:
                continue
            until = card.buried_until
            if until is not None and until > now:  # back in the running when its burial ends
                if self._wakes is None or until < self._wakes:
                    self._wakes = until
                continue
            if card.state is not review:
                others.append(card)
            elif due < floor:
                reviews.append((due, False, card.id, due))
            elif later is None or due < later.due:
                later = card
        if not reviews and later is not None:  # none by tomorrow's end: the earliest after
            floor = later.due
            reviews.append((floor, False, later.id, floor))
        self._floor = floor if later is not None else None
        heapq.heapify(reviews)
        self._reviews = reviews
        self._others: list[_Entry] = []
        for card in others:  # learning steps: few
            self._others.append(self._entry(card))
        heapq.heapify(self._others)
        # the cards written since the build: their entry now (None: out of the running)
        self._written: dict[int, _Entry | None] = {}

    def _entry(self, card: Card) -> _Entry:
        if card.state is CardState.REVIEW:
            return (card.due, False, card.id, card.due)
        moment, by_day = moment_of(card, self.start_hour)
        return (moment, not by_day, card.id, card.due)

    def written(self, card_id: int, card: Card | None, now: datetime) -> None:
        """The session wrote this card (None: it is gone, or not the session's now): its entry
        from now on."""
        now = now.astimezone(UTC)
        entry: _Entry | None = None
        if card is not None and not card.suspended and card.due > now:
            until = card.buried_until
            if until is not None and until > now:
                if self._wakes is None or until < self._wakes:
                    self._wakes = until
            else:
                entry = self._entry(card)
                review = card.state is CardState.REVIEW
                heapq.heappush(self._reviews if review else self._others, entry)
        self._written[card_id] = entry

    def fits(self, now: datetime, start_hour: int) -> bool:
        """Whether the heaps answer for `now` (else a new pass is needed): the same day start
        hour, time gone on, no burial ended, and the earliest review kept due before any not
        kept. Drops the entries that left the running on the way."""
        now = now.astimezone(UTC)
        if start_hour != self.start_hour or now < self._seen:
            return False
        if self._wakes is not None and now >= self._wakes:
            return False
        self._seen = now
        written = self._written
        for heap in (self._reviews, self._others):
            while heap:
                head = heap[0]
                if head[3] > now and (head[2] not in written or written[head[2]] == head):
                    break
                heapq.heappop(heap)
        floor = self._floor
        return floor is None or (bool(self._reviews) and self._reviews[0][0] <= floor)

    def next_up(self) -> tuple[datetime, bool] | None:
        """When the next card comes up, and whether by the day, at the moment `fits` said yes."""
        found: list[tuple[datetime, bool]] = []
        if self._reviews:
            found.append((day_start(self._reviews[0][0], self.start_hour), True))
        if self._others:
            moment, not_by_day, _, _ = self._others[0]
            found.append((moment, not not_by_day))
        return min(found, key=lambda up: (up[0], not up[1])) if found else None
