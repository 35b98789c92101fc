"""The real Anki (test-only, AGPL) as the retention helper's oracle: a collection with a preset
'Lang' (10 new / 80 reviews a day), 240 review cards with FSRS memory states and a year of review
log (learning days, reviews, lapses and relearning, each answer timed), and 60 new cards. Anki
then tells what its own deck-options helper computes on it: the simulator's inputs measured from
the log (`get_optimal_retention_parameters`) and the workload at each desired retention
(`simulate_fsrs_workload`: cards remembered, seconds, answers, one run per retention), with the
load balancer off and reviews in due order (Anki's default). The collection is exported with its
scheduling, for deskwork to import."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("ANKI_TEST_MODE", "1")

from anki.collection import Collection, ExportAnkiPackageOptions  # noqa: I001
from anki.cards import FSRSMemoryState
from anki.scheduler_pb2 import SimulateFsrsReviewRequest

NEW_PER_DAY, REVIEWS_PER_DAY = 10, 80


@dataclass
class Oracle:
    package: Path
    measured: Any  # Anki's GetOptimalRetentionParametersResponse
    memorized: dict[int, float]  # desired retention in % → cards remembered on the last day
    cost: dict[int, float]  # → seconds over the year
    answers: dict[int, int]  # → reviews + new cards learned


_USED: set[int] = set()


def _revlog(col: Collection, when_s: int, cid: int, ease: int, ms: int, kind: int) -> None:
    """One answer (revlog ids are milliseconds: one taken moves to the next)."""
    rid = when_s * 1000
    while rid in _USED:
        rid += 1
    _USED.add(rid)
    col.db.execute(
        "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "values (?, ?, -1, ?, 1, 0, 0, ?, ?)",
        rid,
        cid,
        ease,
        ms,
        kind,
    )


def _history(col: Collection, cid: int, rng: random.Random, now: int) -> int:
    """A card's year: a learning day, then reviews (some lapsed, relearned the same day).
    Returns the day (days ago) of its last review."""
    day = rng.randint(120, 360)
    first = rng.choice((1, 3, 3, 3, 3, 4))
    t = now - day * 86400
    _revlog(col, t, cid, first, rng.randint(6000, 16000), 0)
    if first < 4:
        _revlog(col, t + 60, cid, 3, rng.randint(3000, 8000), 0)
        if first == 1:
            _revlog(col, t + 660, cid, 3, rng.randint(3000, 8000), 0)
    while (later := day - rng.randint(5, 40)) >= 1:
        day = later
        t = now - day * 86400
        ease = rng.choice((1, 2, 3, 3, 3, 3, 3, 4))
        _revlog(col, t, cid, ease, rng.randint(4000, 14000) if ease > 1 else 18000, 1)
        if ease == 1:
            _revlog(col, t + 600, cid, 3, rng.randint(4000, 9000), 2)
    return day


def build_retention_collection(
    folder: Path,
    *,
    studied: int = 2400,
    new: int = 600,
    reviews_per_day: int = REVIEWS_PER_DAY,
    seed: int = 11,
) -> Oracle:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    col = Collection(str(folder / "retention.anki2"))
    try:
        col.set_config("fsrs", True)
        col.set_config("loadBalancerEnabled", False)
        conf = col.decks.add_config("Lang")
        conf["desiredRetention"] = 0.9
        conf["new"]["delays"] = [1.0, 10.0]
        conf["lapse"]["delays"] = [10.0]
        conf["new"]["perDay"] = NEW_PER_DAY
        conf["rev"]["perDay"] = reviews_per_day
        col.decks.update_config(conf)
        did = col.decks.id("Lang")
        assert did is not None
        node = col.decks.get(did)
        assert node is not None
        node["conf"] = conf["id"]
        col.decks.save(node)
        basic = col.models.by_name("Basic")
        assert basic is not None
        now = col.sched.day_cutoff - 86400 + 3 * 3600  # 07:00 today (rollover 04:00)
        for n in range(studied + new):
            note = col.new_note(basic)
            note["Front"], note["Back"] = f"word {n}", f"meaning {n}"
            col.add_note(note, did)
            if n >= studied:
                continue  # a new card
            card = note.cards()[0]
            elapsed = _history(col, card.id, rng, now)
            ivl = max(1, elapsed + rng.choice((-5, -2, 0, 1, 3, 8, 20, 45)))
            card.type = card.queue = 2
            card.ivl = ivl
            card.due = col.sched.today - elapsed + ivl
            card.reps = 5
            card.lapses = rng.choice((0, 0, 0, 1, 2))
            card.memory_state = FSRSMemoryState(
                stability=max(1.0, ivl * rng.uniform(0.7, 1.5)), difficulty=rng.uniform(2, 9)
            )
            card.last_review_time = now - elapsed * 86400
            col.update_card(card)
        col.fix_integrity()  # the last review times from the log, as Anki's export wants them
        measured = col._backend.get_optimal_retention_parameters(search='"deck:Lang"')
        workload = col._backend.simulate_fsrs_workload(
            SimulateFsrsReviewRequest(
                params=[], desired_retention=0.9, deck_size=0, days_to_simulate=365,
                new_limit=NEW_PER_DAY, review_limit=reviews_per_day, max_interval=36500,
                search='"deck:Lang"', new_cards_ignore_review_limit=False,
                easy_days_percentages=[1.0] * 7, review_order=0, historical_retention=0.9,
                learning_step_count=2, relearning_step_count=1,
            )
        )  # fmt: skip
        out = folder / "retention.apkg"
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False
            ),
            limit=None,
        )
        return Oracle(
            out,
            measured,
            dict(workload.memorized),
            dict(workload.cost),
            dict(workload.review_count),
        )
    finally:
        col.close()
