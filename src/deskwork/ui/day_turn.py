"""The study day's turn on an open desk: at the configured start hour (config `study.
day_start_hour`) everything the desk shows per day is made again, as a restart would: today's
line and figures, the curriculum's today queue, the review counts and the review session (today's
new-card limits start again, cards buried yesterday come back: Anki rebuilds its queue at the
rollover), the end-of-day nudge starts over, and open screens with a "today" (stats, the card
browser: their `study_day_turned`) count it again.

Checked on the desk's ticker (four times a second) from the desk's clock: one comparison with the
end of the day being shown. The review session reads every card (~100 ms at the heavy year, much
more at 100,000 cards): it is built on a worker, as at start-up (ui/warm_up.py), and the desk
adopts it unless an answer or a rebuild came meanwhile (then that rebuild's session is the new
day's). The rest of the desk's refresh reads no card (no area shows today's due counts)."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual.css.query import NoMatches
from textual.worker import get_current_worker

from deskwork.domain.studyday import day_bounds
from deskwork.ui.host import DeskHost
from deskwork.ui.worker_reads import ReadCancelled, read_while_written

if TYPE_CHECKING:
    from deskwork.services.review_session import ReviewSession
    from deskwork.ui.timer_control import TimerControl


class DayTurnHost(DeskHost, Protocol):
    """What the day's turn needs from the app beyond every control's host (the app builds it:
    this module does not import the app's)."""

    @property
    def timer(self) -> TimerControl: ...

    @property
    def quitting(self) -> bool: ...

    def refresh_panes(self, *, new_day: bool = False) -> None: ...


class DayTurn:
    """Watches for the study day's turn and refreshes the desk when it comes."""

    def __init__(self, app: DayTurnHost) -> None:
        self.app = app
        self.day, self._bounds = self._today()
        self.turns = 0  # how many turns this desk has seen (for tests and the curious)

    def _today(self) -> tuple[date, tuple[datetime, datetime]]:
        desk = self.app.desk
        day = desk.today()
        return day, day_bounds(day, desk.config.study.day_start_hour)

    def check(self) -> bool:
        """On every tick: True when the study day turned (the refresh is under way). A clock
        moved back (a test, a corrected system clock) counts as a turn too."""
        start, end = self._bounds
        if start <= self.app.desk.clock() < end:
            return False
        before = self.day
        self.day, self._bounds = self._today()
        if self.day == before:  # the zone's offset changed, not the day
            return False
        self.turns += 1
        self._turn()
        return True

    def _turn(self) -> None:
        app = self.app
        app.timer.new_day()
        for screen in app.screen_stack:  # open screens with a "today" (stats, the card browser)
            turned = getattr(screen, "study_day_turned", None)
            if callable(turned):
                turned()
        review = app.review_pane
        if not app.desk.store.cards.loaded or review.session is None or review.today_in_hand():
            # The cards still load: the warm-up builds the session (one it began before the turn
            # answers while today's is built on a worker: review_session.restart), or today's
            # is in hand already (that build); the rest is cheap now.
            app.refresh_panes(new_day=True)
            return
        generation = review.rebuilding()
        app.run_worker(
            partial(self._build, generation),
            thread=True,
            group="day-turn",
            name="new study day",
        )

    def _build(self, generation: int) -> None:
        """On a worker: the review session of the new day."""
        app = self.app
        worker = get_current_worker()
        prepared: ReviewSession | None = None
        try:
            prepared = read_while_written(
                app.review_pane.next_session, lambda: worker.is_cancelled or app.quitting
            )
        except ReadCancelled:
            return
        except Exception:  # only a head start: the UI thread builds them then
            prepared = None
        with contextlib.suppress(RuntimeError):  # the app stopped meanwhile
            app.call_from_thread(self._built, prepared, generation)

    def _built(self, prepared: ReviewSession | None, generation: int) -> None:
        app = self.app
        if app.quitting:
            return
        with contextlib.suppress(NoMatches, IndexError):  # the panes go first when it shuts
            review = app.review_pane
            if prepared is not None:
                review.adopt_rebuilt(prepared, generation)
            else:
                review.rebuilt_failed(generation)
            app.refresh_panes(new_day=True)
