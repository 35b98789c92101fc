"""Today's review queue, gathered as Anki's v3 scheduler does: learning cards due today (no limit),
then interday learning cards and reviews due today (each deck's review limit) in the preset's
review sort order (`revieworder`), then new cards deck by deck (each deck's new limit); a parent's
limits cap its subdecks (see `decklimits`). Siblings of a card already gathered are left for
tomorrow when the card's preset buries them. Buried and suspended cards wait.

Shown as Anki's v3 queue shows them (`next_card`): intraday learning cards due now, then the main
queue (the reviews with the interday learning cards spread evenly among them, Anki's default
"mix with reviews", and the new cards spread evenly through that, Anki's default new/review
order "mix with reviews"), then intraday learning due within the learn-ahead limit. An interday
learning card (a step of a day or more) is due all its day, as in Anki where its due is a day
number: it waited for the hour it was answered at the day before.

A card is in the queue at most once (`build` sorts each card into one list; `place`, `remove` and
the session's cram and undo keep it so). An undo puts the cards an answer (or a bury, a
suspension) took out back where they stood (`spots_of` before, `put_back` after), as Anki's undo
of a queue update does, without a rebuild: a rebuild at the power-user scale was 200-400 ms of the
UI thread at every Ctrl+Z. The card shown is a list's head, so finding it (the card
on screen, `next_card`; the card answered, `remove`) looks at the heads before scanning: at the
power-user scale (15,000 cards queued) a scan was ~5 ms of the UI thread, and an answer made
several (each `current()` one, `remove` three list copies: ~40 ms)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from deskwork.domain.cards import Card, CardState
from deskwork.domain.decklimits import LEARN_AHEAD, Done, LimitTree, available, is_interday
from deskwork.domain.decknames import within as in_deck
from deskwork.domain.presets import Presets

__all__ = ["LEARN_AHEAD", "ReviewQueue", "available", "build", "next_card"]


@dataclass
class ReviewQueue:
    learning: list[Card]  # intraday learning due by the end of the study day, by due time
    reviews: list[Card]  # the main queue before new cards: reviews and interday learning, mixed
    new: list[Card]
    first: int | None = None  # a card shown before any other while queued (one just undone)
    # which of `reviews` were gathered as interday learning cards (Anki counts them as learning):
    # a label, never a tally, so taking cards out of `reviews` or putting them back (cram, undo)
    # cannot put the count out of step with the list
    interday: frozenset[int] = frozenset()
    # new cards spread through the main queue as Anki's default "mix with reviews" spreads them
    # (its Intersperser over the queue as built): one from `new` when (new_taken + 1) * mix <
    # main_taken + 1, the counts of cards that left each list since the build. inf: new cards
    # after every review (a queue built by hand, cram).
    mix: float = math.inf
    main_taken: int = 0
    new_taken: int = 0

    @property
    def size(self) -> int:
        return len(self.learning) + len(self.reviews) + len(self.new)

    def counts(self, now: datetime) -> tuple[int, int, int]:
        """(new, learning, review) left at `now`, as Anki counts them (rslib/src/scheduler/queue/
        builder/mod.rs `build`, learning.rs `update_learning_cutoff_and_count`): the intraday
        learning cards due by now + the learn-ahead limit (the rest of today's come into the
        count as their time comes), and the interday learning cards, which are learning too."""
        cutoff = now.astimezone(UTC) + LEARN_AHEAD  # `learning` is sorted by due
        intraday = bisect_right(self.learning, cutoff, key=_due)
        labels = self.interday
        interday = sum(1 for c in self.reviews if c.id in labels) if labels else 0
        return len(self.new), intraday + interday, len(self.reviews) - interday


def _due(card: Card) -> datetime:
    return card.due


def intersperse(one: list[Card], two: list[Card]) -> list[Card]:
    """`two` spread evenly through `one`, the longer list's first: Anki's `Intersperser`
    (rslib/src/scheduler/queue/builder/intersperser.rs), its "mix with reviews"."""
    ratio = (len(one) + 1) / (len(two) + 1)
    out: list[Card] = []
    i = j = 0
    while i < len(one) or j < len(two):
        if j < len(two) and (i == len(one) or (j + 1) * ratio < i + 1):
            out.append(two[j])
            j += 1
        else:
            out.append(one[i])
            i += 1
    return out


@dataclass
class _Bury:
    new: bool = False
    reviews: bool = False
    interday: bool = False


def build(
    cards: Iterable[Card],
    now: datetime,
    day_end: datetime,
    presets: Presets,
    done: dict[str, Done],
    deck: str = "",
) -> ReviewQueue:
    """The queue for `deck` and its subdecks ('' = every deck)."""
    now, day_end = now.astimezone(UTC), day_end.astimezone(UTC)  # as stored: cheap comparisons
    pool = [c for c in cards if available(c, now) and (not deck or in_deck(c.deck, deck))]
    tree = LimitTree.build(deck, (c.deck for c in pool), presets, done)
    seen: dict[str, _Bury] = {}
    burying = any(p.bury_new or p.bury_reviews or p.bury_interday_learning
                  for p in presets.by_id.values())  # fmt: skip

    def sibling_buried(card: Card, kind: str) -> bool:
        """Anki's `get_and_update_bury_mode_for_note`: the note's mode before this card."""
        if not burying:
            return False
        preset = presets.for_deck(card.deck).preset
        mine = _Bury(preset.bury_new, preset.bury_reviews, preset.bury_interday_learning)
        if not card.note_guid:
            return False
        before = seen.get(card.note_guid)
        if before is None:
            seen[card.note_guid] = mine
            return False
        buried = {"new": before.new, "review": before.reviews, "interday": before.interday}
        before.new |= mine.new
        before.reviews |= mine.reviews
        before.interday |= mine.interday
        return buried.get(kind, False)

    learning: list[Card] = []
    interday: list[Card] = []
    reviews: list[Card] = []
    new: list[Card] = []
    for card in pool:
        if card.is_new:
            new.append(card)
        elif card.state is CardState.REVIEW:
            if card.due < day_end:
                reviews.append(card)
        elif card.due < day_end:
            (interday if is_interday(card, day_end) else learning).append(card)
    learning.sort(key=lambda c: (c.due, c.id))
    for card in learning:
        sibling_buried(card, "learning")
    taken: list[Card] = []
    order = review_order_key(presets, deck, now, day_end)
    for kind, group in (("interday", interday), ("review", reviews)):
        group.sort(key=order)
        for card in group:
            if tree.root_reached("review"):
                break
            if not tree.reached(card.deck, "review") and not sibling_buried(card, kind):
                taken.append(card)
                tree.take(card.deck, "review")
    new.sort(key=lambda c: (c.deck, c.created, c.id))
    fresh: list[Card] = []
    for card in new:
        if tree.root_reached("new"):
            break
        if not tree.reached(card.deck, "new") and not sibling_buried(card, "new"):
            fresh.append(card)
            tree.take(card.deck, "new")
    day_learning = [c for c in taken if c.state is not CardState.REVIEW]
    due_reviews = [c for c in taken if c.state is CardState.REVIEW]
    main = intersperse(due_reviews, day_learning)
    return ReviewQueue(
        learning, main, fresh, interday=frozenset(c.id for c in day_learning),
        mix=(len(main) + 1) / (len(fresh) + 1),
    )  # fmt: skip


def review_order_key(
    presets: Presets, deck: str, now: datetime, day_end: datetime
) -> Callable[[Card], Any]:
    """Anki gathers reviews in the studied deck's preset's "Review sort order" (every deck: the
    default preset's); retrievability with each card's own preset's decay and retention."""
    from deskwork.domain import revieworder

    return revieworder.sort_key(
        presets.preset_of(deck).review_order,
        now,
        day_end,
        presets.decay_for,
        lambda c: presets.for_deck(c.deck).desired_retention,
    )


def next_card(queue: ReviewQueue, now: datetime) -> Card | None:
    """Learning cards that are due, then reviews with the new cards spread among them, then
    learning cards due soon; before all of them `queue.first` (the card on screen, or the one an undo brought back, as
    Anki shows it again) unless it is a learning card not due yet while reviews or new cards wait.

    That is Anki's v3 queue (rslib/src/scheduler/queue/mod.rs, `CardQueues::iter`): the
    intraday learning cards due by now (`intraday_now_iter`), then the main queue (reviews and
    interday learning, the new cards spread through them: `merge_new`, its default "mix with
    reviews"), then the intraday learning cards due within the learn-ahead limit
    (`intraday_ahead_iter`: "Intraday learning cards that can be shown after the main queue is
    empty"). A card shown ahead because nothing else was left, or undone back into learning, is
    such a card: when new cards or reviews come in (a card added, an import, a limit raised, an
    undo of a review) they go first, as Anki's reviewer then takes the top of the rebuilt
    queue. Time alone never moves the card on screen: only a rebuild or an undo fills the main
    queue, and the pane shows the queue again after either."""
    if queue.first is not None:
        found = _find(queue, queue.first)
        if found is not None:
            part, n = found
            card = part[n]
            ahead = part is queue.learning and card.due > now
            if not (ahead and (queue.reviews or queue.new)):
                return card
    if queue.learning and queue.learning[0].due <= now:
        return queue.learning[0]
    if queue.reviews and queue.new:  # Anki's Intersperser, one card at a time
        if (queue.new_taken + 1) * queue.mix < queue.main_taken + 1:
            return queue.new[0]
        return queue.reviews[0]
    if queue.reviews:
        return queue.reviews[0]
    if queue.new:
        return queue.new[0]
    if queue.learning and queue.learning[0].due <= now + LEARN_AHEAD:
        return queue.learning[0]
    return None


def _find(queue: ReviewQueue, card_id: int) -> tuple[list[Card], int] | None:
    """Which list holds the card, and where (it is in one at most): the heads first (the card
    shown is one), then a scan."""
    parts = (queue.learning, queue.reviews, queue.new)
    for part in parts:
        if part and part[0].id == card_id:
            return part, 0
    for part in parts:
        for n, card in enumerate(part):
            if card.id == card_id:
                return part, n
    return None


def remove(queue: ReviewQueue, card_id: int) -> None:
    if queue.first == card_id:
        queue.first = None
    found = _find(queue, card_id)
    if found is None:
        return
    part, n = found
    del part[n]
    if part is queue.reviews:  # it left the main queue or the new cards: the mix moves on
        queue.main_taken += 1
    elif part is queue.new:
        queue.new_taken += 1


@dataclass(frozen=True)
class Spots:
    """Where cards stood in the queue (`spots_of`): card id -> (list, index), the lists by name,
    and the queue's mix counters then."""

    at: dict[int, tuple[str, int]]
    taken: tuple[int, int]  # (main_taken, new_taken)


def spots_of(queue: ReviewQueue, card_ids: Iterable[int]) -> Spots:
    """Where the cards `card_ids` stand now (those not queued are left out): taken before an
    answer, a bury or a suspension changes the queue, for `put_back`."""
    names = {id(queue.learning): "learning", id(queue.reviews): "reviews", id(queue.new): "new"}
    at: dict[int, tuple[str, int]] = {}
    for card_id in card_ids:
        found = _find(queue, card_id)
        if found is not None:
            at[card_id] = (names[id(found[0])], found[1])
    return Spots(at, (queue.main_taken, queue.new_taken))


def put_back(queue: ReviewQueue, cards: Iterable[Card], spots: Spots) -> None:
    """The queue as it was when `spots` were taken, `cards` (as they were then) back in their
    places: for the undo of the last change to the queue (answers, buries and suspensions undone
    last first). A card not queued then is taken out if it is queued now."""
    back = [card for card in cards if card.id in spots.at]
    for card in cards:
        remove(queue, card.id)  # wherever the change left it (learning again, say)
    for card in sorted(back, key=lambda c: spots.at[c.id][1]):  # lower places first: exact
        name, index = spots.at[card.id]
        part: list[Card] = getattr(queue, name)
        part.insert(min(index, len(part)), card)
    queue.main_taken, queue.new_taken = spots.taken


def place(queue: ReviewQueue, card: Card, day_end: datetime) -> None:
    """After an answer: a card still learning today goes back in by due time."""
    remove(queue, card.id)
    if card.state is not CardState.REVIEW and card.due < day_end and available(card, card.due):
        queue.learning.append(card)
        queue.learning.sort(key=lambda c: (c.due, c.id))


def siblings(
    card: Card,
    note_cards: Iterable[Card],
    bury: tuple[bool, bool, bool],
    now: datetime,
    day_end: datetime,
) -> list[Card]:
    """The other cards of `card`'s note that answering it buries until tomorrow (Anki's "bury
    siblings"): `bury` = (new, reviews due today, interday learning cards due today)."""
    new, reviews, interday = bury
    out: list[Card] = []
    for other in note_cards:
        if other.id == card.id or not available(other, now):
            continue
        if other.is_new:
            hit = new
        elif other.state is CardState.REVIEW:
            hit = reviews and other.due < day_end
        else:
            hit = interday and other.due < day_end and is_interday(other, day_end)
        if hit:
            out.append(other)
    return out
