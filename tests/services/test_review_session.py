"""The review session against a real store: answers are durable, undo (several levels) restores the
card and removes its log entry, bury until the next study day, cram leaves the schedule alone,
editing keeps the history, quick capture, the daily limits on the study day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from deskwork.domain.cards import CardState, NoteType
from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from tests.helpers import T0, Clock, make_card


def open_desk(tmp_path: Path, clock: Clock, config: str = "[cards]\nfuzz = false\n") -> Desk:
    (tmp_path / "config.toml").write_text(config)
    return Desk.open(Paths(tmp_path, tmp_path), clock=clock)


def seed(desk: Desk, n: int) -> None:
    with desk.store.transaction() as tx:
        for i in range(n):
            tx.put("cards", make_card(f"card {i}", when=T0 + timedelta(seconds=i)))


def test_answers_are_durable_and_undo_goes_back_several_levels(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock)
    seed(desk, 3)
    session = cs.ReviewSession(desk)
    first = session.current()
    assert first is not None and first.front == "card 0"
    session.answer(Grade.GOOD, 1200)
    session.answer(Grade.EASY)
    assert desk.store.reviews.count() == 2
    assert desk.store.cards.get(first.id).state is CardState.LEARNING  # type: ignore[union-attr]
    assert session.undo() is not None and session.undo() is not None
    assert desk.store.reviews.count() == 0
    restored = desk.store.cards.get(first.id)
    assert restored == first, "the card is exactly as before"
    assert session.undo() is None, "nothing more to undo"
    current = session.current()
    assert current is not None and current.front == "card 0"
    session.answer(Grade.AGAIN, 900)
    desk.close()

    desk = open_desk(tmp_path, clock)
    [log] = desk.store.reviews.all()
    assert (log.rating, log.duration_ms, log.was_new, log.ts) == (1, 900, True, T0)
    desk.close()


def test_a_learning_card_comes_back_the_same_day(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    seed(desk, 1)
    session = cs.ReviewSession(desk)
    session.answer(Grade.AGAIN)  # 1 minute
    again = session.current()
    assert again is not None and again.front == "card 0", "due within the learn-ahead window"
    assert session.remaining() == (0, 1, 0)
    session.answer(Grade.EASY)
    assert session.current() is None
    up = session.next_up()  # Easy: a review, back from the start of a later study day
    assert up is not None and up[1] and up[0] >= T0 + timedelta(days=1)
    desk.close()


def test_a_learning_step_due_later_today_is_counted_when_near_as_in_anki(
    tmp_path: Path, clock: Clock
) -> None:
    """The review pane, the desk's "due" figure and the deck list count learning as Anki does:
    intraday steps due within the learn-ahead limit (20 minutes), not every one due today."""
    from deskwork.services.due_today import deck_list

    desk = open_desk(tmp_path, clock)
    with desk.store.transaction() as tx:
        tx.put("cards", make_card("an hour's step", state=CardState.LEARNING, step=1,
                                  last_review=T0, due=T0 + timedelta(hours=2)))  # fmt: skip
    session = cs.ReviewSession(desk)
    assert session.current() is None
    assert session.remaining() == (0, 0, 0)
    assert (desk.due_today().learning, deck_list(desk)[0].learning) == (0, 0)
    clock.advance(hours=1, minutes=45)
    assert session.remaining() == (0, 1, 0), "within the learn-ahead limit now"
    assert (desk.due_today().learning, deck_list(desk)[0].learning) == (1, 1)
    desk.close()


def test_new_card_limit_and_the_study_day_boundary(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(
        tmp_path, clock, "[cards]\nfuzz = false\nnew_per_day = 2\n[study]\nday_start_hour = 4\n"
    )
    seed(desk, 5)
    session = cs.ReviewSession(desk)
    assert session.remaining()[0] == 2
    session.answer(Grade.EASY)
    session.answer(Grade.EASY)
    assert session.current() is None
    assert cs.ReviewSession(desk).remaining()[0] == 0, "the limit holds for a new session today"
    clock.now = T0.replace(hour=3, minute=59) + timedelta(days=1)  # still the same study day
    assert cs.ReviewSession(desk).remaining()[0] == 0
    clock.now = T0.replace(hour=4, minute=0) + timedelta(days=1)  # a new study day
    assert cs.ReviewSession(desk).remaining()[0] == 2
    desk.close()


def test_bury_waits_for_the_next_study_day_and_suspend_for_ever(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock)
    seed(desk, 2)
    session = cs.ReviewSession(desk)
    session.bury()
    session.suspend()
    assert session.current() is None
    clock.advance(days=1)
    fresh = cs.ReviewSession(desk)
    current = fresh.current()
    assert current is not None and current.front == "card 0" and fresh.remaining()[0] == 1
    fresh.undo()  # nothing of this session to undo: harmless
    desk.close()


def test_cram_leaves_the_schedule_alone(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    seed(desk, 3)
    before = {c.id: c for c in desk.store.cards.all()}
    session = cs.ReviewSession(desk, cram=True)
    session.answer(Grade.AGAIN)
    session.answer(Grade.GOOD)
    assert session.remaining()[2] == 2, "Again puts the card back in the pile"
    assert {c.id: c for c in desk.store.cards.all()} == before
    assert desk.store.reviews.count() == 0
    desk.close()


def test_edit_in_place_keeps_schedule_and_history_and_adds_cloze_cards(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock)
    [card] = cs.add_note(desk, NoteType.CLOZE, ["{{c1::Adam}} optimizer", ""], "ML", ["opt"])
    session = cs.ReviewSession(desk)
    session.answer(Grade.EASY)
    answered = desk.store.cards.get(card.id)
    assert answered is not None
    cs.edit_note(
        desk, answered, ["{{c1::Adam}} uses {{c2::momentum}}", "Kingma"], "ML::Optim", ["opt"]
    )
    cards = sorted(desk.store.cards.all(), key=lambda c: c.ord)
    assert [c.ord for c in cards] == [0, 1] and {c.deck for c in cards} == {"ML::Optim"}
    assert cards[0].reps == 1 and cards[0].due == answered.due, "the schedule stays"
    assert cards[1].is_new and cards[1].note_guid == card.note_guid
    assert desk.store.reviews.count() == 1
    desk.close()


def test_quick_capture_remembers_the_deck_and_the_source(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    assert cs.last_deck(desk) == "Default"
    cards = cs.add_note(
        desk, NoteType.REVERSED, ["ReLU", "max(0, x)"], "ML::Basics", [], source_item=3
    )
    assert [(c.ord, c.source_item) for c in cards] == [(0, 3), (1, 3)]
    assert cs.last_deck(desk) == "ML::Basics"
    with pytest.raises(ValueError, match="needs a deletion"):
        cs.add_note(desk, NoteType.CLOZE, ["no deletion", ""], "ML", [])
    with pytest.raises(ValueError, match="front is empty"):
        cs.add_note(desk, NoteType.BASIC, ["  ", "x"], "ML", [])
    stats = cs.stats(desk)
    assert (stats["notes"], stats["cards"], stats["new"], stats["decks"]) == (
        1,
        2,
        2,
        {"ML::Basics": 2},
    )
    desk.close()


def test_undo_shows_the_card_it_brought_back_first(tmp_path: Path, clock: Clock) -> None:
    """As in Anki, the card whose answer was undone is shown again at once, even when a learning
    card fell due meanwhile (that one comes right after)."""
    desk = open_desk(tmp_path, clock)
    seed(desk, 3)
    session = cs.ReviewSession(desk)
    session.answer(Grade.AGAIN)  # card 0: learning, due in a minute
    shown = session.current()
    assert shown is not None and shown.front == "card 1", "card 0 is not due yet"
    session.answer(Grade.GOOD)
    clock.advance(minutes=2)  # card 0's step falls due
    assert session.undo() is not None  # card 1 is new again
    back = session.current()
    assert back is not None and back.front == "card 1", "the undone card, not card 0"
    session.answer(Grade.EASY)
    after = session.current()
    assert after is not None and after.front == "card 0", "then the queue as usual"
    desk.close()


def test_the_card_shown_stays_until_answered_when_a_learning_card_falls_due(
    tmp_path: Path, clock: Clock
) -> None:
    """Anki keeps the card on screen: a learning step that ends meanwhile waits for the next
    card. It took the shown card's place, so Space showed another card's answer (and 3 graded a
    card never recalled)."""
    desk = open_desk(tmp_path, clock)
    seed(desk, 3)
    session = cs.ReviewSession(desk)
    session.answer(Grade.AGAIN)  # card 0 comes back in a minute
    shown = session.current()
    assert shown is not None and shown.front == "card 1"
    clock.advance(minutes=2)  # card 0's step has ended while card 1 is on screen
    still = session.current()
    assert still is not None and still.id == shown.id
    session.answer(Grade.GOOD)  # graded: the one on screen
    assert desk.store.reviews.all()[-1].card_id == shown.id
    after = session.current()
    assert after is not None and after.front == "card 0"  # now the due learning card
    desk.close()


def test_next_up_is_kept_from_the_build_through_the_sessions_writes(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pass over every card behind "Nothing due. Next card: …" is made once, where the
    session is built (on a worker in the app), not at the review pane's asks (one at each
    refresh of the desk): asks, time passing and the session's own writes (answer, bury, undo,
    flag, suspend) re-place cards without another, each answer that of a fresh pass. A note's
    edit (its cards not known here) makes one at the next ask."""
    from deskwork.domain.upcoming import Upcoming
    from deskwork.services import review_session
    from tests.domain.test_upcoming import old_next_up

    passes: list[object] = []

    class Counted(Upcoming):
        def __init__(self, *args: Any) -> None:
            passes.append(args[1])
            super().__init__(*args)

    monkeypatch.setattr(review_session, "Upcoming", Counted)
    desk = open_desk(tmp_path, clock)
    seed(desk, 3)
    clock.now = T0 + timedelta(seconds=5)  # every card due
    session = cs.ReviewSession(desk)
    assert len(passes) == 1, "made with the session"

    def check() -> object:
        up = session.next_up()
        assert up == old_next_up(session._cards(), clock.now, desk.config.study.day_start_hour)
        return up

    session.answer(Grade.AGAIN)  # learning: back in a minute
    session.answer(Grade.EASY)  # the next card: a review, days away
    up = check()
    assert up is not None and not up[1]  # the learning step's moment
    check()
    clock.now = T0 + timedelta(seconds=15)  # time passes, the moment is still ahead
    check()
    session.bury()
    check()
    session.undo()
    check()
    clock.now = up[0] + timedelta(seconds=1)  # the moment has come: the next one
    check()
    for write in (lambda: session.flag(1), session.suspend, session.undo):
        assert session.current() is not None
        write()
        check()
    assert len(passes) == 1, "no pass after the build"
    assert session.current() is not None
    session.edit(["card 0 edited", "back"], "Default", [])
    check()
    assert len(passes) == 2, "an edit: one pass at the next ask"
    desk.close()
