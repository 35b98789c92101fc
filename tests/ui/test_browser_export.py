"""The card browser's export (`x`) on its search: a `deck:` search fills the export dialog's deck
(its name as stored); another search is said not to apply (an export takes all cards or a deck)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from deskwork.domain.cardsearch import deck_of_query
from deskwork.ui.screens.card_browser import CardBrowserScreen
from deskwork.ui.screens.card_dialogs import TransferScreen
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready, settled


def test_the_deck_a_search_is() -> None:
    assert deck_of_query("deck:Math") == "Math"
    assert deck_of_query(' deck:"Math::Linear algebra" ') == "Math::Linear algebra"
    assert deck_of_query("DECK:math") == "math"
    for other in (
        "",
        "deck:Ma*",
        "deck:Math is:due",
        "-deck:Math",
        "(deck:Math)",
        "tag:x",
        "deck:",
    ):
        assert deck_of_query(other) is None, other


async def test_export_from_the_browser_takes_its_deck_search(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("a sum", id=1, deck="Math::Algebra"))
        tx.put("cards", make_card("a verb", id=2, deck="Lang"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        browser = app.screen
        assert isinstance(browser, CardBrowserScreen)
        await settled(pilot)
        notes = len(app._notifications)
        browser.query_one("#cb-query", Input).value = "deck:math"
        await pilot.press("enter")
        await settled(pilot)
        browser.action_export()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        assert dialog.query_one("#transfer-deck", Input).value == "Math"
        assert len(app._notifications) == notes, "nothing to say: the search is the deck"
        await pilot.press("escape")
        await pilot.pause()
        browser.query_one("#cb-query", Input).value = "verb"
        browser.action_export()
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen)
        assert app.screen.query_one("#transfer-deck", Input).value == ""
        said = [n.message for n in app._notifications][-1]
        assert said.startswith("An export takes every card or one deck: this search is not applied")
