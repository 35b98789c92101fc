"""The deck list: every deck (subdecks indented under their parent) with today's due counts as
Anki's deck list shows them (new, learning, review, each deck's limits and its parents' applied)
and its preset. Enter studies the deck under the cursor (with its subdecks), `a` every deck, `o`
opens the deck's preset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from deskwork.domain.text import clean
from deskwork.ui.commands import DECK_COMMANDS

if TYPE_CHECKING:
    from deskwork.ui.app import DeskworkApp

# What the screen returns: the deck to study ("" = every deck), or None to change nothing.
Choice = str | None


class DeckListScreen(Screen[Choice]):
    command_scope = "decks"
    BINDINGS = [c.binding() for c in DECK_COMMANDS]
    DEFAULT_CSS = """
    DeckListScreen #decks-status { height: auto; padding: 0 2; color: $text-muted; }
    DeckListScreen DataTable { height: 1fr; }
    """

    def __init__(self, studying: str = "") -> None:
        super().__init__()
        self.studying = studying
        self.decks: list[str] = []

    @property
    def desk_app(self) -> DeskworkApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="decks-status", markup=False)
        table: DataTable[Text] = DataTable(id="decks-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Deck", 30), ("New", 5), ("Learn", 5), ("Due", 5),
                             ("Cards", 6), ("Preset", 16)):  # fmt: skip
            table.add_column(label, width=width, key=label)
        self.reload()
        table.focus()

    def reload(self) -> None:
        from deskwork.services import presets

        desk = self.desk_app.desk
        rows = presets.deck_list(desk)
        chosen = presets.load(desk)
        table = self.query_one(DataTable)
        table.clear()
        self.decks = [r.deck for r in rows]
        for row in rows:
            depth = row.deck.count("::")
            name = clean(row.deck.rsplit("::", 1)[-1], single_line=True)
            style = "bold" if row.deck == self.studying else ""
            table.add_row(
                Text("  " * depth + name, style=style),
                Text(str(row.new), style="blue" if row.new else "dim"),
                Text(str(row.learning), style="red" if row.learning else "dim"),
                Text(str(row.review), style="green" if row.review else "dim"),
                Text(str(row.cards), style="dim"),
                Text(clean(chosen.preset_of(row.deck).name, single_line=True)),
                key=row.deck,
            )
        if self.studying in self.decks:
            table.move_cursor(row=self.decks.index(self.studying))
        now = (
            f"Studying {self.studying} (and its subdecks)"
            if self.studying
            else "Studying every deck"
        )
        hint = "Enter: study this deck · a: every deck · o: its preset · Esc: back"
        status = f"{now}. {hint}" if rows else "No decks yet: add a card (Ctrl+K) or import a deck."
        self.query_one("#decks-status", Static).update(status)

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.decks):
            return None
        return self.decks[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study()

    def action_study(self) -> None:
        deck = self.selected()
        if deck is not None:
            self.dismiss(deck)

    def action_study_all(self) -> None:
        self.dismiss("")

    def action_options(self) -> None:
        from deskwork.ui.screens.presets import PresetsScreen

        deck = self.selected()
        self.app.push_screen(PresetsScreen(deck or ""), lambda _: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)
