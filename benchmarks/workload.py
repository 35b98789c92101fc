"""Generate a heavy-year or power-user data dir through deskwork's own store API.

heavy:  20,000 cards, 250,000 review-log entries, 300 curriculum items, 4,000 pomodoro sessions,
        200 drafts of ~1,500 words.
power: 100,000 cards, 1,000,000 review-log entries (the rest as heavy).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.curriculum import Item, ItemKind, ItemStatus
from deskwork.domain.drafts import Draft, DraftStatus, slugify
from deskwork.domain.sessions import Session, SessionKind
from deskwork.services import WELCOME_DONE
from deskwork.store.store import Store


@dataclass(frozen=True)
class Scale:
    name: str
    cards: int
    reviews: int
    items: int = 300
    sessions: int = 4000
    drafts: int = 200
    draft_words: int = 1500


SCALES = {
    "tiny": Scale("tiny", cards=500, reviews=5000, items=30, sessions=100, drafts=5),
    "heavy": Scale("heavy", cards=20_000, reviews=250_000),
    "power": Scale("power", cards=100_000, reviews=1_000_000),
}

END = datetime(2026, 11, 1, 12, tzinfo=UTC)
START = END - timedelta(days=365)
WORDS = [
    "gradient",
    "descent",
    "loss",
    "tensor",
    "matrix",
    "eigenvalue",
    "posterior",
    "prior",
    "convolution",
    "attention",
    "embedding",
    "batch",
    "norm",
    "dropout",
    "kernel",
    "entropy",
    "likelihood",
    "bayes",
    "sample",
    "variance",
    "bias",
]
DECKS = ["ML::Deep learning", "ML::Classic", "Math::Linear algebra", "Math::Probability", "Papers"]
TRACKS = ["Deep learning", "Math", "Bayesian", "NLP", "Vision"]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def generate(data_dir: Path, scale: Scale, seed: int = 7, guid_prefix: str = "g") -> None:
    rng = random.Random(seed)
    store = Store.open(data_dir, clock=lambda: END, backup_interval_s=10**9)
    store.journal_limit = 32 << 20
    store.set_setting(WELCOME_DONE, True)
    batch = 2000

    for start in range(0, scale.cards, batch):
        with store.transaction() as tx:
            for i in range(start, min(start + batch, scale.cards)):
                created = START + timedelta(minutes=rng.randrange(365 * 24 * 60))
                reviewed = i % 10 != 0
                due = END + timedelta(days=rng.uniform(-3, 60))
                tx.put(
                    "cards",
                    Card(
                        id=i + 1,
                        deck=rng.choice(DECKS),
                        fields=[
                            _sentence(rng, rng.randint(6, 14)) + "?",
                            _sentence(rng, rng.randint(8, 25)),
                        ],
                        tags=rng.sample(WORDS, 2),
                        note_guid=f"{guid_prefix}{i:08x}",
                        created=created,
                        modified=created,
                        state=CardState.REVIEW if reviewed else CardState.LEARNING,
                        step=None if reviewed else 0,
                        stability=rng.uniform(1, 200) if reviewed else None,
                        difficulty=rng.uniform(1, 10) if reviewed else None,
                        due=due if reviewed else created,
                        last_review=due - timedelta(days=5) if reviewed else None,
                        reps=rng.randint(1, 20) if reviewed else 0,
                        lapses=rng.randint(0, 3) if reviewed else 0,
                    ),
                )
    store.compact()

    # reviews in time order, so each month is written as it fills up
    step = (END - START) / scale.reviews
    for start in range(0, scale.reviews, batch * 5):
        with store.transaction() as tx:
            for i in range(start, min(start + batch * 5, scale.reviews)):
                tx.append(
                    "reviews",
                    ReviewLog(
                        id=i + 1,
                        card_id=rng.randint(1, scale.cards),
                        rating=rng.choice((1, 3, 3, 3, 4, 2)),
                        ts=START + step * i,
                        duration_ms=rng.randint(1500, 30000),
                    ),
                )

    with store.transaction() as tx:
        for i in range(scale.items):
            tx.put(
                "items",
                Item(
                    id=i + 1,
                    kind=rng.choice(list(ItemKind)),
                    title=f"{rng.choice(TRACKS)} resource {i}: {_sentence(rng, 4)}",
                    url=f"https://example.org/course/{i}",
                    track=rng.choice(TRACKS),
                    effort_points=round(rng.uniform(0.05, 1.5), 2),
                    cost=rng.choice([0, 0, 0, 49, 400]),
                    status=ItemStatus.ACTIVE if i < 8 else rng.choice(list(ItemStatus)),
                    units_total=rng.randint(5, 30),
                    added=START,
                ),
            )
        for i in range(scale.sessions):
            began = START + timedelta(minutes=rng.randrange(365 * 24 * 60))
            tx.put(
                "sessions",
                Session(
                    id=i + 1,
                    kind=SessionKind.FOCUS if i % 3 else SessionKind.SHORT_BREAK,
                    start=began,
                    end=began + timedelta(minutes=25),
                    planned_s=1500,
                    actual_s=1500,
                    completed=True,
                    item_id=rng.randint(1, scale.items),
                ),
            )
        for i in range(scale.drafts):
            title = f"Week {i}: {_sentence(rng, 5)}"
            tx.put(
                "drafts",
                Draft(
                    id=i + 1,
                    title=title,
                    slug=slugify(title),
                    status=rng.choice(list(DraftStatus)),
                    body=_sentence(rng, scale.draft_words),
                    created=START,
                    updated=START + timedelta(days=i),
                ),
            )
    store.close()
