"""Open the desk (config + store) and summarise the study day.

The UI and the CLI never touch the store's files or TinyDB directly; they call a `Desk`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from deskwork.config import Config, load_config
from deskwork.domain.curriculum import Item
from deskwork.domain.daystats import DayFocus, goal_met, recent_focus_and_streak
from deskwork.domain.drafts import Draft
from deskwork.domain.queue import candidates, leftovers, todays_queue
from deskwork.domain.records import utcnow
from deskwork.domain.sessions import Session, SessionKind
from deskwork.domain.studyday import day_bounds, study_day
from deskwork.paths import Paths
from deskwork.services import pacing
from deskwork.store import collector
from deskwork.store.store import Store

if TYPE_CHECKING:
    from deskwork.domain.cards import Card
    from deskwork.services.due_today import DueToday

WELCOME_DONE = "welcome_done"
THEME = "theme"


@dataclass
class DaySummary:
    day: date
    pomodoros: int
    focus_minutes: float
    goal: float
    goal_unit: str
    goal_met: bool
    streak_days: int
    sessions: list[Session]
    minutes_by_item: dict[int | None, float]
    queue: list[Item]  # today's, in order
    candidates: list[Item]  # offered for today: earlier days' leftovers, active, planned
    leftover_count: int
    # The card figures are None when they were not counted (`summary(card_counts=False)`, the
    # cards still loading): "—" where shown, null in JSON; never a 0 that was not counted.
    cards_total: int | None
    cards_due: int | None  # today's review queue (each deck's limits): new + learning + review
    next_due: datetime | None
    drafts: list[Draft]
    item_titles: dict[int, str] = field(default_factory=dict)
    cards_loading: bool = False
    cards_due_parts: dict[str, int] | None = None  # new / learning / review
    due_without_limits: int | None = None  # available new cards and due today, limits ignored

    def as_json(self) -> dict[str, Any]:
        from deskwork.interop.sessions import session_record  # csv: for the CLI's JSON only

        return {
            "date": self.day.isoformat(),
            "pomodoros": self.pomodoros,
            "focus_minutes": round(self.focus_minutes, 1),
            "goal": {"value": self.goal, "unit": self.goal_unit, "met": self.goal_met},
            "streak_days": self.streak_days,
            "sessions": [session_record(s, self.item_titles) for s in self.sessions],
            "focus_minutes_by_item": [
                {
                    "item_id": k,
                    "item": self.item_titles.get(k) if k else None,
                    "minutes": round(v, 1),
                }
                for k, v in sorted(self.minutes_by_item.items(), key=lambda kv: -kv[1])
            ],
            "queue": [
                {
                    "id": i.id,
                    "title": i.title,
                    "kind": i.kind.value,
                    "track": i.track,
                    "status": i.status.value,
                    "progress": i.progress_text(),
                    "metadata_pending": i.metadata_pending,
                }
                for i in self.queue
            ],
            "cards_due": self.cards_due,
            "cards_due_parts": self.cards_due_parts,
            "due_without_limits": self.due_without_limits,
            "cards_total": self.cards_total,
            "drafts": len(self.drafts),
        }


@dataclass
class Desk:
    """One open data dir: its paths, its effective config, its store, what went wrong opening it."""

    paths: Paths
    config: Config
    store: Store
    problems: list[str] = field(default_factory=list)
    clock: Callable[[], datetime] = utcnow
    # Called between slices of a worker's long pass over the cards (services/pacing.py); the
    # TUI sets it so that workers wait while its event loop runs a callback.
    give_way: Callable[[], None] = field(default=pacing.nothing, compare=False, repr=False)

    @classmethod
    def open(
        cls,
        paths: Paths,
        *,
        readonly: bool = False,
        what: str = "deskwork",
        clock: Callable[[], datetime] = utcnow,
        defer_backup: bool = False,
        backup_on_quit: bool = False,
    ) -> Desk:
        """Read the config and open the store. `defer_backup`: the caller (the TUI) takes the due
        backup later, off the start-up path (`backup_in_background`). `backup_on_quit` (the TUI):
        closing backs up whatever was written since the newest backup."""
        config, problems = load_config(paths.config_file)
        store = Store.open(
            paths.data_dir,
            readonly=readonly,
            what=what,
            clock=clock,
            backup_interval_s=config.store.backup_interval_minutes * 60,
            keep_backups=config.store.keep_backups,
            backup_on_open=not defer_backup,
            backup_on_quit=backup_on_quit,
        )
        problems = [*problems, *store.report.problems]
        if not store.readonly:  # the writer lock is held: no import is using the temp folder now
            from deskwork.store.scratch import sweep

            sweep(paths.data_dir)
        return cls(paths=paths, config=config, store=store, problems=problems, clock=clock)

    def close(self) -> None:
        self.store.close()

    def backup_job(self) -> Callable[[], object] | None:
        """The due backup as a job for a worker thread (None when none is due); it never raises:
        what went wrong is in the store's report (and `store.damaged_live`)."""
        if self.store.readonly or not self.store.backup_due():
            return None
        return self.store.backup_in_background()

    def warm_up(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Load every lazily loaded table, one shard at a time (a background worker calls this),
        with the store's records out of the cyclic garbage collector's way: without that, a full
        collection walks 20k cards and every resident review row, and stalls a keypress for
        50-300 ms. From here on each record loaded or written is untracked as it is made lean
        (store/collector.py: armed here, in the worker, because ctypes takes ~5 ms to import).
        Then what start-up made (modules, the desk's widgets, the few records read before arming)
        is frozen once: long-lived, so no full collection needs to walk it again. What is garbage
        by then is collected first, not frozen with the rest (a short collection: the records
        are out of its way)."""
        if collector.arm():
            self.store.exempt_loaded()  # what start-up read before (the sessions, the items)
        while self.store.cards.load_step():
            if cancelled():
                return False
            self.give_way()  # between two shards: the UI thread's callback first
        gc.collect()
        with self.store.write_lock:  # the store's close unfreezes after this lock, if it froze
            if self.store.closed:  # the app quit before the warm-up ended: nothing to freeze for
                return False
            gc.freeze()
            self.store.froze = True  # given back to the collector when the store closes
        return True

    # ------------------------------------------------------------------ first run
    @property
    def first_run(self) -> bool:
        return not self.store.readonly and not self.store.setting(WELCOME_DONE, False)

    def finish_welcome(self) -> None:
        self.store.set_setting(WELCOME_DONE, True)

    # ------------------------------------------------------------------ today
    def today(self) -> date:
        return study_day(self.clock(), self.config.study.day_start_hour)

    def summary(
        self,
        *,
        wait_for_cards: bool = True,
        pending: list[Session] | None = None,
        due: DueToday | None = None,
        card_counts: bool = True,
    ) -> DaySummary:
        """Today's figures. With `wait_for_cards=False` and the cards still loading (the TUI loads
        them in a background worker), the card figures are None (not counted) and `cards_loading`
        is set. `due`: today's due counts computed already (`due_today`, on a worker: every card
        is read). `card_counts=False`: the card figures are None, no card read (the TUI's areas
        show none of them; counting them took ~100 ms at the heavy year)."""
        day = self.today()
        start_hour = self.config.study.day_start_hour
        # In UTC, as the sessions are stored: comparing datetimes that share a tzinfo needs no
        # offset lookups (in local time each comparison asked both for theirs: ~1.5 ms a call).
        start, end = (bound.astimezone(UTC) for bound in day_bounds(day, start_hour))
        all_sessions = self.store.sessions.all() + list(pending or [])
        today_sessions = sorted(
            (s for s in all_sessions if start <= s.start < end), key=lambda s: s.start
        )
        timer_cfg = self.config.timer
        by_day, streak_days = recent_focus_and_streak(
            all_sessions,
            day,
            start_hour,
            timer_cfg.daily_goal,
            timer_cfg.goal_unit,
            self.config.study.rest_days,
        )
        minutes_by_item: dict[int | None, float] = {}
        for s in today_sessions:
            if s.kind is SessionKind.FOCUS:
                for item_id, seconds in s.seconds_by_item().items():
                    minutes_by_item[item_id] = minutes_by_item.get(item_id, 0.0) + seconds / 60
        loading = not wait_for_cards and not self.store.cards.loaded
        cards = None if loading or not card_counts else self.store.cards.all()
        if cards is None:
            due = None
        elif due is None:
            due = _due_today(self, cards)
        items = list(self.store.items.values())
        drafts = sorted(self.store.drafts.values(), key=lambda d: d.updated, reverse=True)
        today_focus = by_day.get(day, DayFocus())
        return DaySummary(
            day=day,
            pomodoros=today_focus.pomodoros,
            focus_minutes=today_focus.focus_minutes,
            goal=timer_cfg.daily_goal,
            goal_unit=timer_cfg.goal_unit,
            goal_met=goal_met(today_focus, timer_cfg.daily_goal, timer_cfg.goal_unit),
            streak_days=streak_days,
            sessions=today_sessions,
            minutes_by_item=minutes_by_item,
            item_titles={i.id: i.title for i in items},
            queue=todays_queue(items, day),
            candidates=candidates(items, day),
            leftover_count=len(leftovers(items, day)),
            cards_total=None if cards is None else len(cards),
            cards_due=due.total if due is not None else None,
            next_due=due.next_due if due else None,
            drafts=drafts,
            cards_loading=loading,
            cards_due_parts=due.parts() if due is not None else None,
            due_without_limits=due.without_limits if due is not None else None,
        )

    def due_today(self) -> DueToday:
        """Today's due counts over every card (for `summary(due=…)`; safe on a worker thread
        that retries on RuntimeError, as a write on the UI thread may change a table's size)."""
        return _due_today(self, self.store.cards.all())


def _due_today(desk: Desk, cards: list[Card]) -> DueToday:
    from deskwork.services.due_today import due_today  # due_today builds on Desk

    return due_today(desk, cards)
