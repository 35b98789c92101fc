"""Today's curriculum queue: the courses, books and papers being worked on."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from deskwork.domain.curriculum import Item
from deskwork.domain.text import clean
from deskwork.services import DaySummary
from deskwork.ui.widgets.list_pane import ListPane


def item_label(item: Item) -> Text:
    """Titles come from the web: shown as plain text, never as markup, control characters gone."""
    label = Text(clean(item.title, single_line=True), no_wrap=True, overflow="ellipsis")
    if item.track:
        label.append(f" · {clean(item.track, single_line=True)}", style="dim")
    return label


class QueuePane(ListPane):
    pane_id = "queue"
    title = "Today's queue"
    key_hint = "F3"
    empty_text = (
        "Nothing queued yet. Courses, textbooks, arXiv papers and projects you are working "
        "on today will be listed here."
    )

    def show(self, summary: DaySummary) -> None:
        self.show_options(Option(item_label(i), id=str(i.id)) for i in summary.active_items)
