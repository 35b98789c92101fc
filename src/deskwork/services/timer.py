"""The pomodoro timer use-cases: run the domain state machine on the real clock and persist it.

Every change of state is written (with the sessions it finished) in one durable transaction, so a
quit or a crash at any moment resumes with the right remaining time, and a deadline that passed while
deskwork was closed is recorded as completed at that deadline. Ticks that change nothing write
nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from deskwork.config import TimerConfig
from deskwork.domain import timer as machine
from deskwork.domain.sessions import InterruptionKind, Session, SessionKind
from deskwork.domain.timer import Outcome, Status, TimerError, TimerSettings, TimerState
from deskwork.domain.wording import human_error
from deskwork.services.desk import Desk

if TYPE_CHECKING:
    from deskwork.store.transaction import Transaction

TIMER_KEY = "timer"


def settings_from(config: TimerConfig) -> TimerSettings:
    return TimerSettings(
        focus_s=config.focus_minutes * 60,
        short_break_s=config.short_break_minutes * 60,
        long_break_s=config.long_break_minutes * 60,
        long_break_every=config.long_break_every,
        auto_start_breaks=config.auto_start_breaks,
        auto_start_focus=config.auto_start_focus,
        extend_s=config.extend_minutes * 60,
    )


class HookEvent(NamedTuple):
    """A timer event a hook runs for (a NamedTuple: see domain.timer.TimerSettings)."""

    name: str  # on_focus_start, on_focus_end, on_break_start, on_break_end
    phase: SessionKind
    session: Session | None = None


class TimerService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.settings = settings_from(desk.config.timer)
        raw = desk.store.setting(TIMER_KEY)
        self.state = machine.fresh(self.settings)
        if raw is not None:
            try:
                self.state = machine.with_settings(TimerState.model_validate(raw), self.settings)
            except ValidationError as exc:
                desk.problems.append(
                    f"settings record {TIMER_KEY!r}: the saved timer is unreadable "
                    f"({human_error(exc)}); starting a fresh one"
                )
        if self._item_gone():  # deleted before deskwork took timers off deleted items
            self.set_item(None)

    # ------------------------------------------------------------------ applying
    def _apply(self, outcome: Outcome) -> Outcome:
        changed = outcome.sessions or outcome.state != self.state
        if changed and not self.desk.store.readonly:
            with self.desk.store.transaction() as tx:
                self.write(tx, outcome)
        self.state = outcome.state
        return outcome

    @staticmethod
    def write(tx: Transaction, outcome: Outcome) -> None:
        """Put an outcome (its sessions and the new state) into a transaction someone else opened,
        so a change of the timer commits together with the change that caused it."""
        for session in outcome.sessions:
            tx.put("sessions", session)
        tx.set_setting(TIMER_KEY, outcome.state.model_dump(mode="json"))

    def _item_gone(self) -> bool:
        item_id = self.state.item_id
        return item_id is not None and self.desk.store.items.get(item_id) is None

    def _starting(self) -> None:
        """A focus never starts on an item that no longer exists: it starts on no item."""
        if self.state.status is Status.IDLE and self._item_gone():
            self.set_item(None)

    def now(self) -> datetime:
        return self.desk.clock()

    def tick(self) -> Outcome:
        return self._apply(machine.tick(self.state, self.now(), self.settings))

    def toggle(self) -> Outcome:
        self._starting()
        return self._apply(machine.toggle(self.state, self.now(), self.settings))

    def start(self) -> Outcome:
        self._starting()
        out = machine.tick(self.state, self.now(), self.settings)
        nxt = machine.start(out.state, self.now(), self.settings)
        return self._apply(
            Outcome(nxt.state, out.sessions + nxt.sessions, out.ended, out.started + nxt.started)
        )

    def pause(self) -> Outcome:
        return self._apply(machine.pause(self.state, self.now(), self.settings))

    def resume(self) -> Outcome:
        return self._apply(machine.resume(self.state, self.now(), self.settings))

    def skip(self) -> Outcome:
        return self._apply(machine.skip(self.state, self.now(), self.settings))

    def reset(self) -> Outcome:
        return self._apply(machine.reset(self.state, self.now(), self.settings))

    def extend(self, minutes: float | None = None) -> Outcome:
        seconds = self.settings.extend_s if minutes is None else minutes * 60
        return self._apply(machine.extend(self.state, self.now(), self.settings, seconds))

    def abandon(self, reason: str = "") -> Outcome:
        return self._apply(machine.abandon(self.state, self.now(), self.settings, reason))

    def interrupt(self, kind: InterruptionKind, note: str = "") -> Outcome:
        return self._apply(machine.interrupt(self.state, self.now(), self.settings, kind, note))

    def refusal(self, op: str) -> str | None:
        """Why `abandon` or `interrupt` would be refused now (None: it would be taken), asked
        before a dialog collects a reason or a note the refusal would throw away. Nothing is
        written: the machine is pure."""
        now = self.now()
        try:
            if op == "abandon":
                machine.abandon(self.state, now, self.settings)
            elif op == "interrupt":
                machine.interrupt(self.state, now, self.settings, InterruptionKind.INTERNAL)
            else:
                raise ValueError(f"no refusal to ask of {op!r}")
        except TimerError as exc:
            return str(exc)
        return None

    def set_item(self, item_id: int | None) -> Outcome:
        return self._apply(machine.set_item(self.state, self.now(), self.settings, item_id))

    def off_item(self, item_id: int) -> Outcome | None:
        """What taking the timer off `item_id` (about to be deleted) does, not yet applied: None
        when the timer is not on it. A running focus records the change now, so its minutes so
        far stay with the item; from now on the timer is on no item. Apply it with `write` in the
        transaction that deletes the item."""
        if self.state.item_id != item_id:
            return None
        return machine.set_item(self.state, self.now(), self.settings, None)

    # ------------------------------------------------------------------ reporting
    def item_title(self, item_id: int | None) -> str | None:
        if item_id is None:
            return None
        item = self.desk.store.items.get(item_id)
        return item.title if item is not None else f"item {item_id} (deleted)"

    def status(self) -> dict[str, Any]:
        s = self.state
        now = self.now()
        return {
            "phase": s.phase.value,
            "status": s.status.value,
            "running": s.status is Status.RUNNING,
            "paused": s.status is Status.PAUSED,
            "remaining_s": round(s.remaining(now), 1),
            "planned_s": s.planned_s,
            "deadline": s.deadline.isoformat() if s.deadline else None,
            "item": self.item_title(s.item_id),
            "item_id": s.item_id,
            "focus_done": s.focus_done,
            "long_break_every": self.settings.long_break_every,
            "interruptions": len(s.interruptions),
        }

    @staticmethod
    def hook_events(outcome: Outcome) -> list[HookEvent]:
        """The hook/notification events an outcome produced, in order."""
        events = []
        for session in outcome.ended:
            name = "on_focus_end" if session.kind is SessionKind.FOCUS else "on_break_end"
            events.append(HookEvent(name, session.kind, session))
        for phase in outcome.started:
            name = "on_focus_start" if phase is SessionKind.FOCUS else "on_break_start"
            events.append(HookEvent(name, phase))
        return events

    def hook_env(self, event: HookEvent) -> dict[str, str]:
        env = {
            "DESKWORK_EVENT": event.name,
            "DESKWORK_PHASE": event.phase.value,
            "DESKWORK_ITEM": self.item_title(self.state.item_id) or "",
            "DESKWORK_ITEM_ID": "" if self.state.item_id is None else str(self.state.item_id),
            "DESKWORK_FOCUS_DONE": str(self.state.focus_done),
        }
        if event.session is not None:
            env |= {
                "DESKWORK_START": event.session.start.isoformat(),
                "DESKWORK_END": event.session.end.isoformat(),
                "DESKWORK_ACTUAL_S": f"{event.session.actual_s:.0f}",
                "DESKWORK_COMPLETED": "1" if event.session.completed else "0",
            }
        return env


def sessions_with_pending(desk: Desk) -> tuple[list[Session], list[Session]]:
    """(stored sessions, sessions finished by a deadline that passed while nobody was ticking).
    A read-only caller cannot store the latter, but reports must count them."""
    pending = TimerService(desk).tick().sessions
    return desk.store.sessions.all(), pending
