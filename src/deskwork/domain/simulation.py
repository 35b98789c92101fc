"""A year of reviews simulated card by card, by the rules of fsrs-rs's `simulate` (the simulator
behind Anki's "desired retention" helper and workload graph).

Why a port and not a call: fsrs-rs-python (0.9.3) exposes `simulate` without the existing cards,
so the user's own collection could not seed it. The model and the rules here are fsrs-rs's
(`src/simulation.rs`): each day the cards due are reviewed, up to the day's review limit, the
rest moved to the next day; then new cards up to the new-card limit (and the review limit unless
new cards ignore it). The day's reviews go in Anki's default order (by due day: the longest
waiting first, as Anki's simulator does for its default "Due date" option), or the library's own
(the easiest first). A review is remembered with the card's retrievability; a remembered card is
answered Hard / Good / Easy with the measured probabilities, a forgotten one goes through the
relearning steps; a new card's first answer and its learning steps follow the measured transition
probabilities. Each answer costs the measured seconds for its state and button. The interval is
the FSRS interval for the desired retention, rounded, between 1 day and the maximum interval.
Cards remembered ("memorized") at the end is the sum of every studied card's retrievability on the last day.

One difference on purpose: an overdue card's recall is computed for the day it is reviewed (the
library uses its due day). Pure: the random stream is a seeded `random.Random`; no I/O.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from deskwork.domain.cancel import Cancelled

S_MIN, S_MAX = 0.001, 36500.0
D_MIN, D_MAX = 1.0, 10.0
MAX_STEPS = 5  # fsrs-rs: at most five same-day steps per learning or relearning
LEARNING, REVIEW, RELEARNING = 0, 1, 2

# fsrs-rs `SimulatorConfig::default()` (what Anki falls back to without history); a test checks
# them against fsrs-rs-python's `default_simulator_config()`.
DEFAULT_FIRST_RATING_PROB = (0.24, 0.094, 0.495, 0.171)
DEFAULT_REVIEW_RATING_PROB = (0.224, 0.631, 0.145)
DEFAULT_LEARNING_TRANSITIONS = (
    (0.3686, 0.0628, 0.5108, 0.0577),
    (0.0442, 0.4553, 0.4457, 0.0549),
    (0.0519, 0.047, 0.8462, 0.055),
)
DEFAULT_RELEARNING_TRANSITIONS = (
    (0.2157, 0.0643, 0.6595, 0.0604),
    (0.05, 0.4638, 0.4475, 0.0387),
    (0.1057, 0.1434, 0.7266, 0.0244),
)
DEFAULT_COSTS = (  # seconds per answer: [learning, review, relearning][Again, Hard, Good, Easy]
    (19.58, 18.79, 13.78, 10.71),
    (19.38, 17.59, 12.38, 8.94),
    (16.44, 15.25, 12.32, 8.03),
)

Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Behaviour:
    """How the learner answers: button probabilities, same-day step transitions (row = the
    previous button, Again/Hard/Good), seconds per answer per state and button."""

    first_rating_prob: tuple[float, ...] = DEFAULT_FIRST_RATING_PROB
    review_rating_prob: tuple[float, ...] = DEFAULT_REVIEW_RATING_PROB
    learning_transitions: Matrix = DEFAULT_LEARNING_TRANSITIONS
    relearning_transitions: Matrix = DEFAULT_RELEARNING_TRANSITIONS
    costs: Matrix = DEFAULT_COSTS


@dataclass(frozen=True)
class Limits:
    """The preset's daily limits and steps (what Anki's simulator reads from the deck options)."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    new_ignores_review_limit: bool = False
    maximum_interval_days: int = 36500
    learning_steps: int = 2
    relearning_steps: int = 1
    suspend_after_lapses: int | None = None  # the leech threshold when leeches are suspended
    # The order of a day's reviews when the limit cuts them: "due" (Anki's default deck option:
    # the longest waiting first) or "difficulty" (fsrs-rs's own default: the easiest first).
    review_order: str = "due"


@dataclass
class SimCard:
    """A studied card at the start: its memory state, its last review and its due day, both
    counted from today (0; negative = before today)."""

    stability: float
    difficulty: float
    last_day: float
    due_day: float
    lapses: int = 0


@dataclass(frozen=True)
class Deck:
    """What the simulation starts from: the studied cards and how many new cards wait, the first
    of them on day `introduced_today // new_per_day` (cards already introduced today count)."""

    cards: Sequence[SimCard] = ()
    new_cards: int = 0
    introduced_today: int = 0


