"""Glue between the flashcard services and the app: quick capture ("Ankify") from any area with
its source prefilled, editing a card in place, the card browser, and what follows a change of the
cards (the review and an open browser show it). Importing and exporting decks is
ui/card_transfer.py, which the control holds (`transfer`)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from deskwork.domain.cards import Card, NoteType
from deskwork.domain.text import clean
from deskwork.domain.wording import error_sentence

# The card use-cases, the text area and the rendering are imported where used (and, in the app,
# by the worker that loads the cards): the first frame shows none of them.
if TYPE_CHECKING:
    from deskwork.services import Desk
    from deskwork.services.review_session import ReviewSession
    from deskwork.ui.card_transfer import CardTransfer
    from deskwork.ui.host import DeskHost
    from deskwork.ui.screens.card_dialogs import CardDraft


class CardsControl:
    def __init__(self, app: DeskHost) -> None:
        self.app = app

    @property
    def desk(self) -> Desk:
        return self.app.desk

    @cached_property
    def transfer(self) -> CardTransfer:
        """Importing and exporting decks (made at the first import or export: not at start)."""
        from deskwork.ui.card_transfer import CardTransfer

        return CardTransfer(self.app, self)

    def writable(self) -> bool:
        """The store takes writes and the cards are loaded (else a toast says why not)."""
        if not self.app.writable():
            return False
        if not self.desk.store.cards.loaded:
            self.app.notify(
                "The cards are still loading; try again in a moment", severity="warning"
            )
            return False
        return True

    def changed(self, session: ReviewSession | None = None) -> None:
        """Cards changed (an import, a command from outside): the review and an open browser
        show the new state. `session`: the review's new queue, built on a worker already (built
        before the study day turned, it is built again there: yesterday's limits)."""
        if session is not None and session.day == self.desk.today():
            self.app.review_pane.restart(session=session)
        else:
            self.app.review_pane.restart_in_background()
        self._browsers_reload()

    def _browsers_reload(self) -> None:
        """An open card browser searches again: its rows, and the cards its `x` exports, are the
        cards as they are now."""
        from deskwork.ui.screens.card_browser import CardBrowserScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, CardBrowserScreen):
                screen.reload()
                screen.show_stats()

    # ------------------------------------------------------------------ quick capture
    def source(self) -> tuple[dict[str, int], str, str]:
        """(card fields, label, selected text) for the card being captured: the draft open in the
        editor (and its selection) when the editor has focus, else the selected queue item."""
        from textual.widgets import TextArea

        pane = self.app.draft_pane
        focused = self.app.focused
        if (
            pane.editing is not None
            and isinstance(focused, TextArea)
            and focused.id == "draft-text"
        ):
            draft = pane.editing
            label = f"draft “{clean(draft.title, single_line=True)}”"
            return {"source_draft": draft.id}, label, focused.selected_text
        item = self.app.selected_queue_item()
        if item is not None:
            return {"source_item": item.id}, clean(item.title, single_line=True), ""
        return {}, "", ""

    def offered_deck(self) -> str:
        """The deck quick capture offers: the deck being studied, as Anki's Add defaults to the
        current deck; studying every deck, the deck of the card on screen (Anki's Add from the
        reviewer); with no card shown, the last one a card was added to (then the default)."""
        from deskwork.services import cards as card_service

        review = self.app.review_pane
        if review.studied_deck:
            return review.studied_deck
        shown = review.current()
        if shown is not None:
            return shown.deck
        return card_service.last_deck(self.desk)

    def add(self) -> None:
        from deskwork.services import cards as card_service
        from deskwork.services import notes
        from deskwork.ui.screens.card_dialogs import CardDraft, CardScreen

        if any(isinstance(screen, CardScreen) for screen in self.app.screen_stack):
            self.app.notify("A card is open already: Ctrl+S saves it, Esc closes it", timeout=3)
            return  # a second one on top hid the first, still open underneath
        if not self.writable():
            return
        extra, label, selected = self.source()
        last = self.offered_deck()

        def save(draft: CardDraft) -> str:
            try:
                cards = card_service.add_note(
                    self.desk, draft.note_type, draft.fields, draft.deck or last, draft.tags,
                    **extra,
                )  # fmt: skip
            except ValueError as exc:  # a pydantic ValidationError too: one sentence
                return error_sentence(exc)
            self.changed()
            self.app.notify(
                f"Added {len(cards)} card{'s' if len(cards) > 1 else ''} to {cards[0].deck}",
                markup=False,
                timeout=3,
            )
            return ""

        initial = CardDraft(NoteType.BASIC, [selected], last, [])
        self.app.push_screen(
            CardScreen(
                "New flashcard",
                initial,
                card_service.decks(self.desk),
                save,
                label,
                notetypes=notes.notetypes(self.desk),
            )
        )

    def edit(self, card: Card) -> None:
        from deskwork.domain.render import fallback_type
        from deskwork.services import cards as card_service
        from deskwork.services import notes
        from deskwork.ui.screens.card_dialogs import CardDraft, CardScreen

        def save(draft: CardDraft) -> str:
            if not any(draft.fields):
                return "every field is empty"
            review = self.app.review_pane.session
            current = review.current() if review else None
            try:
                if review is not None and current is not None and current.id == card.id:
                    review.edit(draft.fields, draft.deck, draft.tags)
                else:
                    card_service.edit_note(self.desk, card, draft.fields, draft.deck, draft.tags)
            except ValueError as exc:  # a deck name of nothing ('::'): said, nothing written
                return error_sentence(exc)
            self.app.review_pane.render_card()
            # An edit from the browser: its rows (and a search's export) were the note as before
            self._browsers_reload()
            return ""

        types = notes.notetypes(self.desk)
        initial = CardDraft(card.note_type, list(card.fields), card.deck, list(card.tags))
        heading = "Edit note (every card keeps its schedule and history)"
        self.app.push_screen(
            CardScreen(
                heading,
                initial,
                card_service.decks(self.desk),
                save,
                editing=True,
                notetypes=types
                if card.note_type in types
                else {card.note_type: fallback_type(card)},
            )
        )

    # ------------------------------------------------------------------ files
    def import_deck(self) -> None:
        """The import dialog (the app's cards.import command)."""
        self.transfer.import_deck()

    def export_deck(self, deck: str = "") -> None:
        """The export dialog, on `deck` if given (the app's cards.export command)."""
        self.transfer.export_deck(deck)

    def browse(self) -> None:
        from deskwork.ui.screens.card_browser import CardBrowserScreen

        if self.desk.store.cards.loaded:
            self.app.push_screen(CardBrowserScreen())
        else:
            self.app.notify("The cards are still loading; try again in a moment")
