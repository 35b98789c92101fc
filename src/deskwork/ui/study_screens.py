"""The screens the app opens over the desk for flashcards and insight: the deck list, presets,
FSRS optimisation, the retention helper, stats, the end of the day and the weekly review draft.
Each action checks what it needs (cards loaded, a writable store) and hands over to its screen.
"""

from __future__ import annotations

from deskwork.ui.hangup import HangsUp


class StudyScreens(HangsUp):
    """The part of the app that opens the study screens."""

    def writable(self) -> bool:
        """True, or False after telling the user why nothing can be changed (the app defines it)."""
        raise NotImplementedError

    def refresh_panes(self) -> None:
        raise NotImplementedError

    def action_decks(self) -> None:
        """The deck list; choosing a deck reviews only it (and its subdecks)."""
        from deskwork.ui.panes.review import ReviewPane
        from deskwork.ui.screens.decks import DeckListScreen

        if not self.desk.store.cards.loaded:
            self.notify("The cards are still loading; try again in a moment")
            return
        review = self._pane("review")
        assert isinstance(review, ReviewPane)

        def chosen(deck: str | None) -> None:
            if deck is None:
                return
            review.study(deck)
            self.action_focus_pane("review")
            self.notify(
                f"Studying {deck} and its subdecks" if deck else "Studying every deck", markup=False
            )

        self.push_screen(DeckListScreen(review.deck), chosen)

    def action_presets(self) -> None:
        from deskwork.ui.screens.presets import PresetsScreen

        self.push_screen(PresetsScreen())

    def action_optimize(self) -> None:
        from deskwork.ui.screens.optimize import OptimizeScreen

        if self.writable():
            self.push_screen(OptimizeScreen())

    def action_retention(self) -> None:
        """The retention screen for the preset of the deck being studied (or the default)."""
        from deskwork.services import presets
        from deskwork.ui.panes.review import ReviewPane
        from deskwork.ui.screens.retention import RetentionScreen

        review = self._pane("review")
        deck = review.studied_deck if isinstance(review, ReviewPane) else ""  # cards loaded or not
        preset_id = presets.load(self.desk).preset_of(deck).id if deck else 0
        self.push_screen(RetentionScreen(preset_id))

    def presets_changed(self) -> None:
        """A preset or a deck's preset changed: today's queue and intervals follow it."""
        from deskwork.ui.panes.review import ReviewPane

        review = self._pane("review")
        if isinstance(review, ReviewPane) and review.session is not None:
            review.restart()

    # ------------------------------------------------------------------ insight
    def action_stats(self) -> None:
        from deskwork.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_day_end(self) -> None:
        from deskwork.services.insight import day_end, day_end_text
        from deskwork.ui.screens.stats import DayEndScreen

        self.push_screen(DayEndScreen(day_end_text(day_end(self.desk))))

    def action_weekly_review(self) -> None:
        from deskwork.services.insight import weekly_draft

        if not self.writable():
            return
        draft = weekly_draft(self.desk)
        self.refresh_panes()
        self.action_focus_pane("draft")
        self.call_after_refresh(self.draft_pane.open_draft, draft.id)
        self.notify(f"“{draft.title}” is a new draft: fill in the TODOs", markup=False)
