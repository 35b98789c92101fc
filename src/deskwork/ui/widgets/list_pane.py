"""A pane that lists records, with a helpful text in place of the list while there are none."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from deskwork.ui.widgets.pane import Pane


class ListPane(Pane):
    DEFAULT_CSS = """
    ListPane OptionList, ListPane OptionList:focus {
        height: 1fr; border: none; padding: 0; background: transparent;
    }
    ListPane .empty-hint { color: $text-muted; }
    """

    empty_text = ""

    def compose(self) -> ComposeResult:
        yield Static(self.empty_text, id=f"{self.pane_id}-empty", classes="empty-hint")
        yield OptionList(id=f"{self.pane_id}-list")

    def focus_target(self) -> Widget:
        listing = self.query_one(f"#{self.pane_id}-list", OptionList)
        return listing if listing.display else self

    def show_options(self, options: Iterable[Option]) -> None:
        listing = self.query_one(f"#{self.pane_id}-list", OptionList)
        listing.clear_options()
        listing.add_options(list(options))
        has_any = listing.option_count > 0
        self.query_one(f"#{self.pane_id}-empty").display = not has_any
        listing.display = has_any
