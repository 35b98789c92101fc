"""The card browser's marks and what it does with them: `Space` marks a card, `a` every match of
the search (not only the rows drawn: a search draws at most MAX_ROWS of its matches), and move,
tag, suspend / unsuspend and delete act on every marked card as stored now, drawn or not, of this
search or an earlier one (marks outlive a search). The browser (card_browser.py) gives the rows,
the search's matches and the reloads."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from deskwork.domain.decknames import DeckNameError
from deskwork.domain.tags import parse_tags
from deskwork.domain.text import clean
from deskwork.domain.wording import figure, plural
from deskwork.ui.widgets.tables import SearchableTableScreen, cursor_id

if TYPE_CHECKING:
    from deskwork.domain.cards import Card
    from deskwork.ui.host import PaneHost


class MarkedCards(SearchableTableScreen):
    """A table of cards (keyed by id, its first column "✓" the mark) with marks and bulk actions.
    The screen that is one sets `shown` (the search's matches), and gives `reload`, `show_stats`
    and `_show_status`."""

    marked: set[int]
    shown: list[Card]

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def reload(self) -> None:
        raise NotImplementedError

    def show_stats(self) -> None:
        raise NotImplementedError

    def _show_status(self) -> None:
        raise NotImplementedError

    def _show_marks(self, ids: set[int]) -> None:
        """The mark column of these cards' rows redrawn (no new search: the rows are the same).
        Only the rows drawn: a search shows MAX_ROWS of its matches, marks reach every one (a
        card not drawn has no cell to update; its row shows the mark when a search draws it)."""
        table = self.query_one(DataTable)
        drawn = table.rows.keys()
        keys = [str(i) for i in ids] if len(ids) < len(drawn) else [k.value for k in drawn]
        for key in keys:
            if key is None or key not in drawn or int(key) not in ids:
                continue
            marked = Text("●" if int(key) in self.marked else "")
            with contextlib.suppress(CellDoesNotExist):
                table.update_cell(key, "✓", marked)
        self._show_status()

    def selected(self) -> list[Card]:
        """The marked cards, else the highlighted one. Every marked card as stored now, drawn or
        not, of this search or an earlier one (marks outlive a search); a card deleted meanwhile
        is no longer marked."""
        if self.marked:
            table = self.desk_app.desk.store.cards
            found = [card for card in map(table.get, self.marked) if card is not None]
            self.marked = {card.id for card in found}
            return sorted(found, key=lambda c: (c.deck, c.note_guid, c.ord, c.id))
        return self._highlighted()

    def action_mark(self) -> None:
        chosen = {card.id for card in self._highlighted()}
        self.marked ^= chosen
        self._show_marks(chosen)
        self.query_one(DataTable).action_cursor_down()

    def _highlighted(self) -> list[Card]:
        card_id = cursor_id(self.query_one(DataTable))
        return [c for c in self.shown if c.id == card_id]

    def action_mark_all(self) -> None:
        """Every match of the search marked too (not only the MAX_ROWS rows drawn; the marks of
        earlier searches kept: marks outlive a search); when all of them are marked already,
        this search's matches unmarked (the others kept). No match: nothing changes, said."""
        ids = {c.id for c in self.shown}
        if not ids:
            self.app.notify("No cards match this search: the marks are as they were", markup=False)
            return
        before = self.marked
        self.marked = self.marked - ids if ids <= self.marked else self.marked | ids
        self._show_marks(before ^ self.marked)

    def _save(self, cards: list[Card], message: str) -> None:
        if not cards or not self.desk_app.cards.writable():
            return
        with self.desk_app.desk.store.transaction() as tx:
            for card in cards:
                tx.put("cards", card)
        self.app.notify(message, markup=False)
        self.desk_app.review_pane.restart_in_background()
        self.reload()
        self.show_stats()

    def action_suspend(self) -> None:
        chosen = self.selected()
        suspend = not all(c.suspended for c in chosen)
        self._save(
            [c.model_copy(update={"suspended": suspend}) for c in chosen],
            f"{'Suspended' if suspend else 'Unsuspended'} {plural(len(chosen), 'card')}",
        )

    def action_move(self) -> None:
        from deskwork.services.notes import stored_deck
        from deskwork.ui.screens.draft_dialogs import PromptScreen

        chosen = self.selected()
        if not chosen:
            return

        def moved(typed: str | None) -> None:
            if not typed:
                return
            try:
                deck = stored_deck(self.desk_app.desk, typed)  # `ml` goes into `ML`
            except DeckNameError as exc:  # '::': said, nothing moved
                self.app.notify(str(exc), severity="error", markup=False, timeout=8)
                return
            if deck:
                self._save(
                    [c.model_copy(update={"deck": deck}) for c in chosen],
                    f"Moved {plural(len(chosen), 'card')} to {deck}",
                )

        self.app.push_screen(PromptScreen("Move to deck (Parent::Child):"), moved)

    def action_tag(self) -> None:
        from deskwork.ui.screens.draft_dialogs import PromptScreen

        chosen = self.selected()
        if not chosen:
            return

        def tagged(text: str | None) -> None:
            if not text:
                return
            typed = parse_tags(text, spaces_inside=False)
            add = [t for t in typed if not t.startswith("-")]
            drop = {t[1:] for t in typed if t.startswith("-")}
            self._save(
                [
                    c.model_copy(
                        update={
                            "tags": [t for t in dict.fromkeys([*c.tags, *add]) if t not in drop]
                        }
                    )
                    for c in chosen
                ],
                f"Tagged {plural(len(chosen), 'card')}",
            )

        self.app.push_screen(
            PromptScreen("Tags to add (-tag removes one):", card_tags=True), tagged
        )

    def action_delete(self) -> None:
        from deskwork.ui.screens.draft_dialogs import ConfirmScreen

        chosen = self.selected()
        if not chosen or not self.desk_app.cards.writable():
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                with self.desk_app.desk.store.transaction() as tx:
                    for card in chosen:
                        tx.delete("cards", card.id)
                self.marked -= {c.id for c in chosen}
                self.app.notify(f"Deleted {plural(len(chosen), 'card')}", markup=False)
                self.desk_app.review_pane.restart_in_background()
                self.reload()
                self.show_stats()

        self.app.push_screen(
            ConfirmScreen(f"Delete {self._which(chosen)} and the schedule? (y/n)"), confirmed
        )

    def _which(self, chosen: list[Card]) -> str:
        """The cards an action takes, as its question names them: marked cards this search does
        not show are said, with the first one's question (the trial deleted a card marked in an
        earlier search, thinking it deleted the row under the cursor)."""
        if not self.marked:
            return plural(len(chosen), "card")
        shown = {c.id for c in self.shown}
        hidden = [c for c in chosen if c.id not in shown]
        which = f"the {plural(len(chosen), 'marked card')}"
        if not hidden:
            return which
        first = clean(hidden[0].front, single_line=True)[:40]
        return f"{which} ({figure(len(hidden))} not in this search, such as “{first}”)"
