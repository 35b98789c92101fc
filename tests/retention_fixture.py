"""A small real collection for the retention simulator's tests: a preset 'Lang' on deck Lang with
studied cards (memory states, due days spread over the coming weeks), new cards, and a review log
with answer times and buttons."""

from __future__ import annotations

import random
from datetime import timedelta

from deskwork.domain.cards import CardState, ReviewLog
from deskwork.domain.presets import DeckOptions, Preset
from deskwork.store.store import Store
from tests.helpers import T0, make_card


def write_collection(store: Store, studied: int = 120, new: int = 40, seed: int = 3) -> int:
    """Returns the id of preset 'Lang'."""
    rng = random.Random(seed)
    with store.transaction() as tx:
        lang = tx.put("presets", Preset(name="Lang", new_per_day=10, reviews_per_day=100))
        tx.put("deck_options", DeckOptions(deck="Lang", preset_id=lang.id))
        n = 0
        for i in range(studied):
            n += 1
            last = T0 - timedelta(days=rng.randint(1, 20))
            tx.put(
                "cards",
                make_card(
                    f"studied {i}", when=last - timedelta(days=30), deck="Lang",
                    note_guid=f"s{i}", id=n, state=CardState.REVIEW, step=None,
                    stability=rng.uniform(2, 60), difficulty=rng.uniform(2, 9),
                    last_review=last, due=last + timedelta(days=rng.randint(2, 40)), reps=4,
                ),
            )  # fmt: skip
            first = last - timedelta(days=30)
            tx.append("reviews", ReviewLog(card_id=n, rating=3, ts=first, duration_ms=9000,
                                           state=CardState.LEARNING, was_new=True))  # fmt: skip
            tx.append("reviews", ReviewLog(card_id=n, rating=3, ts=first + timedelta(minutes=10),
                                           duration_ms=7000, state=CardState.LEARNING))  # fmt: skip
            tx.append("reviews", ReviewLog(card_id=n, rating=rng.choice((2, 3, 3, 4)), ts=last,
                                           duration_ms=6000, state=CardState.REVIEW))  # fmt: skip
        for i in range(new):
            n += 1
            tx.put("cards", make_card(f"new {i}", deck="Lang", note_guid=f"n{i}", id=n))
    return int(lang.id)
