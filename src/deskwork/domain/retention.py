"""Choosing a desired retention with numbers: the same year simulated at each retention of a
range, one row per retention (minutes of review a day, cards remembered at the end, the cost of
each card remembered), and the retention that costs least per card remembered. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from deskwork.domain.simulation import Behaviour, Deck, Limits, Outcome, simulate

LOWEST, HIGHEST, STEP = 0.70, 0.97, 0.01


def retentions(lowest: float = LOWEST, highest: float = HIGHEST, step: float = STEP) -> list[float]:
    """0.70, 0.71, … 0.97 (rounded to two places; `highest` always included)."""
    if not 0.5 < lowest <= highest < 1 or step <= 0:
        raise ValueError("retentions run from more than 0.5 to less than 1, in a positive step")
    out: list[float] = []
    n = 0
    while (value := round(lowest + n * step, 4)) < highest - 1e-9:
        out.append(value)
        n += 1
    return [*out, round(highest, 4)]


@dataclass(frozen=True)
class Row:
    retention: float
    minutes_per_day: float
    memorized: float  # cards remembered on the last day
    reviews: int
    learned: int
    total_minutes: float

    @property
    def minutes_per_card(self) -> float | None:
        """Minutes of study for each card remembered at the end (None: nothing remembered)."""
        return self.total_minutes / self.memorized if self.memorized > 0 else None

    def per_card_text(self, digits: int = 2) -> str:
        per_card = self.minutes_per_card
        return "—" if per_card is None else f"{per_card:.{digits}f}"

    def as_json(self) -> dict[str, float | int | None]:
        return {
            "retention": self.retention,
            "minutes_per_day": round(self.minutes_per_day, 2),
            "memorized": round(self.memorized, 1),
            "minutes_per_card": None
            if self.minutes_per_card is None
            else round(self.minutes_per_card, 4),
            "reviews": self.reviews,
            "learned": self.learned,
        }


def row_of(outcome: Outcome) -> Row:
    total = sum(outcome.seconds_per_day) / 60
    return Row(
        outcome.retention,
        outcome.minutes_per_day,
        outcome.memorized,
        outcome.reviews,
        outcome.learned,
        total,
    )


def best(rows: Sequence[Row]) -> int | None:
    """The index of the row that costs least per card remembered (None when nothing is
    remembered at all: an empty preset). A tie goes to the lower retention (less work a day)."""
    found: int | None = None
    for i, row in enumerate(rows):
        cost = row.minutes_per_card
        if cost is None:
            continue
        least = rows[found].minutes_per_card if found is not None else None
        if least is None or cost < least - 1e-12:
            found = i
    return found


def runs_for(cards: int, target: int = 20_000, most: int = 8) -> int:
    """How many runs to average so a small collection's curve is not one run's luck: enough for
    about `target` simulated cards, at most `most` (a big collection needs one)."""
    return max(1, min(most, -(-target // max(cards, 1))))


def sweep(
    w: Sequence[float],
    deck: Deck,
    limits: Limits,
    behaviour: Behaviour,
    values: Sequence[float],
    *,
    days: int = 365,
    seed: int = 42,
    runs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Row]:
    """At each retention, the average of `runs` simulations from seeds seed, seed + 1, …: the
    same seeds at every retention (so the rows differ by the retention, not by luck);
    `progress(done, total)` after each retention."""
    rows = []
    for n, value in enumerate(values):
        found = [
            row_of(
                simulate(
                    w, value, deck, limits, behaviour, days=days, seed=seed + k,
                    cancelled=cancelled,
                )
            )
            for k in range(runs)
        ]  # fmt: skip
        rows.append(
            Row(
                value,
                sum(r.minutes_per_day for r in found) / runs,
                sum(r.memorized for r in found) / runs,
                round(sum(r.reviews for r in found) / runs),
                round(sum(r.learned for r in found) / runs),
                sum(r.total_minutes for r in found) / runs,
            )
        )
        if progress is not None:
            progress(n + 1, len(values))
    return rows
