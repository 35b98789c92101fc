"""The timer state machine, with the clock as a parameter."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain import timer as m
from deskwork.domain.sessions import InterruptionKind, SessionKind
from deskwork.domain.timer import Status, TimerError, TimerSettings, TimerState
from tests.helpers import T0

S = TimerSettings(focus_s=1500, short_break_s=300, long_break_s=900, long_break_every=4)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_start_counts_down_on_the_wall_clock() -> None:
    out = m.start(m.fresh(S), at(0), S)
    assert out.state.status is Status.RUNNING and out.started == [SessionKind.FOCUS]
    assert out.state.remaining(at(10)) == 900
    assert out.state.remaining(at(30)) == 0, "never negative"
    assert out.state.progress(at(12.5)) == pytest.approx(0.5)


def test_focus_completes_at_its_deadline_then_break_auto_starts() -> None:
    state = m.start(m.fresh(S, item_id=7), at(0), S).state
    out = m.tick(state, at(26), S)
    [focus] = out.sessions
    assert (focus.kind, focus.completed, focus.end, focus.actual_s) == (
        SessionKind.FOCUS,
        True,
        at(25),
        1500,
    )
    assert focus.item_id == 7
    assert out.state.phase is SessionKind.SHORT_BREAK and out.state.status is Status.RUNNING
    assert out.state.started == at(25), "the break began when the focus ended, not at the tick"
    assert out.state.remaining(at(26)) == 240


def test_suspend_catches_up_phase_by_phase() -> None:
    """The laptop sleeps for an hour mid-focus; breaks auto-start, focus does not."""
    state = m.start(m.fresh(S), at(0), S).state
    out = m.tick(state, at(90), S)
    assert [(s.kind, s.end) for s in out.sessions] == [
        (SessionKind.FOCUS, at(25)),
        (SessionKind.SHORT_BREAK, at(30)),
    ]
    assert out.state.phase is SessionKind.FOCUS and out.state.status is Status.IDLE
    assert out.state.focus_done == 1


def test_long_break_after_every_n_focus_sessions() -> None:
    settings_ = TimerSettings(
        focus_s=60, short_break_s=10, long_break_s=30, long_break_every=3, auto_start_focus=True
    )
    state = m.start(m.fresh(settings_), at(0), settings_).state
    out = m.tick(state, at(60), settings_)
    kinds = [s.kind for s in out.sessions]
    f, sb, lb = SessionKind.FOCUS, SessionKind.SHORT_BREAK, SessionKind.LONG_BREAK
    assert kinds[:12] == [f, sb, f, sb, f, lb, f, sb, f, sb, f, lb]


def test_pause_excludes_paused_time() -> None:
    s = m.start(m.fresh(S), at(0), S).state
    s = m.pause(s, at(10), S).state
    assert s.remaining(at(100)) == 900, "paused: the clock does not run"
    s = m.resume(s, at(40), S).state
    out = m.tick(s, at(56), S)
    [focus] = out.sessions
    assert focus.end == at(55) and focus.actual_s == 1500
    assert [(p.start, p.end) for p in focus.pauses] == [(at(10), at(40))]


def test_toggle_starts_pauses_resumes() -> None:
    s = m.fresh(S)
    for expected in (Status.RUNNING, Status.PAUSED, Status.RUNNING):
        s = m.toggle(s, at(1), S).state
        assert s.status is expected


def test_skip_records_an_uncompleted_session_and_moves_on() -> None:
    s = m.start(m.fresh(S), at(0), S).state
    out = m.skip(s, at(5), S)
    [skipped] = out.sessions
    assert not skipped.completed and skipped.note == "skipped" and skipped.actual_s == 300
    assert out.state.phase is SessionKind.SHORT_BREAK, "a skipped first focus is not a long break"
    assert out.state.focus_done == 0
    out = m.skip(out.state, at(6), S)
    assert out.state.phase is SessionKind.FOCUS and out.state.status is Status.IDLE


def test_skip_refuses_a_focus_that_has_not_started_but_skips_an_idle_break() -> None:
    with pytest.raises(TimerError, match="has not started"):
        m.skip(m.fresh(S), at(0), S)  # no break for a focus never done
    manual = TimerSettings(auto_start_breaks=False)
    s = m.start(m.fresh(manual), at(0), manual).state
    s = m.tick(s, at(25), manual).state
    assert (s.phase, s.status) == (SessionKind.SHORT_BREAK, Status.IDLE)
    s = m.skip(s, at(26), manual).state
    assert (s.phase, s.status) == (SessionKind.FOCUS, Status.IDLE)


def test_a_phase_not_started_takes_its_length_from_the_current_settings() -> None:
    old = m.fresh(S)
    short = TimerSettings(focus_s=60)
    assert m.with_settings(old, short).remaining_s == 60
    assert m.with_settings(old, short).planned_s == 60
    running = m.start(old, at(0), S).state
    assert m.with_settings(running, short) == running, "a started phase keeps its length"


def test_extend_running_and_paused() -> None:
    s = m.start(m.fresh(S), at(0), S).state
    s = m.extend(s, at(20), S, 300).state
    assert s.remaining(at(20)) == 600 and s.planned_s == 1800
    s = m.pause(s, at(21), S).state
    s = m.extend(s, at(22), S, 60).state
    assert s.remaining(at(50)) == 600
    with pytest.raises(TimerError):
        m.extend(m.fresh(S), at(0), S, 60)


def test_abandon_with_reason_and_reset() -> None:
    s = m.start(m.fresh(S), at(0), S).state
    out = m.abandon(s, at(3), S, "fire alarm")
    [gone] = out.sessions
    assert not gone.completed and gone.note == "abandoned: fire alarm" and gone.actual_s == 180
    assert out.state.status is Status.IDLE and out.state.phase is SessionKind.FOCUS
    with pytest.raises(TimerError):
        m.abandon(out.state, at(4), S)
    s = m.start(out.state.model_copy(update={"focus_done": 3}), at(5), S).state
    reset = m.reset(s, at(6), S)
    assert reset.state.focus_done == 0 and reset.sessions[0].note == "reset"


def test_interruptions_and_item_changes_are_recorded() -> None:
    s = m.start(m.fresh(S, item_id=1), at(0), S).state
    s = m.interrupt(s, at(2), S, InterruptionKind.EXTERNAL, "phone").state
    s = m.set_item(s, at(10), S, 2).state
    [focus] = m.tick(s, at(25), S).sessions
    assert [(i.kind, i.note) for i in focus.interruptions] == [(InterruptionKind.EXTERNAL, "phone")]
    assert focus.item_id == 2
    assert focus.seconds_by_item() == {1: 600, 2: 900}
    with pytest.raises(TimerError):
        m.interrupt(m.fresh(S), at(0), S, InterruptionKind.INTERNAL)


def test_state_round_trips_through_json() -> None:
    s = m.start(m.fresh(S, item_id=3), at(0), S).state
    s = m.pause(s, at(1), S).state
    assert TimerState.model_validate(s.model_dump(mode="json")) == s


ops = st.lists(
    st.tuples(
        st.sampled_from(["toggle", "skip", "extend", "abandon", "reset", "tick", "item"]),
        st.floats(min_value=0, max_value=40),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(ops, st.booleans(), st.booleans())
def test_invariants_hold_for_any_sequence(
    sequence: list[tuple[str, float]], auto_breaks: bool, auto_focus: bool
) -> None:
    cfg = TimerSettings(
        focus_s=600,
        short_break_s=120,
        long_break_s=300,
        long_break_every=3,
        auto_start_breaks=auto_breaks,
        auto_start_focus=auto_focus,
    )
    state, now, sessions = m.fresh(cfg), T0, []
    for op, minutes in sequence:
        now += timedelta(minutes=minutes)
        try:
            if op == "extend":
                out = m.extend(state, now, cfg, 60)
            elif op == "abandon":
                out = m.abandon(state, now, cfg)
            elif op == "item":
                out = m.set_item(state, now, cfg, int(minutes))
            else:
                out = getattr(m, op)(state, now, cfg)
        except TimerError:
            continue
        state = out.state
        sessions += out.sessions
        assert state.remaining(now) >= 0
        assert state.remaining(now) <= state.planned_s + 1e-6
        if state.status is Status.RUNNING:
            assert state.deadline is not None and state.deadline > now - timedelta(seconds=1e-6)
    for s in sessions:
        assert s.start <= s.end
        assert 0 <= s.actual_s <= (s.end - s.start).total_seconds() + 1e-6
        if s.completed:
            assert s.actual_s == pytest.approx(s.planned_s)
    # a long break only after N completed focus sessions since the last long break (or reset)
    completed_focus = 0
    for s in sessions:
        if s.kind is SessionKind.FOCUS and s.completed:
            completed_focus += 1
        if s.kind is SessionKind.LONG_BREAK:
            assert completed_focus >= cfg.long_break_every
            completed_focus = 0
        if s.note == "reset":
            completed_focus = 0
    # sessions never overlap: the timer does one thing at a time
    for prev, nxt in itertools.pairwise(sessions):
        assert prev.end <= nxt.start
