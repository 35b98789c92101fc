"""Daily limits per deck, as Anki's v3 scheduler applies them.

Each deck's remaining limits for today are its preset's (or its own override's) new and review
limits less what was answered today in that deck and its subdecks; unless the preset lets new cards
ignore the review limit, new cards answered today also count against the review limit, and new
cards are capped by the reviews left. Interday learning cards count as reviews.

Two uses, two of Anki's algorithms:
- `LimitTree` (the review queue): rooted at the deck being studied; every deck is capped by its
  parent, and taking a card decrements its deck and every parent up to the root.
- `deck_counts` (the deck list): each deck's own due cards plus its subdecks' already-capped
  counts, capped by the deck's own remaining limits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from deskwork.domain import decknames
from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.decknames import parents
from deskwork.domain.decknames import within as in_deck
from deskwork.domain.presets import Presets
from deskwork.domain.studyday import days_before

LEARN_AHEAD = timedelta(minutes=20)
DAY = 86400


def is_interday(card: Card, day_end: datetime) -> bool:
    """A learning card whose step crossed into a later study day (Anki's day-learning queue)."""
    if card.state is CardState.REVIEW or card.last_review is None:
        return False
    return days_before(day_end, card.last_review) != days_before(day_end, card.due)


@dataclass
class Done:
    """Answers today that count against the limits: new cards, and reviews (incl. interday
    learning)."""

    new: int = 0
    review: int = 0


def done_per_deck(logs: Iterable[ReviewLog], deck_of: dict[int, str]) -> dict[str, Done]:
    """Today's answers per deck, each also counted in every parent (as Anki does): a new card's
    first answer counts as new; a review card's answer, and the first answer today of a learning
    card last answered on an earlier day (Anki's interday learning), count as reviews."""
    out: dict[str, Done] = {}
    seen: set[int] = set()
    for log in sorted(logs, key=lambda entry: (entry.ts, entry.id)):
        if log.manual:  # Anki's manual entries (set due date, forget) are not answers
            continue
        deck = deck_of.get(log.card_id)
        first_today = log.card_id not in seen
        seen.add(log.card_id)
        if deck is None:
            continue
        if log.was_new:
            kind = "new"
        elif first_today:
            # A review, or a learning card answered on an earlier day (Anki's interday learning;
            # one left overdue from yesterday's intraday steps counts too: the log cannot tell).
            kind = "review"
        else:
            continue
        for name in (*parents(deck), deck):
            done = out.setdefault(name, Done())
            if kind == "new":
                done.new += 1
            else:
                done.review += 1
    return out


@dataclass
class Remaining:
    review: int
    new: int
    cap_new_to_review: bool = True

    def cap_to(self, other: Remaining) -> None:
        self.review = min(self.review, other.review)
        self.new = min(self.new, other.new)

    def get(self, kind: str) -> int:
        return self.review if kind == "review" else self.new

    def decrement(self, kind: str) -> bool:
        """Take one; True when a limit reached zero."""
        before = (self.review, self.new)
        if kind == "review":
            self.review = max(0, self.review - 1)
            if self.cap_new_to_review:
                self.new = min(self.new, self.review)
        else:
            self.new = max(0, self.new - 1)
        return (before[0] > 0 and self.review == 0) or (before[1] > 0 and self.new == 0)


UNLIMITED = 1_000_000


def remaining_for(deck: str, presets: Presets, done: dict[str, Done]) -> Remaining:
    settings = presets.for_deck(deck)
    today = done.get(deck, Done())
    review = settings.reviews_per_day - today.review
    new = settings.new_per_day - today.new
    cap = not settings.preset.new_ignores_review_limit
    if cap:
        review -= today.new
        new = min(new, review)
    return Remaining(max(0, review), max(0, new), cap)


def with_parents(decks: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for deck in set(decks):
        out.add(deck)
        out.update(parents(deck))
    return out


@dataclass
class LimitTree:
    """The remaining limits of the deck being studied (`root`, '' = every deck) and its subdecks.
    The tree's top is `top` (None in `children`), not a deck's name: a stored deck may be named
    '' (a card's deck `::Lead` implies it), and it is a deck like any other."""

    root: str
    limits: dict[str, Remaining] = field(default_factory=dict)
    children: dict[str | None, list[str]] = field(default_factory=dict)
    chains: dict[str, list[str]] = field(default_factory=dict)  # deck -> it and its parents
    top: Remaining = field(default_factory=lambda: Remaining(UNLIMITED, UNLIMITED, False))

    @classmethod
    def build(
        cls, root: str, decks: Iterable[str], presets: Presets, done: dict[str, Done]
    ) -> LimitTree:
        tree = cls(root)
        names = sorted(d for d in with_parents(decks) if in_deck(d, root))
        if root:
            names = sorted(set(names) | {root})
        for name in names:  # parents sort before their children (a name's prefix)
            parent = None if root and name == root else decknames.parent(name)
            limits = remaining_for(name, presets, done)
            limits.cap_to(tree.top if parent is None else tree.limits[parent])
            tree.limits[name] = limits
            tree.children.setdefault(parent, []).append(name)
        return tree

    def reached(self, deck: str, kind: str) -> bool:
        limits = self.limits.get(deck)
        return limits is None or limits.get(kind) == 0

    def root_reached(self, kind: str) -> bool:
        return (self.limits[self.root] if self.root else self.top).get(kind) == 0

    def take(self, deck: str, kind: str) -> None:
        """One card of `deck` taken: it and each parent up to the root count it."""
        chain = self.chains.get(deck)
        if chain is None:
            chain = [deck, *reversed([p for p in parents(deck) if in_deck(p, self.root)])]
            self.chains[deck] = chain
        for name in chain:
            limits = self.limits.get(name)
            if limits is not None and limits.decrement(kind):
                self._cap_below(name, limits)

    def _cap_below(self, deck: str, limits: Remaining) -> None:
        """Every deck under `deck` capped to its `limits` (a loop, not a recursion: a stored name
        may have thousands of parts)."""
        below = list(self.children.get(deck, []))
        while below:
            child = below.pop()
            self.limits[child].cap_to(limits)
            below += self.children.get(child, [])


# ---------------------------------------------------------------------- the deck list
@dataclass(frozen=True)
class DeckCounts:
    """One row of the deck list: due today with the limits applied, and the cards in the deck."""

    deck: str
    new: int
    learning: int
    review: int
    cards: int  # in this deck and its subdecks


@dataclass
class _Own:
    new: int = 0
    review: int = 0
    intraday: int = 0
    interday: int = 0
    total: int = 0

    def __iadd__(self, other: _Own) -> _Own:
        self.new += other.new
        self.review += other.review
        self.intraday += other.intraday
        self.interday += other.interday
        self.total += other.total
        return self

    def capped(self, limits: Remaining) -> _Own:
        out = replace(self)
        out.interday = min(out.interday, limits.review)
        reviews_left = max(0, limits.review - out.interday)
        out.review = min(out.review, reviews_left)
        out.new = min(out.new, limits.new)
        if limits.cap_new_to_review:
            reviews_left = max(0, reviews_left - out.review)
            out.new = min(out.new, reviews_left)
        return out


def available(card: Card, now: datetime) -> bool:
    return not card.suspended and (card.buried_until is None or card.buried_until <= now)


def deck_counts(
    cards: Iterable[Card],
    now: datetime,
    day_end: datetime,
    presets: Presets,
    done: dict[str, Done],
    extra_decks: Iterable[str] = (),
) -> list[DeckCounts]:
    """Every deck (with its parents), in tree order, with Anki's v3 deck-list counts."""
    own: dict[str, _Own] = {}
    # Stored times are UTC: comparing datetimes that share a tzinfo skips an offset lookup each.
    now, day_end = now.astimezone(UTC), day_end.astimezone(UTC)
    learn_cutoff = now + LEARN_AHEAD
    for card in cards:
        counts = own.setdefault(card.deck, _Own())
        counts.total += 1
        if not available(card, now):
            continue
        if card.is_new:
            counts.new += 1
        elif card.state is CardState.REVIEW:
            if card.due < day_end:
                counts.review += 1
        elif is_interday(card, day_end):
            if card.due < day_end:
                counts.interday += 1
        elif card.due <= learn_cutoff:
            counts.intraday += 1
    names = sorted(with_parents([*own, *extra_decks]), key=decknames.tree_order)
    children: dict[str | None, list[str]] = {}
    for name in names:
        children.setdefault(decknames.parent(name), []).append(name)
    result: dict[str, DeckCounts] = {}
    passed_up: dict[str, _Own] = {}  # a deck's capped counts, added to its parent's
    # Subdecks first: a deck's name is a prefix of its subdecks', so it sorts before them. A loop,
    # not a recursion: any stored name ('', '::Lead', a thousand parts) is a deck of the tree.
    for name in reversed(names):
        mine = replace(own.get(name, _Own()))
        for child in children.get(name, []):
            mine += passed_up.pop(child)
        capped = mine.capped(remaining_for(name, presets, done))
        result[name] = DeckCounts(
            name, capped.new, capped.intraday + capped.interday, capped.review, mine.total
        )
        capped.total = mine.total
        passed_up[name] = capped
    return [result[name] for name in names]
