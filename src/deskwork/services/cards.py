"""Flashcard use-cases: a review session (queue, answers, undo, bury, suspend, flag, edit, cram),
adding cards (quick capture), and the figures for `cards stats`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from deskwork.domain import cardstats
from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.render import Rendered
from deskwork.domain.scheduling import Grade, SchedulerSettings, grade, next_intervals
from deskwork.domain.studyday import day_bounds
from deskwork.services import notes
from deskwork.services.desk import Desk
from deskwork.services.notes import LAST_DECK

if TYPE_CHECKING:
    from fsrs import Scheduler


def settings_of(desk: Desk) -> SchedulerSettings:
    c = desk.config.cards
    return SchedulerSettings(
        desired_retention=c.desired_retention,
        learning_steps_minutes=tuple(c.learning_steps_minutes),
        relearning_steps_minutes=tuple(c.relearning_steps_minutes),
        maximum_interval_days=c.maximum_interval_days,
        fuzz=c.fuzz,
        leech_lapses=c.leech_lapses,
        leech_suspend=c.leech_suspend,
    )


@dataclass
class Undo:
    before: Card
    log: ReviewLog | None  # None for actions that wrote no log entry (bury, suspend, cram)
    counted: str = ""  # "new" / "review": what the answer counted against today's limits


@dataclass
class ReviewSession:
    """Today's reviews. The queue is built once; each answer re-places one card (no rescan)."""

    desk: Desk
    cram: bool = False
    deck: str = ""  # "" = every deck; a deck includes its subdecks
    undo_stack: list[Undo] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.settings = settings_of(self.desk)
        self.rebuild()

    def render(self, card: Card) -> Rendered:
        """The card's question and answer under its own note type."""
        return self.renderer(card)

    @cached_property
    def renderer(self) -> notes.Renderer:
        return notes.Renderer(self.desk)

    # The schedulers (and the fsrs import) wait for the first answer: the first frame shows a
    # question without them.
    @cached_property
    def scheduler(self) -> Scheduler:
        return self.settings.scheduler()

    @cached_property
    def preview(self) -> Scheduler:
        """The buttons show the interval without fuzz: stable, and within a few % of the real one."""
        return replace(self.settings, fuzz=False).scheduler()

    # ------------------------------------------------------------------ the queue
    def day_end(self) -> datetime:
        return day_bounds(self.desk.today(), self.desk.config.study.day_start_hour)[1]

    def _cards(self) -> list[Card]:
        cards = self.desk.store.cards.all()
        if self.deck:
            prefix = self.deck + "::"
            cards = [c for c in cards if c.deck == self.deck or c.deck.startswith(prefix)]
        return cards

    def rebuild(self) -> None:
        now = self.desk.clock()
        cards = self._cards()
        if self.cram:  # practice: everything not suspended, the schedule left alone
            pool = sorted((c for c in cards if not c.suspended), key=lambda c: (c.due, c.id))
            self.queue = rq.ReviewQueue([], pool, [])
            return
        start, end = day_bounds(self.desk.today(), self.desk.config.study.day_start_hour)
        self.counts = rq.DayCounts.of(self.desk.store.reviews.between(start, end))
        cfg = self.desk.config.cards
        limits = rq.Limits(cfg.new_per_day, cfg.reviews_per_day)
        self.queue = rq.build(cards, now, end, limits, self.counts)

    def current(self) -> Card | None:
        if self.cram:
            return self.queue.reviews[0] if self.queue.reviews else None
        return rq.next_card(self.queue, self.desk.clock())

    def remaining(self) -> tuple[int, int, int]:
        """(new, learning, review) cards left today."""
        return len(self.queue.new), len(self.queue.learning), len(self.queue.reviews)

    def intervals(self, card: Card) -> dict[Grade, timedelta]:
        return next_intervals(self.preview, card, self.desk.clock())

    def next_due(self) -> datetime | None:
        return rq.next_due(self.desk.store.cards.all(), self.desk.clock())

    # ------------------------------------------------------------------ answers
    def answer(self, rating: Grade, duration_ms: int = 0) -> Card | None:
        """Grade the current card (durably), then return the next one."""
        card = self.current()
        if card is None:
            return None
        if self.cram:
            self.queue.reviews.pop(0)
            if rating is Grade.AGAIN:
                self.queue.reviews.insert(min(3, len(self.queue.reviews)), card)
            self.undo_stack.append(Undo(card, None, "cram"))
            return self.current()
        now = self.desk.clock()
        after, log = grade(self.scheduler, self.settings, card, rating, now, duration_ms)
        with self.desk.store.transaction() as tx:
            tx.put("cards", after)
            log = tx.append("reviews", log)
        self.undo_stack.append(Undo(card, log))
        del self.undo_stack[:-50]
        rq.place(self.queue, after, self.day_end())
        return self.current()

    def undo(self) -> Card | None:
        """Take back the last answer (or bury / suspend): the card as it was, its log entry gone."""
        if not self.undo_stack:
            return None
        last = self.undo_stack.pop()
        if last.counted == "cram":
            self.queue.reviews = [c for c in self.queue.reviews if c.id != last.before.id]
            self.queue.reviews.insert(0, last.before)
            return last.before
        with self.desk.store.transaction() as tx:
            tx.put("cards", last.before)
            if last.log is not None:
                tx.remove("reviews", last.log)
        self.rebuild()
        return last.before

    def _change(self, card: Card, **update: Any) -> Card:
        changed = card.model_copy(update=update)
        with self.desk.store.transaction() as tx:
            tx.put("cards", changed)
        self.undo_stack.append(Undo(card, None))
        rq.remove(self.queue, card.id)
        return changed

    def bury(self) -> Card | None:
        """The current card waits until the next study day starts."""
        card = self.current()
        if card is not None:
            self._change(card, buried_until=self.day_end())
        return self.current()

    def suspend(self) -> Card | None:
        card = self.current()
        if card is not None:
            self._change(card, suspended=True)
        return self.current()

    def flag(self, number: int) -> Card | None:
        """Flag 1–7 (Anki's colours), or the same number again to clear it."""
        card = self.current()
        if card is None:
            return None
        flagged = card.model_copy(update={"flag": 0 if card.flag == number else number})
        with self.desk.store.transaction() as tx:
            tx.put("cards", flagged)
        self._replace(flagged)
        return flagged

    def edit(self, fields: list[str], deck: str, tags: list[str]) -> Card | None:
        """Edit the current card's note in place: every card of the note changes, the schedule and
        the history stay."""
        card = self.current()
        if card is None:
            return None
        notes.edit_note(self.desk, card, fields, deck, tags)
        fresh = self.desk.store.cards.get(card.id)
        if fresh is not None:
            self._replace(fresh)
        return fresh

    def _replace(self, card: Card) -> None:
        for part in (self.queue.learning, self.queue.reviews, self.queue.new):
            for n, c in enumerate(part):
                if c.id == card.id:
                    part[n] = card


