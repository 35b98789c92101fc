"""Undo puts the cards an answer, a bury or a suspension took out of today's queue back where
they stood (domain/reviewqueue.py `spots_of` / `put_back`), as Anki's undo of a queue update
does: no rebuild of the queue (200-400 ms of the UI thread at the power-user scale). Checked
against the queue as it was before each change, and against a fresh build once all is undone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import CardState
from deskwork.domain.presets import DeckOptions, Preset
from deskwork.domain.reviewqueue import ReviewQueue
from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from tests.helpers import T0, Clock, make_card

Shape = tuple[list[int], list[int], list[int], int, int]


def shape(queue: ReviewQueue) -> Shape:
    return (
        [c.id for c in queue.learning],
        [c.id for c in queue.reviews],
        [c.id for c in queue.new],
        queue.main_taken,
        queue.new_taken,
    )


def open_desk(folder: Path, clock: Clock) -> Desk:
    folder.mkdir()
    (folder / "config.toml").write_text("[cards]\nfuzz = false\n")
    desk = Desk.open(Paths(folder, folder), clock=clock)
    with desk.store.transaction() as tx:
        bury = tx.put("presets", Preset(name="Bury", bury_new=True, bury_reviews=True))
        tx.put("deck_options", DeckOptions(deck="B", preset_id=bury.id))
        n = 0
        for deck in ("A", "B"):
            for note in range(4):  # two cards a note: siblings (buried in B)
                for ord_ in range(2):
                    n += 1
                    review = note % 2 == 1
                    extra: dict[str, object] = (
                        {
                            "state": CardState.REVIEW,
                            "stability": 5.0 + n,
                            "difficulty": 5.0,
                            "last_review": T0 - timedelta(days=6),
                            "reps": 3,
                            "due": T0 - timedelta(hours=n),
                        }
                        if review
                        else {}
                    )
                    tx.put("cards", make_card(f"{deck}{n}", id=n, deck=deck, ord=ord_,
                                              note_guid=f"{deck}-{note}",
                                              when=T0 + timedelta(seconds=n), **extra))  # fmt: skip
    return desk


ACTIONS = st.lists(
    st.sampled_from(["again", "hard", "good", "easy", "bury", "suspend"]), min_size=1, max_size=9
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS, minutes=st.integers(min_value=0, max_value=20))
def test_each_undo_gives_back_the_queue_as_it_was_before_the_change(
    tmp_path_factory: object, actions: list[str], minutes: int
) -> None:
    folder = tmp_path_factory.mktemp("undo") / "data"  # type: ignore[attr-defined]
    clock = Clock(T0)
    desk = open_desk(folder, clock)
    try:
        session = cs.ReviewSession(desk)
        fresh = shape(session.queue)
        before: list[tuple[Shape, int]] = []
        for action in actions:
            card = session.current()
            if card is None:
                break
            before.append((shape(session.queue), card.id))
            if action == "bury":
                session.bury()
            elif action == "suspend":
                session.suspend()
            else:
                session.answer(Grade[action.upper()])
            clock.advance(minutes=minutes)  # learning steps fall due meanwhile
        for was, card_id in reversed(before):
            assert session.undo() is not None
            assert shape(session.queue) == was
            assert session.queue.first == card_id, "the card brought back is shown first"
            shown = session.current()
            assert shown is not None and shown.id == card_id
        assert session.undo() is None
        assert shape(session.queue) == fresh
        rebuilt = cs.ReviewSession(desk).queue  # from the store as the undos left it
        assert shape(rebuilt)[:3] == fresh[:3]
    finally:
        desk.close()


def test_an_undo_after_the_queue_was_built_again_builds_it(tmp_path: Path) -> None:
    """The spots are of the queue the change was made in: once it was built again (an import, the
    study day's turn), the undone card is placed by a new build instead."""
    clock = Clock(T0)
    desk = open_desk(tmp_path / "data", clock)
    session = cs.ReviewSession(desk)
    card = session.current()
    assert card is not None
    session.answer(Grade.EASY)
    session.rebuild()
    assert card.id not in {c.id for c in session.queue.new + session.queue.reviews}
    assert session.undo() is not None
    shown = session.current()
    assert shown is not None and shown.id == card.id
    assert desk.store.cards.get(card.id) == card
    desk.close()
