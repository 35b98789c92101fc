"""Dialogs of the flashcards: add / edit a card (quick capture), import and export a deck."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, ProgressBar, Select, Static, TextArea

from deskwork.domain.cards import NoteType
from deskwork.domain.tags import HINT as TAGS_HINT
from deskwork.domain.tags import format_tags, parse_tags
from deskwork.ui.screens.timer_dialogs import DIALOG_CSS
from deskwork.ui.widgets.paths import HINT as PATH_HINT
from deskwork.ui.widgets.paths import PathInput, missing_file


@dataclass
class CardDraft:
    note_type: NoteType
    front: str
    back: str
    deck: str
    tags: list[str]


class CardScreen(ModalScreen[None]):
    """Add (or edit) a note. `save(draft)` returns "" when saved, else the problem (shown; the
    dialog keeps what was typed). Ctrl+S saves: one key."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="dialog.save", priority=True),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CardScreen")
        + """
    CardScreen > Vertical { width: 90; max-height: 100%; overflow-y: auto; }
    CardScreen TextArea { height: 6; }
    CardScreen.-short > Vertical { padding: 0 1; }
    CardScreen.-short TextArea { height: 4; }
    CardScreen #card-row { height: auto; margin: 0; }
    CardScreen #card-row Select { width: 24; }
    CardScreen #card-row Input { width: 1fr; }
    CardScreen #card-error { color: $error; height: auto; }
    CardScreen .hint { color: $text-muted; }
    """
    )

    def __init__(
        self,
        heading: str,
        initial: CardDraft,
        decks: list[str],
        save: Callable[[CardDraft], str],
        source: str = "",
        editing: bool = False,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.initial = initial
        self.decks = decks
        self.save = save
        self.source = source
        self.editing = editing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, markup=False)
            if self.source:
                yield Static(f"Source: {self.source}", classes="hint", markup=False)
            with Horizontal(id="card-row"):
                yield Select(
                    [(t.value, t.value) for t in NoteType],
                    value=self.initial.note_type.value,
                    allow_blank=False,
                    id="card-type",
                    disabled=self.editing,
                )
                yield Input(
                    self.initial.deck,
                    placeholder="deck (Parent::Child)",
                    id="card-deck",
                    suggester=SuggestFromList(self.decks, case_sensitive=False),
                )
            yield Static("Front (cloze: {{c1::hidden}}, {{c1::hidden::hint}})", classes="hint")
            yield TextArea(self.initial.front, id="card-front", soft_wrap=True)
            yield Static("Back", classes="hint")
            yield TextArea(self.initial.back, id="card-back", soft_wrap=True)
            yield Input(
                format_tags(self.initial.tags), placeholder=f"tags, {TAGS_HINT}", id="card-tags"
            )
            yield Static("", id="card-error", markup=False)
            yield Static("Ctrl+S saves · Esc cancels · Tab moves between fields", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#card-front", TextArea).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """At 24 rows the whole dialog stays on screen: smaller text boxes, less padding."""
        self.set_class(self.app.size.height < 32, "-short")

    def action_cancel(self) -> None:
        """Esc: closes at once when nothing was typed; asks before throwing a card away."""
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        if self.draft() == self._initial_draft():
            self.dismiss(None)
            return
        what = "changes to this card" if self.editing else "this card"

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(f"Discard {what}? (y/n)"), answered)

    def _initial_draft(self) -> CardDraft:
        i = self.initial
        return CardDraft(i.note_type, i.front.strip(), i.back.strip(), i.deck.strip(), i.tags)

    def draft(self) -> CardDraft:
        return CardDraft(
            note_type=NoteType(str(self.query_one("#card-type", Select).value)),
            front=self.query_one("#card-front", TextArea).text.strip(),
            back=self.query_one("#card-back", TextArea).text.strip(),
            deck=self.query_one("#card-deck", Input).value.strip(),
            tags=parse_tags(self.query_one("#card-tags", Input).value, spaces_inside=False),
        )

    def action_save(self) -> None:
        problem = self.save(self.draft())
        if problem:
            self.query_one("#card-error", Static).update(f"Not saved: {problem}")
        else:
            self.dismiss(None)


class TransferScreen(ModalScreen[tuple[str, str] | None]):
    """Asks for a file (with path completion) and optionally a deck to import or export; returns
    (path, deck). For an import (`must_exist`) a missing file is said here, and the dialog stays."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="TransferScreen")
        + "TransferScreen ProgressBar { margin: 1 0 0 0; }"
        + "TransferScreen #transfer-error { color: $error; height: auto; }"
    )

    def __init__(
        self,
        heading: str,
        placeholder: str,
        *,
        suffixes: tuple[str, ...] = (),
        must_exist: bool = False,
        initial: str = "",
    ) -> None:
        super().__init__()
        self.heading = heading
        self.placeholder = placeholder
        self.suffixes = suffixes
        self.must_exist = must_exist
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, markup=False)
            yield PathInput(
                self.suffixes, value=self.initial, placeholder=self.placeholder, id="transfer-path"
            )
            yield Input(placeholder="deck (optional)", id="transfer-deck")
            yield Static("", id="transfer-error", markup=False)
            yield Static(f"Enter starts · {PATH_HINT} · Esc cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = self.query_one("#transfer-path", Input).value.strip()
        if not path:
            return
        problem = missing_file(path) if self.must_exist else ""
        if problem:
            self.query_one("#transfer-error", Static).update(problem)
            self.query_one("#transfer-path", Input).focus()
            return
        self.dismiss((path, self.query_one("#transfer-deck", Input).value.strip()))


class ProgressScreen(ModalScreen[None]):
    """A progress bar for an import that takes more than a moment."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ProgressScreen")

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, markup=False)
            yield ProgressBar(id="progress", show_eta=False)

    def advance(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)
