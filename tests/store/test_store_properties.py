"""Property test: any sequence of puts, deletes, appends, removes, compactions, crashes and reopens
leaves the store equal to a plain dict model of what was acknowledged."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import ReviewLog
from deskwork.store.store import Store
from tests.helpers import T0, Clock, crash, make_card

ops = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.integers(0, 6), st.text(max_size=20)),
        st.tuples(st.just("del"), st.integers(1, 6), st.just("")),
        st.tuples(st.just("app"), st.integers(0, 90), st.just("")),
        st.tuples(st.just("rm"), st.integers(0, 30), st.just("")),
        st.tuples(st.sampled_from(["compact", "crash", "close"]), st.just(0), st.just("")),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_store_matches_a_dict_model(sequence: list[tuple[str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        clock = Clock()
        store = Store.open(data_dir, clock=clock)
        store.journal_limit = 2000
        cards: dict[int, str] = {}
        reviews: dict[int, ReviewLog] = {}
        for kind, n, text in sequence:
            if kind == "put":
                card_id = n if n in cards else 0
                with store.transaction() as tx:
                    saved = tx.put("cards", make_card(text).model_copy(update={"id": card_id}))
                cards[saved.id] = text
            elif kind == "del":
                with store.transaction() as tx:
                    tx.delete("cards", n)
                cards.pop(n, None)
            elif kind == "app":
                with store.transaction() as tx:
                    log = tx.append(
                        "reviews", ReviewLog(card_id=1, rating=2, ts=T0 - timedelta(days=n))
                    )
                reviews[log.id] = log
            elif kind == "rm" and reviews:
                victim = sorted(reviews)[n % len(reviews)]
                with store.transaction() as tx:
                    tx.remove("reviews", reviews.pop(victim))
            elif kind == "compact":
                store.compact()
            elif kind in ("crash", "close"):
                if kind == "crash":
                    crash(store)
                else:
                    store.close()
                store = Store.open(data_dir, clock=clock)
                store.journal_limit = 2000
            assert {c.id: c.front for c in store.cards.all()} == cards
        assert {r.id: r for r in store.reviews.all()} == reviews
        assert not store.report.problems
        store.close()
        final = Store.open(data_dir, clock=clock)
        assert {c.id: c.front for c in final.cards.all()} == cards
        assert {r.id for r in final.reviews.all()} == set(reviews)
        final.close()
