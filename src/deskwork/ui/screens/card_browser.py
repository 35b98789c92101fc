"""The card browser: search with Anki-like syntax, mark cards (Space, a = every match, drawn or
not), then move, tag, suspend / unsuspend, delete (asks) or export them in bulk: every marked
card, those of an earlier search too (card_marks.py); Enter edits one. Each card shows its
retrievability now (R). The figures: due forecast for 30 days, reviews per day, true retention over 30 days, cards per state."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from deskwork.domain import cardstats
from deskwork.domain.cards import Card, CardState
from deskwork.domain.revieworder import describe_retrievability
from deskwork.domain.studyday import study_day
from deskwork.domain.text import clean
from deskwork.domain.wording import figure, plural, reviews_said, true_retention_said
from deskwork.services.presets import load as load_presets
from deskwork.services.review_session import retrievability
from deskwork.ui.commands import BROWSER_COMMANDS
from deskwork.ui.screens.card_marks import MarkedCards
from deskwork.ui.screens.opening import OpensInSteps
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.lean_table import LeanTable
from deskwork.ui.widgets.tables import cursor_id, move_to

if TYPE_CHECKING:
    from deskwork.domain.presets import Presets
    from deskwork.services.browse import Figures

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


class CardBrowserScreen(OpensInSteps, MarkedCards):
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
            except ValueError as exc:  # a term it cannot read, named
                self.app.call_from_thread(self._search_failed, generation, str(exc))
                return
            except Exception as exc:  # a search that fails must not end the app: said
                said = f"The search could not be run ({type(exc).__name__}: {exc})"
                self.app.call_from_thread(self._search_failed, generation, said)
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
        """A search it cannot run: no rows (those of an earlier search left on screen were
        taken by `a` and the bulk actions, as if this search had found them), and why."""
        if generation == self._generation and self.is_mounted:
            self._fill(generation, [], [])
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
            f"{spark(forecast)}  {plural(sum(forecast), 'card')}, {figure(forecast[0])} today, "
            f"{figure(forecast[1])} tomorrow\n"
        )
        text.append("Reviews, 30 days   ", style="bold")
        text.append(f"{spark(per_day)}  {reviews_said(per_day)} · {figure(per_day[-1])} today\n")
        text.append("True retention     ", style="bold")
        text.append(f"30 days: {true_retention_said(retention, in_review, sum(per_day))}")
        text.append("\nCards              ", style="bold")
        text.append(" · ".join(f"{figure(n)} {k}" for k, n in states.items()))
        self.query_one("#cb-stats", Static).update(text)

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
            self.desk_app.cards.transfer.export_marked(frozenset(self.marked))
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
                self.desk_app.cards.transfer.export_search(list(self.shown), query)
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
