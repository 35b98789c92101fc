"""After cards are added or changed elsewhere (a new note, an import, the browser's bulk
actions) today's queue is built again on a worker while the current session keeps answering; an
answer given meanwhile is never undone by the queue that was being built."""

from __future__ import annotations

from pathlib import Path

from deskwork.domain.cards import Card
from tests.helpers import Clock, make_card
from tests.ui.factory import ready, settled
from tests.ui.test_review_pane import review_app, text_of


async def test_a_new_card_joins_the_queue_built_in_the_background(
    tmp_path: Path, clock: Clock
) -> None:
    app = review_app(tmp_path, clock, cards=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = app.review_pane
        await pilot.press("f4", "space")  # the first card's answer is on screen
        before = pane.session
        assert before is not None and pane.revealed
        assert before.remaining()[0] == 3
        await pilot.press("ctrl+k", *"softmax", "tab", *"a normalised exponential", "ctrl+s")
        await settled(pilot)
        assert pane.session is not before and not pane.building
        assert pane.session.remaining()[0] == 4, "the new card is in today's queue"
        assert pane.revealed, "the answer being read stays: the card on screen did not change"
        assert "answer 00" in text_of(app, "#review-answer")


async def test_an_answer_given_while_the_queue_is_built_is_kept(
    tmp_path: Path, clock: Clock
) -> None:
    app = review_app(tmp_path, clock, cards=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = app.review_pane
        await pilot.press("f4")
        first = pane.current()
        assert isinstance(first, Card)
        with app.desk.store.transaction() as tx:
            tx.put("cards", make_card("added elsewhere"))
        pane.restart_in_background()  # as after an import
        assert pane.building
        pane.action_reveal()  # answered before the worker's queue arrives
        pane.action_grade(3)
        await settled(pilot)
        assert not pane.building and pane.session is not None
        queued = [c.id for c in pane.session.queue.new]
        assert first.id not in queued, "the answered card did not come back as new"
        assert len(queued) == 3  # the two left and the one added elsewhere
        assert app.desk.store.cards.get(first.id).reps == 1
