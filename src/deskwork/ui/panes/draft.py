"""The draft-post scratchpad: the learner's blog is their proof of work."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from deskwork.domain.text import clean
from deskwork.services import DaySummary
from deskwork.ui.widgets.pane import Pane


class DraftPane(Pane):
    pane_id = "draft"
    title = "Draft post"
    key_hint = "F5"

    DEFAULT_CSS = """
    DraftPane OptionList { height: 1fr; border: none; padding: 0; background: transparent; }
    DraftPane #draft-empty { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            "No drafts yet. Write the post while you learn: a good post starts with 70% of the "
            "knowledge and makes you find the rest.",
            id="draft-empty",
        )
        yield OptionList(id="draft-list")

    def show(self, summary: DaySummary) -> None:
        options = self.query_one("#draft-list", OptionList)
        options.clear_options()
        for draft in summary.drafts[:50]:
            label = Text(clean(draft.title, single_line=True))
            label.append(f" · {draft.status.value} · {draft.words} words", style="dim")
            options.add_option(Option(label, id=str(draft.id)))
        self.query_one("#draft-empty").display = not summary.drafts
        options.display = bool(summary.drafts)
