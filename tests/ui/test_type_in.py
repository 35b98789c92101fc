"""Pilot test of a type-in card ("Basic (type in the answer)"): the question asks for typing, the
box takes the answer, Enter shows the comparison with the expected text, the keys then grade."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, Static

from deskwork.domain.cards import NoteType
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def shown(app: object, selector: str) -> str:
    return str(app.review_pane.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_a_type_in_card_compares_what_was_typed(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        for n, (front, back) in enumerate([("2 + 2 =", "four"), ("capital of France", "Paris")]):
            tx.put("cards", make_card(front, back=back, note_type=NoteType.TYPE_IN,
                                      note_guid=f"g{n}", when=T0 + timedelta(seconds=n)))  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        assert shown(app, "#review-question") == "2 + 2 =\n\n[type the answer]"
        box = app.review_pane.query_one("#review-typed", Input)
        assert box.display and app.focused is box
        await pilot.press(*"for", "enter")
        assert app.review_pane.revealed
        answer = shown(app, "#review-answer")
        assert answer == "you typed: for\nexpected: four\ndiff: fo[+u+]r"
        assert app.desk.store.reviews.count() == 0
        await pilot.press("1")  # graded from the keys once the box has handed focus back
        assert app.desk.store.reviews.count() == 1
        assert shown(app, "#review-question") == "capital of France\n\n[type the answer]"
        assert app.focused is box and box.value == "", "a fresh box for the next card"
        await pilot.press(*"Paris", "enter")
        assert shown(app, "#review-answer") == "Paris ✓"
        await pilot.press("3")
        assert app.desk.store.reviews.count() == 2
        # the first card (Again: a 1-minute step) comes back: with an empty box, not "for"
        assert shown(app, "#review-question") == "2 + 2 =\n\n[type the answer]"
        assert app.focused is box and box.value == "", "the earlier answer is not left in the box"
        await pilot.press(*"five", "enter", "1")  # Again: the same card next, right away
        assert shown(app, "#review-question") == "2 + 2 =\n\n[type the answer]"
        assert box.value == "", "the answer typed a moment ago is not left in the box"
