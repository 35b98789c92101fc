"""The real Anki (test-only, AGPL) builds a collection with four deck presets and nested decks
with their own limits, cards in every state (new, learning at each step, relearning, review with
FSRS memory states at many ages), answers some of them today, and exports it; it then tells what
it shows: each deck's due counts today and, for every card, the interval of each answer.

ANKI_TEST_MODE turns Anki's fuzz off (rslib: `get_fuzz_seed_for_id_and_reps`), so its intervals
are the unfuzzed ones deskwork's buttons show.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("ANKI_TEST_MODE", "1")

from anki.collection import Collection, ExportAnkiPackageOptions  # noqa: I001
from anki.cards import FSRSMemoryState

FSRS5_DEFAULTS = [0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575,
                  0.1192, 1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621]  # fmt: skip
FSRS45_DEFAULTS = [0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474,
                   0.1367, 1.0461, 2.1072, 0.0793, 0.3246, 1.587, 0.2272, 2.8755]  # fmt: skip
# "Optimised" FSRS-6 parameters: the defaults moved the way a real optimisation moves them.
OPTIMISED = [0.3125, 0.9847, 2.8711, 11.2358, 6.8123, 0.6921, 2.2543, 0.0135, 1.6321, 0.1489,
             0.9012, 1.7654, 0.0845, 0.3012, 1.9987, 0.4123, 2.4567, 0.4567, 0.2012, 0.0912,
             0.2345]  # fmt: skip

# deck -> (preset name, new cards, review cards, cards to start learning today)
DECKS = {
    "Lang": ("Lang", 2, 6, 1),
    "Lang::Verbs": ("Old", 6, 8, 2),  # 2 of the new become interday learning cards
    "Lang::Nouns": ("Lang", 6, 10, 2),
    "Math": ("Default", 5, 12, 2),
    "Math::Proofs": ("Ancient", 3, 8, 1),
}


@dataclass
class Oracle:
    package: Path
    counts: dict[str, tuple[int, int, int]]  # deck -> (new, learning, review) in the deck list
    intervals: dict[tuple[str, int], dict[int, int]]  # (guid, ord) -> ease -> secs (days*86400)
    deck_of: dict[tuple[str, int], str]
    presets: dict[str, str]  # deck -> preset name
    queues: dict[str, tuple[int, ...]]  # deck studied -> Anki's (new, learning, review) counts
    at: datetime  # the moment (the real clock, UTC) the counts, queues and intervals were read


def _presets(col: Collection) -> dict[str, int]:
    default = col.decks.get_config(1)
    assert default is not None
    default["desiredRetention"] = 0.9
    col.decks.update_config(default)
    ids = {"Default": 1}
    specs = {
        "Lang": dict(dr=0.85, p6=OPTIMISED, learn=[2.0, 15.0, 60.0], relearn=[5.0], new=5,
                     rev=30, max_ivl=400, leech=5, action=0, bury=True),
        "Old": dict(dr=0.92, p5=FSRS5_DEFAULTS, learn=[1.0, 1440.0], relearn=[10.0, 60.0], new=3,
                    rev=7, max_ivl=36500, leech=8, action=1, bury=False),
        "Ancient": dict(dr=0.8, p4=FSRS45_DEFAULTS, learn=[], relearn=[], new=2, rev=5,
                        max_ivl=90, leech=4, action=1, bury=False),
    }  # fmt: skip
    for name, spec in specs.items():
        conf = col.decks.add_config(name)
        conf["desiredRetention"] = spec["dr"]
        conf["fsrsParams6"] = spec.get("p6", [])
        conf["fsrsParams5"] = spec.get("p5", [])
        conf["fsrsWeights"] = spec.get("p4", [])
        conf["new"]["delays"] = spec["learn"]
        conf["lapse"]["delays"] = spec["relearn"]
        conf["new"]["perDay"] = spec["new"]
        conf["rev"]["perDay"] = spec["rev"]
        conf["rev"]["maxIvl"] = spec["max_ivl"]
        conf["lapse"]["leechFails"] = spec["leech"]
        conf["lapse"]["leechAction"] = spec["action"]
        conf["new"]["bury"] = spec["bury"]
        conf["rev"]["bury"] = spec["bury"]
        col.decks.update_config(conf)
        ids[name] = int(conf["id"])
    return ids


def _make_review(col: Collection, cid: int, rng: random.Random) -> None:
    """A review card with an FSRS memory state, last reviewed `elapsed` days ago, `ivl` days
    interval: some due today or overdue, some not yet due."""
    card = col.get_card(cid)
    ivl = rng.choice([1, 2, 3, 5, 8, 13, 21, 40, 90, 200])
    elapsed = max(1, ivl + rng.choice([-3, -1, 0, 0, 0, 1, 4, 10]))  # not today: no count
    stability = max(0.5, ivl * rng.uniform(0.6, 1.6))
    now = col.sched.day_cutoff - 86400 + 3 * 3600  # 07:00 today (rollover 04:00)
    reviewed = now - elapsed * 86400 - rng.randrange(0, 3 * 3600)
    card.type = card.queue = 2
    card.ivl = ivl
    card.due = col.sched.today - elapsed + ivl
    card.reps = rng.randrange(1, 12)
    card.lapses = rng.randrange(0, 3)
    card.memory_state = FSRSMemoryState(stability=stability, difficulty=rng.uniform(2, 9))
    card.last_review_time = reviewed
    col.update_card(card)
    col.db.execute(
        "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "values (?, ?, -1, 3, ?, 0, 2500, 6000, 1)",
        reviewed * 1000 + cid % 1000,
        cid,
        ivl,
    )


def _make_interday(col: Collection, cid: int, days_ago: int) -> None:
    """A learning card on its 1-day step, answered `days_ago` days ago (Anki's day learning)."""
    card = col.get_card(cid)
    now = col.sched.day_cutoff - 86400 + 3 * 3600
    reviewed = now - days_ago * 86400 - 600
    card.type, card.queue = 1, 3
    card.due = col.sched.today - days_ago + 1
    card.left = 1
    card.reps = 1
    card.memory_state = FSRSMemoryState(stability=2.3, difficulty=5.5)
    card.last_review_time = reviewed
    col.update_card(card)
    col.db.execute(
        "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "values (?, ?, -1, 3, -86400, -60, 0, 5000, 0)",
        reviewed * 1000 + cid % 1000,
        cid,
    )


def build_presets_collection(folder: Path, *, legacy: bool, seed: int = 4) -> Oracle:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    col = Collection(str(folder / "presets.anki2"))
    try:
        col.set_config("fsrs", True)
        ids = _presets(col)
        basic = col.models.by_name("Basic")
        reversed_ = col.models.by_name("Basic (and reversed card)")
        assert basic is not None and reversed_ is not None
        n = 0
        learning: list[int] = []
        for deck, (preset, new, reviews, learn) in DECKS.items():
            did = col.decks.id(deck)
            assert did is not None
            node = col.decks.get(did)
            assert node is not None
            node["conf"] = ids[preset]
            if deck == "Math":
                node["newLimit"] = 3  # "This deck" limit over the preset's 20
            col.decks.save(node)
            for kind, count in (("new", new + learn), ("review", reviews)):
                for _ in range(count):
                    n += 1
                    note = col.new_note(reversed_ if n % 5 == 0 else basic)
                    note["Front"], note["Back"] = f"{deck} {kind} {n}", f"answer {n}"
                    col.add_note(note, did)
                    cids = [c.id for c in note.cards()]
                    if kind == "review":
                        for cid in cids:
                            _make_review(col, cid, rng)
            new_cards = col.find_cards(f'"deck:{deck}" -"deck:{deck}::*" is:new')
            learning += list(new_cards[:learn])
        # Interday learning cards (Old's 1-day step): due today, and one overdue.
        verbs_new = col.find_cards('"deck:Lang::Verbs" is:new')
        for days_ago, cid in zip((1, 3), verbs_new[-2:], strict=True):
            _make_interday(col, cid, days_ago)
        # Today: start learning some cards (Good, then some Again / Good again), lapse reviews.
        for n, cid in enumerate(learning):
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 3 if n % 3 else 1)
            if n % 2:
                card = col.get_card(cid)
                if card.queue == 1:  # due today (a 1-day step is not due until tomorrow)
                    card.start_timer()
                    col.sched.answerCard(card, 3)
        # An intraday learning card due later today, past the 20-minute learn-ahead: not yet in
        # Anki's learning count (builder/mod.rs counts intraday learning due by now + learn-ahead).
        later = col.get_card(col.find_cards('"deck:Lang::Nouns" is:learn')[0])
        later.due = min(int(time.time()) + 2 * 3600, col.sched.day_cutoff - 120)
        col.update_card(later)
        for deck in ("Lang::Nouns", "Math"):
            for cid in col.find_cards(f'"deck:{deck}" is:due is:review')[:2]:
                card = col.get_card(cid)
                card.start_timer()
                col.sched.answerCard(card, 1)  # a lapse: relearning (or a new review interval)
        # What Anki shows is read at one moment, `at` (a whole second: Anki's clock), which the
        # tests give deskwork as its clock: when a test runs (minutes later, after 04:00, ...)
        # does not matter. Anki's test mode moves its clock two hours back from 02:00 to 04:00
        # local: a read that a second's end, a boundary of that window or the 04:00 rollover cut
        # in two is read again.
        for _attempt in range(100):  # a read takes milliseconds: a cut is rare, twice rarer
            at = int(time.time())
            counts = _due_counts(col.sched.deck_due_tree())
            queues = {}  # deck -> (new, learning, review) when studying it: Anki's v3 queue
            for deck in DECKS:
                did = col.decks.id_for_name(deck)
                assert did is not None
                col.decks.select(did)
                queues[deck] = tuple(col.sched.counts())
            counted = int(time.time())
            intervals: dict[tuple[str, int], dict[int, int]] = {}
            deck_of = {}
            for cid in col.find_cards("-is:suspended"):
                card = col.get_card(cid)
                key = (card.note().guid, card.ord)
                deck_of[key] = col.decks.name(card.did)
                states = col._backend.get_scheduling_states(cid)
                intervals[key] = {
                    ease: _secs(getattr(states, name))
                    for ease, name in ((1, "again"), (2, "hard"), (3, "good"), (4, "easy"))
                }
            if counted == at and _clock_window(time.time()) == _clock_window(at):
                break
        else:
            raise AssertionError("Anki's counts never read within one second (100 tries)")
        out = folder / ("legacy.apkg" if legacy else "current.apkg")
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
            ),
            limit=None,
        )
        presets = {deck: spec[0] for deck, spec in DECKS.items()}
        return Oracle(out, counts, intervals, deck_of, presets, queues,
                      datetime.fromtimestamp(at, UTC))  # fmt: skip
    finally:
        col.close()


def _due_counts(node: object, prefix: str = "") -> dict[str, tuple[int, int, int]]:
    """Each deck's (new, learning, review) counts in Anki's deck list, by full name."""
    counts = {}
    for child in node.children:  # type: ignore[attr-defined]
        name = f"{prefix}::{child.name}" if prefix else child.name
        counts[name] = (child.new_count, child.learn_count, child.review_count)
        counts |= _due_counts(child, name)
    return counts


def _clock_window(ts: float) -> tuple[object, ...]:
    """Which stretch of Anki's test-mode clock `ts` falls in: the local day (it rolls over at
    02:00 and 04:00, where the test-mode shift begins and ends) and whether it is shifted."""
    local = datetime.fromtimestamp(ts)
    return (local - timedelta(hours=4)).date(), 2 <= local.hour < 4


def _secs(state: object) -> int:
    normal = state.normal  # type: ignore[attr-defined]
    kind = normal.WhichOneof("kind")
    if kind == "review":
        return int(normal.review.scheduled_days) * 86400
    if kind == "learning":
        return int(normal.learning.scheduled_secs)
    if kind == "relearning":
        return int(normal.relearning.learning.scheduled_secs)
    raise AssertionError(kind)
