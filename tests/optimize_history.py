"""A learner's review history for optimiser tests and benchmarks, as Anki revlog rows: cards
introduced over a year, learning answers on their first day (Again sends a card through another
step the same day), reviews on the days their intervals fall, lapses with a relearning answer the
same day, answers drawn from a forgetting curve with a per-card difficulty. Deterministic for a
seed. With `oddities`, some cards carry what Anki's item builder must skip: history imported from
its middle (no learning answers), a Forget (manual entry, factor 0) and a fresh start, cramming
(filtered, factor 0), set due date and rescheduled entries, two answers on one study day.

Rows are (id ms, card index, ease, ivl, lastIvl, factor, time ms, type) — Anki's revlog columns.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deskwork.store.store import Store

DAY_MS = 86_400_000
Row = tuple[int, int, int, int, int, int, int, int]


def _recall(elapsed: float, stability: float) -> float:
    return (1 + elapsed / (9 * stability)) ** -1


def card_rows(rng: random.Random, card: int, start_ms: int, end_ms: int) -> Iterator[Row]:
    """One card's history from `start_ms` (its first learning answer) until `end_ms`."""
    t = start_ms + rng.randrange(0, 8 * 3_600_000)  # some time that day
    hardness = rng.uniform(0.4, 1.6)
    first = rng.choices((1, 2, 3, 4), (0.25, 0.1, 0.55, 0.1))[0]
    yield (t, card, first, -600, 0, 0, rng.randrange(3000, 20000), 0)
    if first == 1:
        t += rng.randrange(8 * 60_000, 15 * 60_000)
        yield (t, card, 3, 1, -600, 0, rng.randrange(3000, 20000), 0)
    stability = {1: 0.5, 2: 1.2, 3: 3.0, 4: 8.0}[first] / hardness
    ivl = max(1, round(stability))
    factor = 2500
    while True:
        t_next = t + ivl * DAY_MS + rng.randrange(-3_600_000, 3_600_000)
        if rng.random() < 0.15:  # late now and then
            t_next += rng.randrange(1, 1 + ivl // 2 + 1) * DAY_MS
        if t_next >= end_ms:
            return
        elapsed = (t_next - t) / DAY_MS
        t = t_next
        last = ivl
        if rng.random() > _recall(elapsed, stability):
            stability = max(0.3, stability * rng.uniform(0.15, 0.35))
            factor = max(1300, factor - 200)
            yield (t, card, 1, -600, last, factor, rng.randrange(5000, 40000), 1)
            t += rng.randrange(8 * 60_000, 20 * 60_000)
            ivl = max(1, round(stability))
            yield (t, card, 3, ivl, -600, factor, rng.randrange(3000, 20000), 2)
            continue
        ease = rng.choices((2, 3, 4), (0.12, 0.78, 0.1))[0]
        growth = {2: 1.3, 3: 2.6, 4: 4.0}[ease] / hardness * rng.uniform(0.8, 1.2)
        stability *= 1 + growth * math.exp(-0.05 * stability / 30)
        ivl = max(1, min(36500, round(stability * rng.uniform(0.9, 1.1))))
        yield (t, card, ease, ivl, last, factor, rng.randrange(2000, 25000), 1)


def _oddity(rng: random.Random, kind: int, rows: list[Row]) -> list[Row]:
    if len(rows) < 4:
        return rows
    if kind == 0:  # imported from the middle: the learning answers are missing
        return [r for r in rows if r[7] != 0]
    if kind == 1:  # Forget after the third entry, then learnt again the next day
        cut = rows[2][0] + 3_600_000
        reset = (cut, rows[0][1], 0, 0, rows[2][3], 0, 0, 4)
        later = [(r[0] + DAY_MS, *r[1:]) for r in rows[:3]]
        shift = later[-1][0] + DAY_MS - rows[3][0]
        rest = [(r[0] + shift, *r[1:]) for r in rows[3:]]
        return [*rows[:3], reset, *[(r[0] + 2 * 3_600_000, *r[1:]) for r in later], *rest]
    if kind == 2:  # crammed in a filtered deck a day after an answer, and set due date
        t = rows[2][0] + DAY_MS // 2
        cram = (t, rows[0][1], 3, 0, 0, 0, 4000, 3)
        due = (t + 60_000, rows[0][1], 0, 5, rows[2][3], 2500, 0, 4)
        return sorted([*rows, cram, due])
    if kind == 3:  # rescheduled (FSRS's reschedule on change)
        t = rows[3][0] + 3_600_000
        return sorted([*rows, (t, rows[0][1], 0, 9, rows[3][3], 2500, 0, 5)])
    # a second review the same study day (an "again" on a review card, then good)
    t = rows[3][0] + 30 * 60_000
    return sorted([*rows, (t, rows[0][1], 3, rows[3][3], rows[3][3], 2500, 6000, 1)])


def history(
    cards: int, end: datetime, days: int = 365, seed: int = 15, oddities: bool = False
) -> list[Row]:
    """Every card's rows (card indexes 0..cards-1), ordered by id; ids are unique."""
    rng = random.Random(seed)
    end_ms = int(end.astimezone(UTC).timestamp() * 1000)
    start_ms = end_ms - days * DAY_MS
    out: list[Row] = []
    for card in range(cards):
        first = start_ms + rng.randrange(0, days - 7) * DAY_MS
        rows = list(card_rows(rng, card, first, end_ms - 3_600_000))
        if oddities and card % 7 == 3:
            rows = _oddity(rng, (card // 7) % 5, rows)
        out.extend(r for r in rows if r[0] < end_ms - 60_000)
    out.sort()
    seen: set[int] = set()
    unique = []
    for row in out:  # revlog ids are unique milliseconds
        rid = row[0]
        while rid in seen:
            rid += 1
        seen.add(rid)
        unique.append((rid, *row[1:]))
    return unique  # type: ignore[return-value]


def store_history(store: Store, rows: list[Row], cards: int, deck: str = "ML") -> list[int]:
    """The rows as deskwork's own cards and review log (no Anki ids), in `store`; returns the card
    ids by card index. Manual and cram rows are left out (deskwork makes none)."""
    from deskwork.domain.cards import Card, CardState, ReviewLog

    states = {0: CardState.LEARNING, 1: CardState.REVIEW, 2: CardState.RELEARNING}
    first = datetime.fromtimestamp(rows[0][0] / 1000, UTC) if rows else datetime.now(UTC)
    last: dict[int, datetime] = {}
    with store.transaction() as tx:
        ids = []
        for n in range(cards):
            card = tx.put(
                "cards",
                Card(fields=[f"question {n}", f"answer {n}"], deck=deck, created=first,
                     modified=first, due=first),
            )  # fmt: skip
            ids.append(card.id)
        seen: set[int] = set()
        for rid, n, ease, _ivl, _last, _factor, taken, kind in rows:
            if kind not in states or ease == 0:
                continue
            ts = datetime.fromtimestamp(rid / 1000, UTC)
            tx.append(
                "reviews",
                ReviewLog(card_id=ids[n], rating=ease, ts=ts, duration_ms=taken,
                          state=states[kind], was_new=n not in seen),
            )  # fmt: skip
            seen.add(n)
            last[n] = ts
    with store.transaction() as tx:
        for n, ts in last.items():
            card = store.cards.get(ids[n])
            assert card is not None
            tx.put(
                "cards",
                card.model_copy(update={"state": CardState.REVIEW, "step": None,
                                        "last_review": ts, "due": ts, "stability": 1.0,
                                        "difficulty": 5.0}),
            )  # fmt: skip
    return ids
