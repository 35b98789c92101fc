"""Review sort orders as Anki's `review_order_sql` has them (with FSRS on), checked card by card on
hand-built cards; the stable random is Anki's own `fnvhash` (the real `anki` package's SQL function
as the oracle); the queue gathers in the studied preset's order, so a review limit keeps the
order's first cards; retrievability as FSRS defines it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain import revieworder as ro
from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card, CardState
from deskwork.domain.presets import DeckOptions, Preset, Presets
from tests.helpers import T0, make_card

DAY_END = T0.replace(hour=4) + timedelta(days=1)


def review(n: int, **kw: object) -> Card:
    fields: dict[str, object] = {
        "id": n,
        "state": CardState.REVIEW,
        "step": None,
        "stability": 10.0,
        "difficulty": 5.0,
        "last_review": T0 - timedelta(days=10),
        "due": T0 - timedelta(hours=1),
        "reps": 3,
    }
    return make_card(f"card {n}", **(fields | kw))


def ordered(order: str, cards: list[Card], **kw: object) -> list[int]:
    return [c.id for c in sorted(cards, key=ro.sort_key(order, T0, DAY_END, **kw))]  # type: ignore[arg-type]


def by_random(cards: list[Card]) -> list[int]:
    return [
        c.id for c in sorted(cards, key=lambda c: ro.fnvhash(c.id, int(c.modified.timestamp())))
    ]


def test_orders_parse_from_keys_and_ankis_labels() -> None:
    assert ro.parse_order("Ascending retrievability") == "retrievability_ascending"
    assert ro.parse_order("due-then-deck") == "due_then_deck"
    assert ro.parse_order("  Difficult cards FIRST ") == "difficulty_descending"
    with pytest.raises(ValueError, match="not a review order; the orders are due, "):
        ro.parse_order("by colour")
    assert set(ro.ANKI_NUMBERS.values()) == set(ro.ORDERS), "every Anki order, each once"


def test_the_random_tie_break_is_ankis_fnvhash(tmp_path: Path) -> None:
    from anki.collection import Collection

    col = Collection(str(tmp_path / "oracle.anki2"))
    try:
        for values in ((1, 2), (123456789, 1700000000), (-5, 2**40), (2**62, -(2**63))):
            assert ro.fnvhash(*values) == col.db.scalar("select fnvhash(?, ?)", *values)
    finally:
        col.close()


def test_due_date_then_random_deck_and_due() -> None:
    cards = [
        review(1, due=T0 + timedelta(hours=2), deck="B"),
        review(2, due=T0 - timedelta(days=3), deck="B"),
        review(3, due=T0 - timedelta(days=3), deck="A"),
        review(4, due=T0 - timedelta(days=1), deck="A::Sub"),
        review(5, due=T0 - timedelta(days=3, hours=5), deck="a"),
        review(6, due=T0, deck="A"),
    ]
    # Due dates are days (Anki's `due`): 2, 3, 5 share 3 days ago; 1 and 6 share today.
    three_days_ago = by_random([cards[1], cards[2], cards[4]])
    today = by_random([cards[0], cards[5]])
    assert ordered("due", cards) == [*three_days_ago, 4, *today]
    assert ordered("due_then_deck", cards) == [
        *by_random([cards[2], cards[4]]),  # A and a: one deck name, case aside
        2,
        4,
        6,
        1,
    ]
    assert ordered("deck_then_due", cards) == [*by_random([cards[2], cards[4]]), 6, 4, 2, 1]
    assert ordered("random", cards) == by_random(cards)


def test_intervals_difficulty_added() -> None:
    cards = [
        review(1, last_review=T0 - timedelta(days=30), difficulty=2.0),
        review(2, last_review=T0 - timedelta(days=3), difficulty=9.0),
        review(3, last_review=T0 - timedelta(days=12), difficulty=None),
        review(4, last_review=T0 - timedelta(days=7), difficulty=5.0, created=T0 - timedelta(1)),
    ]
    assert ordered("intervals_ascending", cards) == [2, 4, 3, 1]
    assert ordered("intervals_descending", cards) == [1, 3, 4, 2]
    # SQLite: NULL first ascending, last descending.
    assert ordered("difficulty_descending", cards) == [2, 4, 1, 3]
    assert ordered("difficulty_ascending", cards) == [3, 1, 4, 2]
    assert ordered("added", cards) == [4, 1, 2, 3]
    assert ordered("reverse_added", cards)[-1] == 4


def test_retrievability_and_relative_overdueness() -> None:
    cards = [
        review(1, stability=10.0, last_review=T0 - timedelta(days=10)),  # R 0.90
        review(2, stability=2.0, last_review=T0 - timedelta(days=10)),  # R ~0.7
        review(3, stability=100.0, last_review=T0 - timedelta(days=10)),  # R ~0.99
        review(4, stability=None, last_review=T0 - timedelta(days=10)),  # no memory state
    ]
    r = [ro.retrievability(c, T0) for c in cards]
    assert r[0] == pytest.approx(0.9)
    assert r[1] is not None and r[2] is not None and r[1] < 0.9 < r[2] and r[3] is None
    assert ordered("retrievability_ascending", cards) == [4, 2, 1, 3]
    assert ordered("retrievability_descending", cards) == [3, 1, 2, 4]
    # Relative overdueness: elapsed over the interval the desired retention gives; card 1 is
    # exactly due at 0.9 (-1), at 0.8 it is early (-0.47...), card 2 is five times due.
    key = ro.sort_key("relative_overdueness", T0, DAY_END, retention_for=lambda c: 0.9)
    assert key(cards[0])[0] == pytest.approx(-1.0)
    assert key(cards[1])[0] == pytest.approx(-5.0)
    assert ordered("relative_overdueness", cards) == [2, 4, 1, 3]
    at_80 = ro.sort_key("relative_overdueness", T0, DAY_END, retention_for=lambda c: 0.8)
    factor = 0.9 ** (-1 / ro.DEFAULT_DECAY) - 1
    assert at_80(cards[0])[0] == pytest.approx(-factor / (0.8 ** (-1 / ro.DEFAULT_DECAY) - 1))


@settings(max_examples=200, deadline=None)
@given(
    stability=st.floats(0.1, 3000),
    days=st.floats(0, 3000),
    decay=st.floats(0.1, 0.8),
)
def test_retrievability_is_fsrs_forgetting_curve(
    stability: float, days: float, decay: float
) -> None:
    card = review(1, stability=stability, last_review=T0 - timedelta(days=days))
    r = ro.retrievability(card, T0, decay)
    assert r is not None and 0 < r <= 1
    # At t = S, R is 0.9 whatever the decay (the definition of stability).
    at_s = review(1, stability=stability, last_review=T0 - timedelta(days=stability))
    assert ro.retrievability(at_s, T0, decay) == pytest.approx(0.9, abs=1e-6)


def test_the_queue_gathers_in_the_presets_order_and_the_limit_keeps_its_first() -> None:
    cards = [
        review(n, stability=s, deck="Lang")
        for n, s in ((1, 50.0), (2, 1.0), (3, 20.0), (4, 3.0), (5, 8.0))
    ]
    lang = Preset(id=3, name="Lang", reviews_per_day=3, review_order="retrievability_ascending")
    presets = Presets(Preset(name="Default"), [lang], [DeckOptions(deck="Lang", preset_id=3)])
    queue = rq.build(cards, T0, DAY_END, presets, {}, "Lang")
    assert [c.id for c in queue.reviews] == [2, 4, 5], "the three most forgotten, lowest R first"
    descending = lang.model_copy(update={"review_order": "retrievability_descending"})
    presets = Presets(Preset(name="Default"), [descending], [DeckOptions(deck="Lang", preset_id=3)])
    queue = rq.build(cards, T0, DAY_END, presets, {}, "Lang")
    assert [c.id for c in queue.reviews] == [1, 3, 5]
    # Every deck: the default preset's order ("due": one day here, so Anki's random).
    queue = rq.build(cards, T0, DAY_END, presets, {}, "")
    assert [c.id for c in queue.reviews] == by_random(cards)[:3]


@given(st.floats(min_value=0.0, max_value=1.0))
def test_the_percent_shown_for_r_agrees_with_prop_r(value: float) -> None:
    """The browser's R column and the review pane show R rounded down: a card shown as p% has
    p/100 <= R < (p+1)/100, so `prop:r<p/100` never finds a card shown as p%."""
    shown = ro.describe_retrievability(value)
    percent = int(shown.rstrip("%"))
    assert percent / 100 <= value + 1e-9 and value < (percent + 1) / 100


def test_r_shown_near_a_boundary() -> None:
    assert (
        ro.describe_retrievability(0.896) == "89%"
    )  # rounding showed 90%, yet prop:r<0.9 found it
    assert ro.describe_retrievability(0.29) == "29%" and ro.describe_retrievability(0.9) == "90%"
    assert ro.describe_retrievability(1.0) == "100%" and ro.describe_retrievability(None) == "—"
