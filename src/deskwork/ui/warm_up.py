"""What the app does once its first frame is drawn: the garbage collector resumes (paused while
the desk is composed, see deskwork/startup_gc.py), the big tables load shard by shard on a worker
with today's due counts and the review session built there too, compactions and the hourly backup
start off the UI thread, and, later, the monthly nudge to optimise FSRS."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.worker import get_current_worker

from deskwork import startup_gc
from deskwork.ui.panes.review import ReviewPane
from deskwork.ui.screens_ahead import AHEAD_DELAY_S, import_screens
from deskwork.ui.study_screens import StudyScreens
from deskwork.ui.worker_reads import ReadCancelled, read_while_written

if TYPE_CHECKING:
    from deskwork.services.review_session import ReviewSession
    from deskwork.ui.give_way import GiveWay
    from deskwork.ui.write_guard import WriteGuard

OPTIMIZE_REMINDER_DELAY_S = 20.0  # after start-up has settled: the nudge reads the review log


class WarmsUp(StudyScreens):
    """The part of the app that finishes starting after the first frame."""

    give_way: GiveWay
    write_guard: WriteGuard

    def _tell_store_problems(self) -> None:
        raise NotImplementedError

    def on_load(self) -> None:
        # Start-up (compose, styles, the first layouts) makes tens of thousands of objects that
        # all live on: collecting meanwhile is wasted work (~10-15 ms of the first frame at the
        # heavy year). Collections resume once the first frame is drawn (`_start_warm_up`).
        self._gc_paused = gc.isenabled()
        gc.disable()

    def _resume_gc(self) -> None:
        if getattr(self, "_gc_paused", False):
            self._gc_paused = False
            gc.enable()
        if startup_gc.starting():
            # What start-up built (modules, models, the desk's widgets) lives until the app quits:
            # frozen, no collection walks it again. Without it the first young collections after
            # the first frame moved it all to the middle generation and one pass over it froze
            # the UI ~40 ms (the cards are frozen the same way once loaded: Desk.warm_up).
            gc.freeze()
        startup_gc.end()  # the thresholds raised while importing (deskwork/startup_gc.py)

    def _working(self) -> bool:
        background = self.desk.store.background
        return any(not w.is_finished for w in self.workers) or bool(background and background.busy)

    def _start_warm_up(self) -> None:
        self._resume_gc()
        if self.give_way.install(asyncio.get_running_loop()):  # ui/give_way.py
            self.desk.give_way = self.give_way.pause  # the services' long passes on workers
        generation = self.review_pane.warming_up()
        self.run_worker(
            partial(self._warm_up, self.review_pane, generation),
            thread=True,
            group="warm-up",
            name="load cards",
        )
        if self.desk.store.writable:  # compactions and the hourly backup off the UI thread
            self.desk.store.start_background()
            # Group commit: a save's fdatasync too (store/flusher.py; told: ui/write_guard.py).
            loop = asyncio.get_running_loop()
            self.desk.store.start_group_commit(self.write_guard.listener(loop))
        # Threads that work (imports, compactions, backups) hand the interpreter back to the
        # event loop every millisecond instead of every five: a frame waits for the GIL a few
        # times, so the default interval shows as 20-100 ms of lateness while they run.
        sys.setswitchinterval(0.001)
        backup = self.desk.backup_job()
        if backup is not None:
            self.run_worker(backup, thread=True, group="backup", name="hourly backup")

    def _warm_up(self, review: ReviewPane, generation: int) -> None:
        """Load the big tables shard by shard off the UI thread (the first frame does not wait),
        then build here too what the desk shows once they are in: the review session (it reads
        every card: ~100 ms at the heavy year, which froze the UI right after start when built
        there). Today's due counts are not counted: no area of the desk shows them."""
        import deskwork.services.cards  # noqa: F401  (imported here, not on the UI thread)

        worker = get_current_worker()
        if not self.desk.warm_up(cancelled=lambda: worker.is_cancelled):
            return
        prepared: ReviewSession | None = None
        try:  # quitting (a hang-up, Ctrl+Q): the desk may be closing under us
            prepared = read_while_written(
                review.next_session, lambda: worker.is_cancelled or self.quitting
            )
        except ReadCancelled:
            return
        except Exception:  # only a head start: the UI thread builds them as before
            prepared = None
        self.call_from_thread(self._warmed_up, prepared, generation)
        self._count_stats_ahead(lambda: worker.is_cancelled)

    def _warmed_up(
        self,
        prepared: ReviewSession | None = None,
        generation: int = 0,
    ) -> None:
        if self.quitting:  # the cards finished loading while the app was quitting
            return
        # The panes go before the screens while it shuts (then the screen stack is empty).
        with contextlib.suppress(NoMatches, IndexError):
            # What the worker built is used unless the cards changed since (a rebuild asked for):
            # then it is built here, as before.
            self.review_pane.adopt(prepared, generation)
            # Only the review area shows the cards: refilling the queue's and the drafts' lists
            # (unchanged) re-measured ~400 options on the UI thread (~25 ms at the heavy year).
            self.review_pane.show(self.desk.summary(wait_for_cards=False, card_counts=False))
        self._tell_store_problems()
        self.idle_collector.start()  # after the warm-up's freeze (ui/idle_collector.py)
        if not self.desk.store.readonly:
            self.set_timer(OPTIMIZE_REMINDER_DELAY_S, self._optimize_reminder)
        self.set_timer(AHEAD_DELAY_S, self._import_screens_ahead)

    def _count_stats_ahead(self, cancelled: Callable[[], bool]) -> None:
        """The review log's months the stats screen needs, counted on the warm-up's worker (or
        taken from the counts kept in the store) once the desk has painted the cards (counting
        meanwhile would contend with that paint for the interpreter): the stats' first opening
        then reads none (~250 ms of reading and validating four months at the heavy year,
        services/insight.py). The same worker: whoever waits for start-up waits for this too."""
        from deskwork.services.insight import count_ahead

        painted = threading.Event()
        try:
            self.call_from_thread(self.call_after_refresh, painted.set)
        except RuntimeError:  # the app is no longer running
            return
        # In short waits: an app that quits before that paint never paints it, and a worker still
        # waiting would hold its exit for the whole limit.
        for _ in range(50):
            if cancelled() or self.quitting:
                return
            if painted.wait(0.1):
                if not (cancelled() or self.quitting):
                    count_ahead(self.desk)
                return

    def _import_screens_ahead(self) -> None:
        """The screens opened from the desk imported on a worker (ui/screens_ahead.py)."""
        if self.quitting:
            return

        def work() -> None:
            worker = get_current_worker()
            import_screens(lambda: worker.is_cancelled or self.quitting)

        self.run_worker(work, thread=True, group="screens-ahead", name="import screens")

    def _optimize_reminder(self) -> None:
        """Once a month at most, when enough reviews came in: a nudge to optimise FSRS."""
        from deskwork.services.optimize_reminder import reminder

        def check() -> None:
            said = reminder(self.desk, on_store=self.call_from_thread)
            if said:
                self.call_from_thread(self.notify, said, title="FSRS", timeout=15, markup=False)

        self.run_worker(check, thread=True, group="optimize-reminder", name="optimise reminder")
