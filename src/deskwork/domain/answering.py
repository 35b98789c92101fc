"""How a learner answers, measured from their review log the way fsrs-rs's
`extract_simulator_config` measures it for Anki's simulator: seconds per answer for each state
(learning, review, relearning) and button, the first answer's buttons for a new card, the
Hard / Good / Easy split of remembered reviews, and the same-day step transitions of learning and
relearning. Each measured figure is blended with Anki's default by weight n / (n + 50), so a short
history leans on the defaults and a long one on the learner; `notes` says where history was thin.
Pure: the log and the start of the next study day come in as values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from deskwork.domain.cards import ReviewLog
from deskwork.domain.simulation import (
    DEFAULT_COSTS,
    DEFAULT_FIRST_RATING_PROB,
    DEFAULT_LEARNING_TRANSITIONS,
    DEFAULT_RELEARNING_TRANSITIONS,
    DEFAULT_REVIEW_RATING_PROB,
    Behaviour,
)

MAX_TAKEN_MS = 1_200_000  # fsrs-rs ignores answers timed at 0 or 20 minutes and more
PRIOR = 50.0  # fsrs-rs: weight of the measured figure = n / (n + 50)
THIN = 50  # below this many answers of a kind, the notes say the defaults dominate


@dataclass(frozen=True)
class Measured:
    """The behaviour for the simulator, and how much history each part rests on."""

    behaviour: Behaviour
    timed_answers: int
    first_answers: int
    remembered_reviews: int
    learning_days: int
    relearning_days: int
    notes: tuple[str, ...]

    @property
    def from_defaults(self) -> bool:
        return self.timed_answers == 0


def _lerp(measured: float, default: float, weight: float) -> float:
    return weight * measured + (1.0 - weight) * default


def _study_day(ts: datetime, cutoff: datetime) -> int:
    """fsrs-rs: (seconds - cutoff) / 86400, truncated toward zero as Rust's integer division."""
    secs = int(ts.timestamp()) - int(cutoff.timestamp())
    return -((-secs) // 86400) if secs < 0 else secs // 86400


def _transitions(sequences: list[list[int]]) -> tuple[list[list[float]], list[list[float]]]:
    """fsrs-rs `calculate_transitions`: Laplace-smoothed (+1) counts and row probabilities."""
    counts = [[1.0] * 4 for _ in range(4)]
    for seq in sequences:
        for a, b in pairwise(seq):
            counts[a - 1][b - 1] += 1.0
    return [[c / sum(row) for c in row] for row in counts], counts


def measure(logs: Iterable[ReviewLog], next_day_start: datetime) -> Measured:
    """The learner's behaviour from their answers (manual entries are not answers)."""
    durations: dict[tuple[int, int], list[int]] = defaultdict(list)
    days: dict[tuple[int, int], list[ReviewLog]] = defaultdict(list)
    for log in sorted(logs, key=lambda e: (e.card_id, e.ts)):
        if log.manual or not 1 <= log.rating <= 4:
            continue
        if not 0 < log.duration_ms < MAX_TAKEN_MS:
            continue
        kind = int(log.state) - 1  # Anki's review kind: 0 learning, 1 review, 2 relearning
        durations[(kind, log.rating - 1)].append(log.duration_ms)
        days[(log.card_id, _study_day(log.ts, next_day_start))].append(log)
    timed = sum(len(v) for v in durations.values())
    if timed == 0:
        return Measured(
            Behaviour(), 0, 0, 0, 0, 0,
            ("no timed answers in the review log yet: Anki's default answer times and "
             "button probabilities",),
        )  # fmt: skip

    costs = [list(row) for row in DEFAULT_COSTS]
    for kind in range(3):
        for button in range(4):
            found = durations.get((kind, button), [])
            measured = (sum(found) // len(found)) / 1000 if found else 0.0
            weight = len(found) / (PRIOR + len(found))
            costs[kind][button] = round(_lerp(measured, DEFAULT_COSTS[kind][button], weight), 2)

    usage: dict[tuple[int, int], int] = defaultdict(int)
    learning: list[list[int]] = []
    relearning: list[list[int]] = []
    for entries in days.values():
        first = entries[0]
        state, button = int(first.state), first.rating
        usage[(state, button)] += 1
        ratings = [e.rating for e in entries]
        if state == 1:
            learning.append(ratings)
        elif state == 2 and button == 1:
            relearning.append(ratings)

    learn = [usage[(1, b)] for b in range(1, 5)]
    if not any(learn):
        learn = [1, 1, 1, 1]
    review = [usage[(2, b)] for b in range(1, 5)]
    if not any(review[1:]):
        review = [review[0], 1, 1, 1]
    weight = sum(learn) / (PRIOR + sum(learn))
    first_prob = tuple(
        _lerp(n / sum(learn), d, weight)
        for n, d in zip(learn, DEFAULT_FIRST_RATING_PROB, strict=True)
    )
    weight = sum(review[1:]) / (PRIOR + sum(review[1:]))
    review_prob = tuple(
        _lerp(n / sum(review[1:]), d, weight)
        for n, d in zip(review[1:], DEFAULT_REVIEW_RATING_PROB, strict=True)
    )

    def blended(
        sequences: list[list[int]], defaults: tuple[tuple[float, ...], ...]
    ) -> tuple[tuple[float, ...], ...]:
        matrix, counts = _transitions(sequences)
        rows = []
        for row, default_row, count in zip(matrix[:3], defaults, counts[:3], strict=True):
            w = sum(count) / (PRIOR + sum(count))
            rows.append(tuple(_lerp(p, d, w) for p, d in zip(row, default_row, strict=True)))
        return tuple(rows)

    behaviour = Behaviour(
        first_rating_prob=first_prob,
        review_rating_prob=review_prob,
        learning_transitions=blended(learning, DEFAULT_LEARNING_TRANSITIONS),
        relearning_transitions=blended(relearning, DEFAULT_RELEARNING_TRANSITIONS),
        costs=tuple(tuple(row) for row in costs),
    )
    notes = []
    first_answers = sum(usage[(1, b)] for b in range(1, 5))
    remembered = sum(usage[(2, b)] for b in range(2, 5))
    if timed < THIN:
        notes.append(f"only {timed} timed answers: answer times lean on Anki's defaults")
    if first_answers < THIN:
        notes.append(
            f"only {first_answers} new cards learned: first-answer buttons lean on Anki's defaults"
        )
    if remembered < THIN:
        notes.append(
            f"only {remembered} remembered reviews: Hard/Good/Easy split leans on Anki's defaults"
        )
    return Measured(
        behaviour, timed, first_answers, remembered, len(learning), len(relearning), tuple(notes)
    )
