"""Anki's load balancer (rslib/src/scheduler/states/load_balancer.rs), ported: when a review
interval is fuzzed, the day is picked inside the fuzz range by a weighted draw that favours days
with fewer reviews already due, earlier days, days without a sibling of the card (when the preset
buries review siblings) and honours "easy days" (per-weekday load factors). It never leaves the fuzz
range, and leaves intervals over 90 days to plain fuzz.

`DueDays` is the per-day count it weighs by: cards due on each study day, per preset, built once
from the cards and kept up to date answer by answer (`move`), never rescanned. Pure: no I/O; days
are study-day ordinals (`date.toordinal()`), so the counts survive a day rollover.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from deskwork.domain.cards import Card, CardState
from deskwork.domain.studyday import days_before

# Anki: past this the need to balance is low; plain fuzz.
MAX_LOAD_BALANCE_INTERVAL = 90
# Anki keeps 10 % more days than that in its cache (a balanced card can land past day 90).
LOAD_BALANCE_DAYS = int(MAX_LOAD_BALANCE_INTERVAL * 1.1)
# Siblings (preset burying review siblings): a day with one is nearly excluded, its neighbours
# damped, 0.2 per day of distance.
SIBLING_STEPS = (-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5)
SIBLING_RANGE = (1.0, 0.8, 0.6, 0.4, 0.2, 0.000001, 0.2, 0.4, 0.6, 0.8, 1.0)
DAY_S = 86400
# Anki's EasyDay::Minimum load modifier: not zero, so that all-minimum still balances.
MINIMUM_LOAD = 0.0001
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NORMAL_WEEK = (1.0,) * 7


def load_modifier(factor: float) -> float:
    """Anki's `EasyDay::load_modifier`: Normal 1.0, Minimum 0.0001, Reduced its factor (Anki's
    deck options offer 0.5 only; a config may give any factor in between)."""
    if factor >= 1.0:
        return 1.0
    if factor <= 0.0:
        return MINIMUM_LOAD
    return factor


def easy_day_modifiers(
    easy_days: Sequence[float], weekdays: Sequence[int], counts: Sequence[int]
) -> list[float]:
    """Anki's `calculate_easy_days_modifiers`: each day of the range on (1.0) or nearly off
    (0.0001). A Normal day is always on, a Minimum day always off; a Reduced day (factor f) stays
    on while its count / f is at most the other days' count per unit of load."""
    total_count = sum(counts)
    total_percent = sum(load_modifier(easy_days[w]) for w in weekdays)
    out: list[float] = []
    for weekday, count in zip(weekdays, counts, strict=True):
        factor = easy_days[weekday]
        modifier = load_modifier(factor)
        if MINIMUM_LOAD < modifier < 1.0:  # Reduced
            other_count = total_count - count
            other_percent = total_percent - modifier
            normalized = count / modifier
            # f32 in Anki: x / 0 is inf or NaN there, and `normalized > either` is false.
            over = other_percent > 0 and normalized > other_count / other_percent
            modifier = MINIMUM_LOAD if over else 1.0
        out.append(modifier)
    return out


def sibling_modifiers(lower: int, upper: int, sibling_days: Iterable[int]) -> list[float]:
    """Anki's `calculate_sibling_modifiers`: `sibling_days` are offsets from today of the days a
    card of the same note is due on."""
    modifiers = [1.0] * (upper - lower + 1)
    for day in set(sibling_days):
        for step, value in zip(SIBLING_STEPS, SIBLING_RANGE, strict=True):
            target = day + step - lower
            if 0 <= target < len(modifiers):
                modifiers[target] *= value
    return modifiers


def weight(count: int, target: int, sibling: float = 1.0, easy: float = 1.0) -> float:
    """Anki's `select_weighted_interval`: an empty day weighs 1.0 (its modifiers are not applied,
    as in Anki); else (1/count)^2.15 · (1/interval)^3 · modifiers."""
    if count == 0:
        return 1.0
    return float((1.0 / count) ** 2.15 * (1.0 / max(target, 1)) ** 3 * sibling * easy)


def select(weights: Sequence[float], u: float) -> int:
    """The index a uniform draw `u` in [0, 1) picks, each index with probability weight / total
    (rand's WeightedIndex: the first cumulative weight above u · total). Equal weights give
    exactly plain fuzz's floor(lower + u · n)."""
    total = sum(weights)
    chosen = u * total
    cumulative = 0.0
    for n, w in enumerate(weights[:-1]):
        cumulative += w
        if cumulative > chosen:
            return n
    return len(weights) - 1


@dataclass(frozen=True)
class Choice:
    """The days of a fuzz range, each with its reviews already due and its weight."""

    lower: int
    upper: int
    counts: list[int]
    weights: list[float]

    def probability(self, interval: int) -> float:
        return self.weights[interval - self.lower] / sum(self.weights)

    def pick(self, u: float) -> int:
        return self.lower + select(self.weights, u)


def choice(
    interval: float,
    minimum: int,
    maximum: int,
    count_on: Callable[[int], int],
    weekday_of: Callable[[int], int],
    easy_days: Sequence[float] = NORMAL_WEEK,
    sibling_days: Iterable[int] = (),
) -> Choice | None:
    """Anki's `find_interval` up to the draw: None past 90 days (plain fuzz then). `count_on(n)`
    is the reviews due n days from today, `weekday_of(n)` that day's weekday (Monday 0)."""
    from deskwork.domain.scheduling import _fuzz_bounds

    if int(interval) > MAX_LOAD_BALANCE_INTERVAL or minimum > MAX_LOAD_BALANCE_INTERVAL:
        return None
    lower, upper = _fuzz_bounds(interval, minimum, maximum)
    days = range(lower, upper + 1)
    counts = [count_on(n) for n in days]
    easy = easy_day_modifiers(easy_days, [weekday_of(n) for n in days], counts)
    siblings = sibling_modifiers(lower, upper, sibling_days)
    weights = [weight(c, n, s, e) for n, c, s, e in zip(days, counts, siblings, easy, strict=True)]
    return Choice(lower, upper, counts, weights)


