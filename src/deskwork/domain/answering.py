"""How a learner answers, measured from their review log the way fsrs-rs's
`extract_simulator_config` measures it for Anki's simulator: seconds per answer for each state
(learning, review, relearning) and button, the first answer's buttons for a new card, the
Hard / Good / Easy split of remembered reviews, and the same-day step transitions of learning and
relearning. Each measured figure is blended with Anki's default by weight n / (n + 50), so a short
history leans on the defaults and a long one on the learner; `notes` says where history was thin.
Pure: the log and the start of the next study day come in as values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from deskwork.domain.cards import ReviewLog
from deskwork.domain.simulation import (
    DEFAULT_COSTS,
    DEFAULT_FIRST_RATING_PROB,
    DEFAULT_LEARNING_TRANSITIONS,
    DEFAULT_RELEARNING_TRANSITIONS,
    DEFAULT_REVIEW_RATING_PROB,
    Behaviour,
)
from deskwork.domain.wording import plural

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


def _study_day(ts: datetime, cutoff_s: int) -> int:
    """fsrs-rs: (seconds - cutoff) / 86400, truncated toward zero as Rust's integer division."""
    secs = int(ts.timestamp()) - cutoff_s
    return -((-secs) // 86400) if secs < 0 else secs // 86400


def _smoothed(counts: list[list[float]]) -> tuple[list[list[float]], list[list[float]]]:
    """fsrs-rs `calculate_transitions`: Laplace-smoothed (+1) counts and row probabilities."""
    smoothed = [[c + 1.0 for c in row] for row in counts]
    return [[c / sum(row) for c in row] for row in smoothed], smoothed


def measure(logs: Iterable[ReviewLog], next_day_start: datetime) -> Measured:
    """The learner's behaviour from their answers (manual entries are not answers). One pass
    over the answers in card and time order; only counts are kept (a year of history makes no
    lasting objects, so a worker running this does not wake the garbage collector)."""
    answers = [
        e for e in logs if not e.manual and 1 <= e.rating <= 4 and 0 < e.duration_ms < MAX_TAKEN_MS
    ]
    if not answers:
        return Measured(
            Behaviour(), 0, 0, 0, 0, 0,
            ("no timed answers in the review log yet: Anki's default answer times and "
             "button probabilities",),
        )  # fmt: skip
    answers.sort(key=attrgetter("ts"))
    answers.sort(key=attrgetter("card_id"))  # stable: each card's answers in time order
    sums = [[0] * 4 for _ in range(3)]
    counts = [[0] * 4 for _ in range(3)]
    usage = [[0] * 5 for _ in range(4)]  # [state of the day's first answer][its button]
    moves = {1: [[0.0] * 4 for _ in range(4)], 2: [[0.0] * 4 for _ in range(4)]}
    sequences = {1: 0, 2: 0}
    cutoff = int(next_day_start.timestamp())
    group: tuple[int, int] | None = None
    kind_of_day = 0  # 1: a learning day, 2: a relearning day (a review answered Again), 0: other
    previous = 0
    for e in answers:
        state, rating = int(e.state), e.rating
        sums[state - 1][rating - 1] += e.duration_ms
        counts[state - 1][rating - 1] += 1
        key = (e.card_id, _study_day(e.ts, cutoff))
        if key != group:  # the first answer of a card's study day
            group = key
            usage[state][rating] += 1
            kind_of_day = 1 if state == 1 else (2 if state == 2 and rating == 1 else 0)
            if kind_of_day:
                sequences[kind_of_day] += 1
        elif kind_of_day:
            moves[kind_of_day][previous - 1][rating - 1] += 1.0
        previous = rating
    timed = len(answers)

    costs = [list(row) for row in DEFAULT_COSTS]
    for kind in range(3):
        for button in range(4):
            n = counts[kind][button]
            measured = (sums[kind][button] // n) / 1000 if n else 0.0
            weight = n / (PRIOR + n)
            costs[kind][button] = round(_lerp(measured, DEFAULT_COSTS[kind][button], weight), 2)

    learn = usage[1][1:]
    if not any(learn):
        learn = [1, 1, 1, 1]
    review = usage[2][1:]
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
        kind: int, defaults: tuple[tuple[float, ...], ...]
    ) -> tuple[tuple[float, ...], ...]:
        matrix, smoothed = _smoothed(moves[kind])
        rows = []
        for row, default_row, count in zip(matrix[:3], defaults, smoothed[:3], strict=True):
            w = sum(count) / (PRIOR + sum(count))
            rows.append(tuple(_lerp(p, d, w) for p, d in zip(row, default_row, strict=True)))
        return tuple(rows)

    behaviour = Behaviour(
        first_rating_prob=first_prob,
        review_rating_prob=review_prob,
        learning_transitions=blended(1, DEFAULT_LEARNING_TRANSITIONS),
        relearning_transitions=blended(2, DEFAULT_RELEARNING_TRANSITIONS),
        costs=tuple(tuple(row) for row in costs),
    )
    notes = []
    first_answers = sum(usage[1][1:])
    remembered = sum(usage[2][2:])
    if timed < THIN:
        notes.append(f"only {plural(timed, 'timed answer')}: answer times lean on Anki's defaults")
    if first_answers < THIN:
        notes.append(
            f"only {plural(first_answers, 'new card')} learned: first-answer buttons lean on "
            "Anki's defaults"
        )
    if remembered < THIN:
        notes.append(
            f"only {plural(remembered, 'remembered review')}: Hard/Good/Easy split leans on "
            "Anki's defaults"
        )
    return Measured(
        behaviour, timed, first_answers, remembered, sequences[1], sequences[2], tuple(notes)
    )
