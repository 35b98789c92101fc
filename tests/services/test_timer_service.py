"""The timer service on a real store: every change persisted, resumed after quit or crash."""

from __future__ import annotations

import time
from pathlib import Path

from deskwork.domain.sessions import InterruptionKind, SessionKind
from deskwork.domain.timer import Status
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.notify import DesktopNotifier, HookResult, run_hook
from deskwork.services.timer import TimerService
from tests.helpers import Clock, crash


def open_desk(home: Path, clock: Clock, config: str = "") -> Desk:
    if config:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(config)
    return Desk.open(Paths(home, home), clock=clock)


def test_running_timer_resumes_after_a_crash_with_the_right_remaining_time(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock)
    timer = TimerService(desk)
    timer.start()
    clock.advance(minutes=10)
    crash(desk.store)  # no clean close: only what was durably written survives
    clock.advance(minutes=5)
    again = TimerService(open_desk(tmp_path, clock))
    status = again.status()
    assert status["running"] and status["phase"] == "focus"
    assert status["remaining_s"] == 10 * 60


def test_deadline_passed_while_closed_is_recorded_completed_at_the_deadline(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock, "[timer]\nauto_start_breaks = false\n")
    item_id = _item(desk, "Linear algebra")
    timer = TimerService(desk)
    timer.set_item(item_id)
    start = clock.now
    timer.start()
    desk.close()
    clock.advance(hours=3)
    desk = open_desk(tmp_path, clock)
    timer = TimerService(desk)
    timer.tick()
    [session] = desk.store.sessions.all()
    assert (session.kind, session.completed, session.item_id) == (SessionKind.FOCUS, True, item_id)
    assert session.start == start and (session.end - start).total_seconds() == 25 * 60
    assert timer.state.phase is SessionKind.SHORT_BREAK and timer.state.status is Status.IDLE
    desk.close()
    reread = open_desk(tmp_path, clock)
    assert len(reread.store.sessions) == 1, "recorded once, not again on the next open"
    assert TimerService(reread).tick().sessions == []


def test_fractional_minutes_pauses_and_interruptions_are_saved(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock, "[timer]\nfocus_minutes = 0.1\n")
    timer = TimerService(desk)
    timer.toggle()
    clock.advance(seconds=2)
    timer.interrupt(InterruptionKind.INTERNAL, "twitter")
    timer.toggle()
    clock.advance(seconds=30)
    timer.toggle()
    clock.advance(seconds=10)
    timer.tick()
    [focus] = desk.store.sessions.all()
    assert focus.actual_s == 6 and focus.planned_s == 6
    [pause] = focus.pauses
    assert pause.end is not None and (pause.end - pause.start).total_seconds() == 30
    assert [i.note for i in focus.interruptions] == ["twitter"]


