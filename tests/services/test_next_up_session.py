"""A review session's "next card" (ReviewSession.next_up, kept from its build through its own
writes: domain/upcoming.py) over random sessions against a real store: after any mix of answers,
burials (siblings in other decks too, by the preset), suspensions, flags, undos and time passing,
it equals the old pass over every card of the deck studied."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.domain.presets import DeckOptions, Preset
from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from tests.domain.test_upcoming import cards_as, old_next_up
from tests.helpers import T0, Clock

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(list(Grade))),
        st.tuples(st.sampled_from(["bury", "suspend", "flag", "undo"]), st.just(0)),
        st.tuples(st.just("wait"), st.integers(0, 30 * 60)),
    ),
    max_size=20,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # a real store each
@given(
    data=st.data(),
    n=st.integers(1, 14),
    deck=st.sampled_from(["", "A"]),
    actions=ACTIONS,
)
def test_next_up_equals_a_pass_over_the_decks_cards(
    data: st.DataObject, n: int, deck: str, actions: list[tuple[str, object]]
) -> None:
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "config.toml").write_text("[cards]\nfuzz = false\n")
        desk = Desk.open(Paths(root, root), clock=clock)
        try:
            with desk.store.transaction() as tx:
                bury = tx.put("presets", Preset(name="Bury", bury_new=True, bury_reviews=True,
                                                bury_interday_learning=True))  # fmt: skip
                tx.put("deck_options", DeckOptions(deck="A", preset_id=bury.id))
                for i in range(n):
                    card = data.draw(cards_as(i + 1))
                    update: dict[str, object] = {
                        "deck": "AB"[i % 2],
                        "note_guid": f"note-{i // 3}",
                        "ord": i % 3,
                    }
                    if not card.is_new:  # a memory state to grade from
                        update |= {"stability": 3.0, "difficulty": 5.0}
                    tx.put("cards", card.model_copy(update=update))
            session = cs.ReviewSession(desk, deck=deck)
            hour = desk.config.study.day_start_hour
            for action, arg in actions:
                if action == "wait":
                    clock.advance(seconds=int(str(arg)))
                elif action == "answer":
                    session.answer(Grade(arg))
                else:
                    getattr(session, action)(*([1] if action == "flag" else []))
                expected = old_next_up(session._cards(), clock.now, hour)
                assert session.next_up() == expected
        finally:
            desk.close()


def test_a_sibling_in_another_deck_brought_back_by_an_undo_is_not_the_next_card(
    tmp_path: Path,
) -> None:
    """Studying deck A: answering a card buries its note's new card in deck B (A's preset buries
    siblings), the undo brings it back. B's card, due in an hour, is not A's next card."""
    from deskwork.domain.cards import CardState
    from tests.helpers import make_card

    clock = Clock()
    (tmp_path / "config.toml").write_text("[cards]\nfuzz = false\n")
    desk = Desk.open(Paths(tmp_path, tmp_path), clock=clock)
    with desk.store.transaction() as tx:
        bury = tx.put("presets", Preset(name="Bury", bury_new=True))
        tx.put("deck_options", DeckOptions(deck="A", preset_id=bury.id))
        tx.put("cards", make_card("a", id=1, deck="A", note_guid="n", state=CardState.REVIEW,
                                  last_review=T0 - timedelta(days=3), stability=3.0,
                                  difficulty=5.0))  # fmt: skip
        tx.put("cards", make_card("b", id=2, deck="B", note_guid="n", ord=1,
                                  when=T0 + timedelta(hours=1)))  # fmt: skip
    session = cs.ReviewSession(desk, deck="A")
    session.answer(Grade.GOOD)
    assert desk.store.cards.get(2).buried_until is not None  # type: ignore[union-attr]
    session.undo()
    assert desk.store.cards.get(2).buried_until is None  # type: ignore[union-attr]
    session.bury()  # A's card waits for tomorrow: nothing of A comes up
    assert session.next_up() is None
    assert old_next_up(session._cards(), clock.now, desk.config.study.day_start_hour) is None
    desk.close()
