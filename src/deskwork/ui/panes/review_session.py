"""The review area's session: today's queue for the deck being studied, made when the cards are
loaded, built again on a worker thread when cards change (an answer given meanwhile makes that
build stale), kept across days and restarts (the deck studied is a setting). The pane that shows
and answers its cards is review.ReviewPane."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from deskwork.domain.cards import Card
from deskwork.services import DaySummary
from deskwork.ui.widgets.pane import Pane
from deskwork.ui.worker_reads import read_while_written

if TYPE_CHECKING:
    from deskwork.services.cards import ReviewSession
    from deskwork.ui.host import PaneHost

STUDY_DECK = "study_deck"  # the setting that keeps the deck being studied


class SessionPane(Pane):
    """What the review pane knows of its session; `render_card` and `_idle` are the pane's."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.session: ReviewSession | None = None
        self._build_generation = 0  # bumped by every restart: a stale background build is dropped
        self._building = False
        self._building_since: date | None = None  # the study day a build on its way began in
        self._warming = False  # the warm-up builds the first session on its worker
        self.deck = ""  # studying one deck (and its subdecks); "" = every deck
        self.revealed = False
        self.shown_at = time.monotonic()
        self._summary: DaySummary | None = None

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def render_card(self) -> None:
        raise NotImplementedError

    def _idle(self, text: str, hint: str = "") -> None:
        raise NotImplementedError

    def show(self, summary: DaySummary) -> None:
        """Called on every refresh of the desk: starts the session once the cards are loaded."""
        self._summary = summary
        if summary.cards_loading:
            self._idle("Loading cards…")
            return
        if self.session is None and self._warming:  # (a refresh, the day's turn, meanwhile)
            self._idle("Building today's queue…")
        elif self.session is None:
            self.restart()
        elif self.session.desk.today() != self._session_day and not self._building:
            # The day turned and no build is on its way (an open desk's turn builds it on a
            # worker: ui/day_turn; this is a refresh before its tick, or its build failed).
            self.restart_in_background()
        else:
            self.render_card()

    @property
    def studied_deck(self) -> str:
        """The deck being studied ("" = every deck), known before the cards are loaded: until the
        session starts it is the one kept from last time."""
        if self.session is not None:
            return self.deck
        return str(self.desk_app.desk.store.setting(STUDY_DECK) or "")

    def next_session(self) -> ReviewSession:
        """The session `restart()` would build (a worker thread may build it: the queue of a
        big collection takes a while), to hand to `restart(session=…)`."""
        from deskwork.services.cards import ReviewSession

        old = self.session
        deck = (
            self.deck
            if old is not None
            else str(self.desk_app.desk.store.setting(STUDY_DECK) or "")
        )
        return ReviewSession(self.desk_app.desk, cram=old.cram if old else False, deck=deck)

    @property
    def build_generation(self) -> int:
        """Bumped by every restart and rebuild: a session built on a worker from an older one is
        stale."""
        return self._build_generation

    def warming_up(self) -> int:
        """The warm-up builds the first session on its worker: until it comes (`adopt`, or
        `adopt(None, …)` when it could not) a refresh of the desk says so rather than building
        one here. Returns the build's generation."""
        self._warming = self.session is None
        return self._build_generation

    def adopt(self, session: ReviewSession | None, generation: int) -> bool:
        """Start with `session`, built on a worker while the cards loaded (`next_session`), unless
        a session started or a rebuild was asked for since `generation` was read. Built before
        the study day turned, it answers while today's is built on a worker (`restart`)."""
        self._warming = False
        if session is None or self.session is not None or generation != self._build_generation:
            return False
        self.restart(session=session)
        return True

    def rebuilding(self) -> int:
        """A new session is being built elsewhere on a worker (the study day's turn): until it
        comes (`adopt_rebuilt`) this one keeps answering. Returns the build's generation."""
        self._build_generation += 1
        self._building, self._building_since = True, self.desk_app.desk.today()
        return self._build_generation

    def today_in_hand(self) -> bool:
        """The session is today's, or today's is on its way (a build begun in today's study day):
        the day's turn has nothing to build (the start-up's queue met the start hour: `restart`
        built today's already). A build begun yesterday (an import's) would bring yesterday's."""
        today = self.desk_app.desk.today()
        if self._building:
            return self._building_since == today
        return self.session is not None and self._session_day == today

    def adopt_rebuilt(self, session: ReviewSession, generation: int) -> bool:
        """Start `session`, built on a worker since `rebuilding()`, unless an answer or another
        restart came since (then a newer build is under way or done)."""
        if generation != self._build_generation:
            return False
        self._building = False
        # The answer being read stays on screen when the card stays (a review found it flipped
        # back to its question at the turn, its time measured again from there).
        self.restart(session=session, keep_revealed=True)
        return True

    def rebuilt_failed(self, generation: int) -> None:
        """The worker could not build it: the next `show` builds it here."""
        if generation == self._build_generation:
            self._building = False

    def restart(
        self,
        cram: bool | None = None,
        session: ReviewSession | None = None,
        *,
        keep_revealed: bool = False,
    ) -> None:
        from deskwork.services.cards import ReviewSession

        self._build_generation += 1  # a session being built in the background is stale now
        self._building = self._warming = False
        old = self.session
        if old is None:  # the deck studied last time, as Anki keeps its current deck
            self.deck = str(self.desk_app.desk.store.setting(STUDY_DECK) or "")
        keep_cram = old.cram if old and cram is None else bool(cram)
        if session is None or session.cram != keep_cram or session.deck != self.deck:
            session = ReviewSession(self.desk_app.desk, cram=keep_cram, deck=self.deck)
        self._install(session, old, keep_revealed=keep_revealed)
        if session.day != session.desk.today():
            # Built on a worker before the study day turned (start-up's load met the start
            # hour): today's limits and buried cards come with today's queue, built on a worker
            # in turn (every card read: ~100 ms at the heavy year) while this one answers.
            self.restart_in_background()

    def _install(
        self, session: ReviewSession, old: ReviewSession | None, keep_revealed: bool = False
    ) -> None:
        same_card = (
            keep_revealed
            and old is not None
            and self.revealed
            and _card_id(old) == _card_id(session)
        )
        self.session = session
        if old is not None and old.cram == session.cram:  # a new card or an import keeps undo
            session.undo_stack = old.undo_stack
            session.queue.first = old.queue.first  # and the card an undo brought back
        self._session_day = session.day
        counting = session.counting_job()  # the load balancer's counts, off the UI thread
        if counting is not None:
            self.run_worker(counting, thread=True, group="balancer", name="load balancer counts")
        if not same_card:  # the answer being read stays on screen when the card stays
            self.revealed = False
            self.shown_at = time.monotonic()
        self.render_card()

    @property
    def building(self) -> bool:
        """A new session (today's queue over every card) is being built on a worker."""
        return self._building

    def restart_in_background(self) -> None:
        """Cards were added or changed (a new note, an import, the browser's bulk actions): the
        queue is built again on a worker thread (~100 ms at 20,000 cards, much more at 100,000)
        while the current session keeps answering. An answer given meanwhile makes the new
        queue stale: it is built again from there."""
        from deskwork.services.cards import ReviewSession

        old = self.session
        if old is None:
            self.restart()
            return
        self._build_generation += 1
        generation = self._build_generation
        self._building, self._building_since = True, self.desk_app.desk.today()
        desk, cram, deck = self.desk_app.desk, old.cram, self.deck

        def work() -> None:
            session = read_while_written(lambda: ReviewSession(desk, cram=cram, deck=deck))
            self.app.call_from_thread(self._built, generation, session)

        self.run_worker(work, thread=True, exclusive=True, group="review-build", name="queue")

    def _built(self, generation: int, session: ReviewSession | None) -> None:
        if generation != self._build_generation or not self.is_mounted:
            return  # superseded: an answer, or another restart, came after it began
        self._building = False
        if session is None:  # the store kept changing under it: build it here
            self.restart()
            return
        self._install(session, self.session, keep_revealed=True)

    def _session_changed(self) -> None:
        """An answer, undo, bury, suspend or flag: a queue being built meanwhile missed it."""
        if self._building:
            self.restart_in_background()

    def current(self) -> Card | None:
        return self.session.current() if self.session else None

    def study(self, deck: str) -> None:
        """Review only `deck` and its subdecks ("" = every deck again); kept for next time."""
        self.deck = deck
        store = self.desk_app.desk.store
        if not store.readonly and store.setting(STUDY_DECK) != deck:
            store.set_setting(STUDY_DECK, deck)
        self.restart()


def _card_id(session: ReviewSession) -> int | None:
    card = session.current()
    return card.id if card is not None else None