@dataclass(frozen=True)
class Outcome:
    """One simulated run at one desired retention."""

    retention: float
    days: int
    seconds_per_day: list[float] = field(repr=False)
    reviews_per_day: list[int] = field(repr=False)
    learned_per_day: list[int] = field(repr=False)
    memorized: float  # cards remembered on the last day (expected count)

    @property
    def minutes_per_day(self) -> float:
        return sum(self.seconds_per_day) / 60 / max(self.days, 1)

    @property
    def reviews(self) -> int:
        return sum(self.reviews_per_day)

    @property
    def learned(self) -> int:
        return sum(self.learned_per_day)


# ---------------------------------------------------------------------- FSRS-6, as fsrs-rs has it
def _init_d(w: Sequence[float], rating: int) -> float:
    return w[4] - math.exp(w[5] * (rating - 1)) + 1.0


def _next_d(w: Sequence[float], d: float, rating: int) -> float:
    delta = -w[6] * (rating - 3.0)
    new_d = d + (10.0 - d) / 9.0 * delta
    new_d = w[7] * _init_d(w, 4) + (1.0 - w[7]) * new_d
    return min(max(new_d, D_MIN), D_MAX)


def _after_success(w: Sequence[float], s: float, r: float, d: float, rating: int) -> float:
    hard = w[15] if rating == 2 else 1.0
    easy = w[16] if rating == 4 else 1.0
    grown: float = s * (
        math.exp(w[8]) * (11.0 - d) * s ** -w[9] * (math.exp((1.0 - r) * w[10]) - 1.0) * hard * easy
        + 1.0
    )
    return min(max(grown, S_MIN), S_MAX)


def _after_failure(w: Sequence[float], s: float, r: float, d: float) -> float:
    floor = s / math.exp(w[17] * w[18])
    new_s: float = w[11] * d ** -w[12] * ((s + 1.0) ** w[13] - 1.0) * math.exp((1.0 - r) * w[14])
    return min(max(min(new_s, floor), S_MIN), S_MAX)


def _short_term(w: Sequence[float], s: float, rating: int) -> float:
    sinc: float = math.exp(w[17] * (rating - 3.0 + w[18])) * s ** -w[19]
    grown: float = s * (max(sinc, 1.0) if rating >= 3 else sinc)
    return min(max(grown, S_MIN), S_MAX)


class _Picker:
    """Weighted choices of a button (1-based) from a seeded stream."""

    def __init__(self, weights: Sequence[float], first: int) -> None:
        total = sum(weights)
        self.cumulative = [c / total for c in accumulate(weights)]
        self.first = first

    def __call__(self, rng: random.Random) -> int:
        index = bisect_right(self.cumulative, rng.random())
        return self.first + min(index, len(self.cumulative) - 1)


def _steps(
    w: Sequence[float],
    s: float,
    d: float,
    first: int | None,
    costs: Sequence[float],
    pickers: Sequence[_Picker],
    step_count: int,
    rng: random.Random,
) -> tuple[float, float, float]:
    """fsrs-rs `memory_state_short_term`: the same-day steps after a first answer (`first`) or a
    lapse (None), until enough Good/Easy in a row or an Easy."""
    rating = first if first is not None else 1
    cost = costs[rating - 1] if first is not None else 0.0
    consecutive = 0
    needed = max(step_count - 1, 0) if rating > 2 else step_count
    for _ in range(MAX_STEPS):
        if consecutive >= needed or rating >= 4:
            break
        rating = pickers[rating - 1](rng)
        s = _short_term(w, s, rating)
        d = _next_d(w, d, rating)
        cost += costs[rating - 1]
        if rating > 2:
            consecutive += 1
        elif rating == 1:
            consecutive = 0
    return min(max(s, S_MIN), S_MAX), min(max(d, D_MIN), D_MAX), cost


# ---------------------------------------------------------------------- the run
def _zero(_i: int, _default: float) -> float:
    return 0.0


