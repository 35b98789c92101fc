"""An answer, then its card deleted in the card browser, then `u` in the review area: the undo
does not bring the deleted card back (it wrote the card's record from before the answer), and
says why nothing was taken back. Found by a review."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.helpers import Clock
from tests.ui.factory import ready, settled
from tests.ui.test_review_pane import review_app, typed_query


async def test_undo_after_a_browser_delete_does_not_bring_the_card_back(
    tmp_path: Path, clock: Clock
) -> None:
    app = review_app(tmp_path, clock, cards=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "space", "3")  # question 00 answered Good
        await settled(pilot)
        answered = [c for c in app.desk.store.cards.all() if c.reps]
        assert len(answered) == 1
        gone = answered[0].id
        await pilot.press("ctrl+e")
        await settled(pilot)
        browser = app.screen
        await typed_query(pilot, browser, '"question 00"')
        await settled(pilot)
        browser.query_one(DataTable).focus()
        await pilot.press("space", "d", "y")  # marked, deleted
        await settled(pilot)
        assert app.desk.store.cards.get(gone) is None
        await pilot.press("escape")
        await settled(pilot)
        await pilot.press("f4", "u")
        await settled(pilot)
        assert app.desk.store.cards.get(gone) is None, "the deleted card came back"
        said = [str(n.message) for n in app._notifications]
        assert any("deleted since" in m for m in said), said