# ---------------------------------------------------------------------- the per-day counts
def due_day(card: Card, today: date, day_end: datetime) -> int | None:
    """The study day (ordinal) a card counts on for balancing: a review card, or a learning card
    whose next step is on a later day, not suspended. New cards and same-day steps: None."""
    if card.suspended or card.last_review is None:
        return None
    if card.state is not CardState.REVIEW and card.due < day_end:
        return None
    return today.toordinal() - days_before(day_end, card.due)


class DueDays:
    """Cards due per study day, per preset (Anki balances within a preset): built once, then
    `move` per answer, O(1)."""

    def __init__(self) -> None:
        self._days: dict[int, Counter[int]] = {}

    @classmethod
    def build(
        cls,
        cards: Iterable[Card],
        today: date,
        day_end: datetime,
        preset_of: Callable[[str], int],
    ) -> DueDays:
        """One pass over the cards (`due_day` inlined: ~0.7 µs a card), from today on."""
        due = cls()
        first = today.toordinal()
        day_end = day_end.astimezone(UTC)  # as stored: same-zone arithmetic skips offset lookups
        presets: dict[str, Counter[int]] = {}
        review = CardState.REVIEW
        for card in cards:
            if card.suspended or card.last_review is None:
                continue
            moment = card.due
            if moment < day_end and card.state is not review:
                continue  # a learning step today
            offset = -math.ceil((day_end - moment).total_seconds() / DAY_S) + 1
            if offset < 0:
                continue  # overdue: Anki's window starts today
            days = presets.get(card.deck)
            if days is None:
                days = presets[card.deck] = due._days.setdefault(preset_of(card.deck), Counter())
            days[first + offset] += 1
        return due

    def add(self, preset: int, day: int) -> None:
        days = self._days.get(preset)
        if days is None:
            days = self._days[preset] = Counter()
        days[day] += 1

    def remove(self, preset: int, day: int) -> None:
        days = self._days.get(preset)
        if days is not None and days[day] > 0:
            days[day] -= 1
            if not days[day]:
                del days[day]

    def move(self, preset: int, before: int | None, after: int | None) -> None:
        """A card answered (or an answer undone): off its old day, onto its new one."""
        if before is not None:
            self.remove(preset, before)
        if after is not None:
            self.add(preset, after)

    def count(self, preset: int, day: int) -> int:
        days = self._days.get(preset)
        return days.get(day, 0) if days is not None else 0

    def forecast(self, preset: int, first: int, days: int) -> list[int]:
        return [self.count(preset, first + n) for n in range(days)]


@dataclass(frozen=True)
class Balancer:
    """What one answer balances with: the counts of the card's preset from today, the easy
    days, and the days its siblings are due (when the preset buries review siblings)."""

    due: DueDays
    preset: int
    today: date
    easy_days: Sequence[float] = NORMAL_WEEK
    sibling_days: tuple[int, ...] = ()

    def choice(self, interval: float, minimum: int, maximum: int) -> Choice | None:
        first = self.today.toordinal()
        return choice(
            interval,
            minimum,
            maximum,
            lambda n: self.due.count(self.preset, first + n),
            lambda n: date.fromordinal(first + n).weekday(),
            self.easy_days,
            self.sibling_days,
        )

    def __call__(self, interval: float, minimum: int, maximum: int, u: float) -> int | None:
        found = self.choice(interval, minimum, maximum)
        return found.pick(u) if found is not None else None


EASY_WORDS = {"normal": 1.0, "reduced": 0.5, "minimum": 0.0}


def parse_easy_days(text: str) -> list[float]:
    """'1 1 1 1 1 0.5 0' (Monday first), 'sun=0 sat=reduced' (the rest normal), or 'config' /
    '' (the config's [easy_days]) → 7 factors, or [] for the config's."""
    words = text.replace(",", " ").split()
    if not words or (len(words) == 1 and words[0].lower() in ("config", "default", "none")):
        return []

    def factor(word: str) -> float:
        word = word.strip().lower()
        try:
            value = EASY_WORDS[word] if word in EASY_WORDS else float(word)
        except ValueError:
            raise ValueError(
                f"{word!r} is not a load factor (a number from 0 to 1, or normal, "
                "reduced, minimum)."
            ) from None
        if not 0 <= value <= 1:
            raise ValueError(f"{word!r} is not from 0 to 1.")
        return value

    if all("=" in w for w in words):
        days = [1.0] * 7
        for word in words:
            day, _, value = word.partition("=")
            name = day.strip().lower()[:3]
            short = [w[:3] for w in WEEKDAYS]
            if name not in short:
                raise ValueError(f"{day!r} is not a weekday (mon … sun).")
            days[short.index(name)] = factor(value)
        return days
    if len(words) != 7:
        raise ValueError(
            f"7 load factors, Monday first, or day=factor pairs (got {len(words)} values)."
        )
    return [factor(w) for w in words]


def spread(counts: Sequence[int]) -> tuple[int, int, float]:
    """(fewest, most, standard deviation) of a forecast's daily counts: how even a load is."""
    if not counts:
        return 0, 0, 0.0
    mean = sum(counts) / len(counts)
    sd = (sum((c - mean) ** 2 for c in counts) / len(counts)) ** 0.5
    return min(counts), max(counts), sd