# ---------------------------------------------------------------------- adding and editing
add_note = notes.add_note
edit_note = notes.edit_note


def last_deck(desk: Desk) -> str:
    return str(desk.store.setting(LAST_DECK) or desk.config.cards.default_deck)


def decks(desk: Desk) -> list[str]:
    """Every deck: those with cards, and those imported from Anki (empty ones too)."""
    imported = set(desk.store.setting("anki_decks", {}) or {})
    return sorted({c.deck for c in desk.store.cards.all()} | {last_deck(desk)} | imported)


# ---------------------------------------------------------------------- figures
def stats(desk: Desk) -> dict[str, Any]:
    now = desk.clock()
    cards = desk.store.cards.all()
    day_end = day_bounds(desk.today(), desk.config.study.day_start_hour)[1]
    return {
        "notes": len({c.note_guid or f"card-{c.id}" for c in cards}),
        "cards": len(cards),
        "due_today": sum(
            1 for c in cards if rq.available(c, now) and not c.is_new and c.due < day_end
        ),
        **cardstats.per_state(cards),
        "decks": dict(sorted(Counter(c.deck for c in cards).items())),
    }


def figures(
    desk: Desk, days: int = 30
) -> tuple[list[int], list[int], float | None, dict[str, int]]:
    """(due forecast for `days`, answers per day over the last `days`, true retention over that
    window, cards per state) — the browser's figures, from one read of the log window."""
    now = desk.clock()
    today, start_hour = desk.today(), desk.config.study.day_start_hour
    window_start = day_bounds(today - timedelta(days=days - 1), start_hour)[0]
    since = min(window_start, now - timedelta(days=days))
    logs = list(desk.store.reviews.between(since, now + timedelta(seconds=1)))
    cards = desk.store.cards.all()
    return (
        cardstats.due_forecast(cards, today, start_hour, days),
        cardstats.reviews_per_day(logs, today, start_hour, days),
        cardstats.true_retention(logs, now - timedelta(days=days)),
        cardstats.per_state(cards),
    )
