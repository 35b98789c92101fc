"""The card browser's export (`x`) on its search: a `deck:` search fills the export dialog's deck
(its name as stored); another search exports the search's cards, the dialog saying so."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from deskwork.domain.cardsearch import deck_of_query
from deskwork.ui.screens.card_browser import CardBrowserScreen
from deskwork.ui.screens.card_dialogs import TransferScreen
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready, settled
from tests.ui.test_review_pane import typed_query


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


async def test_export_from_the_browser_takes_the_cards_of_another_search(
    tmp_path: Path, clock: Clock
) -> None:
    """A search that is not a plain deck (`verb or sum`, `is:due`, words): `x` exports the
    search's cards, as the browser shows them, the dialog saying so (no deck field); a search not
    on screen yet (typed, still running, or unreadable) is not exported."""
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("a sum", id=1, deck="Math::Algebra"))
        tx.put("cards", make_card("a verb", id=2, deck="Lang"))
        tx.put("cards", make_card("a noun", id=3, deck="Lang"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        browser = app.screen
        assert isinstance(browser, CardBrowserScreen)
        await settled(pilot)
        await typed_query(pilot, browser, "verb or sum")
        await settled(pilot)
        assert {c.id for c in browser.shown} == {1, 2}
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        heading = str(dialog.query_one(Static).render())
        assert heading.startswith("Export the 2 cards of the search “verb or sum”"), heading
        assert not dialog.query("#transfer-deck"), "the cards are the search's: no deck asked"
        target = tmp_path / "search.txt"
        dialog.query_one("#transfer-path", Input).value = str(target)
        await pilot.press("enter")
        await settled(pilot)
        written = target.read_text(encoding="utf-8")
        assert "a verb" in written and "a sum" in written and "a noun" not in written

        notes = len(app._notifications)
        browser.query_one("#cb-query", Input).value = 'tag:x "never closed'  # unreadable
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is browser, "the rows on screen are another search's"
        said = [n.message for n in app._notifications][notes:]
        assert said and "not shown yet" in str(said[-1])


async def test_a_search_exported_after_an_edit_in_the_browser_writes_the_edited_note(
    tmp_path: Path, clock: Clock
) -> None:
    """A note edited from the browser (Enter on its row) is searched again: the rows and what
    `x` exports are the note as saved (the browser kept the cards as searched, before the edit:
    the export wrote the old text)."""
    from textual.widgets import TextArea

    from deskwork.ui.screens.card_dialogs import CardScreen

    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("a verb", id=2, deck="Lang"))
        tx.put("cards", make_card("a noun", id=3, deck="Lang"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        browser = app.screen
        assert isinstance(browser, CardBrowserScreen)
        await settled(pilot)
        await typed_query(pilot, browser, "tag:x or verb")
        await settled(pilot)
        assert [c.id for c in browser.shown] == [2]
        browser.query_one("DataTable").focus()
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CardScreen)
        editor.query_one("#card-front", TextArea).text = "a verb, edited"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is browser
        await settled(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        target = tmp_path / "search.txt"
        dialog.query_one("#transfer-path", Input).value = str(target)
        await pilot.press("enter")
        await settled(pilot)
        written = target.read_text(encoding="utf-8")
        assert "a verb, edited" in written, written
