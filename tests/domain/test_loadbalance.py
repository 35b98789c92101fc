"""Anki's load balancer, ported: hand-computed cases of its rules (weights, easy days, siblings, the
weighted draw), and properties: the pick never leaves the fuzz range, a day with fewer reviews is
never less likely than a later day with more, an empty day is the likeliest, easy days are kept."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain import loadbalance as lb
from deskwork.domain.scheduling import _fuzz_bounds, with_fuzz

SAT, SUN, MON = 5, 6, 0


def test_weights_follow_ankis_formula() -> None:
    assert lb.weight(0, 10) == 1.0, "an empty day weighs 1, modifiers or not"
    assert lb.weight(0, 10, sibling=0.000001, easy=lb.MINIMUM_LOAD) == 1.0
    assert lb.weight(2, 10) == pytest.approx(0.5**2.15 / 1000)
    assert lb.weight(4, 3, sibling=0.2, easy=1.0) == pytest.approx(0.25**2.15 / 27 * 0.2)


def test_easy_days_hand_computed() -> None:
    easy = [1.0] * 7
    easy[SUN] = 0.5
    # 24 reviews, total load 2.5; Sunday: others 20 over 2.0 = 10 per day; 4 / 0.5 = 8 <= 10: on.
    assert lb.easy_day_modifiers(easy, [SAT, SUN, MON], [10, 4, 10]) == [1.0, 1.0, 1.0]
    # 6 / 0.5 = 12 > 10: Sunday is off (nearly: 0.0001).
    assert lb.easy_day_modifiers(easy, [SAT, SUN, MON], [10, 6, 10]) == [1.0, 0.0001, 1.0]
    easy[SUN] = 0.0
    assert lb.easy_day_modifiers(easy, [SAT, SUN, MON], [10, 0, 10])[1] == lb.MINIMUM_LOAD
    # A range of one reduced day: Anki divides 0 by 0 in f32 (NaN): the day stays on.
    easy[SUN] = 0.5
    assert lb.easy_day_modifiers(easy, [SUN], [7]) == [1.0]


def test_sibling_modifiers_match_ankis_worked_example() -> None:
    """The table in load_balancer.rs: siblings due on days 2 and 8, days 0 to 10."""
    got = lb.sibling_modifiers(0, 10, [2, 8])
    want = [0.40, 0.20, 0.0, 0.20, 0.32, 0.36, 0.32, 0.20, 0.0, 0.20, 0.40]
    assert got == pytest.approx(want, abs=1e-5)
    assert got[2] > 0 and got[8] > 0, "nearly zero, never zero"


def test_the_draw_is_plain_fuzz_when_every_day_weighs_the_same() -> None:
    for interval in (3.0, 7.0, 17.0, 37.0, 80.0):
        lower, upper = _fuzz_bounds(interval, 1, 36500)
        for u in (0.0, 0.1, 0.5, 0.77, 0.999):
            picked = lower + lb.select([1.0] * (upper - lower + 1), u)
            assert picked == with_fuzz(u, interval, 1, 36500)


def test_hand_computed_choice() -> None:
    """Interval 10: fuzz range 8..12; 5, 5, 0, 5, 5 reviews due: day 10 weighs 1, each other
    (1/5)^2.15 / day^3, so day 10 takes all but ~0.04 % of the draws."""
    counts = {8: 5, 9: 5, 10: 0, 11: 5, 12: 5}
    found = lb.choice(10.0, 1, 36500, counts.__getitem__, lambda n: MON)
    assert found is not None and (found.lower, found.upper) == (8, 12)
    other = [0.2**2.15 / d**3 for d in (8, 9, 11, 12)]
    assert found.probability(10) == pytest.approx(1 / (1 + sum(other)))
    assert found.pick(0.5) == 10
    assert found.pick(0.0) == 8, "a draw in the first day's sliver still picks it"


def test_past_ninety_days_it_is_plain_fuzz() -> None:
    assert lb.choice(91.0, 1, 36500, lambda n: 0, lambda n: 0) is None
    assert lb.choice(90.9, 1, 36500, lambda n: 0, lambda n: 0) is not None, "Anki truncates"
    assert lb.choice(30.0, 91, 36500, lambda n: 0, lambda n: 0) is None


def test_due_days_are_counted_per_preset_and_moved() -> None:
    due = lb.DueDays()
    due.add(1, 100)
    due.add(1, 100)
    due.add(2, 100)
    assert (due.count(1, 100), due.count(2, 100), due.count(3, 100)) == (2, 1, 0)
    due.move(1, 100, 105)
    assert (due.count(1, 100), due.count(1, 105)) == (1, 1)
    due.move(1, None, 106)
    due.move(1, 106, None)
    assert due.forecast(1, 100, 7) == [1, 0, 0, 0, 0, 1, 0]


def test_spread() -> None:
    assert lb.spread([2, 4, 4, 4, 5, 5, 7, 9]) == (2, 9, 2.0)
    assert lb.spread([]) == (0, 0, 0.0)


# ---------------------------------------------------------------------- properties
days_counts = st.lists(st.integers(0, 60), min_size=130, max_size=130)
easy_weeks = st.lists(st.sampled_from([0.0, 0.5, 1.0, 0.25]), min_size=7, max_size=7)


@settings(max_examples=300, deadline=None)
@given(
    interval=st.floats(0.5, 120.0),
    minimum=st.integers(1, 100),
    maximum=st.integers(1, 36500),
    counts=days_counts,
    easy=easy_weeks,
    siblings=st.lists(st.integers(0, 98), max_size=3),
    u=st.floats(0.0, 1.0, exclude_max=True),
    start=st.integers(0, 6),
)
def test_the_pick_never_leaves_the_fuzz_range(
    interval: float,
    minimum: int,
    maximum: int,
    counts: list[int],
    easy: list[float],
    siblings: list[int],
    u: float,
    start: int,
) -> None:
    found = lb.choice(
        interval, minimum, maximum, counts.__getitem__, lambda n: (start + n) % 7, easy, siblings
    )
    lower, upper = _fuzz_bounds(interval, minimum, maximum)
    if int(interval) > lb.MAX_LOAD_BALANCE_INTERVAL or minimum > lb.MAX_LOAD_BALANCE_INTERVAL:
        assert found is None
        return
    assert found is not None
    assert (found.lower, found.upper) == (lower, upper)
    assert lower <= found.pick(u) <= upper
    assert math.isclose(sum(found.probability(d) for d in range(lower, upper + 1)), 1.0)


@settings(max_examples=300, deadline=None)
@given(interval=st.floats(2.5, 90.0), counts=days_counts)
def test_fewer_reviews_is_never_less_likely_than_a_later_day_with_more(
    interval: float, counts: list[int]
) -> None:
    """Anki's weighting favours emptier and earlier days: of two days, the one with fewer reviews
    due that is not later is at least as likely; an empty day is the likeliest of all."""
    found = lb.choice(interval, 1, 36500, counts.__getitem__, lambda n: MON)
    assert found is not None
    days = range(found.lower, found.upper + 1)
    for a in days:
        for b in days:
            if a <= b and counts[a] <= counts[b]:
                assert found.probability(a) >= found.probability(b)
    empty = [d for d in days if counts[d] == 0]
    if empty:
        best = max(found.probability(d) for d in days)
        assert all(found.probability(d) == best for d in empty)


@settings(max_examples=200, deadline=None)
@given(interval=st.floats(3.0, 90.0), load=st.integers(1, 3), u=st.floats(0.0, 0.99))
def test_the_least_loaded_day_wins_against_a_crowd(interval: float, load: int, u: float) -> None:
    """Every day of the range has 100 reviews due but one with 1–3 or none: it takes over 98 % of
    the draws (an empty one over 99.8 %), and the draws in its share pick it."""
    lower, upper = _fuzz_bounds(interval, 1, 36500)
    for light in range(lower, upper + 1):
        counts = {d: 100 for d in range(lower, upper + 1)} | {light: load if u < 0.5 else 0}
        found = lb.choice(interval, 1, 36500, counts.__getitem__, lambda n: MON)
        assert found is not None
        assert found.probability(light) > (0.98 if counts[light] else 0.998)
        if u < 0.99:
            share_before = sum(found.probability(d) for d in range(lower, light))
            if share_before <= u < share_before + found.probability(light):
                assert found.pick(u) == light


@settings(max_examples=200, deadline=None)
@given(interval=st.floats(3.0, 90.0), counts=days_counts, start=st.integers(0, 6))
def test_a_minimum_easy_day_with_reviews_is_nearly_never_picked(
    interval: float, counts: list[int], start: int
) -> None:
    easy = [1.0] * 7
    easy[SUN] = 0.0
    weekday = lambda n: (start + n) % 7  # noqa: E731
    found = lb.choice(interval, 1, 36500, counts.__getitem__, weekday, easy)
    assert found is not None
    days = range(found.lower, found.upper + 1)
    normal = [d for d in days if weekday(d) != SUN]
    for d in days:
        if weekday(d) == SUN and counts[d] > 0 and normal:
            # 0.0001 of the weight it would have as a normal day
            plain = lb.choice(interval, 1, 36500, counts.__getitem__, weekday)
            assert plain is not None
            assert found.weights[d - found.lower] == pytest.approx(
                plain.weights[d - found.lower] * lb.MINIMUM_LOAD
            )


def test_balancer_reads_the_presets_counts_from_today() -> None:
    today = date(2026, 11, 22)  # a Sunday
    due = lb.DueDays()
    first = today.toordinal()
    for n in range(8, 13):
        for _ in range(30):
            due.add(7, first + n)
    due.remove(7, first + 11)
    for _ in range(29):
        due.remove(7, first + 11)  # day 11 (a Thursday) is empty
    balancer = lb.Balancer(due, 7, today)
    found = balancer.choice(10.0, 1, 36500)
    assert found is not None and found.counts == [30, 30, 30, 0, 30]
    assert balancer(10.0, 1, 36500, 0.5) == 11
    other = lb.Balancer(due, 8, today)  # another preset: nothing due, plain fuzz
    assert other(10.0, 1, 36500, 0.5) == with_fuzz(0.5, 10.0, 1, 36500)
    # Easy days: the weekday of day n is today's + n (Anki's interval_to_weekday).
    sunday_off = [1.0] * 6 + [0.0]
    found = lb.Balancer(due, 7, today, sunday_off).choice(14.0, 1, 36500)
    assert found is not None
    for n in range(found.lower, found.upper + 1):
        if n % 7 == 0 and due.count(7, first + n):
            assert found.weights[n - found.lower] < 1e-4
