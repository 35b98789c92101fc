"""Dialogs of the flashcards: add / edit a card (quick capture), import and export a deck."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Select, Static, TextArea

from deskwork.domain.decknames import DeckNameError
from deskwork.domain.decknames import normalize as normalize_deck
from deskwork.domain.notetypes import STOCK, NoteTypeDef, display_names
from deskwork.domain.tags import HINT as TAGS_HINT
from deskwork.domain.tags import format_tags, parse_tags
from deskwork.ui.screens.opening import OpensInSteps, yield_to_loop
from deskwork.ui.screens.timer_dialogs import DIALOG_CSS
from deskwork.ui.text_fields import CleanTextArea
from deskwork.ui.widgets.paths import HINT as PATH_HINT
from deskwork.ui.widgets.paths import PathInput, found_file, missing_file, user_file
from deskwork.ui.widgets.tags_input import TagsInput


@dataclass
class CardDraft:
    note_type: str  # a note type key
    fields: list[str]
    deck: str
    tags: list[str]


class CardScreen(OpensInSteps, ModalScreen[None]):
    """Add (or edit) a note: one text area per field of its note type (choosing another type when
    adding keeps what was typed, field by field). `save(draft)` returns "" when saved, else the
    problem (shown; the dialog keeps what was typed). Ctrl+S saves: one key."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="dialog.save", priority=True),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CardScreen")
        + """
    CardScreen > VerticalScroll { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent;
        background: $panel; padding: 0 1; }
    CardScreen TextArea { height: 5; scrollbar-gutter: stable; }
    CardScreen.-short TextArea { height: 3; }
    CardScreen #card-row { height: auto; margin: 0; }
    CardScreen #card-row Select { width: 36; }
    CardScreen #card-row Input { width: 1fr; }
    CardScreen #card-fields { height: auto; }
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
        notetypes: dict[str, NoteTypeDef] | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.initial = initial
        self.decks = decks
        self.save = save
        self.source = source
        self.editing = editing
        self.notetypes = notetypes or dict(STOCK)
        self.values = list(initial.fields)
        self.shown_type = initial.note_type  # the type whose fields are on screen

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.heading, markup=False)
            if self.source:
                yield Static(f"Source: {self.source}", classes="hint", markup=False)
            with Horizontal(id="card-row"):
                yield Select(
                    [(name, key) for key, name in display_names(self.notetypes).items()],
                    value=self.initial.note_type,
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
            yield Vertical(*self._field_widgets(self.initial.note_type), id="card-fields")
            yield TagsInput(
                format_tags(self.initial.tags),
                placeholder=f"tags, {TAGS_HINT}",
                id="card-tags",
                spaces_inside=False,
            )
            yield Static("", id="card-error", markup=False)
            yield Static("Ctrl+S saves · Esc cancels · Tab moves between fields", classes="hint")

    def _field_widgets(self, key: str) -> list[Widget]:
        notetype = self.notetypes.get(key) or STOCK["basic"]
        widgets: list[Widget] = []
        for n, name in enumerate(notetype.fields):
            hint = name
            if notetype.is_cloze and n == 0:
                hint += " (cloze: {{c1::hidden}}, {{c1::hidden::hint}}, nested {{c1::a {{c2::b}}}})"
            widgets.append(Static(hint, classes="hint", markup=False))
            value = self.values[n] if n < len(self.values) else ""
            ident = {0: "card-front", 1: "card-back"}.get(n, f"card-field-{n}")
            widgets.append(CleanTextArea(value, id=ident, soft_wrap=True, classes="card-field"))
        return widgets

    def field_areas(self) -> list[TextArea]:
        return list(self.query("#card-fields TextArea").results(TextArea))

    async def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "card-type" or self.editing or event.value == self.shown_type:
            return
        self.shown_type = str(event.value)
        typed = [a.text for a in self.field_areas()]
        self.values = typed + self.values[len(typed) :]
        container = self.query_one("#card-fields", Vertical)
        await container.remove_children()
        await container.mount_all(self._field_widgets(str(event.value)))

    async def on_mount(self) -> None:
        areas = self.field_areas()
        if areas:
            areas[0].focus()
            # the caret at the end of the field, as Anki's editor puts it: `e` then typing adds
            # to the text, where it went in front of it
            areas[0].move_cursor(areas[0].document.end)
        self._fit()
        # Its first layout and drawing (over the dimmed desk) in a turn of their own: Ctrl+K's
        # composing, mounting and drawing were one 30-35 ms stretch (ui/screens/opening.py).
        await yield_to_loop()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """At 24 rows the whole dialog stays on screen: smaller text boxes."""
        self.set_class(self.app.size.height < 32, "-short")

    def action_cancel(self) -> None:
        """Esc: closes at once when nothing was typed; asks before throwing a note away."""
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        unsaved = self.unsaved_changes()
        if not unsaved:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(f"{unsaved}? (y/n)"), answered)

    def unsaved_changes(self) -> str:
        """What closing now throws away ("" when nothing was typed): Esc and quit ask first."""
        if self.draft() == self._initial_draft():
            return ""
        return "Discard changes to this note" if self.editing else "Discard this card"

    def _initial_draft(self) -> CardDraft:
        i = self.initial
        notetype = self.notetypes.get(i.note_type)
        count = len(notetype.fields) if notetype else len(i.fields)
        fields = [f.strip() for f in i.fields] + [""] * max(0, count - len(i.fields))
        return CardDraft(i.note_type, fields[:count] if count else fields, i.deck.strip(), i.tags)

    def draft(self) -> CardDraft:
        return CardDraft(
            note_type=str(self.query_one("#card-type", Select).value),
            fields=[a.text.strip() for a in self.field_areas()],
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
    (path, deck). For an import (`must_exist`) a missing file is said here, and the dialog stays
    (a relative name is looked for in `look_in` too: the exports folder);
    for an export (`export_folder`: where a bare name goes) a file already there is replaced only
    after a second Enter on the same path."""

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
        export_folder: Path | None = None,
        look_in: Path | None = None,
        deck: str = "",
        ask_deck: bool = True,
    ) -> None:
        super().__init__()
        self.look_in = look_in  # an import: a relative name not found is looked for here too
        self.deck = deck
        self.ask_deck = ask_deck  # False: the cards are chosen already (a search's): no deck
        self.export_folder = export_folder
        self._replacing = ""  # the existing file a second Enter replaces
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
            if self.ask_deck:
                yield Input(self.deck, placeholder="deck (optional)", id="transfer-deck")
            yield Static("", id="transfer-error", markup=False)
            yield Static(f"Enter starts · {PATH_HINT} · Esc cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = self.query_one("#transfer-path", Input).value.strip()
        if not path:
            return
        problem = missing_file(path, self.look_in) if self.must_exist else ""
        if problem:
            self.query_one("#transfer-error", Static).update(problem)
            self.query_one("#transfer-path", Input).focus()
            return
        if self.must_exist:
            path = str(found_file(path, self.look_in))
        if self.export_folder is not None and self._asks_to_replace(path):
            return
        deck = self.query_one("#transfer-deck", Input).value.strip() if self.ask_deck else ""
        if deck:
            try:
                deck = normalize_deck(deck)
            except DeckNameError as exc:  # '::': said here, the dialog stays
                self.query_one("#transfer-error", Static).update(str(exc))
                self.query_one("#transfer-deck", Input).focus()
                return
        self.dismiss((path, deck))

    def _asks_to_replace(self, text: str) -> bool:
        """The export's file is there already and this is the first Enter on it: said, not yet."""
        found = user_file(text)
        target = (
            found
            if found.is_absolute() or self.export_folder is None
            else self.export_folder / found
        )
        if not target.is_file() or self._replacing == str(target):
            return False
        self._replacing = str(target)
        self.query_one("#transfer-error", Static).update(
            f"{target} exists: Enter again replaces it (or type another name)"
        )
        return True


class ProgressScreen(ModalScreen[None]):
    """A progress bar for an import or an export that takes more than a moment, and its cancel
    key: the worker asks `cancel_requested` between steps (a cancelled import saves nothing, a
    cancelled export writes nothing)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ProgressScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel (nothing is kept)", id="dialog.cancel")]

    def __init__(self, heading: str, hint: str = "esc: cancel (nothing is saved)") -> None:
        super().__init__()
        self.heading, self.hint = heading, hint
        self.cancel_requested = threading.Event()
        self._done: tuple[int, int] | None = None
        self.finished = False  # the work ended while another screen was over this one

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="progress-heading", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(self.hint, id="progress-hint", markup=False)

    def action_cancel(self) -> None:
        if self.finished:  # nothing left to cancel: Esc closes it
            self._close_if_top()
            return
        self.cancel_requested.set()
        self.query_one("#progress-hint", Static).update("cancelling…")

    def close(self) -> None:
        """The work ended: closed now if it is the top screen. `dismiss` pops whatever screen
        is on top, so under another one (the palette, a dialog opened over the bar) it is only
        marked finished and closes itself when that screen goes and it is on top again."""
        if not self.is_attached:
            return
        self.finished = True
        if self.app.screen is self:
            self.dismiss(None)
        else:
            with contextlib.suppress(NoMatches):
                self.query_one("#progress-hint", Static).update("done: esc closes")

    def on_screen_resume(self) -> None:
        if self.finished:
            self.call_later(self._close_if_top)

    def _close_if_top(self) -> None:
        if self.is_attached and self.app.screen is self:
            self.dismiss(None)

    def phase(self, heading: str) -> None:
        """A new step (reading the file, then saving it): its heading, the bar from zero."""
        self.heading, self._done = heading, None
        self._show()

    def advance(self, done: int, total: int) -> None:
        self._done = (done, max(total, 1))
        self._show()

    def on_mount(self) -> None:
        self._show()  # what the worker said before the dialog was there

    def _show(self) -> None:
        with contextlib.suppress(NoMatches):
            self.query_one("#progress-heading", Static).update(self.heading)
            bar = self.query_one(ProgressBar)
            if self._done is None:
                bar.update(total=None, progress=0)
            else:
                bar.update(total=self._done[1], progress=self._done[0])
