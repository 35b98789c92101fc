"""Pilot tests of the timer area: keys, palette, attribution, notifications, persistence."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from textual.color import Color
from textual.widgets import Digits, Static

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.sessions import SessionKind
from deskwork.domain.timer import Status
from deskwork.services import Desk
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.timer_dialogs import AbandonScreen, InterruptScreen
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app, palette_offers, ticks


def timer_app(tmp_path: Path, clock: Clock, config: str = "") -> DeskworkApp:
    items = [
        Item(title="CS231n", status=ItemStatus.ACTIVE, priority=2, added=T0),
        Item(title="MIT 18.06", status=ItemStatus.ACTIVE, priority=1, added=T0),
    ]
    return desk_app(tmp_path, clock, config, items)


def digits(app: DeskworkApp) -> str:
    return app.query_one("#timer-digits", Digits).value


async def test_space_starts_the_focus_and_it_counts_down(tmp_path: Path, clock: Clock) -> None:
    app = timer_app(tmp_path, clock, "[timer]\nfocus_minutes = 0.1\n")
    async with app.run_test(size=(120, 40)) as pilot:
        # The app's ticks (four a second) are made here, after each move of the clock: what
        # they show does not depend on how many real ones a loaded machine fits in.
        assert app._ticker is not None
        app._ticker.pause()
        assert digits(app) == "00:06"
        await pilot.press("space")
        assert app.timer.service.state.status is Status.RUNNING
        clock.advance(seconds=2.5)
        app._tick()
        await pilot.pause()
        assert digits(app) == "00:04"
        clock.advance(seconds=4)
        app._tick()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Focus complete") for m in messages)
        assert app.timer.service.state.phase is SessionKind.SHORT_BREAK
        [focus] = app.desk.store.sessions.all()
        assert focus.completed and focus.actual_s == 6


async def test_timer_keys_skip_extend_reset(tmp_path: Path, clock: Clock) -> None:
    app = timer_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        clock.advance(minutes=1)
        await pilot.press("e")
        assert app.timer.service.state.planned_s == 30 * 60
        await pilot.press("space")
        assert app.timer.service.state.status is Status.PAUSED
        await pilot.press("s")
        assert app.timer.service.state.phase is SessionKind.SHORT_BREAK
        await pilot.press("r")
        state = app.timer.service.state
        assert (state.phase, state.status) == (SessionKind.FOCUS, Status.IDLE)
        notes = [s.note for s in app.desk.store.sessions.all()]
        assert notes == ["skipped", "reset"]


async def test_f6_and_palette_reach_the_timer_from_anywhere(tmp_path: Path, clock: Clock) -> None:
    app = timer_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5", "f6")
        assert app.timer.service.state.status is Status.RUNNING
        await pilot.press("ctrl+p")
        await pilot.press(*"Skip")
        await palette_offers(pilot, "Skip")
        await pilot.press("enter")
        await pilot.pause()
        assert app.timer.service.state.phase is SessionKind.SHORT_BREAK


async def test_interruption_and_abandon_dialogs(tmp_path: Path, clock: Clock) -> None:
    app = timer_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "i")
        assert isinstance(app.screen, InterruptScreen)
        await pilot.press(*"slack ping", "tab", "tab", "enter")  # the "External" button
        await pilot.pause()
        [interruption] = app.timer.service.state.interruptions
        assert (interruption.kind.value, interruption.note) == ("external", "slack ping")
        await pilot.press("a")
        assert isinstance(app.screen, AbandonScreen)
        await pilot.press("escape")
        assert app.timer.service.state.status is Status.RUNNING, "Esc keeps going"
        await pilot.press("a", *"coffee", "enter")
        await pilot.pause()
        [gone] = app.desk.store.sessions.all()
        assert gone.note == "abandoned: coffee" and len(gone.interruptions) == 1


async def test_interruption_and_abandon_are_refused_before_their_dialog(
    tmp_path: Path, clock: Clock
) -> None:
    """With no focus running, `i` and `a` say why at once: no dialog asks for a note or a reason
    that the refusal would then throw away."""
    app = timer_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, InterruptScreen)
        assert "Interruptions are logged on a running focus session" in [
            n.message for n in app._notifications
        ]
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, AbandonScreen)
        assert "Nothing to abandon: the timer is not running" in [
            n.message for n in app._notifications
        ]
        assert app.desk.store.sessions.all() == []


async def test_quit_mid_focus_then_restart_resumes(tmp_path: Path, clock: Clock) -> None:
    app = timer_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        clock.advance(minutes=5)
        await pilot.press("q")
    clock.advance(minutes=3)
    again = DeskworkApp(Desk.open(app.desk.paths, clock=clock), show_clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.timer.service.state.status is Status.RUNNING
        assert digits(again) == "17:00"
        await pilot.press("q")


async def test_end_of_day_nudge(tmp_path: Path) -> None:
    clock = Clock(T0.replace(hour=19, minute=30))
    app = timer_app(tmp_path, clock, '[timer]\nend_of_day = "19:00"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await ticks(pilot)
        assert any("past 19:00" in n.message for n in app._notifications)
        body = app.query_one("#timer-body", Static)  # and under today's figures, in warning colour
        assert str(body.render()).splitlines()[-1].startswith("It's past 19:00: a good moment")
        rows = [body.render_line(y) for y in range(body.size.height)]
        [nudge] = [s for row in rows for s in row if s.text.startswith("It's past")]
        warning = Color.parse(app.theme_variables["warning"]).rgb
        assert nudge.style is not None and nudge.style.color is not None
        assert nudge.style.color.get_truecolor() == warning
        nudges = [n for n in app._notifications if "past 19:00" in n.message]
        await ticks(pilot, 2)
        assert len([n for n in app._notifications if "past 19:00" in n.message]) == len(nudges)


async def test_a_break_offers_a_review_when_cards_are_due(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cards due are counted off the UI thread (every card read), then offered."""
    from deskwork.services import due_today
    from tests.helpers import make_card

    counted_on: list[str] = []
    real_count = due_today.due_today

    def counting(*args: object, **kwargs: object) -> object:
        counted_on.append(threading.current_thread().name)
        return real_count(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(due_today, "due_today", counting)
    app = timer_app(tmp_path, clock, "[timer]\nbell = false\n")
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("due now", when=clock.now - timedelta(days=1)))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("space")
        clock.advance(minutes=25)
        await ticks(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("1 card due: press F4" in m for m in messages)
        assert counted_on and threading.main_thread().name not in counted_on
        # on this headless machine plyer cannot notify: said once, in-app toasts carry on
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.timer.notifier.available is False:
            said = [
                m
                for m in (n.message for n in app._notifications)
                if "no desktop notifications" in m
            ]
            assert len(said) == 1
