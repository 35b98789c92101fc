"""The card browser: search with Anki-like syntax, mark cards (Space, a = all shown), then move,
tag, suspend / unsuspend or delete them in bulk (delete asks); Enter edits one. Each card shows its
retrievability now (R). The figures: due forecast for 30 days, reviews per day, true retention over 30 days, cards per state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from deskwork.domain import cardstats
from deskwork.domain.cards import Card, CardState
from deskwork.domain.cardsearch import search
from deskwork.domain.revieworder import describe_retrievability
from deskwork.domain.tags import parse_tags
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.services.cards import retrievability
from deskwork.services.presets import load as load_presets
from deskwork.ui.commands import BROWSER_COMMANDS
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.tables import SearchableTableScreen, cursor_id

if TYPE_CHECKING:
    from deskwork.ui.app import DeskworkApp

SPARK = " ▁▂▃▄▅▆▇█"
# A table row costs ~0.2 ms to build: 2,000 rows made opening and each keystroke take 0.5-1.3 s
# at 20,000 cards. The search narrows; the bulk actions still act on every match.
MAX_ROWS = 300
SEARCH_DELAY_S = 0.15  # typing reloads once it pauses, not at every key


def spark(values: list[int]) -> str:
    top = max(values, default=0)
    if not top:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(8, round(v / top * 8))] for v in values)


class CardBrowserScreen(SearchableTableScreen):
    search_input_id = "cb-query"
    search_action = "search"
    command_scope = "browser"
    BINDINGS = [c.binding() for c in BROWSER_COMMANDS]
    DEFAULT_CSS = """
    CardBrowserScreen #cb-query { margin: 0 1; }
    CardBrowserScreen #cb-status { height: 1; padding: 0 2; color: $text-muted; }
    CardBrowserScreen DataTable { height: 1fr; }
    CardBrowserScreen #cb-stats { height: auto; padding: 0 2; border-top: solid $panel-lighten-2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.marked: set[int] = set()
        self.shown: list[Card] = []
        self._pending: Timer | None = None

    @property
    def desk_app(self) -> DeskworkApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="search: words  deck:ML  tag:nlp  is:due is:new is:suspended  flag:1  -negate",
            id="cb-query",
        )
        yield Static("", id="cb-status", markup=False)
        table: DataTable[Text] = DataTable(id="cb-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="cb-stats")
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("✓", 1),
            ("Question", 41),
            ("Deck", 20),
            ("State", 10),
            ("Due", 17),  # a learning card's time: 22 Nov 2026 14:05
            ("R", 4),  # retrievability now: 100%
            ("Tags", 16),
        ):
            table.add_column(label, width=width, key=label)
        self.reload()
        self.show_stats()
        table.focus()

    def reload(self) -> None:
        desk = self.desk_app.desk
        query = self.query_one("#cb-query", Input).value
        status = self.query_one("#cb-status", Static)
        try:
            from deskwork.services.notes import notetypes

            names = {k: t.name for k, t in notetypes(desk).items()}
            found = search(desk.store.cards.all(), query, desk.clock(), names)
        except ValueError as exc:
            status.update(str(exc))
            return
        found.sort(key=lambda c: (c.deck, c.note_guid, c.ord, c.id))
        now = desk.clock()
        self.shown = found
        table = self.query_one(DataTable)
        table.clear()
        from deskwork.services.notes import Renderer

        render = Renderer(desk)
        presets = load_presets(desk)
        for card in found[:MAX_ROWS]:
            table.add_row(
                Text("●" if card.id in self.marked else ""),
                Text(
                    clean(render(card).question, single_line=True),
                    no_wrap=True,
                    overflow="ellipsis",
                ),
                Text(clean(card.deck, single_line=True), no_wrap=True, overflow="ellipsis"),
                Text(cardstats.shown_state(card, now)),
                Text(due_label(card)),
                Text(describe_retrievability(retrievability(presets, card, now)), justify="right"),
                Text(
                    clean(" ".join(card.tags), single_line=True), no_wrap=True, overflow="ellipsis"
                ),
                key=str(card.id),
            )
        more = f" (first {MAX_ROWS} shown; search to narrow)" if len(found) > MAX_ROWS else ""
        status.update(
            f"{plural(len(found), 'card')}{more} · {len(self.marked)} marked · Space mark · a mark all matches · "
            "m move · t tag · s suspend · d delete · Enter edit"
        )

    def show_stats(self) -> None:
        from deskwork.services.cards import figures

        forecast, per_day, retention, states = figures(self.desk_app.desk)
        text = Text()
        text.append("Due, next 30 days  ", style="bold")
        text.append(
            f"{spark(forecast)}  {plural(sum(forecast), 'card')}, {forecast[0]} today, {forecast[1]} tomorrow\n"
        )
        text.append("Reviews, last 30   ", style="bold")
        text.append(f"{spark(per_day)}  {plural(sum(per_day), 'answer')}, {per_day[-1]} today\n")
        text.append("True retention     ", style="bold")
        text.append(
            "no reviews yet"
            if retention is None
            else f"{retention:.1%} (last 30 days, cards in review)"
        )
        text.append("\nCards              ", style="bold")
        text.append(" · ".join(f"{n} {k}" for k, n in states.items()))
        self.query_one("#cb-stats", Static).update(text)

    def selected(self) -> list[Card]:
        """The marked cards, else the highlighted one."""
        if self.marked:
            return [c for c in self.shown if c.id in self.marked]
        return self._highlighted()

    # ------------------------------------------------------------------ actions
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "cb-query":
            if self._pending is not None:
                self._pending.stop()
            self._pending = self.set_timer(SEARCH_DELAY_S, self.reload)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._pending is not None:  # Enter searches now
            self._pending.stop()
            self._pending = None
            self.reload()
        super().on_input_submitted(event)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_search(self) -> None:
        self.query_one("#cb-query", Input).focus()

    def action_mark(self) -> None:
        for card in self._highlighted():
            self.marked ^= {card.id}
        self.reload()
        self.query_one(DataTable).action_cursor_down()

    def _highlighted(self) -> list[Card]:
        card_id = cursor_id(self.query_one(DataTable))
        return [c for c in self.shown if c.id == card_id]

    def action_mark_all(self) -> None:
        ids = {c.id for c in self.shown}
        self.marked = set() if ids <= self.marked else ids
        self.reload()

    def _save(self, cards: list[Card], message: str) -> None:
        if not cards or not self.desk_app.cards._writable():
            return
        with self.desk_app.desk.store.transaction() as tx:
            for card in cards:
                tx.put("cards", card)
        self.app.notify(message, markup=False)
        self.desk_app.review_pane.restart()
        self.reload()
        self.show_stats()

    def action_suspend(self) -> None:
        chosen = self.selected()
        suspend = not all(c.suspended for c in chosen)
        self._save(
            [c.model_copy(update={"suspended": suspend}) for c in chosen],
            f"{'Suspended' if suspend else 'Unsuspended'} {plural(len(chosen), 'card')}",
        )

    def action_move(self) -> None:
        from deskwork.ui.screens.draft_dialogs import PromptScreen

        chosen = self.selected()
        if not chosen:
            return

        def moved(deck: str | None) -> None:
            if deck:
                self._save(
                    [c.model_copy(update={"deck": deck}) for c in chosen],
                    f"Moved {plural(len(chosen), 'card')} to {deck}",
                )

        self.app.push_screen(PromptScreen("Move to deck (Parent::Child):"), moved)

    def action_tag(self) -> None:
        from deskwork.ui.screens.draft_dialogs import PromptScreen

        chosen = self.selected()
        if not chosen:
            return

        def tagged(text: str | None) -> None:
            if not text:
                return
            typed = parse_tags(text, spaces_inside=False)
            add = [t for t in typed if not t.startswith("-")]
            drop = {t[1:] for t in typed if t.startswith("-")}
            self._save(
                [
                    c.model_copy(
                        update={
                            "tags": [t for t in dict.fromkeys([*c.tags, *add]) if t not in drop]
                        }
                    )
                    for c in chosen
                ],
                f"Tagged {plural(len(chosen), 'card')}",
            )

        self.app.push_screen(PromptScreen("Tags to add (-tag removes one):"), tagged)

    def action_delete(self) -> None:
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        chosen = self.selected()
        if not chosen or not self.desk_app.cards._writable():
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                with self.desk_app.desk.store.transaction() as tx:
                    for card in chosen:
                        tx.delete("cards", card.id)
                self.marked -= {c.id for c in chosen}
                self.app.notify(f"Deleted {plural(len(chosen), 'card')}", markup=False)
                self.desk_app.review_pane.restart()
                self.reload()
                self.show_stats()

        self.app.push_screen(
            ConfirmScreen(f"Delete {plural(len(chosen), 'card')} and their schedule? (y/n)"),
            confirmed,
        )

    def action_edit(self) -> None:
        chosen = self._highlighted()
        if chosen:
            self.desk_app.cards.edit(chosen[0])

    def action_import(self) -> None:
        self.desk_app.cards.import_deck()

    def action_export(self) -> None:
        self.desk_app.cards.export_deck()


def due_label(card: Card) -> str:
    """When a card is due, in local time: learning steps are minutes apart, so they show the time;
    review cards the day."""
    if card.is_new:
        return ""
    due = card.due.astimezone()
    return f"{due:%d %b %Y}" if card.state is CardState.REVIEW else f"{due:%d %b %Y %H:%M}"
