"""Today's due counts: the review queue's one "cards due" figure (`due_today`: `today`, `cards
stats`, the desk and the review pane), every deck's counts as Anki's deck list shows them, and the
answers given today per deck that the daily limits take from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card
from deskwork.domain.decklimits import DeckCounts, Done, deck_counts, done_per_deck
from deskwork.domain.studyday import day_bounds
from deskwork.services.desk import Desk
from deskwork.services.presets import load


def today_done(desk: Desk, cards_by_id: dict[int, str]) -> dict[str, Done]:
    start, end = day_bounds(desk.today(), desk.config.study.day_start_hour)
    return done_per_deck(desk.store.reviews.between(start, end), cards_by_id)


@dataclass(frozen=True)
class DueToday:
    """What the review queue (every deck, each deck's limits) holds today: the one "cards due"
    figure `today`, `cards stats`, the desk and the review pane share. Learning is counted as Anki
    counts it: intraday learning due within the learn-ahead limit, and interday learning (a step
    due later today comes into it when its time is near). `without_limits` counts
    every available new card and every card due by the end of the study day, limits ignored."""

    new: int
    learning: int
    review: int
    without_limits: int
    next_due: datetime | None  # the next card due after now (None when none)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review

    def parts(self) -> dict[str, int]:
        return {"new": self.new, "learning": self.learning, "review": self.review}


def due_today(desk: Desk, cards: list[Card] | None = None) -> DueToday:
    """Today's due cards as the review queue of every deck will show them (one queue build)."""
    now = desk.clock()
    cards = desk.store.cards.all() if cards is None else cards
    # In UTC, as the cards' times are stored: no offset lookups in the comparisons below
    day_end = day_bounds(desk.today(), desk.config.study.day_start_hour)[1].astimezone(UTC)
    done = today_done(desk, {c.id: c.deck for c in cards})
    queue = rq.build(cards, now, day_end, load(desk), done)
    raw = 0
    upcoming: datetime | None = None
    for card in cards:
        if card.suspended:
            continue
        if card.due > now and (upcoming is None or card.due < upcoming):
            upcoming = card.due
        if (card.is_new or card.due < day_end) and rq.available(card, now):
            raw += 1
    return DueToday(*queue.counts(now), raw, upcoming)


def deck_list(desk: Desk, now: datetime | None = None) -> list[DeckCounts]:
    """Every deck with today's due counts (new, learning, review) as Anki's deck list shows them."""
    now = now or desk.clock()
    cards = desk.store.cards.all()
    presets = load(desk)
    day_end = day_bounds(desk.today(), desk.config.study.day_start_hour)[1]
    done = today_done(desk, {c.id: c.deck for c in cards})
    rows = deck_counts(cards, now, day_end, presets, done, presets.options)
    # As in Anki, an empty default deck without subdecks is not listed.
    default = desk.config.cards.default_deck
    return [
        r
        for r in rows
        if r.deck != default or r.cards or any(o.deck.startswith(default + "::") for o in rows)
    ]