def test_read_only_status_does_not_write(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    TimerService(desk).start()
    desk.close()
    clock.advance(hours=1)
    reader = Desk.open(Paths(tmp_path, tmp_path), readonly=True, clock=clock)
    out = TimerService(reader).tick()
    assert len(out.sessions) == 2, "focus and the auto-started break, worked out in memory"
    assert len(reader.store.sessions) == 0


def test_desktop_notifications_are_detected_once(monkeypatch: object) -> None:
    import plyer

    calls: list[str] = []
    real = plyer.notification.notify

    def counting(**kw: object) -> object:
        calls.append(str(kw["title"]))
        return real(**kw)

    monkeypatch.setattr(plyer.notification, "notify", counting)  # type: ignore[attr-defined]
    notifier = DesktopNotifier()
    first = notifier.send("deskwork", "Focus complete")
    second = notifier.send("deskwork", "Break over")
    if first:  # a desktop with a notification daemon
        assert notifier.available and second and len(calls) == 2
    else:  # headless: plyer fails once, is never asked again, nothing raised
        assert notifier.available is False and notifier.reason
        assert not second and len(calls) == 1
    assert DesktopNotifier(enabled=False).send("x", "y") is False


def test_hook_gets_event_details_and_is_killed_after_its_timeout(tmp_path: Path) -> None:
    out = tmp_path / "hook.txt"
    results: list[HookResult] = []
    run_hook(
        "on_focus_end",
        f'printf "%s %s" "$DESKWORK_EVENT" "$DESKWORK_ITEM" > {out}',
        {"DESKWORK_EVENT": "on_focus_end", "DESKWORK_ITEM": "CS231n"},
        5,
        done=results.append,
    ).join(10)
    assert out.read_text() == "on_focus_end CS231n"
    assert results[0].returncode == 0
    t = time.monotonic()
    run_hook("on_break_end", "sleep 30", {}, 0.3, done=results.append).join(10)
    assert time.monotonic() - t < 5
    assert results[1].returncode is None and "killed after 0.3 s" in results[1].error


def test_hook_events_for_a_phase_change() -> None:
    from deskwork.domain import timer as m
    from tests.helpers import T0

    s = m.start(m.fresh(m.TimerSettings()), T0, m.TimerSettings()).state
    from datetime import timedelta

    out = m.tick(s, T0 + timedelta(minutes=26), m.TimerSettings())
    names = [e.name for e in TimerService.hook_events(out)]
    assert names == ["on_focus_end", "on_break_start"]


def _item(desk: Desk, title: str) -> int:
    from deskwork.domain.curriculum import Item

    with desk.store.transaction() as tx:
        item_id = tx.put("items", Item(title=title, added=desk.clock())).id
    assert item_id is not None
    return item_id


def test_deleting_the_timers_item_takes_the_timer_off_it_and_keeps_its_minutes(
    tmp_path: Path, clock: Clock
) -> None:
    from deskwork.services import queue as queue_service

    desk = open_desk(tmp_path, clock, "[timer]\nauto_start_breaks = false\n")
    item_id = _item(desk, "MIT 18.06")
    timer = TimerService(desk)
    timer.set_item(item_id)
    start = clock.now
    timer.start()
    clock.advance(minutes=10)
    assert queue_service.timer_on(desk, item_id)
    assert queue_service.delete(desk, item_id) is True
    desk.close()
    desk = open_desk(tmp_path, clock)  # the change was made durable with the delete
    timer = TimerService(desk)
    assert timer.state.item_id is None and timer.status()["item"] is None
    assert timer.state.status is Status.RUNNING, "the focus goes on, on no item"
    clock.advance(minutes=15)
    timer.tick()
    [focus] = desk.store.sessions.all()
    assert focus.completed and focus.start == start
    assert focus.seconds_by_item() == {item_id: 600, None: 900}


def test_a_focus_never_starts_on_an_item_that_no_longer_exists(
    tmp_path: Path, clock: Clock
) -> None:
    from deskwork.services import queue as queue_service

    desk = open_desk(tmp_path, clock)
    gone, kept = _item(desk, "gone"), _item(desk, "kept")
    timer = TimerService(desk)
    timer.set_item(kept)
    assert queue_service.delete(desk, gone) is False, "the timer was not on it"
    assert TimerService(desk).state.item_id == kept
    # a timer saved on an item deleted before this fix (or by another writer) heals
    timer.set_item(gone)
    again = TimerService(desk)
    assert again.state.item_id is None and again.status()["item"] is None
    timer.toggle()  # the stale in-memory service starts a focus: on no item, not the deleted one
    assert timer.state.status is Status.RUNNING and timer.state.item_id is None


def test_a_refusal_is_asked_without_writing_anything(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    timer = TimerService(desk)
    assert timer.refusal("interrupt") == "interruptions are logged on a running focus session"
    assert timer.refusal("abandon") == "nothing to abandon: the timer is not running"
    timer.start()
    clock.advance(minutes=3)
    before = timer.state
    assert timer.refusal("interrupt") is None and timer.refusal("abandon") is None
    assert timer.state == before and desk.store.sessions.all() == []  # asked, not done
    timer.skip()  # a break now: interruptions belong to focus, abandoning a break is allowed
    assert timer.refusal("interrupt") is not None and timer.refusal("abandon") is None
