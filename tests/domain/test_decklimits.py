"""Anki's two limit algorithms agree: for any deck tree, per-deck limits (new cards spending the
review limit or not) and cards, studying a deck queues as many new cards and reviews as the deck
list shows for it."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card, CardState
from deskwork.domain.decklimits import deck_counts
from deskwork.domain.presets import DeckOptions, Preset, Presets
from tests.helpers import T0, make_card

DAY_END = T0 + timedelta(hours=18)
DECKS = ["A", "A::B", "A::B::C", "A::D", "E"]


def card(n: int, deck: str, review: bool) -> Card:
    if not review:
        return make_card(f"c{n}", id=n, deck=deck, when=T0 + timedelta(seconds=n))
    return make_card(
        f"c{n}", id=n, deck=deck, state=CardState.REVIEW, step=None, stability=3.0,
        difficulty=5.0, last_review=T0 - timedelta(days=3), due=T0 - timedelta(hours=1),
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(DECKS), st.booleans()), max_size=40),
    st.dictionaries(
        st.sampled_from(DECKS), st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=5
    ),
    st.booleans(),
)
def test_the_queue_takes_what_the_deck_list_shows(
    spec: list[tuple[str, bool]], limits: dict[str, tuple[int, int]], ignore: bool
) -> None:
    chosen = sorted(limits.items())
    presets = Presets(
        Preset(name="Default", new_ignores_review_limit=ignore),
        [
            Preset(id=n + 1, name=f"p{n}", new_per_day=new, reviews_per_day=reviews,
                   new_ignores_review_limit=ignore)
            for n, (_, (new, reviews)) in enumerate(chosen)
        ],
        [DeckOptions(deck=deck, preset_id=n + 1) for n, (deck, _) in enumerate(chosen)],
    )  # fmt: skip
    cards = [card(n + 1, deck, review) for n, (deck, review) in enumerate(spec)]
    for row in deck_counts(cards, T0, DAY_END, presets, {}):
        queue = rq.build(cards, T0, DAY_END, presets, {}, row.deck)
        assert (len(queue.new), len(queue.reviews)) == (row.new, row.review), row
        own = presets.for_deck(row.deck)
        assert len(queue.new) <= own.new_per_day and len(queue.reviews) <= own.reviews_per_day
        if not ignore:
            assert len(queue.new) + len(queue.reviews) <= own.reviews_per_day


def test_the_deck_list_puts_subdecks_right_under_their_parent() -> None:
    """Anki's order, part by part and ignoring case: plain string order put `Math 2` (and
    `Math-B`) between `Math` and `Math::Algebra`, so the list drew Algebra under `Math-B`."""
    decks = ["Math", "Math 2", "Math-B", "Math::Algebra", "math::basics", "Math::Algebra::Rings"]
    cards = [make_card(id=n + 1, deck=d) for n, d in enumerate(decks)]
    presets = Presets(Preset(name="Default"), [], [])
    rows = deck_counts(cards, T0, T0 + timedelta(hours=18), presets, {})
    assert [r.deck for r in rows] == [
        "Math", "Math::Algebra", "Math::Algebra::Rings", "math", "math::basics", "Math 2",
        "Math-B",
    ]  # fmt: skip
