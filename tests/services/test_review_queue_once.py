"""The review queue holds a card at most once through every session action (answer, sibling bury,
bury, suspend, undo, cram, time passing, a new session taking over the old one's undo and card
shown): `domain/reviewqueue.py` finds the card on screen and the card answered at a list's head
and removes one copy only, which is right only while that holds."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from tests.helpers import T0, Clock, make_card


def queued_ids(session: cs.ReviewSession) -> list[int]:
    queue = session.queue
    return [c.id for part in (queue.learning, queue.reviews, queue.new) for c in part]


@pytest.mark.parametrize("seed", range(6))
def test_no_action_puts_a_card_in_the_queue_twice(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    clock = Clock()
    (tmp_path / "config.toml").write_text("[cards]\nfuzz = false\n")
    desk = Desk.open(Paths(tmp_path, tmp_path), clock=clock)
    try:
        with desk.store.transaction() as tx:
            for i in range(12):  # four notes of three cards: siblings
                card = make_card(f"c{i}", when=T0 + timedelta(seconds=i), note_guid=f"n{i % 4}")
                tx.put("cards", card)
        session = cs.ReviewSession(desk, cram=seed % 3 == 2)
        answered = 0
        for _ in range(60):
            action = rnd.choice("aaabsuutn")
            if action == "a":
                answered += session.answer(rnd.choice(list(Grade))) is not None
            elif action == "b":
                session.bury()
            elif action == "s":
                session.suspend()
            elif action == "u":
                session.undo()
            elif action == "t":
                clock.advance(minutes=rnd.choice([1, 10, 600, 1440]))
            else:  # a new session (an import, a card added) keeps undo and the card shown
                old = session
                session = cs.ReviewSession(desk, cram=old.cram)
                session.undo_stack, session.queue.first = old.undo_stack, old.queue.first
            ids = queued_ids(session)
            assert len(ids) == len(set(ids)), f"after {action!r}: {ids}"
            session.current()
        assert answered, "the sequence answered cards"
    finally:
        desk.close()
