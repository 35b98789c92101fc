"""The browser's search and `cards list` read the review log for `rated:n:m`: a card answered
Again today is found by `rated:1:1` after a real answer in a real store."""

from __future__ import annotations

from pathlib import Path

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.browse import search_job
from deskwork.services.cards import ReviewSession
from deskwork.services.notes import listing
from tests.helpers import Clock, make_card


def test_rated_with_a_button_finds_the_card_answered_so(tmp_path: Path) -> None:
    clock = Clock()
    desk = Desk.open(Paths(tmp_path, tmp_path), clock=clock)
    with desk.store.transaction() as tx:
        forgot = tx.put("cards", make_card("forgot", when=clock.now))
        tx.put("cards", make_card("knew", when=clock.now))
    session = ReviewSession(desk)
    for _ in range(2):
        card = session.current()
        assert card is not None
        session.answer(1 if card.id == forgot.id else 3)  # type: ignore[arg-type]
    found = search_job(desk, "rated:1:1", rows=10)()
    assert [c.id for c in found.cards] == [forgot.id]
    assert len(search_job(desk, "rated:1:3", rows=10)().cards) == 1
    assert [row["id"] for row in listing(desk, "rated:1:1")] == [forgot.id]
    desk.close()


def test_a_field_search_reads_the_stored_note_types_fields(tmp_path: Path) -> None:
    """`word:ch*` finds the card whose note type (an imported one) has a field Word starting
    with "ch", in the browser's search and in `cards list`; a field no type has is refused."""
    import pytest

    from deskwork.domain.notetypes import CardTemplate, NoteTypeDef

    clock = Clock()
    desk = Desk.open(Paths(tmp_path, tmp_path), clock=clock)
    vocab = NoteTypeDef(
        key="anki:7", name="Vocab", fields=["Word", "Meaning"],
        templates=[CardTemplate(name="Card 1", front="{{Word}}", back="{{Meaning}}")],
    )  # fmt: skip
    with desk.store.transaction() as tx:
        tx.put("notetypes", vocab)
        chat = tx.put("cards", make_card("chat", back="cat", note_type="anki:7", when=clock.now))
        tx.put("cards", make_card("chien", back="dog", note_type="anki:7", when=clock.now))
        tx.put("cards", make_card("chat", back="cat", when=clock.now))  # a Basic card
    assert [c.id for c in search_job(desk, "word:ch*t", rows=10)().cards] == [chat.id]
    assert [row["id"] for row in listing(desk, "meaning:CAT")] == [chat.id]
    with pytest.raises(ValueError, match="no note type has a field 'wort'"):
        search_job(desk, "wort:chat", rows=10)()
    desk.close()
