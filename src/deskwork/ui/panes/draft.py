"""The draft-post scratchpad: the learner's blog is their proof of work."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from deskwork.domain.drafts import Draft
from deskwork.domain.text import clean
from deskwork.services import DaySummary
from deskwork.ui.widgets.list_pane import ListPane


def draft_label(draft: Draft) -> Text:
    label = Text(clean(draft.title, single_line=True))
    label.append(f" · {draft.status.value} · {draft.words} words", style="dim")
    return label


class DraftPane(ListPane):
    pane_id = "draft"
    title = "Draft post"
    key_hint = "F5"
    empty_text = (
        "No drafts yet. Write the post while you learn: a good post starts with 70% of the "
        "knowledge and makes you find the rest."
    )

    def show(self, summary: DaySummary) -> None:
        self.show_options(Option(draft_label(d), id=str(d.id)) for d in summary.drafts[:50])
