"""Deck names where they enter the app: a card's deck moved to or typed as `A::::B` is stored as
Anki stores it (`A::blank::B`), a name of nothing (`::`) is refused with a message and nothing
written; and decks stored with odd names already (`::Lead`, `::`) no longer crash the deck list."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from deskwork.ui.screens.card_browser import CardBrowserScreen
from deskwork.ui.screens.card_dialogs import TransferScreen
from deskwork.ui.screens.decks import DeckListScreen
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready, settled


async def test_the_deck_list_opens_on_odd_names_stored_already(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        for n, deck in enumerate(["::Lead", "A::::B", "::", "A::", "Math"]):
            tx.put("cards", make_card(f"q{n}", id=n + 1, deck=deck))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("alt+d")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DeckListScreen), screen
        assert {"::Lead", "A::::B", "::", "A::", "Math", ""} <= set(screen.decks)
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.decks)
        first = str(table.get_row_at(screen.decks.index(""))[0])
        assert "(no name)" in first
        await pilot.press("escape")
        await pilot.press("f4")  # the review queue too
        await settled(pilot)
        assert "5 new" in str(app.review_pane.query_one("#review-status", Static).render())


async def test_moving_cards_normalises_the_deck_and_refuses_a_name_of_nothing(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("a card", id=1, deck="Math"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        await settled(pilot)
        assert isinstance(app.screen, CardBrowserScreen)
        notes = len(app._notifications)
        await pilot.press("m", *"::", "enter")
        await settled(pilot)
        assert app.desk.store.cards.get(1).deck == "Math"  # type: ignore[union-attr]
        said = [str(n.message) for n in app._notifications][notes:]
        assert said and "names no deck" in said[-1], said
        await pilot.press("m", *" A::::B: ", "enter")
        await settled(pilot)
        assert app.desk.store.cards.get(1).deck == "A::blank::B"  # type: ignore[union-attr]


async def test_the_import_dialog_refuses_a_deck_of_nothing(tmp_path: Path, clock: Clock) -> None:
    cards = tmp_path / "cards.txt"
    cards.write_text("#separator:tab\nfront one\tback one\n", encoding="utf-8")
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("alt+i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        dialog.query_one("#transfer-path", Input).value = str(cards)
        dialog.query_one("#transfer-deck", Input).value = " :: "
        dialog.query_one("#transfer-deck", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "the dialog stays"
        assert "names no deck" in str(dialog.query_one("#transfer-error", Static).render())
        dialog.query_one("#transfer-deck", Input).value = "::Lead"
        await pilot.press("enter")
        await settled(pilot)
        assert [c.deck for c in app.desk.store.cards.all()] == ["blank::Lead"]


async def test_a_card_added_or_edited_into_a_deck_of_nothing_is_not_saved(
    tmp_path: Path, clock: Clock
) -> None:
    from textual.widgets import TextArea

    from deskwork.ui.screens.card_dialogs import CardScreen
    from tests.ui.factory import quick_capture

    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await quick_capture(pilot)
        screen.query_one("#card-front", TextArea).text = "a question"
        screen.query_one("#card-back", TextArea).text = "an answer"
        screen.query_one("#card-deck", Input).value = "::"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and not len(app.desk.store.cards)
        said = str(screen.query_one("#card-error", Static).render())
        assert "Not saved" in said and "names no deck" in said, said
        screen.query_one("#card-deck", Input).value = "::Lead"
        await pilot.press("ctrl+s")
        await settled(pilot)
        [card] = app.desk.store.cards.all()
        assert card.deck == "blank::Lead"
        if isinstance(app.screen, CardScreen):
            await pilot.press("escape")
        await pilot.press("ctrl+e")
        await settled(pilot)
        browser = app.screen
        assert isinstance(browser, CardBrowserScreen)
        browser.query_one(DataTable).focus()
        await pilot.press("enter")  # edit the card
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CardScreen)
        editor.query_one("#card-deck", Input).value = " :: "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
        assert "names no deck" in str(editor.query_one("#card-error", Static).render())
        assert app.desk.store.cards.get(card.id).deck == "blank::Lead"  # type: ignore[union-attr]


async def test_the_export_dialog_takes_a_deck_ignoring_case_and_names_a_typo(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("attention", id=1, deck="Paper"))
        tx.put("cards", make_card("a verb", id=2, deck="Lang"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for deck, target in (("paper", tmp_path / "p.txt"), ("papr", tmp_path / "typo.txt")):
            await pilot.press("alt+x")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, TransferScreen)
            dialog.query_one("#transfer-path", Input).value = str(target)
            dialog.query_one("#transfer-deck", Input).value = deck
            dialog.query_one("#transfer-deck", Input).focus()
            await pilot.press("enter")
            await settled(pilot)
        assert "attention" in (tmp_path / "p.txt").read_text(encoding="utf-8")
        assert not (tmp_path / "typo.txt").exists()
        said = [str(n.message) for n in app._notifications]
        assert any("there is no deck 'papr' (did you mean 'Paper'?)" in s for s in said), said
