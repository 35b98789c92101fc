"""Glue between the timer service and the app: ticking, running commands, telling the user.

At every phase end: an in-app toast (always), the terminal bell (config switch), a desktop
notification where the platform has them (sent from a worker thread; detected once), and the hook
command configured for the event (in the background, with a timeout). When a break starts and cards
are due, the toast offers a quick review.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from deskwork.domain.sessions import Session, SessionKind
from deskwork.domain.studyday import study_day
from deskwork.domain.timer import Outcome, TimerError
from deskwork.services.notify import DesktopNotifier, HookResult, run_hook
from deskwork.services.timer import TimerService

if TYPE_CHECKING:
    from deskwork.ui.app import DeskworkApp

NO_DESKTOP_SAID = "desktop_notifications_unavailable_said"


def _ended_message(session: Session, catching_up: bool) -> str:
    when = f" at {session.end.astimezone():%H:%M}" if catching_up else ""
    if session.kind is SessionKind.FOCUS:
        return f"Focus complete{when}: {session.actual_s / 60:.0f} minutes. Take a break."
    return f"Break over{when}. Ready to focus?"


class TimerControl:
    def __init__(self, app: DeskworkApp) -> None:
        self.app = app
        self.service = TimerService(app.desk)
        self.config = app.desk.config.timer
        self.notifier = DesktopNotifier(self.config.desktop_notifications)
        self._nudged_on: object = None
        self._desktop_checked = False

    # ------------------------------------------------------------------ commands
    def run(self, op: str) -> None:
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

    def set_item(self, item_id: int | None) -> None:
        self.handle(self.service.set_item(item_id))

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
                    lambda m=message: self._desktop(m), thread=True, group="notify", name="notify"
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
        desk = self.app.desk
        if not desk.store.cards.loaded:
            return
        due = desk.summary().cards_due
        if due:
            self.app.notify(
                f"{due} cards due: press F4 for a quick review during the break.",
                title="Break",
                timeout=10,
            )

    def past_end_of_day(self) -> bool:
        end = self.config.end_of_day
        if not end:
            return False
        now: datetime = self.service.now().astimezone()
        hour, minute = (int(x) for x in end.split(":"))
        day = study_day(now, self.app.desk.config.study.day_start_hour)
        return now.time() >= time(hour, minute) or now.date() > day

    def _maybe_nudge(self) -> None:
        end = self.config.end_of_day
        if not end:
            return
        day = study_day(self.service.now(), self.app.desk.config.study.day_start_hour)
        past = self.past_end_of_day()
        text = f"It's past {end}: a good moment to wrap up and leave the desk." if past else ""
        self.app.show_timer_nudge(text)
        if past and self._nudged_on != day:
            self._nudged_on = day
            self.app.notify(text, title="End of the study day", timeout=15)
