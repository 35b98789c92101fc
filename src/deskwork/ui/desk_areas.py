"""The desk's four areas as a whole: which one is current, moving between them (keys, Tab, tabs,
clicks), zoom (switching area while zoomed shows the new area zoomed), the compact one-area layout
on small terminals, and the queue's cursor (which never moves the timer: see `queue_cursor_item`).
Notifications raised while the desk is built wait for its first frame (`notes_after_first_frame`).
Also the app-wide cleaning of text typed or pasted into fields (see `ui/sanitize.py`) and the
order of keys typed in a burst (see `ui/key_order.py`).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import App
from textual.notifications import Notify
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import OptionDoesNotExist

from deskwork.domain.curriculum import Item
from deskwork.services import Desk
from deskwork.ui.commands import APP_COMMANDS
from deskwork.ui.idle_collector import IdleCollector
from deskwork.ui.key_hold import Before, held_key, trip
from deskwork.ui.key_order import focus_now, run_own_bindings_inline, settle_before_priority_key
from deskwork.ui.panes.draft import DraftPane
from deskwork.ui.panes.queue import QueuePane
from deskwork.ui.panes.review import ReviewPane
from deskwork.ui.panes.timer import TimerPane
from deskwork.ui.sanitize import clean_input, clean_paste
from deskwork.ui.widgets.pane import Pane, mark_focused_area, set_frame_class

if TYPE_CHECKING:
    from textual.widgets import Tabs, TextArea

    from deskwork.ui.timer_control import TimerControl

run_own_bindings_inline()

PANE_ORDER = ("timer", "queue", "review", "draft")
DESK_ONLY = frozenset({"zoom"})  # actions that mean nothing on a screen pushed over the desk


class DeskScreen(Screen[object]):
    """The desk itself (the bottom screen). Its Tab / Shift+Tab are the `pane.next` /
    `pane.previous` commands (same binding ids: the user's keymap applies): Textual's own Tab
    stopped on an area's frame and then on the list inside, two presses per area."""

    # The timer area has the keyboard from the first frame on (Textual's default, the first
    # focusable widget, is the hidden tabs row: focus went there and then moved, two rounds of
    # footer keys and restyling before the desk settled).
    AUTO_FOCUS = "#timer"
    BINDINGS = [
        replace(c.binding(), action=f"app.{c.action}")
        for c in APP_COMMANDS
        if c.id in ("pane.next", "pane.previous")
    ]

    # Textual repaints the whole screen when the focus moves (its `focused` reactive repaints):
    # every widget of the four areas drawn again for a change the two frames and the two widgets
    # that gained and lost the focus already repaint themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def _watch_focused(self) -> None:
        self.refresh_bindings()  # what Screen's own watcher does
        mark_focused_area(self.query(Pane), self.focused)

    _resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """The desk's first resume (the app's start) does not restyle every widget: each was
        styled as it was mounted, a moment before, and what changed since (classes, focus, a
        theme) restyled what it touched. Textual restyled all of them again (~4 ms before the
        first frame). A later resume (a dialog closed) restyles as ever."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False  # read by Screen's own handler, which runs next

    async def _on_resize(self, event: events.Resize) -> None:
        """A resize to the size the desk is laid out at already is not laid out again. Textual
        sends the screen three at start, all at the terminal's size (the app's first size, the
        driver's, and the screen's own after its first layout), and laid the whole desk out three
        more times for them (~5 ms of CPU before the first frame settled). Anything that did
        change since (a widget added, a style) is laid out by the screen's update as ever."""
        if event.size == self._compositor.size and self.is_attached:
            event.stop()
            event.prevent_default()  # Screen's own handler lays out again


