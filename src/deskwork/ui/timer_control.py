"""Glue between the timer service and the app: ticking, running commands, telling the user.

At every phase end: an in-app toast (always), the terminal bell (config switch), a desktop
notification where the platform has them (sent from a worker thread; detected once), and the hook
command configured for the event (in the background, with a timeout). When a break starts and cards
are due, the toast offers a quick review.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, time, timedelta
from functools import partial
from typing import Protocol

from deskwork.domain.sessions import Session, SessionKind
from deskwork.domain.studyday import study_day
from deskwork.domain.text import clean
from deskwork.domain.timer import Outcome, Status, TimerError
from deskwork.domain.wording import plural
from deskwork.services import WELCOME_DONE
from deskwork.services.notify import DesktopNotifier, HookResult, run_hook
from deskwork.services.timer import TimerService
from deskwork.ui.host import DeskHost
from deskwork.ui.worker_reads import read_while_written


class TimerHost(DeskHost, Protocol):
    """What the timer glue needs from the app (so it does not import the app module)."""

    def bell(self) -> None: ...

    def show_timer(self) -> None: ...

    def show_timer_nudge(self, text: str) -> None: ...

    def refresh_panes(self) -> None: ...

    def queue_cursor_item(self) -> int | None: ...


NO_DESKTOP_SAID = "desktop_notifications_unavailable_said"
END_OF_DAY_SAID = "end_of_day_said"  # the study day (ISO date) whose end-of-day toast was shown


def _ended_message(session: Session, catching_up: bool) -> str:
    when = f" at {session.end.astimezone():%H:%M}" if catching_up else ""
    if session.kind is SessionKind.FOCUS:
        done = plural(round(session.actual_s / 60), "minute")
        return f"Focus complete{when}: {done}. Take a break."
    return f"Break over{when}. Ready to focus?"


class TimerControl:
    def __init__(self, app: TimerHost) -> None:
        self.app = app
        self.service = TimerService(app.desk)
        self.config = app.desk.config.timer
        self.notifier = DesktopNotifier(self.config.desktop_notifications)
        self._nudged_on: object = None
        self._desktop_checked = False

    # ------------------------------------------------------------------ commands
    def run(self, op: str) -> None:
        if op in ("toggle", "start"):
            self._take_selected_item()
        try:
            outcome = {
                "toggle": self.service.toggle,
                "start": self.service.start,
                "pause": self.service.pause,
                "resume": self.service.resume,
                "skip": self.service.skip,
                "reset": self.service.reset,
                "extend": self.service.extend,
            }[op]()
        except TimerError as exc:
            self.app.notify(str(exc).capitalize(), title="Timer", severity="warning", timeout=4)
            return
        self.handle(outcome)

    def refused(self, op: str) -> bool:
        """`op` ("abandon", "interrupt") would be refused now: said in a toast."""
        why = self.service.refusal(op)
        if why is not None:
            self.app.notify(why.capitalize(), title="Timer", severity="warning", timeout=4)
        return why is not None

    def abandon(self, reason: str) -> None:
        try:
            self.handle(self.service.abandon(reason))
        except TimerError as exc:
            self.app.notify(str(exc).capitalize(), title="Timer", severity="warning", timeout=4)

    def interrupt(self, kind: str, note: str) -> None:
        from deskwork.domain.sessions import InterruptionKind

        try:
            self.handle(self.service.interrupt(InterruptionKind(kind), note))
        except TimerError as exc:
            self.app.notify(str(exc).capitalize(), title="Timer", severity="warning", timeout=4)
            return
        self.app.notify(f"{kind.capitalize()} interruption logged", title="Timer", timeout=3)

    # ------------------------------------------------------------------ the timer's item
    def _take_selected_item(self) -> None:
        """A focus that starts takes the item selected in today's queue (if the queue has a
        selection). Only this, and `put_on`, ever change the timer's item: moving the cursor does
        not."""
        state = self.service.state
        if state.status is not Status.IDLE or state.phase is not SessionKind.FOCUS:
            return
        chosen = self.app.queue_cursor_item()
        if chosen is not None and chosen != state.item_id:
            self.handle(self.service.set_item(chosen))

    def put_on(self, item_id: int | None) -> None:
        """The explicit command: from now on the timer's minutes go to `item_id` (recorded at this
        moment, so the minutes already focused stay with the item they were spent on)."""
        state = self.service.state
        if item_id == state.item_id:
            self.app.notify(f"The timer is already on {self._title(item_id)}", title="Timer")
            return
        self.handle(self.service.set_item(item_id))
        if state.status is Status.IDLE:
            when = "for the next focus"
        else:
            when = f"from {self.service.now().astimezone():%H:%M} on"
        self.app.notify(
            f"Timer on {self._title(item_id)} {when}", title="Timer", timeout=4, markup=False
        )

    def pick_item(self) -> None:
        """The timer area's command: choose the timer's item from today's queue and candidates."""
        from deskwork.services import queue as queue_service
        from deskwork.ui.screens.timer_dialogs import TimerItemScreen

        desk = self.app.desk
        choices = [
            (i.id, clean(i.title, single_line=True), True)
            for i in queue_service.today_queue(desk)
            if i.id is not None
        ] + [
            (i.id, clean(i.title, single_line=True), False)
            for i in queue_service.candidates(desk)
            if i.id is not None
        ]
        current = self.service.state.item_id

        def done(result: tuple[int | None] | None) -> None:
            if result is not None:
                self.put_on(result[0])

        self.app.push_screen(TimerItemScreen(choices, current), done)

    def _title(self, item_id: int | None) -> str:
        title = self.service.item_title(item_id)
        return f"“{clean(title, single_line=True)}”" if title else "no item"

    # ------------------------------------------------------------------ asking first
    def confirm_reset(self) -> None:
        """`r` on a focus that is under way would throw it away: ask first (a break or a phase
        that has not started resets at once)."""
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        state = self.service.state
        if state.status is Status.IDLE or state.phase is not SessionKind.FOCUS:
            self.run("reset")  # nothing of value is lost
            return
        elapsed = state.planned_s - state.remaining(self.service.now())
        question = (
            f"Reset the timer? This {state.phase.label.lower()} "
            f"({plural(round(elapsed / 60), 'minute')} so far) is recorded as abandoned and "
            "the cycle starts again at focus 1."
        )

        def done(yes: bool | None) -> None:
            if yes:
                self.run("reset")

        self.app.push_screen(ConfirmScreen(question), done)

    def reload(self) -> None:
        """Take the timer as a command run inside the app saved it (`deskwork timer pause`)."""
        self.service = TimerService(self.app.desk)
        self.app.show_timer()

    def tick(self, *, catching_up: bool = False) -> None:
        self.handle(self.service.tick(), catching_up=catching_up)
        self._maybe_nudge()

    # ------------------------------------------------------------------ telling the user
    def handle(self, outcome: Outcome, *, catching_up: bool = False) -> None:
        app = self.app
        for session in outcome.ended:
            message = _ended_message(session, catching_up)
            app.notify(message, title="deskwork", timeout=10)
            if self.config.bell:
                app.bell()
            if self.config.desktop_notifications and self.notifier.available is not False:
                app.run_worker(
                    partial(self._desktop, message), thread=True, group="notify", name="notify"
                )
        for phase in outcome.started:
            if phase is not SessionKind.FOCUS:
                self._offer_review()
        for event in self.service.hook_events(outcome):
            command = getattr(self.config.hooks, event.name)
            if command:
                run_hook(
                    event.name,
                    command,
                    self.service.hook_env(event),
                    self.config.hooks.timeout_seconds,
                    done=self._hook_done,
                )
        app.show_timer()
        if outcome.sessions:
            app.refresh_panes()

    def _desktop(self, message: str) -> None:
        sent = self.notifier.send("deskwork", message)
        if not sent and not self._desktop_checked:
            self._desktop_checked = True
            self.app.call_from_thread(self._say_no_desktop)

    def _say_no_desktop(self) -> None:
        """Once ever (remembered in the store), not at every start: there is nothing to fix."""
        store = self.app.desk.store
        if store.closed or store.setting(NO_DESKTOP_SAID, False):
            return
        if not store.readonly:
            store.set_setting(NO_DESKTOP_SAID, True)
        self.app.notify(
            "This system shows no desktop notifications, so deskwork tells you here, in the app "
            "(with the terminal bell if it is on). You will not see this message again.",
            title="deskwork",
            severity="information",
            timeout=8,
            markup=False,
        )

    def _hook_done(self, result: HookResult) -> None:
        if result.returncode != 0:
            why = result.error or f"exit status {result.returncode}"
            self.app.call_from_thread(
                self.app.notify,
                f"timer hook {result.event} failed ({why}): {result.command}",
                title="deskwork",
                severity="warning",
                markup=False,
            )

    def _offer_review(self) -> None:
        """A break began: the cards due today, counted on a worker (every card is read: ~100 ms
        at the heavy year, on the event loop before), offered for a quick review."""
        desk = self.app.desk
        if not desk.store.cards.loaded:
            return

        def count() -> None:
            due = read_while_written(lambda: desk.due_today().total)
            if due is not None:
                with contextlib.suppress(RuntimeError):  # the app stopped meanwhile
                    self.app.call_from_thread(self._offer, due)

        self.app.run_worker(count, thread=True, group="break-review", name="cards due")

    def _offer(self, due: int) -> None:
        if due:
            self.app.notify(
                f"{plural(due, 'card')} due: press {self.app.bound.get('pane.review', 'F4')} "
                "for a quick review during the break.",
                title="Break",
                timeout=10,
            )

    def past_end_of_day(self) -> bool:
        """Past the configured end of the study day now shown. An end before the day's start
        hour (`end_of_day = "01:30"` with days starting at 04:00) is after midnight, the next
        calendar date: the whole evening before it is not "past" it. An end at the start hour
        itself (`"04:00"` with days starting at 04:00) is the day's own end, the next start: a
        full day, never "past" (it was "past" all day, from the day's first minute)."""
        end = self.config.end_of_day
        if not end:
            return False
        now: datetime = self.service.now().astimezone()
        hour, minute = (int(x) for x in end.split(":"))
        start_hour = self.app.desk.config.study.day_start_hour
        day = study_day(now, start_hour)
        if (hour, minute) <= (start_hour, 0):
            day += timedelta(days=1)
        return now.replace(tzinfo=None) >= datetime.combine(day, time(hour, minute))

    def new_day(self) -> None:
        """The study day turned (ui/day_turn.py): the end-of-day nudge starts over."""
        self._nudged_on = None
        self._maybe_nudge()

    def _maybe_nudge(self) -> None:
        end = self.config.end_of_day
        if not end:
            return
        day = study_day(self.service.now(), self.app.desk.config.study.day_start_hour)
        past = self.past_end_of_day()
        text = f"It's past {end}: a good moment to wrap up and leave the desk." if past else ""
        self.app.show_timer_nudge(text)
        # Not over the welcome of a first start: a learner who has not begun is told to wrap up
        # once past it (the line under today's figures says it meanwhile). Once a study day, not
        # at every start after the hour: the day told is kept in the store's settings.
        if not past or self._nudged_on == day:
            return
        store = self.app.desk.store
        if not store.setting(WELCOME_DONE, False):
            return
        self._nudged_on = day
        if store.setting(END_OF_DAY_SAID) == day.isoformat():
            return  # told at an earlier start today; the line under the figures says it still
        if store.writable:
            store.set_setting(END_OF_DAY_SAID, day.isoformat())
        self.app.notify(text, title="End of the study day", timeout=15)
