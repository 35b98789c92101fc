"""Dialogs of the draft area: new draft, metadata, confirm delete, revisions."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from deskwork.domain.drafts import Draft, DraftStatus, Revision, count_words
from deskwork.domain.tags import HINT as TAGS_HINT
from deskwork.domain.tags import format_tags, parse_tags
from deskwork.domain.text import clean
from deskwork.domain.wording import plural
from deskwork.ui.key_hold import release_keys
from deskwork.ui.widgets.paths import HINT as PATH_HINT
from deskwork.ui.widgets.paths import PathInput, found_file, missing_file
from deskwork.ui.widgets.tags_input import TagsInput

CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90; max-width: 96%; height: auto; max-height: 96%; border: round $primary;
    background: $surface; padding: 1 2;
}}
{name} Horizontal {{ height: auto; margin: 1 0 0 0; }}
{name} Button {{ margin: 0 2 0 0; }}
{name} Label {{ color: $text-muted; margin: 1 0 0 0; }}
"""


class PromptScreen(ModalScreen[str | None]):
    """One line of text: returns it (stripped), or None when cancelled or empty."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = CSS.format(name="PromptScreen")
    HOLD_KEYS_ON_SUBMIT = False  # True: the keys typed after Enter go to what it opens (key_hold)

    def __init__(
        self,
        question: str,
        placeholder: str = "Enter confirms, Esc cancels",
        *,
        path_suffixes: tuple[str, ...] | None = None,
        must_exist: bool = False,
        look_in: Path | None = None,
        initial: str = "",
        card_tags: bool = False,
    ) -> None:
        """`path_suffixes`: the answer is a file path (completed as typed); `must_exist`: a
        missing file is said in the dialog, which stays open (a relative name not found is
        looked for in `look_in` too: the exports folder); `card_tags`: the answer is card
        tags (a paste of several lines keeps them all: ui/widgets/tags_input.py)."""
        super().__init__()
        self.look_in = look_in
        self.question = question
        self.placeholder = placeholder
        self.path_suffixes = path_suffixes
        self.must_exist = must_exist
        self.initial = initial
        self.card_tags = card_tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            if self.card_tags:
                yield TagsInput(
                    self.initial, placeholder=self.placeholder, id="title", spaces_inside=False
                )
            elif self.path_suffixes is None:
                yield Input(self.initial, placeholder=self.placeholder, id="title")
            else:
                yield PathInput(
                    self.path_suffixes, value=self.initial, placeholder=self.placeholder, id="title"
                )
                yield Static("", id="prompt-error", markup=False)
                yield Static(f"Enter confirms · {PATH_HINT} · Esc cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        problem = missing_file(value, self.look_in) if value and self.must_exist else ""
        if problem:
            self.query_one("#prompt-error", Static).update(Text(problem, style="bold red"))
            release_keys(self.app)  # the dialog stays: what was typed after Enter goes in it
            return
        if value and self.must_exist:
            value = str(found_file(value, self.look_in))
        self.dismiss(value or None)


class NewDraftScreen(PromptScreen):
    """The title of a new draft; the first words typed after Enter go into the post."""

    HOLD_KEYS_ON_SUBMIT = True

    def __init__(self) -> None:
        super().__init__("New draft: what is the post about?", "title (Enter creates, Esc cancels)")


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape,n", "dismiss(False)", "No", id="dialog.no"),
        Binding("y", "dismiss(True)", "Yes", id="dialog.yes"),
    ]
    DEFAULT_CSS = CSS.format(name="ConfirmScreen")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            with Horizontal():
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class MetadataScreen(ModalScreen[dict[str, object] | None]):
    """Edit title, slug, status, tags, category, summary; returns the changed fields."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="dialog.save"),
    ]
    DEFAULT_CSS = CSS.format(name="MetadataScreen")

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical():
            yield Static("Post metadata (Ctrl+S or Enter saves, Esc cancels)")
            yield Label("Title")
            yield Input(d.title, id="title")
            yield Label(f"Slug (empty: {d.effective_slug if not d.slug else 'from the title'})")
            yield Input(d.slug, id="slug")
            yield Label("Status")
            yield Select(
                [(s.value, s.value) for s in DraftStatus],
                value=d.status.value,
                id="status",
                allow_blank=False,
            )
            yield Label(f"Tags ({TAGS_HINT})")
            yield TagsInput(format_tags(d.tags), id="tags")
            yield Label("Category")
            yield Input(d.category, id="category")
            yield Label("Summary")
            yield Input(d.summary, id="summary")
            yield Label("Date of the post, YYYY-MM-DD (empty: the day it is exported)")
            yield Input(f"{d.date:%Y-%m-%d}" if d.date else "", id="date")
            yield Static(id="meta-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        def value(field: str) -> str:
            return self.query_one(f"#{field}", Input).value.strip()

        status = self.query_one("#status", Select).value
        date_text = value("date")
        try:
            date = (
                datetime.strptime(date_text, "%Y-%m-%d").replace(hour=12, tzinfo=UTC)
                if date_text
                else None
            )
        except ValueError:
            self.query_one("#meta-error", Static).update(
                Text(f"Date: {date_text!r} is not YYYY-MM-DD", style="bold red")
            )
            return
        self.dismiss(
            {
                "title": value("title") or self.draft.title,
                "slug": value("slug"),
                "status": DraftStatus(str(status)),
                "tags": parse_tags(value("tags")),
                "category": value("category"),
                "summary": value("summary"),
                "date": date,
            }
        )


class RevisionsScreen(ModalScreen[int | None]):
    """Pick a revision: its differences from the current text are shown; Enter restores it."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="dialog.cancel")]
    DEFAULT_CSS = (
        CSS.format(name="RevisionsScreen")
        + """
    RevisionsScreen OptionList { height: 8; }
    RevisionsScreen #diff { height: auto; max-height: 20; overflow-y: auto; }
    """
    )

    def __init__(self, current: Draft, revisions: list[Revision]) -> None:
        super().__init__()
        self.current = current
        self.revisions = revisions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "Revisions, newest first: Enter restores one (the current text is kept as a revision)"
            )
            yield OptionList(
                *(
                    Option(
                        f"{r.ts.astimezone():%a %d %b %H:%M}  {plural(count_words(r.body), 'word')}",
                        id=str(r.id),
                    )
                    for r in self.revisions
                ),
                id="revisions",
            )
            yield Static(id="diff")

    def on_mount(self) -> None:
        if not self.revisions:
            self.query_one("#diff", Static).update(
                "No revisions yet: one is kept every few minutes of writing."
            )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        revision = next(r for r in self.revisions if str(r.id) == event.option.id)
        diff = difflib.unified_diff(
            revision.body.splitlines(),
            self.current.body.splitlines(),
            "revision",
            "current",
            lineterm="",
            n=1,
        )
        text = Text()
        for line in list(diff)[:400]:
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
            text.append(clean(line) + "\n", style=style)
        self.query_one("#diff", Static).update(text or "No differences.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class CardPickScreen(ModalScreen[int | None]):
    """Find a flashcard by its text (front or back) to cite it as a source of the post."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = (
        CSS.format(name="CardPickScreen")
        + """
    CardPickScreen OptionList { height: 14; }
    """
    )
    LIMIT = 50

    def __init__(self, cards: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.cards = cards  # (id, front, back)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Cite a flashcard: type to filter, Down to the list, Enter picks")
            yield Input(placeholder="words from the card", id="filter")
            yield OptionList(id="cards")

    def on_mount(self) -> None:
        self._show("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        listing = self.query_one("#cards", OptionList)
        if listing.option_count:
            self.dismiss(int(listing.get_option_at_index(0).id or 0))

    def _show(self, query: str) -> None:
        words = query.lower().split()
        listing = self.query_one("#cards", OptionList)
        listing.clear_options()
        shown = 0
        for card_id, front, back in self.cards:
            text = f"{front} {back}".lower()
            if all(w in text for w in words):
                label = Text(clean(front, single_line=True), no_wrap=True, overflow="ellipsis")
                listing.add_option(Option(label, id=str(card_id)))
                shown += 1
                if shown >= self.LIMIT:
                    break

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))
