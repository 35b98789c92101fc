"""The pomodoro timer as a pure state machine: every operation takes the time `now` and returns the
new state plus what happened (finished sessions, phase changes). No clock, no I/O.

Deadlines are wall-clock instants, so after a laptop suspend `tick(now)` catches up: a focus that
ended while the machine slept is recorded as completed *at its deadline*, and if breaks auto-start
the following phases are replayed too, each ending at its own deadline.
"""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from deskwork.domain.records import UTCDateTime, empty_list
from deskwork.domain.sessions import (
    Interruption,
    InterruptionKind,
    ItemChange,
    Pause,
    Session,
    SessionKind,
)


class Status(StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        """The word people read (the timer area and `deskwork timer` both show it)."""
        return {"idle": "ready", "running": "running", "paused": "paused"}[self]


class TimerSettings(NamedTuple):
    """The timer's lengths and automatic starts, from the config.
    A NamedTuple, not a frozen dataclass: the class is made at every start, and a
    dataclass's generated methods cost ~0.5 ms to compile (README, "Where a start goes")."""

    focus_s: float = 25 * 60
    short_break_s: float = 5 * 60
    long_break_s: float = 15 * 60
    long_break_every: int = 4
    auto_start_breaks: bool = True
    auto_start_focus: bool = False
    extend_s: float = 5 * 60

    def duration(self, phase: SessionKind) -> float:
        return {
            SessionKind.FOCUS: self.focus_s,
            SessionKind.SHORT_BREAK: self.short_break_s,
            SessionKind.LONG_BREAK: self.long_break_s,
        }[phase]

    def auto_start(self, phase: SessionKind) -> bool:
        return self.auto_start_focus if phase is SessionKind.FOCUS else self.auto_start_breaks


class TimerState(BaseModel):
    """Everything needed to resume the timer after a quit or a crash (persisted on every change)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    phase: SessionKind = SessionKind.FOCUS
    status: Status = Status.IDLE
    planned_s: float = Field(default=25 * 60, ge=0)  # this phase's length, extensions included
    remaining_s: float = Field(default=25 * 60, ge=0)  # meaningful when idle or paused
    started: UTCDateTime | None = None  # when this phase first started running
    deadline: UTCDateTime | None = None  # when running: the wall-clock end
    focus_done: int = Field(default=0, ge=0)  # completed focus sessions in this cycle
    item_id: int | None = None
    pauses: list[Pause] = Field(default_factory=empty_list)
    interruptions: list[Interruption] = Field(default_factory=empty_list)
    item_changes: list[ItemChange] = Field(default_factory=empty_list)

    def remaining(self, now: datetime) -> float:
        """Seconds left, never negative."""
        if self.status is Status.RUNNING and self.deadline is not None:
            return max(0.0, (self.deadline - now).total_seconds())
        return max(0.0, self.remaining_s)

    def progress(self, now: datetime) -> float:
        """0.0 at the start of the phase, 1.0 at its end."""
        if self.planned_s <= 0:
            return 1.0
        return min(1.0, max(0.0, 1 - self.remaining(now) / self.planned_s))


def phase_line(state: TimerState, long_every: int) -> str:
    """`Focus 2 of 4 · running`, `Short break · ready`: the phase as the app and the CLI say it."""
    focus = state.phase is SessionKind.FOCUS
    every = max(1, long_every)
    cycle = f" {state.focus_done % every + 1} of {every}" if focus else ""
    return f"{state.phase.label}{cycle} · {state.status.label}"


def fresh(settings: TimerSettings, item_id: int | None = None) -> TimerState:
    return _idle(SessionKind.FOCUS, settings, focus_done=0, item_id=item_id)


def _idle(
    phase: SessionKind, settings: TimerSettings, *, focus_done: int, item_id: int | None
) -> TimerState:
    length = settings.duration(phase)
    return TimerState(
        phase=phase,
        planned_s=length,
        remaining_s=length,
        focus_done=focus_done,
        item_id=item_id,
    )


@dataclass
class Outcome:
    """What an operation did: the new state, sessions to store, phases that began and ended."""

    state: TimerState
    sessions: list[Session] = field(default_factory=list)
    ended: list[Session] = field(default_factory=list)  # phases that ran out (for notifications)
    started: list[SessionKind] = field(default_factory=list)


class TimerError(ValueError):
    """An operation that makes no sense in the current state (e.g. pause while idle)."""


def _paused_seconds(state: TimerState, until: datetime) -> float:
    total = 0.0
    for p in state.pauses:
        end = p.end or until
        total += max(0.0, (min(end, until) - p.start).total_seconds())
    return total


def _session(state: TimerState, end: datetime, *, completed: bool, note: str = "") -> Session:
    assert state.started is not None
    start = state.started
    actual = max(0.0, (end - start).total_seconds() - _paused_seconds(state, end))
    pauses = [p if p.end is not None else p.model_copy(update={"end": end}) for p in state.pauses]
    return Session(
        kind=state.phase,
        start=start,
        end=end,
        planned_s=state.planned_s,
        actual_s=actual,
        completed=completed,
        item_id=state.item_id,
        interruptions=list(state.interruptions),
        pauses=pauses,
        item_changes=list(state.item_changes),
        note=note,
    )


def next_phase(phase: SessionKind, focus_done: int, settings: TimerSettings) -> SessionKind:
    """After a focus: a long break every `long_break_every` focus sessions, else a short one."""
    if phase is not SessionKind.FOCUS:
        return SessionKind.FOCUS
    every = max(1, settings.long_break_every)
    if focus_done > 0 and focus_done % every == 0:
        return SessionKind.LONG_BREAK
    return SessionKind.SHORT_BREAK


def _advance(
    state: TimerState, ended_at: datetime, settings: TimerSettings, *, completed: bool
) -> tuple[TimerState, SessionKind | None]:
    """The state after the current phase ends at `ended_at` (auto-starting the next if configured)."""
    focus_done = state.focus_done
    if state.phase is SessionKind.FOCUS and completed:
        focus_done += 1
    upcoming = next_phase(state.phase, focus_done, settings)
    if state.phase is SessionKind.LONG_BREAK:
        focus_done = 0  # a new cycle
    nxt = _idle(upcoming, settings, focus_done=focus_done, item_id=state.item_id)
    if settings.auto_start(upcoming):
        length = settings.duration(upcoming)
        nxt = nxt.model_copy(
            update={
                "status": Status.RUNNING,
                "started": ended_at,
                "deadline": ended_at + timedelta(seconds=length),
            }
        )
        return nxt, upcoming
    return nxt, None


def tick(state: TimerState, now: datetime, settings: TimerSettings) -> Outcome:
    """Catch up with the wall clock: finish every phase whose deadline has passed."""
    out = Outcome(state)
    guard = 0
    while (
        out.state.status is Status.RUNNING
        and out.state.deadline is not None
        and now >= out.state.deadline
        and guard < 1000
    ):
        guard += 1
        ended_at = out.state.deadline
        session = _session(out.state, ended_at, completed=True)
        out.sessions.append(session)
        out.ended.append(session)
        out.state, started = _advance(out.state, ended_at, settings, completed=True)
        if started is not None:
            out.started.append(started)
    return out


def start(state: TimerState, now: datetime, settings: TimerSettings) -> Outcome:
    if state.status is not Status.IDLE:
        raise TimerError(f"the timer is already {state.status.value}")
    new = state.model_copy(
        update={
            "status": Status.RUNNING,
            "started": now,
            "deadline": now + timedelta(seconds=state.remaining_s),
            "pauses": [],
            "interruptions": [],
            "item_changes": [],
        }
    )
    return Outcome(new, started=[state.phase])


def pause(state: TimerState, now: datetime, settings: TimerSettings) -> Outcome:
    out = tick(state, now, settings)
    if out.state.status is not Status.RUNNING:
        raise TimerError("the timer is not running")
    s = out.state
    out.state = s.model_copy(
        update={
            "status": Status.PAUSED,
            "remaining_s": s.remaining(now),
            "deadline": None,
            "pauses": [*s.pauses, Pause(start=now)],
        }
    )
    return out


def resume(state: TimerState, now: datetime, settings: TimerSettings) -> Outcome:
    if state.status is not Status.PAUSED:
        raise TimerError("the timer is not paused")
    pauses = list(state.pauses)
    if pauses and pauses[-1].end is None:
        pauses[-1] = pauses[-1].model_copy(update={"end": now})
    new = state.model_copy(
        update={
            "status": Status.RUNNING,
            "deadline": now + timedelta(seconds=state.remaining_s),
            "pauses": pauses,
        }
    )
    return Outcome(new)


def toggle(state: TimerState, now: datetime, settings: TimerSettings) -> Outcome:
    """Start when idle, pause when running, resume when paused: the one key people press."""
    out = tick(state, now, settings)
    op = {Status.IDLE: start, Status.RUNNING: pause, Status.PAUSED: resume}[out.state.status]
    nxt = op(out.state, now, settings)
    return Outcome(nxt.state, out.sessions + nxt.sessions, out.ended, out.started + nxt.started)


def with_settings(state: TimerState, settings: TimerSettings) -> TimerState:
    """A phase that has not started takes its length from the current settings (a changed
    `focus_minutes` applies at once); a started or paused one keeps the length it started with."""
    if state.status is not Status.IDLE:
        return state
    length = settings.duration(state.phase)
    if state.planned_s == length and state.remaining_s == length:
        return state
    return state.model_copy(update={"planned_s": length, "remaining_s": length})


def _stop(state: TimerState, now: datetime, note: str) -> Session | None:
    if state.status is Status.IDLE or state.started is None:
        return None
    return _session(state, now, completed=False, note=note)


def skip(state: TimerState, now: datetime, settings: TimerSettings) -> Outcome:
    """End this phase now (not counted as completed) and move to the next one.

    A focus that has not started cannot be skipped: a break is earned by focusing, so skipping an
    idle focus would hand out a break for nothing (it is refused, the timer stays as it is). An idle
    break can be skipped: that goes straight to the next focus."""
    out = tick(state, now, settings)
    if out.state.status is Status.IDLE and out.state.phase is SessionKind.FOCUS:
        raise TimerError("this focus has not started: there is nothing to skip (space starts it)")
    session = _stop(out.state, now, "skipped")
    if session is not None:
        out.sessions.append(session)
    nxt, started = _advance(out.state, now, settings, completed=False)
    out.state = nxt
    if started is not None:
        out.started.append(started)
    return out


def abandon(state: TimerState, now: datetime, settings: TimerSettings, reason: str = "") -> Outcome:
    """Give up this phase: it is recorded as abandoned and the timer waits, ready to focus again."""
    out = tick(state, now, settings)
    session = _stop(out.state, now, f"abandoned: {reason}" if reason else "abandoned")
    if session is None:
        raise TimerError("nothing to abandon: the timer is not running")
    out.sessions.append(session)
    # giving up a long break still ends the cycle: the next long break needs N new focus sessions
    done = 0 if out.state.phase is SessionKind.LONG_BREAK else out.state.focus_done
    out.state = _idle(SessionKind.FOCUS, settings, focus_done=done, item_id=out.state.item_id)
    return out


def reset(state: TimerState, now: datetime, settings: TimerSettings) -> Outcome:
    """Back to the start of a fresh cycle (focus 1 of N). A running phase is recorded as abandoned."""
    out = tick(state, now, settings)
    session = _stop(out.state, now, "reset")
    if session is not None:
        out.sessions.append(session)
    out.state = fresh(settings, out.state.item_id)
    return out


def extend(state: TimerState, now: datetime, settings: TimerSettings, seconds: float) -> Outcome:
    """Add time to the current phase (running or paused)."""
    out = tick(state, now, settings)
    s = out.state
    if s.status is Status.IDLE:
        raise TimerError("the timer is not running")
    update: dict[str, object] = {"planned_s": s.planned_s + seconds}
    if s.status is Status.RUNNING and s.deadline is not None:
        update["deadline"] = s.deadline + timedelta(seconds=seconds)
    else:
        update["remaining_s"] = s.remaining_s + seconds
    out.state = s.model_copy(update=update)
    return out


def interrupt(
    state: TimerState,
    now: datetime,
    settings: TimerSettings,
    kind: InterruptionKind,
    note: str = "",
) -> Outcome:
    out = tick(state, now, settings)
    s = out.state
    if s.status is Status.IDLE or s.phase is not SessionKind.FOCUS:
        raise TimerError("interruptions are logged on a running focus session")
    out.state = s.model_copy(
        update={"interruptions": [*s.interruptions, Interruption(at=now, kind=kind, note=note)]}
    )
    return out


def set_item(
    state: TimerState, now: datetime, settings: TimerSettings, item_id: int | None
) -> Outcome:
    """Attribute the timer to another item; mid-session the change is recorded."""
    out = tick(state, now, settings)
    s = out.state
    if item_id == s.item_id:
        return out
    changes = list(s.item_changes)
    if s.status is not Status.IDLE:
        changes.append(ItemChange(at=now, from_item=s.item_id, to_item=item_id))
    out.state = s.model_copy(update={"item_id": item_id, "item_changes": changes})
    return out
