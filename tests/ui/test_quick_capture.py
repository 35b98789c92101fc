"""Quick capture (Ctrl+K): fits a 80×24 terminal, and Esc asks before throwing away what was
typed (nothing typed: it just closes)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static, TextArea

from deskwork.ui.panes.review_session import STUDY_DECK
from deskwork.ui.screens.card_dialogs import CardScreen
from deskwork.ui.screens.draft_dialogs import ConfirmScreen
from tests.helpers import Clock
from tests.interop.test_notetype_names import _imported
from tests.ui.factory import desk_app, quick_capture, ready, settled, type_text


async def test_quick_capture_fits_80_by_24(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await quick_capture(pilot)
        for selector in ("#card-type", "#card-front", "#card-back", "#card-tags"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.y >= 0 and region.bottom <= 24, (selector, region)
        box = screen.query_one("CardScreen > VerticalScroll").region
        assert box.bottom <= 24 and box.right <= 80
        hint = screen.query(".hint").last().region
        assert hint.bottom <= 24, "the Ctrl+S / Esc line is visible"


async def test_esc_asks_before_discarding_a_half_written_card(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await quick_capture(pilot)
        await pilot.press("escape")  # nothing typed: closes
        assert not isinstance(app.screen, CardScreen)

        card = await quick_capture(pilot)
        await type_text(pilot, "What is a KL divergence")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep writing: the text is still there
        await pilot.pause()
        assert app.screen is card
        assert card.query_one("#card-front", TextArea).text == "What is a KL divergence"
        card.query_one("#card-tags", Input).value = "info-theory"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, (CardScreen, ConfirmScreen))
        assert len(app.desk.store.cards) == 0


async def test_quit_asks_before_discarding_a_half_written_card(tmp_path: Path) -> None:
    """Ctrl+Q (or q) over quick capture with typed text asks the same y/n as Esc: n keeps the
    card on screen, y quits. Nothing typed: it quits at once."""
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        card = await quick_capture(pilot)
        await type_text(pilot, "What is a KL divergence")
        await pilot.press("ctrl+q")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen), "the card was thrown away without asking"
        assert confirm.question == "Discard this card and quit? (y/n)"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is card and app.is_running
        assert card.query_one("#card-front", TextArea).text == "What is a KL divergence"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0

    empty = desk_app(tmp_path / "again", Clock())
    async with empty.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()
        await pilot.press("ctrl+q")  # nothing typed: nothing to ask
        await pilot.pause()
        assert not isinstance(empty.screen, ConfirmScreen)
    assert empty.return_code == 0


async def test_quit_from_the_card_edit_dialog_asks_about_changes(tmp_path: Path) -> None:
    from tests.helpers import make_card

    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("What is backprop?"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "e")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, CardScreen) and card.editing
        await pilot.press("ctrl+q")  # nothing changed: quits at once
        await pilot.pause()
        assert not app.is_running or not isinstance(app.screen, ConfirmScreen)
    assert app.return_code == 0

    again = desk_app(tmp_path, Clock())
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "e")
        await pilot.pause()
        card = again.screen
        assert isinstance(card, CardScreen)
        await type_text(pilot, " (chain rule)")  # the caret opens at the end, as in Anki
        assert card.query_one("#card-front", TextArea).text == "What is backprop? (chain rule)"
        await pilot.press("ctrl+q")
        await pilot.pause()
        confirm = again.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question == "Discard changes to this note and quit? (y/n)"
        await pilot.press("escape")  # Esc is no: back to the dialog
        await pilot.pause()
        assert again.screen is card


async def test_ctrl_k_inside_quick_capture_does_not_open_a_second_one(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        first = await quick_capture(pilot)
        await pilot.press("A", "A", "A", "ctrl+k")
        await pilot.pause()
        assert app.screen is first and len(app.screen_stack) == 2
        assert sum(isinstance(s, CardScreen) for s in app.screen_stack) == 1


async def test_a_card_captured_while_studying_a_deck_goes_into_that_deck(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    app.desk.store.set_setting(STUDY_DECK, "ML::Attention")  # kept from the last session
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.review_pane.studied_deck == "ML::Attention"
        screen = await quick_capture(pilot)
        assert screen.query_one("#card-deck", Input).value == "ML::Attention"
        screen.query_one("#card-front", TextArea).text = "What does a query score against?"
        screen.query_one("#card-back", TextArea).text = "every key"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [c.deck for c in app.desk.store.cards.all()] == ["ML::Attention"]


async def test_studying_every_deck_capture_offers_the_deck_of_the_card_on_screen(
    tmp_path: Path,
) -> None:
    """As Anki's Add from the reviewer: the deck of the card being reviewed; with no card on
    screen, the deck a card was last added to."""
    from tests.helpers import make_card

    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("What is attention?", deck="ML::Attention"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.review_pane.studied_deck == ""
        shown = app.review_pane.current()
        assert shown is not None and shown.deck == "ML::Attention"
        screen = await quick_capture(pilot)
        assert screen.query_one("#card-deck", Input).value == "ML::Attention"
        screen.query_one("#card-deck", Input).value = "Stats"
        screen.query_one("#card-front", TextArea).text = "What is a p-value?"
        screen.query_one("#card-back", TextArea).text = "a tail probability"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await settled(pilot)
        await pilot.press("f4", "exclamation_mark", "exclamation_mark")  # both suspended
        await settled(pilot)
        assert app.review_pane.current() is None, "no card on screen"
        screen = await quick_capture(pilot)
        assert screen.query_one("#card-deck", Input).value == "Stats"


async def test_an_empty_front_names_the_note_type_as_the_dialog_does(tmp_path: Path) -> None:
    """Beside Anki's Basic (imported), deskwork's own is "Basic (deskwork)" everywhere: the
    message of a card that would show nothing names it so (it said "Basic": the imported one)."""
    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        tx.put("notetypes", _imported("Basic", 11))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await quick_capture(pilot)
        assert screen.query_one("#card-type", Select).value == "basic"
        screen.query_one("#card-back", TextArea).text = "an answer to no question"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(screen.query_one("#card-error", Static).render())
        assert "'Basic (deskwork)'" in error, error
        assert not app.desk.store.cards.all()
