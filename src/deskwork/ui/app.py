"""The deskwork Textual app: the four-area desk, commands and keymap, the timer's actions, the
write guard, quitting.

Thin by design: data comes from and goes to `deskwork.services.Desk`; each area lives in its own
module under `ui/panes/`. The app is built in layers, each a module: desk_areas (the four areas),
hangup (ending when the terminal goes), study_screens (decks, presets, stats…), warm_up (after the
first frame), app_screens (help, welcome, palette, themes), then this.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Container
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.timer import Timer
from textual.widgets import Header

from deskwork import __version__
from deskwork.domain.sessions import InterruptionKind
from deskwork.domain.wording import plural
from deskwork.services import Desk
from deskwork.services.drafts import DraftService
from deskwork.store.errors import StoreWriteError
from deskwork.ui.app_screens import HelpAndThemes
from deskwork.ui.cards_control import CardsControl
from deskwork.ui.commands import ALL_COMMANDS, APP_COMMANDS, Command
from deskwork.ui.compositor_repair import repair_compositor
from deskwork.ui.curriculum_control import CurriculumControl
from deskwork.ui.day_turn import DayTurn
from deskwork.ui.everywhere import lend_app_keys, unsaved_in
from deskwork.ui.give_way import GiveWay
from deskwork.ui.host import PaneHost
from deskwork.ui.idle_collector import IdleCollector
from deskwork.ui.keymap import (
    bound_keys,
    claim_alt_digits,
    resolve_keymap,
)
from deskwork.ui.panes.draft import DraftPane
from deskwork.ui.panes.queue import QueuePane
from deskwork.ui.panes.review import ReviewPane
from deskwork.ui.panes.timer import TimerPane, state_classes
from deskwork.ui.remote_control import RemoteChannel, RemoteControl, RemoteWake
from deskwork.ui.styles_cache_fix import install as fix_styles_cache
from deskwork.ui.themes import desk_themes
from deskwork.ui.timer_control import TimerControl
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.write_guard import WriteGuard, write_error_in


class DeskworkApp(HelpAndThemes):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "deskwork"
    SUB_TITLE = f"v{__version__}"
    BINDINGS = [c.binding() for c in APP_COMMANDS]
    ALLOW_IN_MAXIMIZED_VIEW = "DeskFooter"  # the keys stay in view while an area is zoomed

    def __init__(
        self,
        desk: Desk,
        *,
        starter_available: bool = True,
        show_clock: bool = True,
        channel: RemoteChannel | None = None,
    ) -> None:
        super().__init__()
        repair_compositor()  # what a layout removes is repainted (ui/compositor_repair.py)
        claim_alt_digits()  # Alt+1…Alt+4 reach the pane keys (see keymap.claim_alt_digits)
        self.desk = desk
        self.remote = RemoteControl(self, channel)
        self.show_clock = show_clock
        self.starter_available = starter_available
        self.commands: tuple[Command, ...] = ALL_COMMANDS
        self.startup_notes: list[str] = list(desk.problems)  # shown once mounted
        self._desk_closed = False  # close_desk ran (not Textual's own _closed: see HangsUp)
        self._current_pane = "timer"
        self._ticker: Timer | None = None
        self._draft_pane: DraftPane | None = None  # held for the last save while shutting down
        # Garbage collections at pauses (ui/idle_collector.py); none while workers run.
        self.idle_collector = IdleCollector(busy=self._working)
        fix_styles_cache()  # closed screens' rendered lines kept by Textual (ui/styles_cache_fix.py)
        self.give_way = GiveWay()  # workers wait while the loop works (ui/give_way.py)
        self.day_end_text = ""

        themes, theme_problems = desk_themes(desk.paths.user_themes)
        self.startup_notes += theme_problems
        for theme in themes:
            self.register_theme(theme)
        self.keymap, key_problems = resolve_keymap(
            desk.config.keys, self.commands, desk.paths.config_file
        )
        self.startup_notes += key_problems
        self.set_keymap(self.keymap)
        self.bound = bound_keys(self.commands, self.keymap)  # binding id -> its key, for hints
        self.theme = self._initial_theme()
        self.timer = TimerControl(self)
        self.drafts = DraftService(desk)
        self.curriculum = CurriculumControl(self)
        self.cards = CardsControl(self)
        self.write_guard = WriteGuard(self)
        self.day_turn = DayTurn(self)  # the study day's turn on an open desk (ui/day_turn.py)
        self._problems_shown = self._report_size = 0  # what of the store's report was told

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header(show_clock=self.show_clock)
        # The tabs row (one area at a time, on a small terminal) is made when first needed:
        # `_apply_size` (nine widgets the four-area desk never shows).
        with Container(id="desk"):
            # Composed as `_set_current("timer")` leaves them: the first frame restyles nothing.
            # ...and with the classes their first `show` sets (a class set later restyles every
            # widget in the area): the timer's phase, the draft area's narrow layout (unless the
            # terminal is wide enough for its side column, when `_fit` takes the class off).
            timer_classes = sorted(state_classes(self.timer.service.state))
            yield TimerPane(id="timer", classes=" ".join(["-current", *timer_classes]))
            yield QueuePane(id="queue")
            yield ReviewPane(id="review")
            yield DraftPane(id="draft", classes="-narrow")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._draft_pane = self.draft_pane
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.screen_change_signal.subscribe(self, lambda s: lend_app_keys(s, self.commands))
        purged = self.drafts.purge_trash()
        if purged:
            self.notify(f"Emptied {plural(purged, 'draft')} that spent 30 days in the trash")
        self.timer_pane.show_keys(self.bound)
        # The layout first (four areas or one): the lists' first fill takes the rows it gives.
        self._apply_size(self.size.width, self.size.height)
        self.refresh_panes()
        self.timer.tick(catching_up=True)  # phases that ended while deskwork was closed
        self._ticker = self.set_interval(0.25, self._tick)
        self._set_current("timer")
        self.timer_pane.focus()
        for note in self.startup_notes:
            self.notify(note, title="deskwork", severity="warning", timeout=12, markup=False)
        if self.desk.store.readonly:
            self.sub_title = f"v{__version__} — READ-ONLY"
        if self.desk.first_run:
            self.action_welcome()
        self._problems_shown = len(self.desk.store.report.problems)
        self._report_size = self.desk.store.report.size()
        self.notes_after_first_frame()  # what start-up told: shown after the first frame
        self.call_after_refresh(self._start_warm_up)
        # Through the app's message queue, as a key's action runs: quitting from outside it (the
        # loop's signal callback itself) left Textual's teardown waiting for ever in tests.
        self._on_hangup(lambda: self.call_later(self._hung_up))  # nobody to ask
        self.remote.start(writable=not self.desk.store.readonly)

    def on_remote_wake(self, _: RemoteWake) -> None:
        self.remote.run()

    def _tell_store_problems(self) -> None:
        """What the store found since the last look (damage found in a file loaded later, a
        background backup that failed): each told once."""
        store = self.desk.store
        if store.damaged_live and store.writable:
            store.repair_damaged_live()
        if store.report.size() == self._report_size:
            return
        self._report_size = store.report.size()
        for problem in store.report.problems[self._problems_shown :]:
            self.notify(problem, title="deskwork", severity="warning", timeout=12, markup=False)
        self._problems_shown = len(store.report.problems)

    def refresh_panes(self, *, new_day: bool = False) -> None:
        """Every area from today's summary, without its card counts (no area shows them; they
        read every card: ~100 ms at the heavy year on the event loop, at every answer given while
        the day's queue was being built, every timer phase, every curriculum change).
        `new_day`: the study day turned (ui/day_turn.py), the list of drafts is not refilled
        (nothing in it is per day; ~400 rows re-measured at the heavy year)."""
        summary = self.desk.summary(wait_for_cards=False, card_counts=False)
        self.timer_pane.show(summary)
        self.queue_pane.show(summary)
        self.review_pane.show(summary)
        if new_day:
            self.draft_pane.new_day()
        else:
            self.draft_pane.show(summary)
        self._select_timer_item()

    def _tick(self) -> None:
        if self._desk_closed:
            return
        # While the app shuts down its widgets (and then its screens) go before the ticker stops;
        # the state is saved anyway.
        with contextlib.suppress(NoMatches, IndexError):
            self.remote.run()
            self.day_turn.check()  # before the timer: its nudge is the new day's
            self.timer.tick()
            if self.write_guard.failure is None:
                self.draft_pane.autosave_tick(self.desk.clock())
            self._tell_store_problems()
        self.idle_collector.tick()

    def show_timer(self) -> None:
        service = self.timer.service
        self.timer_pane.show_state(
            service.state,
            service.now(),
            service.item_title(service.state.item_id),
            service.settings.long_break_every,
        )

    def show_timer_nudge(self, text: str) -> None:
        self.timer_pane.show_nudge(text)

    def action_timer(self, op: str) -> None:
        self.timer.run(op)

    def action_timer_item(self) -> None:
        self.timer.pick_item()

    def action_timer_reset(self) -> None:
        self.timer.confirm_reset()

    def action_timer_interrupt(self) -> None:
        from deskwork.ui.screens.timer_dialogs import InterruptScreen

        def done(result: tuple[InterruptionKind, str] | None) -> None:
            if result is not None:
                self.timer.interrupt(result[0].value, result[1])

        if self.timer.refused("interrupt"):  # said now, before a note is typed for nothing
            return
        self.push_screen(InterruptScreen(), done)

    def action_timer_abandon(self) -> None:
        from deskwork.ui.screens.timer_dialogs import AbandonScreen

        def done(reason: str | None) -> None:
            if reason is not None:
                self.timer.abandon(reason)

        if self.timer.refused("abandon"):
            return
        self.push_screen(AbandonScreen(), done)

    # ------------------------------------------------------------------ curriculum
    def action_curriculum(self) -> None:
        self.curriculum.open_curriculum()

    def action_plan(self) -> None:
        self.curriculum.open_plan()

    def action_add_link(self) -> None:
        self.curriculum.add_link()

    def action_arxiv_search(self) -> None:
        self.curriculum.open_search()

    def action_refresh_metadata(self) -> None:
        self.curriculum.refresh_metadata()

    # ------------------------------------------------------------------ flashcards
    def action_add_card(self) -> None:
        self.cards.add()

    def action_browse_cards(self) -> None:
        self.cards.browse()

    def action_import_cards(self) -> None:
        self.cards.import_deck()

    def action_export_cards(self) -> None:
        self.cards.export_deck()

    # ------------------------------------------------------------------ insight
    def reload_timer(self) -> None:
        self.timer.reload()

    def writable(self) -> bool:
        """True, or False after telling the user why nothing can be changed."""
        if self.desk.store.readonly:
            self.notify("Read-only: another deskwork holds the data", severity="warning")
            return False
        return not self.write_guard.refuse()

    async def run_action(
        self,
        action: str | tuple[str, str, tuple[object, ...]],
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key and palette action: a save that fails is told, the app stays up."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except StoreWriteError as exc:
            self.write_guard.failed(exc)
            return True

    def _handle_exception(self, error: Exception) -> None:
        found = write_error_in(error)
        if found is not None:  # timers, workers, dialog callbacks: told, not fatal
            self.write_guard.failed(found)
            return
        super()._handle_exception(error)

    # ------------------------------------------------------------------ quitting
    async def action_quit(self) -> None:
        """Save everything and quit. What a dialog holds that cannot be saved half-written (a
        card being typed) is not thrown away silently: the same y/n as its Esc, then quit."""
        unsaved = next((q for s in reversed(self.screen_stack) if (q := unsaved_in(s))), "")
        if not unsaved:
            self.quit_now()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.quit_now()

        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        self.push_screen(ConfirmScreen(f"{unsaved} and quit? (y/n)"), answered)

    def quit_now(self) -> None:
        self.close_desk()
        self.exit(0)

    def close_desk(self) -> None:
        if not self._desk_closed:
            # First (it depends on nothing): a later step that raised left CPython's full
            # collections off, and `_measure` in gc.callbacks holding the app, for good.
            self.idle_collector.stop()
            if self._draft_pane is not None:
                try:
                    self._draft_pane.flush()
                except StoreWriteError as exc:  # the text is not lost: it is printed on exit
                    self.day_end_text = self._draft_pane.unsaved_text(str(exc))
            self._desk_closed = True
            steps = [
                ("the day's summary", self._day_end),
                ("the remote socket", self.remote.close),
                ("the curriculum", self.curriculum.close),
                ("the last saves", self._flush_at_quit),
                ("the ticker", self._ticker.stop if self._ticker is not None else None),
                ("the stall guard", self.give_way.uninstall),
                ("the store", self.desk.close),
            ]
            for what, step in steps:  # each one run, though one before it failed
                if step is None:
                    continue
                try:
                    step()
                except Exception as exc:  # said after the TUI, not a skipped close
                    reason = f"{type(exc).__name__}: {exc}"
                    self.day_end_text += f"\ndeskwork: closing {what} failed: {reason}\n"

    def _day_end(self) -> None:
        if self.timer.past_end_of_day() and self.desk.store.cards.loaded:
            from deskwork.services.insight import day_end, day_end_text

            self.day_end_text += day_end_text(day_end(self.desk))  # printed after the TUI

    def _flush_at_quit(self) -> None:
        """Every save durable before the desk closes; if the disk still refuses, the draft's
        text is printed on exit (the close warns of the rest: `run_tui`)."""
        try:
            self.desk.store.flush()
        except StoreWriteError as exc:
            pane = self._draft_pane
            if pane is not None and pane.editing is not None and not self.day_end_text:
                self.day_end_text = pane.unsaved_text(str(exc))

    def on_unmount(self) -> None:
        self._resume_gc()  # an app that quits before its first frame
        self.close_desk()
        self._on_hangup(None)


def _as_pane_host(app: DeskworkApp) -> PaneHost:
    """For mypy: the app is what the panes, the screens and the write guard are typed against."""
    return app
