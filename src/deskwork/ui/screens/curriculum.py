"""The whole curriculum as a table: sort, filter (`track:math status:active kind:paper tag:x
is:pending words`), add / edit / delete through the form, a unit done, pick for today."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from deskwork.domain.curriculum import Item
from deskwork.domain.queue import SORT_KEYS, ItemFilter, sort_items
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.services import queue as queue_service
from deskwork.ui.commands import CURRICULUM_COMMANDS
from deskwork.ui.screens.opening import OpensInSteps, yield_to_loop
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.lean_table import LeanTable
from deskwork.ui.widgets.tables import RowFeeder, SearchableTableScreen, cursor_id, move_to

if TYPE_CHECKING:
    from deskwork.ui.host import PaneHost


def _cell(text: str, style: str = "") -> Text:
    return Text(clean(text, single_line=True), style=style, no_wrap=True, overflow="ellipsis")


class CurriculumScreen(OpensInSteps, SearchableTableScreen):
    search_input_id = "cur-filter"
    search_action = "filter"
    command_scope = "curriculum"
    BINDINGS = [c.binding() for c in CURRICULUM_COMMANDS]
    DEFAULT_CSS = """
    CurriculumScreen #cur-filter { margin: 0 1; }
    CurriculumScreen #cur-status { color: $text-muted; height: 1; padding: 0 2; }
    CurriculumScreen DataTable { height: 1fr; }
    CurriculumScreen #cur-detail {
        height: auto; max-height: 8; padding: 0 2; border-top: solid $panel-lighten-2;
        color: $text-muted;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "priority"
        self.reverse = False
        self._feeder: RowFeeder[Item] | None = None
        self._today = date.min

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("Curriculum", id="cur-title", classes="title")
        yield Input(
            placeholder="filter: words, track:…, status:…, kind:…, tag:…, is:pending  (/ to focus)",
            id="cur-filter",
        )
        yield Static("", id="cur-status")
        table: DataTable[Text] = LeanTable(id="cur-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="cur-detail", markup=False)
        yield DeskFooter()

    async def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("Today", 5), ("Title", 34), ("Kind", 11), ("Track", 14), ("Status", 8),
            ("Progress", 14), ("Points", 6), ("Cost", 9),
        ):  # fmt: skip
            table.add_column(label, width=width, key=label.lower())
        self.desk_app.curriculum.changed_callbacks.append(self.reload)
        self.reload()
        table.focus()
        await yield_to_loop()  # the first layout and drawing in a turn of their own

    def on_unmount(self) -> None:
        callbacks = self.desk_app.curriculum.changed_callbacks
        if self.reload in callbacks:
            callbacks.remove(self.reload)

    # ------------------------------------------------------------------ listing
    def visible_items(self) -> list[Item]:
        query = ItemFilter.parse(self.query_one("#cur-filter", Input).value)
        items = [i for i in self.desk_app.desk.store.items.values() if query.matches(i)]
        return sort_items(items, self.sort_key, self.reverse)

    @property
    def busy(self) -> bool:
        """Rows still being added (a long curriculum is added a batch per frame)."""
        return self._feeder is not None and self._feeder.busy

    def _row(self, item: Item) -> tuple[Text, ...]:
        pending = " ⟳" if item.metadata_pending else ""
        return (
            _cell("✓" if item.queued_on == self._today else ""),
            _cell(item.title + pending),
            _cell(item.kind.value),
            _cell(item.track),
            _cell(item.status.value),
            _cell(item.progress_text()),
            _cell(f"{item.effort_points:g}" if item.effort_points else ""),
            _cell(f"{item.cost:g} {item.currency}" if item.cost else ""),
        )

    def reload(self) -> None:
        table = self.query_one(DataTable)
        current = self.selected_id()
        items = self.visible_items()
        self._today = self.desk_app.desk.today()
        if self._feeder is None:
            self._feeder = RowFeeder(table, lambda item: str(item.id), self._row)
        self._feeder.fill(items, keep=str(current) if current is not None else None)
        total = len(self.desk_app.desk.store.items)
        arrow = "↑" if self.reverse else "↓"
        self.query_one("#cur-status", Static).update(
            f"{len(items)} of {plural(total, 'item')} · sorted by {self.sort_key} {arrow} · "
            "n new · e edit · d delete · u unit done · space today · s sort · a add link"
        )
        self.show_detail()

    def selected_id(self) -> int | None:
        return cursor_id(self.query_one(DataTable))

    def select(self, item_id: int) -> None:
        move_to(self.query_one(DataTable), item_id)

    def show_detail(self) -> None:
        item_id = self.selected_id()
        item = self.desk_app.desk.store.items.get(item_id) if item_id is not None else None
        detail = self.query_one("#cur-detail", Static)
        if item is None:
            detail.update("")
            return
        lines = [clean(item.title, single_line=True)]
        facts = [item.authors, item.url, ", ".join(item.categories)]
        lines.append(" · ".join(clean(f, single_line=True) for f in facts if f))
        if item.metadata_error:
            lines.append(f"metadata pending: {clean(item.metadata_error, single_line=True)}")
        body = item.abstract or item.notes
        if body:
            lines.append(clean(body, single_line=True)[:400])
        detail.update("\n".join(line for line in lines if line))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.reload()

    # ------------------------------------------------------------------ actions
    def action_filter(self) -> None:
        self.query_one("#cur-filter", Input).focus()

    def action_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self.reload()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.reload()

    def action_new(self) -> None:
        self.desk_app.curriculum.edit(None)

    def action_edit(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.desk_app.curriculum.edit(item_id)

    def action_delete(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.desk_app.curriculum.delete(item_id)

    def _change(self, fn: object) -> None:
        item_id = self.selected_id()
        if item_id is None or not self.desk_app.curriculum.writable():
            return
        fn(self.desk_app.desk, item_id)  # type: ignore[operator]
        self.desk_app.curriculum.changed(queue_only=True)

    def action_unit_done(self) -> None:
        self._change(queue_service.unit_done)

    def action_today(self) -> None:
        self._change(queue_service.toggle_today)

    def action_import_file(self) -> None:
        self.desk_app.curriculum.import_file()

    def action_export_file(self) -> None:
        self.desk_app.curriculum.export_file()
