"""The card browser: search with Anki-like syntax, mark cards (Space, a = every match, drawn or
not), then move, tag, suspend / unsuspend, delete (asks) or export them in bulk: every marked
card, those of an earlier search too; Enter edits one. Each card shows its
retrievability now (R). The figures: due forecast for 30 days, reviews per day, true retention over 30 days, cards per state."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import CellDoesNotExist

from deskwork.domain import cardstats
from deskwork.domain.cards import Card, CardState
from deskwork.domain.decknames import DeckNameError
from deskwork.domain.decknames import normalize as normalize_deck
from deskwork.domain.revieworder import describe_retrievability
from deskwork.domain.studyday import study_day
from deskwork.domain.tags import parse_tags
from deskwork.domain.text import clean
from deskwork.domain.wording import plural, reviews_said, true_retention_said
from deskwork.services.cards import retrievability
from deskwork.services.presets import load as load_presets
from deskwork.ui.commands import BROWSER_COMMANDS
from deskwork.ui.screens.opening import OpensInSteps
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.lean_table import LeanTable
from deskwork.ui.widgets.tables import SearchableTableScreen, cursor_id, move_to

if TYPE_CHECKING:
    from deskwork.domain.presets import Presets
    from deskwork.services.browse import Figures
    from deskwork.ui.host import PaneHost

SPARK = " ▁▂▃▄▅▆▇█"
# A table row costs ~0.2 ms to build: 2,000 rows made opening and each keystroke take 0.5-1.3 s
# at 20,000 cards. The search narrows; the bulk actions still act on every match.
MAX_ROWS = 300
ROWS_PER_FRAME = 100  # a screenful and more: each batch redraws the visible rows once
SEARCH_DELAY_S = 0.15  # typing reloads once it pauses, not at every key


def spark(values: list[int]) -> str:
    top = max(values, default=0)
    if not top:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(8, round(v / top * 8))] for v in values)


class CardBrowserScreen(OpensInSteps, SearchableTableScreen):
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
        self.shown_query: str | None = None  # the search `shown` answers (None: none yet)
        self._pending: Timer | None = None
        self._generation = 0
        self._searching = False
        self._figuring = 0
        self._rows_left: list[tuple[str, Row]] = []
        self._keep_cursor: str | None = None

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="search: words  deck:ML  tag:nlp  is:due is:new is:suspended  prop:r<0.9  -negate",
            id="cb-query",
        )
        yield Static("", id="cb-status", markup=False)
        table = LeanTable(id="cb-table", cursor_type="row", zebra_stripes=True)
        table.end_pressed = self._keep_last
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

    # ------------------------------------------------------------------ loading
    # The search and the figures run on worker threads (`services.browse`); the UI thread takes
    # the snapshot and then fills the table ROWS_PER_FRAME rows at a time, so no frame waits for
    # the whole table (each new DataTable row is measured, then drawn). A newer search makes an
    # older one's answer and its remaining rows stale (`_generation`).
    @property
    def busy(self) -> bool:
        """A search or the figures still on their way, or rows still being added."""
        return self._searching or self._figuring > 0 or bool(self._rows_left)

    def reload(self) -> None:
        """Search again (the query, the marks and the cards as they are now)."""
        from deskwork.services.browse import search_job

        self._generation += 1
        generation = self._generation
        give_way = self.desk_app.give_way.pause  # the UI thread first (ui/give_way.py)
        query = self.query_one("#cb-query", Input).value
        job = search_job(self.desk_app.desk, query, MAX_ROWS, give_way)
        presets = load_presets(self.desk_app.desk)  # read here: the worker touches no store
        start_hour = self.desk_app.desk.config.study.day_start_hour
        self._searching = True

        def work() -> None:
            try:
                found = job()
            except ValueError as exc:
                self.app.call_from_thread(self._search_failed, generation, str(exc))
                return
            now = self.desk_app.desk.clock()
            rows: list[tuple[str, Row]] = []
            for card, question in zip(found.cards, found.questions, strict=False):
                if len(rows) % ROWS_PER_FRAME == 0:
                    give_way()
                rows.append((str(card.id), row_cells(card, question, now, presets, start_hour)))
            self.app.call_from_thread(self._fill, generation, found.cards, rows, query)

        self.run_worker(work, thread=True, exclusive=True, group="cb-search", name="card search")

    def study_day_turned(self) -> None:
        """The study day turned while the browser is open (ui/day_turn.py): the rows (a card's
        due day, `is:due`) and the figures' "today" are worked out again."""
        self.reload()
        self.show_stats()

    def _search_failed(self, generation: int, message: str) -> None:
        if generation == self._generation and self.is_mounted:
            self._searching = False
            self.query_one("#cb-status", Static).update(message)

    def _fill(
        self, generation: int, found: list[Card], rows: list[tuple[str, Row]], query: str = ""
    ) -> None:
        """The search's answer on screen: the table emptied and the first rows added now, the
        rest on the frames that follow; the cursor stays on the card it was on."""
        if generation != self._generation or not self.is_mounted:
            return
        self._searching = False
        table = self.query_one(DataTable)
        self._keep_cursor = str(cursor_id(table)) if table.row_count else None
        self.shown, self.shown_query = found, query
        table.clear()
        self._rows_left = rows
        self._show_status()
        self._add_rows(generation)

    def _add_rows(self, generation: int) -> None:
        if generation != self._generation or not self.is_mounted:
            return
        table = self.query_one(DataTable)
        batch, self._rows_left = self._rows_left[:ROWS_PER_FRAME], self._rows_left[ROWS_PER_FRAME:]
        for key, cells in batch:
            marked = int(key) in self.marked
            table.add_row(Text("●" if marked else ""), *cells, key=key)
        if self._keep_cursor is not None and any(key == self._keep_cursor for key, _ in batch):
            move_to(table, int(self._keep_cursor))
            self._keep_cursor = None
        if self._rows_left:
            self.call_after_refresh(self._add_rows, generation)

    def _keep_last(self) -> None:
        """End pressed while rows are being added: the cursor goes to the last when it arrives."""
        if self._rows_left:
            self._keep_cursor = self._rows_left[-1][0]

    def _show_status(self) -> None:
        found = self.shown
        more = f" (first {MAX_ROWS} shown; search to narrow)" if len(found) > MAX_ROWS else ""
        self.query_one("#cb-status", Static).update(
            f"{plural(len(found), 'card')}{more} · {len(self.marked)} marked · Space mark · a mark all matches · "
            "m move · t tag · s suspend · d delete · x export · Enter edit"
        )

    def _show_marks(self, ids: set[int]) -> None:
        """The mark column of these cards' rows redrawn (no new search: the rows are the same).
        Only the rows drawn: a search shows MAX_ROWS of its matches, marks reach every one (a
        card not drawn has no cell to update; its row shows the mark when a search draws it)."""
        table = self.query_one(DataTable)
        drawn = table.rows.keys()
        keys = [str(i) for i in ids] if len(ids) < len(drawn) else [k.value for k in drawn]
        for key in keys:
            if key is None or key not in drawn or int(key) not in ids:
                continue
            marked = Text("●" if int(key) in self.marked else "")
            with contextlib.suppress(CellDoesNotExist):
                table.update_cell(key, "✓", marked)
        self._show_status()

    def show_stats(self) -> None:
        """The figures computed on a worker, written under the table when they are ready."""
        from deskwork.services.browse import figures_job

        job = figures_job(self.desk_app.desk, pause=self.desk_app.give_way.pause)
        self._figuring += 1

        def work() -> None:
            figures = job()
            self.app.call_from_thread(self._show_figures, figures)

        self.run_worker(work, thread=True, exclusive=True, group="cb-stats", name="browser figures")

    def _show_figures(self, figures: Figures) -> None:
        if not self.is_mounted:
            return
        self._figuring -= 1
        forecast, per_day, retention, states, in_review = figures
        text = Text()
        text.append("Due, next 30 days  ", style="bold")
        text.append(
            f"{spark(forecast)}  {plural(sum(forecast), 'card')}, {forecast[0]} today, {forecast[1]} tomorrow\n"
        )
        text.append("Reviews, 30 days   ", style="bold")
        text.append(f"{spark(per_day)}  {reviews_said(per_day)} · {per_day[-1]} today\n")
        text.append("True retention     ", style="bold")
        text.append(f"30 days: {true_retention_said(retention, in_review, sum(per_day))}")
        text.append("\nCards              ", style="bold")
        text.append(" · ".join(f"{n} {k}" for k, n in states.items()))
        self.query_one("#cb-stats", Static).update(text)

    def selected(self) -> list[Card]:
        """The marked cards, else the highlighted one. Every marked card as stored now, drawn or
        not, of this search or an earlier one (marks outlive a search); a card deleted meanwhile
        is no longer marked."""
        if self.marked:
            table = self.desk_app.desk.store.cards
            found = [card for card in map(table.get, self.marked) if card is not None]
            self.marked = {card.id for card in found}
            return sorted(found, key=lambda c: (c.deck, c.note_guid, c.ord, c.id))
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
        chosen = {card.id for card in self._highlighted()}
        self.marked ^= chosen
        self._show_marks(chosen)
        self.query_one(DataTable).action_cursor_down()

    def _highlighted(self) -> list[Card]:
        card_id = cursor_id(self.query_one(DataTable))
        return [c for c in self.shown if c.id == card_id]

    def action_mark_all(self) -> None:
        """Every match of the search marked (not only the MAX_ROWS rows drawn); again, none."""
        ids = {c.id for c in self.shown}
        before = self.marked
        self.marked = set() if ids <= self.marked else ids
        self._show_marks(before ^ self.marked)

    def _save(self, cards: list[Card], message: str) -> None:
        if not cards or not self.desk_app.cards._writable():
            return
        with self.desk_app.desk.store.transaction() as tx:
            for card in cards:
                tx.put("cards", card)
        self.app.notify(message, markup=False)
        self.desk_app.review_pane.restart_in_background()
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

        def moved(typed: str | None) -> None:
            if not typed:
                return
            try:
                deck = normalize_deck(typed)
            except DeckNameError as exc:  # '::': said, nothing moved
                self.app.notify(str(exc), severity="error", markup=False, timeout=8)
                return
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

        self.app.push_screen(
            PromptScreen("Tags to add (-tag removes one):", card_tags=True), tagged
        )

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
                self.desk_app.review_pane.restart_in_background()
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
        """The export dialog: for the marked cards when some are; else on the searched deck when the search is one (`deck:Math`: the
        deck, its subdecks, as the dialog's deck field); on another search, the search's cards as
        the browser shows them (every match, not only the rows drawn), the dialog saying so."""
        from deskwork.domain.cardsearch import deck_of_query

        if self.marked:  # the marked cards, every one (drawn or not, this search's or not)
            self.desk_app.cards.export_marked(frozenset(self.marked))
            return
        typed_query = self.query_one("#cb-query", Input).value
        query = typed_query.strip()
        typed = deck_of_query(query) if query else ""
        if typed is None:
            if self.shown_query != typed_query or self._searching:
                self.app.notify(
                    "The cards of this search are not shown yet (it is still running, or it "
                    "cannot be read): export once they are",
                    markup=False,
                    timeout=6,
                )
            elif not self.shown:
                self.app.notify("No card matches this search: nothing to export", timeout=4)
            else:
                self.desk_app.cards.export_search(list(self.shown), query)
            return
        if typed:  # the deck's name as stored (deck: ignores case), whatever the rows shown
            from deskwork.domain.decknames import find
            from deskwork.services.cards import decks

            typed = find(typed, decks(self.desk_app.desk)) or typed
        self.desk_app.cards.export_deck(typed or "")


Row = tuple[Text, Text, Text, Text, Text, Text]


def row_cells(
    card: Card, question: str, now: datetime, presets: Presets, start_hour: int = 4
) -> Row:
    """A card's row after its mark: question, deck, state, due, retrievability now, tags (built on
    the search's worker: no store access)."""
    return (
        Text(clean(question, single_line=True), no_wrap=True, overflow="ellipsis"),
        Text(clean(card.deck, single_line=True), no_wrap=True, overflow="ellipsis"),
        Text(cardstats.shown_state(card, now)),
        Text(due_label(card, start_hour)),
        Text(describe_retrievability(retrievability(presets, card, now)), justify="right"),
        Text(clean(" ".join(card.tags), single_line=True), no_wrap=True, overflow="ellipsis"),
    )


def due_label(card: Card, start_hour: int = 4) -> str:
    """When a card is due, in local time: learning steps are minutes apart, so they show the time;
    review cards the study day (due at 01:13 on the 27th before a 4 am rollover: the 26th, the
    day the review pane shows it and Anki counts it)."""
    if card.is_new:
        return ""
    if card.state is CardState.REVIEW:
        return f"{study_day(card.due, start_hour):%d %b %Y}"
    return f"{card.due.astimezone():%d %b %Y %H:%M}"
