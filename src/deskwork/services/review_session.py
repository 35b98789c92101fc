"""A review session: today's queue built once (each answer re-places one card, no rescan), the
answers (Anki's load balancer, burying siblings), undo, bury, suspend, flag, editing the card on
screen, cram, when the next card comes up, and a card's retrievability."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from deskwork.domain import loadbalance as lb
from deskwork.domain import revieworder
from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card
from deskwork.domain.presets import Presets
from deskwork.domain.render import Rendered
from deskwork.domain.scheduling import Grade, SchedulerSettings, grade, next_intervals
from deskwork.domain.studyday import day_bounds
from deskwork.domain.undo import Undo, builds, taken_back
from deskwork.domain.upcoming import Upcoming
from deskwork.domain.wording import figure, plural
from deskwork.services import notes
from deskwork.services.desk import Desk
from deskwork.services.due_counts import DueCounts
from deskwork.services.pacing import paced

if TYPE_CHECKING:
    from fsrs import Scheduler


@dataclass
class ReviewSession:
    """Today's reviews. The queue is built once; each answer re-places one card (no rescan)."""

    desk: Desk
    cram: bool = False
    deck: str = ""  # "" = every deck; a deck includes its subdecks
    undo_stack: list[Undo] = field(default_factory=list)

    def __post_init__(self) -> None:
        from deskwork.services import presets

        self.presets = presets.load(self.desk)
        # The fsrs schedulers (and the fsrs import) wait for the first answer: the first frame
        # shows a question without them. One per preset (and deck retention), kept.
        self._schedulers: dict[SchedulerSettings, Scheduler] = {}
        self._notes: dict[str, list[int]] | None = None  # note guid -> card ids, when first needed
        self.due_counts = DueCounts(self.desk, self.presets, self.day_end)  # the load balancer's
        self._build = 0  # the number of the queue built last (`_builds`)
        self.rebuild()
        # The cards not due yet, in due order (`next_up`): one pass here, where the session is
        # built (a worker at start-up, after an import, at the day's turn), none when asked.
        self._upcoming: Upcoming | None = None
        if not self.cram:
            self._upcoming = self._upcoming_now()

    def render(self, card: Card) -> Rendered:
        """The card's question and answer under its own note type."""
        return self.renderer(card)

    @cached_property
    def renderer(self) -> notes.Renderer:
        return notes.Renderer(self.desk)

    def settings_for(self, card: Card, *, fuzz: bool | None = None) -> SchedulerSettings:
        from deskwork.services import presets

        on = self.desk.config.cards.fuzz if fuzz is None else fuzz
        return presets.scheduler_settings(self.presets, card.deck, on)

    def scheduler_for(self, settings: SchedulerSettings) -> Scheduler:
        key = settings._replace(fuzz=False)
        found = self._schedulers.get(key)
        if found is None:
            found = self._schedulers[key] = key.scheduler()
        return found

    # ------------------------------------------------------------------ the queue
    def day_end(self) -> datetime:
        return day_bounds(self.desk.today(), self.desk.config.study.day_start_hour)[1]

    def _cards(self) -> list[Card]:
        cards = self.desk.store.cards.all()
        if self.deck:
            cards = [c for c in cards if self._studied(c)]
        return cards

    def _studied(self, card: Card) -> bool:
        """The card is in the deck studied (or its subdecks)."""
        return not self.deck or card.deck == self.deck or card.deck.startswith(self.deck + "::")

    def rebuild(self) -> None:
        from deskwork.services.due_today import today_done

        now = self.desk.clock()
        self._build = next(builds)
        self.day = self.desk.today()  # the study day this queue is for (its limits, its end)
        if self.cram:  # practice: everything not suspended, the schedule left alone
            pool = sorted(
                (c for c in self._cards() if not c.suspended), key=lambda c: (c.due, c.id)
            )
            self.queue = rq.ReviewQueue([], pool, [])
            return
        cards = self.desk.store.cards.all()
        self.done = today_done(self.desk, {c.id: c.deck for c in cards})
        first = self.queue.first if hasattr(self, "queue") else None  # an undone card stays first
        paced_cards = paced(cards, self.desk.give_way)  # on a worker: the UI thread goes first
        self.queue = rq.build(paced_cards, now, self.day_end(), self.presets, self.done, self.deck)
        self.queue.first = first

    def limits_reached(self) -> str:
        """'' or what stops today's queue: the studied deck's limits, spent."""
        if self.cram:
            return ""
        from deskwork.domain.decklimits import remaining_for

        deck = self.deck or self.desk.config.cards.default_deck
        left = remaining_for(deck, self.presets, self.done)
        done = self.done.get(deck)
        if done is None or (left.new and left.review):
            return ""
        return f"{deck}: today's limits reached ({figure(done.new)} new, {plural(done.review, 'review')})"

    def current(self) -> Card | None:
        """The card to study now. Once shown it stays until answered, buried or suspended, as in
        Anki: a learning card falling due meanwhile waits for the next one (it took the place
        of the card on screen, and Space then showed its answer, or 3 graded it, unseen)."""
        if self.cram:
            return self.queue.reviews[0] if self.queue.reviews else None
        card = rq.next_card(self.queue, self.desk.clock())
        if card is not None:
            self.queue.first = card.id  # shown: first while it is queued (place/remove clear it)
        return card

    def remaining(self) -> tuple[int, int, int]:
        """(new, learning, review) cards left today, as Anki counts them now: intraday learning
        cards due later than the learn-ahead limit come into the count as their time comes."""
        return self.queue.counts(self.desk.clock())

    def intervals(self, card: Card) -> dict[Grade, timedelta]:
        """The buttons show the interval without fuzz: stable, and within a few % of the real one."""
        settings = self.settings_for(card, fuzz=False)
        return next_intervals(
            self.scheduler_for(settings), card, self.desk.clock(), settings, self.day_end()
        )

    @contextmanager
    def _writing(self, *card_ids: int) -> Iterator[None]:
        """Around every write of this session to cards: `next_up`'s cards are re-placed after it
        as the store has them (after a failed one too: what reached it is not known). No ids: the
        write's cards are not known here (a note's edit), the next ask makes a new pass."""
        try:
            yield
        finally:
            upcoming = self._upcoming
            if upcoming is not None and not card_ids:
                self._upcoming = None
            elif upcoming is not None:
                now = self.desk.clock()
                for card_id in card_ids:  # (a sibling buried may be in another deck)
                    card = self.desk.store.cards.get(card_id)
                    upcoming.written(card_id, card if card and self._studied(card) else None, now)

    def _upcoming_now(self) -> Upcoming:
        cards = paced(self._cards(), self.desk.give_way)  # on a worker: the UI thread goes first
        return Upcoming(cards, self.desk.clock(), self.desk.config.study.day_start_hour)

    def next_up(self) -> tuple[datetime, bool] | None:
        """When the next card comes up, and whether by the day (domain/upcoming.py), which the
        review pane asks for at each refresh of the desk while nothing is due. Kept from the
        session's build and its own writes (cards changed elsewhere make a new session): a pass
        over every card (~40 ms at 100,000) only when the heaps cannot answer (a clock set back,
        a burial's end, a note's edit, a cram session)."""
        upcoming = self._upcoming
        if upcoming is None or not upcoming.fits(
            self.desk.clock(), self.desk.config.study.day_start_hour
        ):
            upcoming = self._upcoming = self._upcoming_now()
        return upcoming.next_up()

    def retrievability(self, card: Card) -> float | None:
        """The card's probability of recall now (FSRS's R), None for a new card."""
        return retrievability(self.presets, card, self.desk.clock())

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
        settings = self.settings_for(card)
        after, log = grade(
            self.scheduler_for(settings),
            settings,
            card,
            rating,
            now,
            duration_ms,
            self.day_end(),
            self.balancer(card) if settings.fuzz else None,
        )
        preset = self.presets.for_deck(card.deck).preset
        bury = (preset.bury_new, preset.bury_reviews, preset.bury_interday_learning)
        buried = (
            rq.siblings(card, self._note_cards(card), bury, now, self.day_end())
            if any(bury)
            else []
        )
        spots = rq.spots_of(self.queue, (card.id, *(c.id for c in buried)))
        buried_after = [c.model_copy(update={"buried_until": self.day_end()}) for c in buried]
        with self._writing(card.id, *(c.id for c in buried)), self.desk.store.transaction() as tx:
            tx.put("cards", after)
            log = tx.append("reviews", log)
            for sibling in buried_after:
                tx.put("cards", sibling)
        for sibling in buried:
            rq.remove(self.queue, sibling.id)
        self.due_counts.move(card, after)
        self.undo_stack.append(
            Undo(card, log, buried=buried, spots=spots, build=self._build, after=after,
                 buried_after=buried_after)
        )  # fmt: skip
        del self.undo_stack[:-50]
        rq.place(self.queue, after, self.day_end())
        return self.current()

    # ------------------------------------------------------------------ the load balancer
    def due_days(self) -> lb.DueDays:
        """Cards due per study day and preset (services/due_counts.py)."""
        return self.due_counts.days()

    def counting_job(self) -> Callable[[], None] | None:
        """The load balancer's scan of every card for a worker thread (services/due_counts.py);
        None when there is nothing to count (cram, the balancer off, counted already)."""
        if self.cram or not self.desk.config.cards.load_balancer:
            return None
        return self.due_counts.counting_job()

    def balancer(self, card: Card) -> lb.Balancer | None:
        """Anki's load balancer for an answer to `card` (None when `[cards] load_balancer` is
        off): its preset's counts, its easy days (the preset's, else the config's), and its
        siblings' days when the preset buries review siblings."""
        config = self.desk.config
        if not config.cards.load_balancer:
            return None
        preset = self.presets.preset_of(card.deck)
        today, day_end = self.desk.today(), self.day_end()
        siblings: tuple[int, ...] = ()
        if preset.bury_reviews:
            first = today.toordinal()
            days = (lb.due_day(c, today, day_end) for c in [card, *self._note_cards(card)])
            siblings = tuple(
                {d - first for d in days if d is not None and 0 <= d - first < lb.LOAD_BALANCE_DAYS}
            )
        easy = tuple(preset.easy_days) or config.easy_days.factors()
        return lb.Balancer(self.due_days(), preset.id, today, easy, siblings)

    def _note_cards(self, card: Card) -> list[Card]:
        """The cards of `card`'s note as they are now (ids indexed once per session)."""
        if not card.note_guid:
            return []
        if self._notes is None:
            self._notes = {}
            for c in self.desk.store.cards.all():
                if c.note_guid:
                    self._notes.setdefault(c.note_guid, []).append(c.id)
        found = (self.desk.store.cards.get(i) for i in self._notes.get(card.note_guid, []))
        return [c for c in found if c is not None]

    undo_said = ""  # why the last undo took nothing back, when there was something to undo

    def undo(self) -> Card | None:
        """Take back the last answer (or bury / suspend): the card as it was, its log entry gone;
        only what the change wrote (domain/undo.py). None if there is nothing to undo, or the
        card was deleted since (`undo_said` says so: a deleted card is not brought back)."""
        if not self.undo_stack:
            return None
        last = self.undo_stack.pop()
        if last.counted == "cram":
            self.queue.reviews = [c for c in self.queue.reviews if c.id != last.before.id]
            self.queue.reviews.insert(0, last.before)
            return last.before
        cards = self.desk.store.cards
        now_card = cards.get(last.before.id)
        self.undo_said = ""
        if now_card is None and last.after is not None:  # deleted since (the card browser)
            self.undo_said = "The card answered last was deleted since: nothing taken back"
            return None
        restored = taken_back(now_card, last.before, last.after)
        siblings = [
            taken_back(now, before, after)
            for before, after in zip(last.buried, last.afters_of_buried(), strict=True)
            if (now := cards.get(before.id)) is not None or after is None  # not one deleted since
        ]
        touched = (restored.id, *(c.id for c in siblings))
        with self._writing(*touched), self.desk.store.transaction() as tx:
            tx.put("cards", restored)
            for sibling in siblings:
                tx.put("cards", sibling)
            if last.log is not None:
                tx.remove("reviews", last.log)
        if now_card is not None:
            self.due_counts.move(now_card, restored)
        if last.spots is not None and last.build == self._build:  # the queue it changed
            rq.put_back(self.queue, [restored, *siblings], last.spots)
        else:  # built since (another deck studied, an import, the day's turn): a new build
            self.rebuild()
        self.queue.first = restored.id  # shown next, as Anki does, if today's queue has it
        return restored

    def _change(self, card: Card, **update: Any) -> Card:
        changed = card.model_copy(update=update)
        spots = rq.spots_of(self.queue, (card.id,))
        with self._writing(card.id), self.desk.store.transaction() as tx:
            tx.put("cards", changed)
        self.due_counts.move(card, changed)  # a suspended card is due on no day (its undo too)
        self.undo_stack.append(Undo(card, None, spots=spots, build=self._build, after=changed))
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
        with self._writing(card.id), self.desk.store.transaction() as tx:
            tx.put("cards", flagged)
        self._replace(flagged)
        return flagged

    def edit(self, fields: list[str], deck: str, tags: list[str]) -> Card | None:
        """Edit the current card's note in place: every card of the note changes, the schedule and
        the history stay."""
        card = self.current()
        if card is None:
            return None
        with self._writing():
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


def retrievability(presets: Presets, card: Card, now: datetime) -> float | None:
    """FSRS's R at `now` with the decay of the card's preset (None without a memory state)."""
    return revieworder.retrievability(card, now, presets.decay_for(card))
