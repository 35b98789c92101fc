"""Deck presets: every preset (the default is `[cards]` in the config file) with its decks, the
selected one's options in full; edit a preset (a form of every option, checked as a whole), make
a new one (a copy of the selected), study a deck with the selected preset, delete one (asks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

from deskwork.domain import preset_text as pt
from deskwork.domain.presets import DEFAULT_PRESET_ID, Preset, PresetError
from deskwork.domain.text import clean
from deskwork.ui.commands import PRESET_COMMANDS
from deskwork.ui.screens.draft_dialogs import PromptScreen
from deskwork.ui.screens.preset_dialogs import (
    DeckPromptScreen,
    PresetFormScreen,
    retention_text,
    value_text,
)
from deskwork.ui.widgets.footer import DeskFooter

if TYPE_CHECKING:
    from deskwork.ui.host import PaneHost


class PresetsScreen(Screen[None]):
    command_scope = "presets"
    BINDINGS = [c.binding() for c in PRESET_COMMANDS]
    DEFAULT_CSS = """
    PresetsScreen #presets-status { height: auto; padding: 0 2; color: $text-muted; }
    PresetsScreen DataTable { height: 1fr; }
    PresetsScreen #presets-detail { height: auto; max-height: 50%; padding: 0 2;
        border-top: solid $panel-lighten-2; }
    """

    def __init__(self, deck: str = "") -> None:
        super().__init__()
        self.deck = deck  # opened for this deck: its preset is selected first
        self.presets: list[Preset] = []

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="presets-status", markup=False)
        table: DataTable[Text] = DataTable(id="presets-table", cursor_type="row")
        yield table
        yield Static("", id="presets-detail", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Preset", 28), ("Retention", 9), ("Steps", 14), ("New/day", 7),
                             ("Reviews/day", 11), ("Decks", 30)):  # fmt: skip
            table.add_column(label, width=width, key=label)
        selected = self._preset_of_deck()
        self.reload(selected)
        table.focus()

    def _preset_of_deck(self) -> int | None:
        from deskwork.services import presets

        if not self.deck:
            return None
        return presets.load(self.desk_app.desk).preset_of(self.deck).id

    def _decks_of(self) -> dict[int, list[str]]:
        from deskwork.services import presets

        data = presets.as_json(self.desk_app.desk)
        return {row["id"]: row["decks"] for row in data["presets"]}

    def reload(self, select: int | None = None) -> None:
        from deskwork.services import presets

        desk = self.desk_app.desk
        current = self.selected()
        keep = select if select is not None else (current.id if current else None)
        self.presets = [presets.default_preset(desk), *presets.stored(desk)]
        decks = self._decks_of()
        table = self.query_one(DataTable)
        table.clear()
        for preset in self.presets:
            name = preset.name + (" ([cards])" if preset.id == DEFAULT_PRESET_ID else "")
            table.add_row(
                *(  # cut with "…": a long name, steps or deck list is seen to go on
                    Text(text, style=style, overflow="ellipsis", no_wrap=True)
                    for text, style in (
                        (clean(name, single_line=True), ""),
                        (retention_text(preset.desired_retention), ""),
                        (pt.format_steps(preset.learning_steps_minutes), ""),
                        (str(preset.new_per_day), ""),
                        (str(preset.reviews_per_day), ""),
                        (clean(", ".join(decks.get(preset.id, [])), single_line=True), "dim"),
                    )
                ),
                key=str(preset.id),
            )
        ids = [p.id for p in self.presets]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        for_deck = f"{self.deck} uses the selected preset. " if self.deck else ""
        self.query_one("#presets-status", Static).update(
            f"{for_deck}e: edit · n: new (a copy) · u: use for a deck · d: delete · "
            "o: optimise FSRS · r: retention · Esc: back"
        )
        self.show_detail()

    def selected(self) -> Preset | None:
        table = self.query_one(DataTable)
        if not self.presets or not 0 <= table.cursor_row < len(self.presets):
            return None
        return self.presets[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        preset = self.selected()
        detail = self.query_one("#presets-detail", Static)
        if preset is None:
            detail.update("")
            return
        from rich.console import Group
        from rich.table import Table

        # Two columns of options (one a line, they ran past the pane's foot at 120x35); the
        # parameters, long, on lines of their own below.
        described = pt.describe(preset)
        parameters = described.pop("fsrs_parameters", None)
        pairs = [
            (k.replace("_", " "), clean(value_text(v), single_line=True))
            for k, v in described.items()
        ]
        grid = Table.grid(padding=(0, 2))  # a value never runs into the next label
        for _ in range(2):
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(overflow="fold")
        half = (len(pairs) + 1) // 2
        for left, right in zip(pairs[:half], [*pairs[half:], ("", "")], strict=False):
            grid.add_row(f"{left[0]}:", left[1], f"{right[0]}:" if right[0] else "", right[1])
        lines = [f"fsrs parameters: {value_text(parameters)}", self._optimised(preset)]
        if preset.id == DEFAULT_PRESET_ID:
            lines.append("(the default: [cards] in the config file; `deskwork config path`)")
        elif preset.anki_id:
            lines.append(f"(imported from Anki, preset id {preset.anki_id})")
        detail.update(Group(grid, Text("\n".join(lines))))

    def _optimised(self, preset: Preset) -> str:
        from deskwork.services.optimize_reminder import LAST_KEY

        last = (self.desk_app.desk.store.setting(LAST_KEY) or {}).get(str(preset.id))
        if isinstance(last, dict) and isinstance(last.get("at"), str):
            return f"FSRS optimised: {last['at'][:10]} (o: again)"
        return "FSRS optimised: never (o: optimise on your history)"

    # ------------------------------------------------------------------ actions
    def _writable(self) -> bool:
        return self.desk_app.writable()

    def action_edit(self) -> None:
        from deskwork.services import presets

        preset = self.selected()
        if preset is None or not self._writable():
            return
        if preset.id == DEFAULT_PRESET_ID:
            self.app.notify(
                "The default preset is [cards] in the config file: edit it there, or make a "
                "preset of your own (n) and use it for your decks (u).",
                markup=False,
            )
            return

        def save(pairs: list[tuple[str, str]]) -> str:
            try:
                presets.set_values(self.desk_app.desk, str(preset.id), pairs)
            except PresetError as exc:
                return str(exc)
            self._changed()
            return ""

        self.app.push_screen(PresetFormScreen(preset, save))

    def _changed(self) -> None:
        self.reload()
        self.desk_app.presets_changed()

    def action_add(self) -> None:
        from deskwork.services import presets

        source = self.selected()
        if source is None or not self._writable():
            return

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                made = presets.add(
                    self.desk_app.desk, name, str(source.id) if source.id else "Default"
                )
            except PresetError as exc:
                self.app.notify(str(exc), severity="error", markup=False)
                return
            self.reload(made.id)
            self.app.notify(
                f"Preset {made.name!r} made; e edits it, u uses it for a deck", markup=False
            )

        self.app.push_screen(
            PromptScreen(f"New preset, a copy of {source.name!r}: its name?", "name"), named
        )

    def action_assign(self) -> None:
        from deskwork.services import presets
        from deskwork.services.cards import decks

        preset = self.selected()
        if preset is None or not self._writable():
            return
        known = decks(self.desk_app.desk)

        def chosen(deck: str | None) -> None:
            if not deck:
                return
            with_subdecks = deck.endswith("::*")
            deck = deck.removesuffix("::*")
            unknown = presets.unknown_deck(self.desk_app.desk, deck)
            if unknown:  # a typo must not make a deck of its own unasked
                from deskwork.ui.screens.draft_dialogs import ConfirmScreen

                def answer(yes: bool | None) -> None:
                    if yes:
                        apply(deck, with_subdecks)

                question = (
                    f"{unknown[0].upper()}{unknown[1:]}. Make it, studied with {preset.name!r}?"
                )
                self.app.push_screen(ConfirmScreen(question), answer)
                return
            apply(deck, with_subdecks)

        def apply(deck: str, with_subdecks: bool) -> None:
            try:
                changed = presets.assign(
                    self.desk_app.desk, deck, str(preset.id) if preset.id else "Default",
                    with_subdecks=with_subdecks,
                )  # fmt: skip
            except PresetError as exc:
                self.app.notify(str(exc), severity="error", markup=False)
                return
            self._changed()
            self.app.notify(f"{', '.join(changed)}: preset {preset.name!r}", markup=False)

        question = f"Study which deck with {preset.name!r}? (Deck::* for its subdecks too)"
        self.app.push_screen(DeckPromptScreen(question, known, self.deck), chosen)

    def action_delete(self) -> None:
        from deskwork.services import presets
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        preset = self.selected()
        if preset is None or not self._writable():
            return
        if preset.id == DEFAULT_PRESET_ID:
            self.app.notify(
                "The default preset ([cards] in the config) cannot be deleted", markup=False
            )
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            moved = presets.remove(self.desk_app.desk, str(preset.id))
            self._changed()
            self.app.notify(
                f"Deleted {preset.name!r}; {moved} {'deck' if moved == 1 else 'decks'} back on the default",
                markup=False,
            )

        self.app.push_screen(
            ConfirmScreen(f"Delete the preset {preset.name!r}? Its decks go back to the default."),
            answer,
        )

    def action_optimize(self) -> None:
        from deskwork.ui.screens.optimize import OptimizeScreen

        preset = self.selected()
        if preset is None or not self._writable():
            return

        def done(adopted: bool | None) -> None:
            if adopted:
                self.reload(preset.id)

        name = str(preset.id) if preset.id != DEFAULT_PRESET_ID else "Default"
        self.app.push_screen(OptimizeScreen(name, f"preset {preset.name!r}"), done)

    def action_retention(self) -> None:
        from deskwork.ui.screens.retention import RetentionScreen

        preset = self.selected()
        if preset is not None:
            self.app.push_screen(RetentionScreen(preset.id), lambda _: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)
