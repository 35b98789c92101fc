"""The card browser's marks past the rows it draws (MAX_ROWS): `a` marks every match of the
search (a search of 350 cards crashed the app: marking touched rows never added), and every bulk
action — suspend, tag, move, delete, export (`x`) — acts on every marked card, shown or not."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from deskwork.interop.anki import ImportLimits
from deskwork.interop.anki.package import read_package
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.card_browser import MAX_ROWS, CardBrowserScreen
from deskwork.ui.screens.card_dialogs import TransferScreen
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready, settled
from tests.ui.test_review_pane import typed_query

MANY = MAX_ROWS + 50


def many_cards(tmp_path: Path, clock: Clock) -> DeskworkApp:
    """MANY cards in deck "Big" (more than the browser draws), and two in "Small"."""
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        for n in range(MANY):
            tx.put("cards", make_card(f"big {n:03d}", id=n + 1, deck="Big"))
        tx.put("cards", make_card("small one", id=1001, deck="Small"))
        tx.put("cards", make_card("small two", id=1002, deck="Small"))
    return app


async def _browser(pilot: object, app: DeskworkApp, query: str = "") -> CardBrowserScreen:
    await ready(pilot)
    await pilot.press("ctrl+e")  # type: ignore[attr-defined]
    await settled(pilot)
    browser = app.screen
    assert isinstance(browser, CardBrowserScreen)
    if query:
        await typed_query(pilot, browser, query)
        await settled(pilot)
    return browser


async def _marked_big_and_one_small(pilot: object, app: DeskworkApp) -> CardBrowserScreen:
    """Every card of Big marked (`a` on its search), then another search and one of Small's."""
    browser = await _browser(pilot, app, "deck:Big")
    await pilot.press("a")  # type: ignore[attr-defined]
    await typed_query(pilot, browser, "deck:Small")
    await settled(pilot)
    browser.query_one(DataTable).focus()
    await pilot.press("space")  # type: ignore[attr-defined]
    return browser


async def test_mark_all_past_the_rows_shown_marks_every_match(tmp_path: Path, clock: Clock) -> None:
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _browser(pilot, app, "deck:Big")
        table = browser.query_one(DataTable)
        assert table.row_count == MAX_ROWS and len(browser.shown) == MANY
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is browser, "the app is still there"
        assert len(browser.marked) == MANY
        assert {str(table.get_row_at(n)[0]) for n in range(MAX_ROWS)} == {"●"}
        status = str(browser.query_one("#cb-status", Static).render())
        assert f"{MANY} marked" in status, status
        await pilot.press("s")  # suspend: every marked card, not only the rows drawn
        await settled(pilot)
        suspended = {c.id for c in app.desk.store.cards.all() if c.suspended}
        assert suspended == set(range(1, MANY + 1))
        await pilot.press("a")  # again: this search's matches unmarked
        await pilot.pause()
        assert not browser.marked
        assert {str(table.get_row_at(n)[0]) for n in range(MAX_ROWS)} == {""}


async def test_marked_cards_out_of_the_search_are_still_acted_on(
    tmp_path: Path, clock: Clock
) -> None:
    """Marks survive a new search (a marked card's row shows ● when it comes back): the actions
    take every marked card, those of an earlier search too, and say how many."""
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _marked_big_and_one_small(pilot, app)
        assert len(browser.marked) == MANY + 1
        assert len(browser.selected()) == MANY + 1
        await pilot.press("t", *"bulk", "enter")
        await settled(pilot)
        tagged = {c.id for c in app.desk.store.cards.all() if "bulk" in c.tags}
        assert len(tagged) == MANY + 1 and 1001 in tagged and 1002 not in tagged
        await pilot.press("m", *"Moved", "enter")
        await settled(pilot)
        assert sum(c.deck == "Moved" for c in app.desk.store.cards.all()) == MANY + 1
        await pilot.press("d", "y")
        await settled(pilot)
        assert [c.id for c in app.desk.store.cards.all()] == [1002]
        assert not browser.marked, "the deleted cards are no longer marked"


async def test_x_exports_the_marked_cards(tmp_path: Path, clock: Clock) -> None:
    """`x` with cards marked writes those cards (every one, shown or not, of this search or an
    earlier one) as an .apkg, the dialog saying how many, asking no deck."""
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _marked_big_and_one_small(pilot, app)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        heading = str(dialog.query_one(Static).render())
        assert heading.startswith(f"Export the {MANY + 1} marked cards"), heading
        assert not dialog.query("#transfer-deck")
        target = tmp_path / "marked.apkg"
        dialog.query_one("#transfer-path", Input).value = str(target)
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is browser
    read = read_package(target, ImportLimits(), None, tmp_path / "read", 4)
    fronts = {c.fields[0] for c in read.cards}
    assert len(fronts) == MANY + 1 and "small one" in fronts and "small two" not in fronts


async def test_mark_all_keeps_the_marks_of_an_earlier_search(tmp_path: Path, clock: Clock) -> None:
    """Marks outlive a search: `a` adds this search's matches to them; `a` again unmarks only
    this search's matches."""
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _browser(pilot, app, "deck:Small")
        browser.query_one(DataTable).focus()
        await pilot.press("space")
        assert browser.marked == {1001}
        await typed_query(pilot, browser, "deck:Big")
        await settled(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert browser.marked == {1001, *range(1, MANY + 1)}
        await pilot.press("a")
        await pilot.pause()
        assert browser.marked == {1001}


async def test_mark_all_on_a_search_with_no_match_leaves_the_marks(
    tmp_path: Path, clock: Clock
) -> None:
    app = many_cards(tmp_path, clock)
    notes: list[str] = []
    app.notify = lambda message, **_: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _browser(pilot, app, "deck:Small")
        browser.query_one(DataTable).focus()
        await pilot.press("space")
        await typed_query(pilot, browser, "nothing-matches-this")
        await settled(pilot)
        assert browser.shown == []
        await pilot.press("a")
        await pilot.pause()
        assert browser.marked == {1001}
        assert any("No cards match" in n for n in notes), notes


async def test_a_search_nested_too_deep_is_said_and_the_app_stays(
    tmp_path: Path, clock: Clock
) -> None:
    app = many_cards(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await _browser(pilot, app)
        await typed_query(pilot, browser, "(" * 340 + "big" + ")" * 340)
        await settled(pilot)
        assert app.is_running and app.screen is browser, "the app went down"
        status = str(browser.query_one("#cb-status", Static).render())
        assert "groups nested deeper than" in status, status
