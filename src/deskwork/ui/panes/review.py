"""Flashcard review: what is due now and when the next card comes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from deskwork.services import DaySummary
from deskwork.ui.widgets.pane import Pane


class ReviewPane(Pane):
    pane_id = "review"
    title = "Review"
    key_hint = "F4"

    DEFAULT_CSS = """
    ReviewPane #review-due { text-style: bold; margin: 1 0 0 0; }
    ReviewPane #review-hint { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="review-due")
        yield Static(
            "Spaced-repetition review of your cards (Anki-compatible) happens here.",
            id="review-hint",
        )

    def show(self, summary: DaySummary) -> None:
        due = self.query_one("#review-due", Static)
        if summary.cards_loading:
            due.update("Loading cards…")
        elif not summary.cards_total:
            due.update("No cards yet.")
        elif summary.cards_due:
            due.update(f"{summary.cards_due} of {summary.cards_total} cards due now")
        elif summary.next_due is not None:
            due.update(f"Nothing due. Next card at {summary.next_due.astimezone():%a %H:%M}")
        else:
            due.update(f"Nothing due ({summary.cards_total} cards, all suspended)")
