"""The deck list: every deck (subdecks indented under their parent) with today's due counts as
Anki's deck list shows them (new, learning, review, each deck's limits and its parents' applied)
and its preset. Enter studies the deck under the cursor (with its subdecks), `a` every deck, `o`
opens the deck's preset, `l` the deck's own limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from deskwork.domain import decknames
from deskwork.domain.text import clean
from deskwork.domain.wording import figure
from deskwork.ui.commands import DECK_COMMANDS
from deskwork.ui.screens.timer_dialogs import DIALOG_CSS
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.lean_table import LeanTable

if TYPE_CHECKING:
    from deskwork.ui.host import PaneHost

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
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="decks-status", markup=False)
        table: DataTable[Text] = LeanTable(id="decks-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Deck", 30), ("New", 5), ("Learn", 5), ("Due", 5),
                             ("Cards", 6), ("Preset", 16)):  # fmt: skip
            table.add_column(label, width=width, key=label)
        self.reload()
        table.focus()

    def reload(self) -> None:
        from deskwork.services import presets
        from deskwork.services.due_today import deck_list

        desk = self.desk_app.desk
        rows = deck_list(desk)
        chosen = presets.load(desk)
        table = self.query_one(DataTable)
        keep = self.selected() if self.decks else self.studying
        table.clear()
        self.decks = [r.deck for r in rows]
        for row in rows:
            depth = decknames.depth(row.deck)
            # a name stored before names were normalised may have an empty part (`::Lead`)
            name = clean(decknames.leaf(row.deck), single_line=True) or "(no name)"
            style = "bold" if row.deck == self.studying else ""
            table.add_row(
                Text("  " * depth + name, style=style),
                Text(figure(row.new), style="blue" if row.new else "dim"),
                Text(figure(row.learning), style="red" if row.learning else "dim"),
                Text(figure(row.review), style="green" if row.review else "dim"),
                Text(figure(row.cards), style="dim"),
                Text(clean(chosen.preset_of(row.deck).name, single_line=True)),
                key=row.deck,
            )
        if keep in self.decks:
            table.move_cursor(row=self.decks.index(keep))
        now = (
            f"Studying {self.studying} (and its subdecks)"
            if self.studying
            else "Studying every deck"
        )
        hint = "Enter: study this deck · a: every deck · o: its preset · l: its own limits"
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

    def action_limits(self) -> None:
        from deskwork.domain.presets import PresetError
        from deskwork.services import presets

        deck = self.selected()
        if deck is None or not self.desk_app.writable():
            return
        chosen = presets.load(self.desk_app.desk)
        option = chosen.options.get(deck)

        def save(values: dict[str, str]) -> str:
            changes: dict[str, int | float | None] = {}
            for key, text in values.items():
                text = text.strip()
                try:
                    number = float(text) if key == "desired_retention" else int(text)
                except ValueError:
                    if text:
                        return f"{key.replace('_', ' ')}: {text!r} is not a number (blank: the preset's)"
                    number = None
                changes[key] = number
            try:
                presets.set_deck_limits(self.desk_app.desk, deck, **changes)
            except PresetError as exc:
                return str(exc)
            self.reload()
            self.desk_app.presets_changed()
            return ""

        current = {
            "new_limit": option.new_limit if option else None,
            "review_limit": option.review_limit if option else None,
            "desired_retention": option.desired_retention if option else None,
        }
        preset = chosen.preset_of(deck)
        self.app.push_screen(DeckLimitsScreen(deck, preset.name, current, save))

    def action_close(self) -> None:
        self.dismiss(None)


class DeckLimitsScreen(ModalScreen[None]):
    """A deck's own new / review limits and retention over its preset's (blank = the preset's)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="dialog.save", priority=True),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="DeckLimitsScreen")
        + """
    DeckLimitsScreen Grid { grid-size: 2; grid-columns: 24 1fr; grid-rows: auto; height: auto; }
    DeckLimitsScreen Grid > Static { padding: 1 0 0 0; }
    DeckLimitsScreen #limits-error { color: $error; height: auto; }
    DeckLimitsScreen .hint { color: $text-muted; }
    """
    )
    FIELDS = (
        ("new_limit", "New cards / day"),
        ("review_limit", "Reviews / day"),
        ("desired_retention", "Desired retention"),
    )

    def __init__(
        self,
        deck: str,
        preset: str,
        current: dict[str, int | float | None],
        save: Callable[[dict[str, str]], str],
    ) -> None:
        super().__init__()
        self.deck = deck
        self.preset = preset
        self.current = current
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{clean(self.deck, single_line=True)}: its own limits", markup=False)
            yield Static(
                f"Blank: the preset's ({clean(self.preset, single_line=True)}).", classes="hint"
            )
            with Grid():
                for key, label in self.FIELDS:
                    value = self.current.get(key)
                    yield Static(label)
                    yield Input("" if value is None else str(value), id=f"l-{key}")
            yield Static("", id="limits-error", markup=False)
            yield Static("Ctrl+S or Enter saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#l-new_limit", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        values = {key: self.query_one(f"#l-{key}", Input).value for key, _ in self.FIELDS}
        problem = self.save(values)
        if problem:
            self.query_one("#limits-error", Static).update(f"Not saved: {problem}")
        else:
            self.dismiss(None)
