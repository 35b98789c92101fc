"""The card browser where a study-morning trial went wrong: `d` with a card marked in an earlier
search deleted that card, not the row under the cursor, behind a question that did not say so; a
search it cannot run left an earlier search's rows on screen for `a` to mark; a move typed in
another case made a second deck."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from deskwork.ui.screens.card_browser import CardBrowserScreen
from deskwork.ui.screens.draft_dialogs import ConfirmScreen
from tests.helpers import Clock
from tests.ui.factory import settled
from tests.ui.test_browser_marks import _browser, many_cards
from tests.ui.test_review_pane import typed_query


async def _small_one_marked(pilot: object, app: object) -> CardBrowserScreen:
    """The browser on deck:Small, its first card ("small one", id 1001) marked."""
    browser = await _browser(pilot, app, "deck:Small")  # type: ignore[arg-type]
    browser.query_one(DataTable).focus()
    await pilot.press("space")  # type: ignore[attr-defined]
    return browser


async def test_delete_names_the_marked_cards_this_search_does_not_show(
    tmp_path: Path, clock: Clock
) -> None:
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _small_one_marked(pilot, app)
        await typed_query(pilot, browser, '"big 001"')
        await settled(pilot)
        browser.query_one(DataTable).focus()
        await pilot.press("d")
        await settled(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one(Static).render())
        assert "1 marked card" in question and "not in this search" in question, question
        assert "small one" in question, question
        await pilot.press("n")
        await settled(pilot)
        assert app.desk.store.cards.get(1001) is not None


async def test_a_search_it_cannot_run_leaves_no_rows_for_a_to_mark(
    tmp_path: Path, clock: Clock
) -> None:
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _browser(pilot, app, "deck:Small")
        assert len(browser.shown) == 2
        await typed_query(pilot, browser, "deck:Small prop:ease")  # a term it cannot read
        await settled(pilot)
        assert browser.shown == [] and browser.query_one(DataTable).row_count == 0
        browser.query_one(DataTable).focus()
        await pilot.press("a")
        await settled(pilot)
        assert browser.marked == set()


async def test_a_move_typed_in_another_case_goes_into_the_deck_there(
    tmp_path: Path, clock: Clock
) -> None:
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _small_one_marked(pilot, app)
        await pilot.press("m")
        await settled(pilot)
        await pilot.press(*"big", "enter")
        await settled(pilot)
        moved = app.desk.store.cards.get(1001)
        assert moved is not None and moved.deck == "Big"


async def test_the_browser_figures_separate_thousands(tmp_path: Path, clock: Clock) -> None:
    """The figures under the table read 1,200 new, as every other count (they read 1200)."""
    from deskwork.ui.app import DeskworkApp
    from tests.helpers import make_card
    from tests.ui.factory import desk_app

    app: DeskworkApp = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        for n in range(1200):
            tx.put("cards", make_card(f"card {n}", id=n + 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await _browser(pilot, app)
        await settled(pilot)
        figures = str(app.screen.query_one("#cb-stats", Static).render())
        assert "1,200 new" in figures, figures
