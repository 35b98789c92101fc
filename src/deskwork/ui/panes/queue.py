"""Today's curriculum queue: the items picked for today in order, then what could be picked
(earlier days' leftovers, active and planned items). Browsing never changes the timer's item: a
focus starts on the highlighted item, and `f` puts the timer on it explicitly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from deskwork.domain.curriculum import Item
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.services import DaySummary
from deskwork.services import queue as queue_service
from deskwork.ui.commands import QUEUE_COMMANDS
from deskwork.ui.widgets.list_pane import LazyOptions, ListPane

if TYPE_CHECKING:
    from deskwork.ui.host import PaneHost


def item_label(item: Item, number: int | None = None) -> Text:
    """Titles come from the web: shown as plain text, never as markup, control characters gone."""
    label = Text(no_wrap=True, overflow="ellipsis")
    if number is not None:
        label.append(f"{number}. ", style="bold")
    label.append(clean(item.title, single_line=True))
    if item.metadata_pending:
        label.append(" ⟳ metadata pending", style="italic yellow")
    details = [clean(item.track, single_line=True), item.progress_text()]
    extra = " · ".join(d for d in details if d)
    if extra:
        label.append(f" · {extra}", style="dim")
    return label


def _queue_option(row: tuple[Item, int | None] | Option | None) -> Option | None:
    if isinstance(row, tuple):
        item, number = row
        return Option(item_label(item, number), id=str(item.id))
    return row  # a note or the separator, made already


class QueuePane(ListPane):
    pane_id = "queue"
    title = "Today's queue"
    binding_id = "pane.queue"
    BINDINGS = [c.binding() for c in QUEUE_COMMANDS]

    @property
    def empty_text(self) -> str:  # type: ignore[override]
        return (
            f"Nothing in the curriculum yet. Press {self.key('queue.add')} to add a link or an "
            f"arXiv id, {self.key('queue.curriculum')} for the curriculum, or "
            f"{self.key('app.welcome')} for the starter curriculum."
        )

    def show(self, summary: DaySummary) -> None:
        self.show_items(summary.queue, summary.candidates, summary.leftover_count)

    def refresh_items(self) -> None:
        """After a change to the queue: only this area, from the items alone (a keypress must not
        pay for the whole desk's summary, which reads every card)."""
        desk = self.desk_app.desk
        self.show_items(
            queue_service.today_queue(desk),
            queue_service.candidates(desk),
            len(queue_service.leftovers(desk)),
        )

    def show_items(self, queue: list[Item], candidates: list[Item], leftover_count: int) -> None:
        # The rows as records, each made into an option only when the list takes it (LazyOptions:
        # the first frame makes only the rows that show, not one label per item of the year).
        rows: list[tuple[Item, int | None] | Option | None] = [
            (i, n) for n, i in enumerate(queue, 1)
        ]
        if not queue and candidates:
            rows.append(Option(Text("Nothing picked for today yet.", style="dim"), disabled=True))
        if leftover_count:
            rows.append(
                Option(
                    Text(
                        f"{leftover_count} unfinished from earlier days: b brings them",
                        style="italic",
                    ),
                    disabled=True,
                )
            )
        if candidates:
            rows.append(None)
            rows.append(Option(Text("To pick (space):", style="dim"), disabled=True))
            rows += [(i, None) for i in candidates]
        self.show_options(LazyOptions(rows, _queue_option))

    # ------------------------------------------------------------------ actions
    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def highlighted_id(self) -> int | None:
        listing = self.query_one("#queue-list", OptionList)
        if listing.highlighted is None:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return int(option.id) if option.id else None

    def _change(self, fn: object, *args: object) -> None:
        item_id = self.highlighted_id()
        if item_id is None:
            return
        app = self.desk_app
        if not app.writable():
            return
        fn(app.desk, item_id, *args)  # type: ignore[operator]
        self.refresh_items()
        self._highlight(item_id)

    def _highlight(self, item_id: int) -> None:
        listing = self.query_one("#queue-list", OptionList)
        try:
            listing.highlighted = listing.get_option_index(str(item_id))
        except Exception:  # the item is no longer listed
            return

    def action_pick(self) -> None:
        self._change(queue_service.toggle_today)

    def action_move(self, delta: int) -> None:
        self._change(queue_service.move, delta)

    def action_unit_done(self) -> None:
        self._change(queue_service.unit_done)
        item_id = self.highlighted_id()
        if item_id is not None:
            item = self.desk_app.desk.store.items.get(item_id)
            if item is not None:
                self.app.notify(
                    f"{item.progress_text() or 'Progress noted'}"
                    + (" — finished!" if item.status.value == "done" else ""),
                    title=clean(item.title, single_line=True),
                    markup=False,
                )

    def action_tomorrow(self) -> None:
        self._change(lambda desk, item_id: queue_service.carry_to_tomorrow(desk, [item_id]))

    def action_carry_all(self) -> None:
        moved = queue_service.carry_to_tomorrow(self.desk_app.desk)
        self.refresh_items()
        self.app.notify(f"Carried {plural(len(moved), 'unfinished item')} to tomorrow")

    def action_bring_leftovers(self) -> None:
        brought = queue_service.bring_leftovers(self.desk_app.desk)
        self.refresh_items()
        self.app.notify(f"Brought {plural(len(brought), 'item')} into today's queue")

    def action_timer_here(self) -> None:
        item_id = self.highlighted_id()
        if item_id is None:
            self.app.notify("Choose an item first (arrow keys)", title="Timer")
            return
        if self.desk_app.writable():
            self.desk_app.timer.put_on(item_id)

    def action_edit(self) -> None:
        item_id = self.highlighted_id()
        if item_id is not None:
            self.desk_app.curriculum.edit(item_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()