def simulate(
    w: Sequence[float],
    retention: float,
    deck: Deck,
    limits: Limits,
    behaviour: Behaviour,
    *,
    days: int = 365,
    seed: int = 42,
    cancelled: Callable[[], bool] | None = None,
) -> Outcome:
    """Simulate `days` days of study at `retention`; the same seed gives the same outcome."""
    if not 0 < retention < 1:
        raise ValueError(f"desired retention must be between 0 and 1 (got {retention})")
    rng = random.Random(seed)
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    interval_factor = (retention ** (1 / decay) - 1) / factor
    max_ivl = max(1, limits.maximum_interval_days)
    max_lapses = limits.suspend_after_lapses or 1 << 62
    first_pick = _Picker(behaviour.first_rating_prob, 1)
    review_pick = _Picker(behaviour.review_rating_prob, 2)
    learn_pickers = [_Picker(row, 1) for row in behaviour.learning_transitions]
    relearn_pickers = [_Picker(row, 1) for row in behaviour.relearning_transitions]
    learn_costs, review_costs, relearn_costs = behaviour.costs

    studied = [c for c in deck.cards if c.stability > 1e-9]
    stability = [c.stability for c in studied]
    difficulty = [c.difficulty for c in studied]
    last = [c.last_day for c in studied]
    lapses = [c.lapses for c in studied]
    scheduled = [c.due_day for c in studied]  # the due day it was given (kept when it waits)
    calendar: list[list[int]] = [[] for _ in range(days + 1)]
    order: dict[int, float] = {}  # day 0: how overdue (the library's priority)
    for i, c in enumerate(studied):
        day = max(int(c.due_day), 0)
        if day < days and c.lapses < max_lapses:
            calendar[day].append(i)
            if day == 0:
                order[i] = int(c.due_day)

    seconds = [0.0] * days
    reviewed = [0] * days
    learned = [0] * days
    new_limit, review_limit = limits.new_per_day, limits.reviews_per_day
    by_due = limits.review_order != "difficulty"
    new_total = deck.new_cards if new_limit > 0 else 0
    next_new = 0

    def schedule(i: int, today: int, s: float) -> None:
        ivl = min(max(math.floor(s * interval_factor + 0.5), 1), max_ivl)
        last[i] = today
        scheduled[i] = today + ivl
        if today + ivl < days:
            calendar[today + ivl].append(i)

    for today in range(days):
        if cancelled is not None and cancelled():
            raise Cancelled
        due = calendar[today]
        first = order.get if today == 0 else _zero
        if by_due:
            due.sort(key=lambda i: (first(i, 0), int(scheduled[i]), i))
        else:
            due.sort(key=lambda i: (first(i, 0), int(difficulty[i] * 100), i))
        done = 0
        cost = 0.0
        for n, i in enumerate(due):
            if done >= review_limit:  # the rest wait for tomorrow
                calendar[today + 1].extend(due[n:])
                break
            s, d = stability[i], difficulty[i]
            r = (1 + factor * (today - last[i]) / s) ** decay
            if rng.random() >= r:  # forgotten
                lapses[i] += 1
                s, d, extra = _steps(
                    w,
                    _after_failure(w, s, r, d),
                    _next_d(w, d, 1),
                    None,
                    relearn_costs,
                    relearn_pickers,
                    limits.relearning_steps,
                    rng,
                )
                cost += review_costs[0] + extra
            else:
                rating = review_pick(rng)
                s, d = _after_success(w, s, r, d, rating), _next_d(w, d, rating)
                cost += review_costs[rating - 1]
            stability[i], difficulty[i] = s, d
            done += 1
            if lapses[i] < max_lapses:
                schedule(i, today, s)
            else:
                last[i] = today
        new_today = 0
        while next_new < new_total and (deck.introduced_today + next_new) // new_limit <= today:
            if new_today + 1 > new_limit or (
                not limits.new_ignores_review_limit and new_today + done + 1 > review_limit
            ):
                break
            rating = first_pick(rng)
            s0 = w[rating - 1]
            d0 = min(max(_init_d(w, rating), D_MIN), D_MAX)
            s, d, extra = _steps(
                w, s0, d0, rating, learn_costs, learn_pickers, limits.learning_steps, rng
            )
            stability.append(s)
            difficulty.append(d)
            last.append(today)
            lapses.append(0)
            scheduled.append(today)
            schedule(len(stability) - 1, today, s)
            cost += extra
            next_new += 1
            new_today += 1
        seconds[today] = cost
        reviewed[today] = done
        learned[today] = new_today

    end = days - 1
    memorized = sum(
        (1 + factor * max(end - last[i], 0) / stability[i]) ** decay for i in range(len(stability))
    )
    return Outcome(retention, days, seconds, reviewed, learned, memorized)
