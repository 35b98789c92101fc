"""Dialogs of the curriculum: add a link (URL or arXiv id), and the item form (add / edit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from deskwork.domain.curriculum import Item, ItemKind, ItemStatus
from deskwork.domain.tags import HINT as TAGS_HINT
from deskwork.domain.tags import format_tags, parse_tags
from deskwork.domain.text import clean
from deskwork.ui.screens.timer_dialogs import DIALOG_CSS
from deskwork.ui.widgets.tags_input import TagsInput


class AddLinkScreen(ModalScreen[str | None]):
    """Returns what was typed (a URL or an arXiv id), or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="AddLinkScreen")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Add to the curriculum: a course page, a playlist, a paper…")
            yield Input(
                placeholder="https://…, 1706.03762, arXiv:1706.03762, 10.48550/arXiv.…",
                id="link",
                max_length=2000,
            )
            yield Static(
                "Saved at once; its title and details are fetched in the background. "
                "Offline? It waits as “metadata pending” (⟳).",
                classes="hint",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


# (field, label, hint)
TEXT_FIELDS = [
    ("title", "Title", ""),
    ("url", "URL", "https://…"),
    ("authors", "Authors / provider", ""),
    ("track", "Track", "e.g. Deep learning, Math"),
    ("tags", "Tags", TAGS_HINT),
    ("effort_points", "Effort (points)", "1 point = one semester course"),
    ("cost", "Cost", "0"),
    ("currency", "Currency", "USD"),
    ("units_done", "Units done", "0"),
    ("units_total", "Units in all", "0 = not counted"),
    ("unit_name", "Unit name", "lectures, chapters, …"),
    ("priority", "Priority", "higher comes first"),
    ("arxiv_id", "arXiv id", ""),
    ("notes", "Notes", ""),
]
FORM_LABELS = {name: label for name, label, _ in TEXT_FIELDS} | {"kind": "Kind", "status": "Status"}
NUMBER_FIELDS = {"effort_points", "cost", "units_done", "units_total", "priority"}


def form_values(item: Item) -> dict[str, str]:
    data = item.model_dump(mode="json")
    values = {}
    for name, _, _ in TEXT_FIELDS:
        value = data.get(name)
        if name == "tags":
            values[name] = format_tags(item.tags)
        elif value is None:
            values[name] = ""
        else:
            values[name] = f"{value:g}" if isinstance(value, float) else str(value)
    return values


class ItemFormScreen(ModalScreen[None]):
    """Add or edit an item. `save(values)` returns "" when saved, else the problem (shown, and the
    form stays open with what was typed)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="dialog.save"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ItemFormScreen")
        + """
    ItemFormScreen > Vertical { width: 90; height: 90%; }
    ItemFormScreen VerticalScroll { height: 1fr; }
    ItemFormScreen Grid { grid-size: 2; grid-columns: 22 1fr; grid-rows: auto; height: auto; }
    ItemFormScreen Grid > Static { padding: 1 0 0 0; }
    ItemFormScreen #form-error { color: $error; height: auto; }
    """
    )

    def __init__(self, item: Item | None, save: Callable[[dict[str, Any]], str]) -> None:
        super().__init__()
        self.item = item
        self.save = save

    def compose(self) -> ComposeResult:
        values = form_values(self.item) if self.item else {}
        heading = f"Edit: {clean(self.item.title, single_line=True)}" if self.item else "New item"
        with Vertical():
            yield Static(heading, markup=False)
            with VerticalScroll(), Grid():
                yield Static("Kind")
                yield Select(
                    [(k.value, k.value) for k in ItemKind],
                    value=(self.item.kind if self.item else ItemKind.COURSE).value,
                    allow_blank=False,
                    id="f-kind",
                )
                yield Static("Status")
                yield Select(
                    [(s.value, s.value) for s in ItemStatus],
                    value=(self.item.status if self.item else ItemStatus.PLANNED).value,
                    allow_blank=False,
                    id="f-status",
                )
                for name, label, hint in TEXT_FIELDS:
                    yield Static(label)
                    field = TagsInput if name == "tags" else Input
                    yield field(values.get(name, ""), placeholder=hint, id=f"f-{name}")
            yield Static("", id="form-error", markup=False)
            yield Static("Ctrl+S or Enter saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "kind": self.query_one("#f-kind", Select).value,
            "status": self.query_one("#f-status", Select).value,
        }
        for name, _, _ in TEXT_FIELDS:
            text = self.query_one(f"#f-{name}", Input).value.strip()
            if name == "tags":
                values[name] = parse_tags(text)
            elif name in NUMBER_FIELDS:
                values[name] = text or 0
            elif name == "arxiv_id" or text or self.item is not None:
                values[name] = text
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        problem = self.save(self.values())
        if problem:
            self.query_one("#form-error", Static).update(f"Not saved: {problem}")
        else:
            self.dismiss(None)
