"""Answer times and button probabilities measured from a built review log, as fsrs-rs's
`extract_simulator_config` measures them (blended with Anki's defaults by n / (n + 50)); with
no timed history, Anki's defaults and a note saying so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskwork.domain.answering import measure
from deskwork.domain.cards import CardState, ReviewLog
from deskwork.domain.simulation import DEFAULT_COSTS, DEFAULT_FIRST_RATING_PROB, Behaviour
from tests.helpers import T0

NEXT_DAY = T0.replace(hour=4) + timedelta(days=1)


def log(
    card: int, rating: int, days_ago: float, ms: int, state: CardState, **kw: object
) -> ReviewLog:
    return ReviewLog(card_id=card, rating=rating, ts=T0 - timedelta(days=days_ago), duration_ms=ms,
                     state=state, **kw)  # type: ignore[arg-type]  # fmt: skip


def history() -> list[ReviewLog]:
    """100 new cards: first answer Good (8 s) then Good (4 s) ten minutes later; 30 of them
    first answered Again (20 s) instead. Later: 100 reviews remembered (Good 6 s, 20 Hard
    12 s) and 10 forgotten (Again 15 s) then Good in relearning (5 s)."""
    out = []
    for card in range(100):
        first = 1 if card < 30 else 3
        out.append(
            log(card, first, 40, 20000 if first == 1 else 8000, CardState.LEARNING, was_new=True)
        )
        out.append(log(card, 3, 40 - 10 / 1440, 4000, CardState.LEARNING))
    for card in range(100):
        hard = card < 20
        out.append(log(card, 2 if hard else 3, 10, 12000 if hard else 6000, CardState.REVIEW))
    for card in range(100, 110):
        out.append(log(card, 1, 5, 15000, CardState.REVIEW))
        out.append(log(card, 3, 5 - 10 / 1440, 5000, CardState.RELEARNING))
    out.append(log(999, 0, 3, 0, CardState.REVIEW, manual=4))  # a manual entry: not an answer
    out.append(log(998, 3, 3, 1_500_000, CardState.REVIEW))  # 25 minutes: left out as fsrs-rs does
    return out


def lerp(measured: float, default: float, n: int) -> float:
    w = n / (n + 50)
    return w * measured + (1 - w) * default


def test_costs_and_probabilities_come_from_the_history() -> None:
    m = measure(history(), NEXT_DAY)
    b = m.behaviour
    assert m.timed_answers == 200 + 100 + 20
    # Good in review: 80 answers of 6 s; Hard: 20 of 12 s; Again in review: 10 of 15 s.
    assert b.costs[1][2] == pytest.approx(round(lerp(6.0, DEFAULT_COSTS[1][2], 80), 2))
    assert b.costs[1][1] == pytest.approx(round(lerp(12.0, DEFAULT_COSTS[1][1], 20), 2))
    assert b.costs[1][0] == pytest.approx(round(lerp(15.0, DEFAULT_COSTS[1][0], 10), 2))
    # Learning Good: 70 first answers of 8 s and 100 second steps of 4 s → mean 5647 ms.
    assert b.costs[0][2] == pytest.approx(round(lerp(5.647, DEFAULT_COSTS[0][2], 170), 2))
    assert b.costs[0][3] == DEFAULT_COSTS[0][3], "no Easy in learning: the default"
    # First answers: 30 Again, 70 Good of 100.
    expected = [
        lerp(p, d, 100) for p, d in zip((0.3, 0, 0.7, 0), DEFAULT_FIRST_RATING_PROB, strict=True)
    ]
    assert list(b.first_rating_prob) == pytest.approx(expected)
    # Remembered reviews: Hard 20, Good 80, Easy 0 of 100.
    assert b.review_rating_prob[0] == pytest.approx(lerp(0.2, 0.224, 100))
    assert b.review_rating_prob[1] == pytest.approx(lerp(0.8, 0.631, 100))
    assert sum(b.review_rating_prob) == pytest.approx(1.0)
    # Learning days: Again → Good 30 times, Good → Good 70 times (+1 smoothing on each cell).
    again_row = b.learning_transitions[0]
    assert again_row[2] == pytest.approx(lerp(31 / 34, 0.5108, 34))
    assert m.learning_days == 100 and m.relearning_days == 10
    assert m.notes == (), "enough history: no note"


def test_without_timed_history_the_defaults_and_a_note() -> None:
    m = measure([log(1, 3, 1, 0, CardState.REVIEW)], NEXT_DAY)
    assert m.behaviour == Behaviour() and m.from_defaults
    assert "Anki's default" in m.notes[0]
    thin = measure(history()[:20], NEXT_DAY)
    assert any("lean on Anki's defaults" in n for n in thin.notes)
