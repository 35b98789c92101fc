"""The presets screen's dialogs: the form of every option of one preset (checked as a whole
when saved) and the deck prompt that completes from the decks there are; how an option's value
is written in both."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from deskwork.domain import preset_text as pt
from deskwork.domain.presets import Preset
from deskwork.domain.revieworder import ORDERS
from deskwork.domain.text import clean
from deskwork.ui.screens.draft_dialogs import PromptScreen
from deskwork.ui.screens.timer_dialogs import DIALOG_CSS


def retention_text(value: float) -> str:
    """0.90 as 0.90, and 0.955 as 0.955 (not rounded to the 0.95 it is not)."""
    return f"{value:.2f}" if round(value, 2) == value else f"{value:g}"


def value_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(f"{v:.4g}" for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class PresetFormScreen(ModalScreen[None]):
    """Every option of one preset. `save(pairs)` returns "" when saved, else the problem (the
    form stays open with what was typed)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="dialog.save", priority=True),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PresetFormScreen")
        + """
    PresetFormScreen > Vertical { width: 100; max-width: 95%; height: 90%; }
    PresetFormScreen VerticalScroll { height: 1fr; }
    PresetFormScreen Grid { grid-size: 2; grid-columns: 26 1fr; grid-rows: auto; height: auto; }
    PresetFormScreen Grid > Static { padding: 1 0 0 0; }
    PresetFormScreen #preset-error { color: $error; width: 100%; height: auto; }
    PresetFormScreen .hint { color: $text-muted; }
    """
    )

    def __init__(self, preset: Preset, save: Callable[[list[tuple[str, str]]], str]) -> None:
        super().__init__()
        self.preset = preset
        self.save = save

    def compose(self) -> ComposeResult:
        values = pt.describe(self.preset)
        with Vertical():
            yield Static(f"Preset: {clean(self.preset.name, single_line=True)}", markup=False)
            with VerticalScroll(), Grid():
                for key, hint in pt.EDITABLE.items():
                    yield Static(key.replace("_", " "))
                    if key == "review_order":  # one of Anki's orders: a choice, not typing
                        options = [(label, order) for order, label in ORDERS.items()]
                        yield Select(options, value=values[key], allow_blank=False, id=f"p-{key}")
                    else:
                        yield Input(value_text(values[key]), placeholder=hint, id=f"p-{key}")
            yield Static("", id="preset-error", markup=False)
            yield Static("Ctrl+S or Enter saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#p-desired_retention", Input).focus()

    def pairs(self) -> list[tuple[str, str]]:
        """The keys whose text changed, as typed."""
        before = pt.describe(self.preset)
        out = []
        for key in pt.EDITABLE:
            field = self.query_one(f"#p-{key}")
            if isinstance(field, Select):
                text = str(field.value)
            else:
                text = self.query_one(f"#p-{key}", Input).value
            if text.strip() != value_text(before[key]).strip():
                out.append((key, text))
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        problem = self.save(self.pairs())
        if problem:
            self.query_one("#preset-error", Static).update(f"Not saved: {problem}")
        else:
            self.dismiss(None)


class DeckPromptScreen(PromptScreen):
    """A deck name, completed from the decks there are."""

    def __init__(self, question: str, decks: list[str], value: str = "") -> None:
        super().__init__(question, "deck (→ completes; Enter confirms, Esc cancels)")
        self.decks = decks
        self.value = value

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.suggester = SuggestFromList(self.decks, case_sensitive=False)
        field.value = self.value
        field.focus()