class DeskAreas(App[int]):
    """The part of the app that owns the four areas (the app builds on it)."""

    desk: Desk
    timer: TimerControl
    idle_collector: IdleCollector
    _current_pane: str = "timer"

    # While a dialog is open, app.query() searches the dialog's screen: the desk is the bottom one.
    @property
    def desk_screen(self) -> Screen[object]:
        return self.screen_stack[0]

    @property
    def timer_pane(self) -> TimerPane:
        return self.desk_screen.query_one(TimerPane)

    @property
    def queue_pane(self) -> QueuePane:
        return self.desk_screen.query_one(QueuePane)

    @property
    def review_pane(self) -> ReviewPane:
        return self.desk_screen.query_one(ReviewPane)

    @property
    def draft_pane(self) -> DraftPane:
        return self.desk_screen.query_one(DraftPane)

    @staticmethod
    def _pane_classes() -> tuple[type[Pane], ...]:
        return (TimerPane, QueuePane, ReviewPane, DraftPane)

    def queue_cursor_item(self) -> int | None:
        """The item under the queue's cursor (None before the queue was ever browsed). Only what a
        focus starts on: moving the cursor never changes the timer's item."""
        return self.queue_pane.highlighted_id()

    def _select_timer_item(self) -> None:
        """Put the queue's cursor on the timer's item, only while the cursor is nowhere yet (at
        start): a refresh never yanks the cursor away from what the user is looking at."""
        item_id = self.timer.service.state.item_id
        listing = self.queue_pane.query_one("#queue-list", OptionList)
        if item_id is None or listing.highlighted is not None:
            return
        with contextlib.suppress(OptionDoesNotExist):  # the item left today's queue
            listing.highlighted = listing.get_option_index(str(item_id))

    # ------------------------------------------------------------------ CSS at start
    def refresh_css(self, animate: bool = True) -> None:
        """Before the desk screen exists (the theme chosen in `__init__` asks for this at start),
        the stylesheet is parsed in place. Textual re-parses in a throwaway copy (so that an
        error leaves the old rules working) whose parsed rules it keeps but whose cache it drops,
        so the first styling parsed app.tcss and App's CSS a second time (~2.5 ms). With no screen
        nothing is styled yet, and an error in the CSS stops the start either way."""
        if self._screen_stacks.get(self._current_mode):
            super().refresh_css(animate)
            return
        self.stylesheet.set_variables(self.get_css_variables())
        self.stylesheet.parse()
        self.stylesheet.update(self, animate=animate)

    # ------------------------------------------------------------------ notifications at start
    # What start-up tells (a phase that ended while deskwork was closed, the end-of-day nudge, a
    # theme or keymap problem…) is shown once the desk is drawn, not in its first frame: a toast
    # there was its own layout and restyle before the desk could show (~10 ms of CPU). Only what
    # is told while the desk is built waits: a key's message after that shows at once.
    _notes_held: list[Notify] | None

    def __init__(self) -> None:
        super().__init__()
        self._notes_held = []  # None once start-up is over (`notes_after_first_frame`)

    def on_notify(self, event: Notify) -> None:
        if self._notes_held is not None:
            event.prevent_default()  # App's own handler shows it after the first frame
            self._notes_held.append(event)

    def notes_after_first_frame(self) -> None:
        """The end of start-up (the app's `on_mount`): what it told is shown after the first
        frame, anything told from now on at once."""

        def start_up_over() -> None:  # after the messages start-up posted: the queue keeps order
            held, self._notes_held = self._notes_held or [], None

            def show_held_notes() -> None:
                for event in held:
                    self.post_message(Notify(event.notification))

            self.call_after_refresh(show_held_notes)

        self.call_later(start_up_over)

    # ------------------------------------------------------------------ untrusted text in fields
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.InputEvent, events.Paste)):
            self.idle_collector.input()  # not idle: no full collection now (ui/idle_collector.py)
        if held_key(self, event):  # typed right after a dialog's Enter: ui/key_hold.py
            return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event = clean_paste(event)
        if await settle_before_priority_key(self, event):  # keys in the order typed: key_order.py
            return  # a Tab that moved the focus
        before = Before(self, event)
        await super().on_event(event)
        trip(self, before)  # the keys after it wait until it has gone all the way: key_hold.py

    def on_input_changed(self, event: Input.Changed) -> None:
        clean_input(event.input)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        from deskwork.ui.text_fields import clean_text_area  # loaded with the first text area

        clean_text_area(event.text_area)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        compact = width < self.desk.config.ui.compact_below_width or height < 24
        if compact:
            self._ensure_tabs()
        self.desk_screen.set_class(compact, "-compact")

    def _ensure_tabs(self) -> None:
        """The tabs row above the areas, made the first time the terminal is small (the
        four-area desk never shows it: nine widgets fewer to build and style at start)."""
        screen = self.desk_screen
        if screen.query("#pane-tabs"):
            return
        from textual.widgets import Tab, Tabs  # imported only then

        tabs = Tabs(
            *(Tab(p.title, id=f"tab-{p.pane_id}") for p in self._pane_classes()),
            id="pane-tabs",
            active=f"tab-{self._current_pane}",
        )
        mounting = screen.mount(tabs, before="#desk")

        async def on_the_current_area() -> None:  # the area may have changed while it mounted
            await mounting
            self._sync_tabs()

        self.call_later(on_the_current_area)

    def _sync_tabs(self) -> None:
        """The tabs row (once made and mounted) on the current area."""
        for node in self.desk_screen.query("#pane-tabs"):
            tabs = cast("Tabs", node)  # made by `_ensure_tabs`
            if tabs.is_mounted and tabs.active != f"tab-{self._current_pane}":
                tabs.active = f"tab-{self._current_pane}"

    # ------------------------------------------------------------------ panes and focus
    def _pane(self, name: str) -> Pane:
        return self.desk_screen.query_one(f"#{name}", Pane)

    def _set_current(self, name: str) -> None:
        self._current_pane = name
        screen = self.desk_screen
        if screen.maximized is not None and screen.maximized.id != name:
            screen.maximize(
                self._pane(name), container=False
            )  # zoomed stays zoomed, on the new area
        for pane in self.desk_screen.query(Pane):
            set_frame_class(pane, pane.id == name, "-current")
        self._sync_tabs()

    def action_focus_pane(self, name: str) -> None:
        if name not in PANE_ORDER:
            return
        self._set_current(name)
        focus_now(self._pane(name).focus_target())

    def _focused_pane(self) -> str:
        node = self.focused
        while node is not None:
            if isinstance(node, Pane) and node.id:
                return node.id
            node = node.parent  # type: ignore[assignment]
        return self._current_pane

    def action_focus_next_pane(self, step: int = 1) -> None:
        if self.screen is not self.desk_screen:  # in a dialog or a screen, Tab moves between fields
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        index = PANE_ORDER.index(self._focused_pane())
        self.action_focus_pane(PANE_ORDER[(index + step) % len(PANE_ORDER)])

    def action_focus_previous_pane(self) -> None:
        self.action_focus_next_pane(-1)

    def selected_queue_item(self) -> Item | None:
        """The item under the queue's cursor, else the one the timer is on."""
        item_id = self.queue_cursor_item() or self.timer.service.state.item_id
        return self.desk.store.items.get(item_id) if item_id is not None else None

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "draft-text":
            self.draft_pane.flush()  # leaving the editor (pane switch, dialog…) saves

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        listing = event.widget
        if (
            isinstance(listing, OptionList)
            and listing.id == "queue-list"
            and listing.highlighted is None
            and listing.option_count
        ):
            self._select_timer_item()
            if listing.highlighted is None:  # choosing the queue chooses an item to focus on
                listing.highlighted = next(
                    (
                        n
                        for n in range(listing.option_count)
                        if listing.get_option_at_index(n).id is not None
                    ),
                    None,
                )
        name = self._focused_pane()
        if name != self._current_pane:
            self._set_current(name)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        # A stale activation (keys moved on since it was queued) is ignored: acting on it sent
        # two queued activations flipping the areas back and forth for ever (found by the stall
        # meter, F2..F5 pressed quickly).
        if event.tab is not None and event.tab.id and event.tabs.active == event.tab.id:
            name = event.tab.id.removeprefix("tab-")
            if name != self._current_pane:
                self.action_focus_pane(name)

    def get_default_screen(self) -> Screen[object]:
        return DeskScreen(id="_default")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Desk-only actions are off (and out of the footer) on screens pushed over the desk."""
        if action in DESK_ONLY and self.screen is not self.desk_screen:
            return False
        return super().check_action(action, parameters)

    def action_zoom(self) -> None:
        """Zoom the focused area / back to all four: on the desk only (maximizing a desk area
        under another screen filled that screen with hatching)."""
        screen = self.screen
        if screen is not self.desk_screen:
            return
        if screen.maximized is not None:
            screen.minimize()
        else:
            screen.maximize(self._pane(self._focused_pane()), container=False)
