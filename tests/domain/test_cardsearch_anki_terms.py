"""Anki's `rated:n:m` (answered with button m on one of the last n study days, from the review log)
and `prop:due` (a card's due day counted from today) in the card search, as rslib's search
parser and SQL writer define them; a malformed term is refused with a message naming it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.cardsearch import search
from deskwork.domain.studyday import day_bounds, study_day
from tests.helpers import T0, make_card

NOW = T0 + timedelta(days=10)
START = day_bounds(study_day(NOW, 4), 4)[0]  # today's study day began here (4:00 local)
END = day_bounds(study_day(NOW, 4), 4)[1]  # and ends here


def _answers(logs: list[ReviewLog], asked: list[datetime]) -> object:
    def answers(since: datetime) -> Iterable[tuple[int, int]]:
        asked.append(since)
        return [(e.card_id, e.rating) for e in logs if e.ts >= since]

    return answers


def test_rated_days_and_button_reads_every_answer_in_the_window() -> None:
    cards = [make_card(f"card {n}", id=n, when=T0) for n in (1, 2, 3)]
    logs = [
        ReviewLog(card_id=1, rating=1, ts=START + timedelta(hours=1)),  # Again today
        ReviewLog(card_id=1, rating=3, ts=START - timedelta(hours=1)),  # Good yesterday
        ReviewLog(card_id=2, rating=3, ts=START + timedelta(minutes=5)),  # Good today
        ReviewLog(card_id=3, rating=1, ts=START - timedelta(days=9)),  # Again 10 days back
        ReviewLog(card_id=3, rating=4, ts=START - timedelta(days=40)),
    ]
    asked: list[datetime] = []
    answers = _answers(logs, asked)

    def ids(query: str) -> list[int]:
        return [c.id for c in search(cards, query, NOW, start_hour=4, answers=answers)]  # type: ignore[arg-type]

    assert ids("rated:1:1") == [1]
    assert ids("rated:1:3") == [2]
    assert ids("rated:2:3") == [1, 2], "an earlier answer counts, not only the last one"
    assert ids("rated:10:1") == [1, 3] and ids("rated:9:1") == [1]
    assert ids("rated:30:4") == [] and ids("rated:41:4") == [3]
    assert ids("-rated:2:3") == [3] and ids("rated:1:1 or rated:1:3") == [1, 2]
    assert asked[0] == START and asked[2] == START - timedelta(days=1)
    asked.clear()
    assert ids("deck:Default is:new") == [1, 2, 3] and asked == [], "the log is read only if asked"


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("rated:7:5", "rated:7:5: the answer after the days is a button 1–4"),
        ("rated:7:x", "rated:7:x: the answer after the days is a button 1–4"),
        ("rated:x:1", "rated:x needs a number of days from 1"),
        ("rated:7:", "rated:7:: the answer after the days is a button 1–4"),
        ("prop:reps>-1", r"prop:reps>-1: reps takes a whole number from 0 \(prop:reps>0\)"),
        ("prop:ivl>=-3", "prop:ivl>=-3: ivl takes a whole number from 0"),
        ("prop:due=1.5", r"prop:due=1.5: due takes a whole number \(prop:due=1\)"),
        ("prop:due>x", "prop:due>x is not a property test"),
        ("prop:ease<2", "prop:ease<2: deskwork schedules with FSRS"),
        ("prop:pos=3", "prop:pos=3: pos is not a property deskwork knows"),
    ],
)
def test_a_malformed_term_is_named(term: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        search([make_card(id=1)], f"deck:Default {term}", NOW, start_hour=4, answers=lambda _: [])


def test_rated_with_a_button_and_no_log_says_so() -> None:
    with pytest.raises(ValueError, match="rated:2:1 needs the review log"):
        search([make_card(id=1)], "rated:2:1", NOW, start_hour=4)


def _review(id_: int, due: datetime, **kw: object) -> Card:
    return make_card(
        f"card {id_}", id=id_, state=CardState.REVIEW, step=None, due=due,
        last_review=due - timedelta(days=5), stability=5.0, difficulty=5.0, reps=3, **kw,
    )  # fmt: skip


def test_prop_due_counts_study_days_from_today_as_anki_does() -> None:
    noon_in = START + timedelta(hours=8)
    cards = [
        _review(1, noon_in + timedelta(days=1)),  # tomorrow
        _review(2, noon_in - timedelta(days=2)),  # two days overdue
        _review(3, START + timedelta(minutes=30)),  # today
        _review(4, END - timedelta(minutes=1) + timedelta(days=7)),  # a week on, before 4:00
        make_card("new", id=5, when=T0),  # new: never
        _review(6, noon_in + timedelta(days=1), suspended=True),  # suspended: never
        _review(7, noon_in + timedelta(days=1), buried_until=END),  # buried: never
        # learning within today (its step made today): due in an hour is 0 days
        make_card(
            "learning",
            id=8,
            state=CardState.LEARNING,
            step=1,
            reps=1,
            last_review=NOW - timedelta(minutes=10),
            due=NOW + timedelta(hours=1),
        ),
        # learning across days (interday step): its due day, as a review card's
        make_card(
            "interday",
            id=9,
            state=CardState.LEARNING,
            step=1,
            reps=1,
            last_review=START - timedelta(hours=2),
            due=noon_in + timedelta(days=2),
        ),
    ]

    def ids(query: str) -> list[int]:
        return sorted(c.id for c in search(cards, query, NOW, start_hour=4))

    assert ids("prop:due=1") == [1]
    assert ids("prop:due=-2") == [2] and ids("prop:due<0") == [2]
    assert ids("prop:due=0") == [3, 8]
    assert ids("prop:due=7") == [4]
    assert ids("prop:due=2") == [9]
    assert ids("prop:due>-1") == [1, 3, 4, 8, 9]
    assert ids("prop:due>=1 prop:due<=7") == [1, 4, 9]
    assert ids("-prop:due>-100") == [5, 6, 7], "new, suspended, buried cards have no due day"
