"""The review area's answer row names the keys bound now: Again and Easy rebound in `[keys]`
show (and answer with) the new keys, not the default 1 and 4 it always wrote."""

from __future__ import annotations

from pathlib import Path

from deskwork.domain.cards import CardState
from tests.helpers import Clock
from tests.ui.factory import ready
from tests.ui.test_review_pane import review_app, text_of


async def test_the_answer_row_shows_the_keys_rebound(tmp_path: Path, clock: Clock) -> None:
    config = '[keys]\n"review.again" = "j"\n"review.easy" = "ctrl+l,l"\n'
    app = review_app(tmp_path, clock, cards=2, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "space")
        buttons = text_of(app, "#review-buttons")
        assert buttons.startswith("j Again 1m"), buttons
        assert "2 Hard" in buttons and "3 Good" in buttons, buttons
        assert "Ctrl+L Easy" in buttons and "4 Easy" not in buttons, buttons
        await pilot.press("j")  # the key the row names answers
        assert app.desk.store.reviews.count() == 1
        again = [c for c in app.desk.store.cards.all() if c.reps]
        assert len(again) == 1 and again[0].state is CardState.LEARNING
