"""Undo across review sessions and later changes: the app hands the undo stack to each new session
of the same mode (another deck studied, an import, a card added), so an undo's queue spots are
used only in the very queue they were taken from (builds are numbered across sessions); and an
undo takes back only what the change wrote (domain/undo.py `taken_back`): an edit or a flag made
after the answer stays. Found by a review of the undo in place."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Static

from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from tests.helpers import T0, Clock, make_card
from tests.services.test_undo_in_place import open_desk, shape
from tests.ui.factory import desk_app, ready


def _handover(old: cs.ReviewSession, new: cs.ReviewSession) -> None:
    """What ui/panes/review_session.py `_install` does with a new session of the same mode."""
    new.undo_stack = old.undo_stack
    new.queue.first = old.queue.first


def _queued(session: cs.ReviewSession) -> list[int]:
    q = session.queue
    return [c.id for c in q.learning + q.reviews + q.new]


def test_undo_after_studying_another_deck_keeps_to_that_deck(tmp_path: Path) -> None:
    desk = open_desk(tmp_path / "data", Clock(T0))
    try:
        a = cs.ReviewSession(desk, deck="A")
        card = a.current()
        assert card is not None and card.deck == "A"
        a.answer(Grade.EASY)
        b = cs.ReviewSession(desk, deck="B")
        _handover(a, b)
        assert b.undo() is not None
        assert desk.store.cards.get(card.id) == card
        assert {desk.store.cards.get(i).deck for i in _queued(b)} == {"B"}  # type: ignore[union-attr]
        shown = b.current()
        assert shown is not None and shown.deck == "B"
    finally:
        desk.close()


def test_undo_in_a_session_built_since_gives_a_fresh_builds_queue(tmp_path: Path) -> None:
    desk = open_desk(tmp_path / "data", Clock(T0))
    try:
        old = cs.ReviewSession(desk)
        for _ in range(3):
            old.answer(Grade.EASY)
        new = cs.ReviewSession(desk)
        _handover(old, new)
        assert new.undo() is not None
        fresh = cs.ReviewSession(desk).queue
        assert shape(new.queue)[3:] == shape(fresh)[3:]  # the mix counters of a new build
        assert sorted(_queued(new)) == sorted(
            c.id for c in fresh.learning + fresh.reviews + fresh.new
        )
    finally:
        desk.close()


def test_undo_of_an_answer_keeps_an_edit_and_a_flag_made_since(tmp_path: Path) -> None:
    clock = Clock(T0)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "config.toml").write_text("[cards]\nfuzz = false\n")
    desk = Desk.open(Paths(folder, folder), clock=clock)
    with desk.store.transaction() as tx:
        tx.put("cards", make_card("typo frnt", deck="A", note_guid="n1"))
    try:
        session = cs.ReviewSession(desk, deck="A")
        card = session.current()
        assert card is not None
        session.answer(Grade.AGAIN)
        clock.advance(minutes=15)
        shown = session.current()
        assert shown is not None and shown.id == card.id, "the learning card is back"
        session.edit(["fixed front", "fixed back"], "", [])
        session.flag(3)
        assert session.undo() is not None
        stored = desk.store.cards.get(card.id)
        assert stored is not None
        assert stored.fields == ["fixed front", "fixed back"], "the edit stays"
        assert stored.flag == 3, "the flag stays"
        assert (stored.state, stored.due, stored.reps) == (card.state, card.due, card.reps)
        assert desk.store.reviews.count() == 0
    finally:
        desk.close()


async def test_undo_in_the_app_after_studying_another_deck(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        for i, deck in enumerate(["A", "A", "B", "B"]):
            tx.put("cards", make_card(f"q {deck}{i}", back=f"a {deck}{i}", deck=deck,
                                      when=T0 + timedelta(seconds=i)))  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        pane = app.review_pane
        pane.study("A")
        await pilot.pause()
        assert pane.session is not None and pane.session.current().deck == "A"  # type: ignore[union-attr]
        await pilot.press("space", "4")  # Easy: an A card answered
        await pilot.pause()
        pane.study("B")
        await pilot.pause()
        assert pane.session.current().deck == "B"  # type: ignore[union-attr]
        await pilot.press("u")  # take back the A answer
        await pilot.pause()
        shown = pane.session.current()
        question = str(pane.query_one("#review-question", Static).render())
        queue = pane.session.queue
        queued = {c.deck for part in (queue.learning, queue.reviews, queue.new) for c in part}
        assert shown is not None and shown.deck == "B", f"studying B, shows {question!r}"
        assert queued == {"B"}
