"""A pane that lists records, with a helpful text in place of the list while there are none."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

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

    def show_options(self, options: Iterable[Option | None]) -> None:
        listing = self.query_one(f"#{self.pane_id}-list", OptionList)
        kept = listing.highlighted_option.id if listing.highlighted_option else None
        listing.clear_options()
        listing.add_options(list(options))
        if kept is not None:  # a refresh keeps the highlight on the same record
            with contextlib.suppress(OptionDoesNotExist):
                listing.highlighted = listing.get_option_index(kept)
        has_any = listing.option_count > 0
        self.query_one(f"#{self.pane_id}-empty").display = not has_any
        listing.display = has_any
