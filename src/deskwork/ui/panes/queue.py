"""Today's curriculum queue: the courses, books and papers being worked on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from deskwork.domain.text import clean
from deskwork.services import DaySummary
from deskwork.ui.widgets.pane import Pane


class QueuePane(Pane):
    pane_id = "queue"
    title = "Today's queue"
    key_hint = "F3"

    DEFAULT_CSS = """
    QueuePane OptionList { height: 1fr; border: none; padding: 0; background: transparent; }
    QueuePane #queue-empty { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            "Nothing queued yet. Courses, textbooks, arXiv papers and projects you are working "
            "on today will be listed here.",
            id="queue-empty",
        )
        yield OptionList(id="queue-list")

    def show(self, summary: DaySummary) -> None:
        options = self.query_one("#queue-list", OptionList)
        options.clear_options()
        for item in summary.active_items:
            label = Text(clean(item.title, single_line=True))
            if item.track:
                label.append(f" · {clean(item.track, single_line=True)}", style="dim")
            options.add_option(Option(label, id=str(item.id)))
        self.query_one("#queue-empty").display = not summary.active_items
        options.display = bool(summary.active_items)
