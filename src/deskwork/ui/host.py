"""What the controls (timer, cards, curriculum glue), the panes and the screens need from the app,
as Protocols: they talk to these, not to the app module, so `ui/` has no import circle (the app
builds the controls and composes the panes). `DeskHost` is the controls' part; `PaneHost` adds
the controls themselves and the app-wide helpers the panes and screens reach."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.notifications import SeverityLevel

from deskwork.domain.curriculum import Item
from deskwork.services.desk import Desk

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer
    from textual.widget import Widget

    from deskwork.services.drafts import DraftService
    from deskwork.ui.cards_control import CardsControl
    from deskwork.ui.curriculum_control import CurriculumControl
    from deskwork.ui.give_way import GiveWay
    from deskwork.ui.panes.draft import DraftPane
    from deskwork.ui.panes.queue import QueuePane
    from deskwork.ui.panes.review import ReviewPane
    from deskwork.ui.timer_control import TimerControl


class Notifies(Protocol):
    """Anything that shows a toast as Textual's App.notify does."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


class DeskHost(Notifies, Protocol):
    desk: Desk
    bound: dict[str, str]  # binding id -> the key bound now, as people read it

    def run_worker(
        self, work: Callable[[], Any], *, name: str, group: str, thread: bool
    ) -> Any: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...

    def refresh_panes(self) -> None: ...

    def writable(self) -> bool: ...

    def reload_timer(self) -> None:
        """Take the timer as a service saved it (e.g. off an item that was just deleted)."""

    def selected_queue_item(self) -> Item | None: ...

    @property
    def focused(self) -> Widget | None: ...

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...

    @property
    def queue_pane(self) -> QueuePane: ...

    @property
    def review_pane(self) -> ReviewPane: ...

    @property
    def draft_pane(self) -> DraftPane: ...


class PaneHost(DeskHost, Protocol):
    """The app as the panes, the screens and the write guard see it."""

    timer: TimerControl
    curriculum: CurriculumControl
    cards: CardsControl
    drafts: DraftService
    give_way: GiveWay
    sub_title: str

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None) -> Timer: ...

    def presets_changed(self) -> None:
        """A preset or a deck's preset changed: today's queue and intervals follow it."""

    def action_weekly_review(self) -> None: ...
