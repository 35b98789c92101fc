"""The retention simulator: deterministic with a seed; its defaults are fsrs-rs's; it agrees with
fsrs-rs-python's own simulator on a deck of new cards and, through the library's
`optimal_retention` hook (the one entry point that takes existing cards), on a deck of studied
cards; daily limits hold; the sweep marks the retention cheapest per card remembered."""

from __future__ import annotations

import random
import statistics
from typing import Any

import fsrs_rs_python as fr
import pytest

from deskwork.domain import retention as dr
from deskwork.domain.simulation import (
    Behaviour,
    Cancelled,
    Deck,
    Limits,
    SimCard,
    simulate,
)

W = list(fr.DEFAULT_PARAMETERS)


def studied_cards(n: int, seed: int = 1) -> list[SimCard]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        last = -rng.randint(1, 20)
        out.append(SimCard(rng.uniform(2, 80), rng.uniform(2, 9), last, last + rng.randint(1, 40)))
    return out


def test_the_same_seed_gives_the_same_year_and_another_seed_another() -> None:
    deck = Deck(studied_cards(200), new_cards=100)
    a = simulate(W, 0.9, deck, Limits(10, 80), Behaviour(), days=120, seed=7)
    b = simulate(W, 0.9, deck, Limits(10, 80), Behaviour(), days=120, seed=7)
    c = simulate(W, 0.9, deck, Limits(10, 80), Behaviour(), days=120, seed=8)
    assert a == b
    assert a.seconds_per_day != c.seconds_per_day
    rows = dr.sweep(W, deck, Limits(10, 80), Behaviour(), [0.8, 0.9], days=60, seed=3, runs=3)
    assert rows == dr.sweep(
        W, deck, Limits(10, 80), Behaviour(), [0.8, 0.9], days=60, seed=3, runs=3
    )
    one = [simulate(W, 0.8, deck, Limits(10, 80), Behaviour(), days=60, seed=s) for s in (3, 4, 5)]
    assert rows[0].memorized == pytest.approx(sum(o.memorized for o in one) / 3), "the average"


def test_defaults_are_the_librarys() -> None:
    lib = fr.default_simulator_config()
    ours = Behaviour()
    assert lib.first_rating_prob == pytest.approx(ours.first_rating_prob)
    assert lib.review_rating_prob == pytest.approx(ours.review_rating_prob)
    for mine, theirs in (
        (ours.learning_transitions, lib.learning_step_transitions),
        (ours.relearning_transitions, lib.relearning_step_transitions),
        (ours.costs, lib.state_rating_costs),
    ):
        for row, lib_row in zip(mine, theirs, strict=True):
            assert list(row) == pytest.approx(lib_row)


LIB_ORDER = Limits(10, 60, review_order="difficulty")  # the library's own order of a day's reviews


def _mean(values: list[float]) -> float:
    return statistics.mean(values)


@pytest.mark.parametrize("retention", [0.75, 0.9])
def test_agrees_with_the_librarys_simulator_on_new_cards(retention: float) -> None:
    cfg = fr.default_simulator_config()
    cfg.deck_size, cfg.learn_span, cfg.learn_limit, cfg.review_limit = 600, 120, 10, 60
    cfg.max_cost_perday = 1e30
    cfg.new_cards_ignore_review_limit = False
    lib = [fr.simulate(W, retention, cfg, s) for s in range(12)]
    ours = [
        simulate(W, retention, Deck(new_cards=600), LIB_ORDER, Behaviour(), days=120, seed=s)
        for s in range(12)
    ]
    assert _mean([o.memorized for o in ours]) == pytest.approx(
        _mean([r.memorized_cnt_per_day[-1] for r in lib]), rel=0.03
    )
    assert _mean([o.reviews for o in ours]) == pytest.approx(
        _mean([sum(r.review_cnt_per_day) for r in lib]), rel=0.05
    )
    assert _mean([sum(o.seconds_per_day) for o in ours]) == pytest.approx(
        _mean([sum(r.cost_per_day) for r in lib]), rel=0.05
    )


def test_agrees_with_the_library_on_studied_cards() -> None:
    """The library's `optimal_retention` simulates existing cards (16 seeds per retention it
    tries); its target hook sees each run. Every card carries its own desired retention, so each
    of those runs is the same simulation as ours at that retention."""
    cards = studied_cards(300, seed=5)
    retention, days = 0.85, 90
    lib_cards = []
    for c in cards:
        card = fr.Card()
        card.id, card.stability, card.difficulty = len(lib_cards) + 1, c.stability, c.difficulty
        card.last_date, card.due, card.interval = c.last_day, c.due_day, c.due_day - c.last_day
        card.desired_retention = retention
        lib_cards.append(card)
    cfg = fr.default_simulator_config()
    cfg.deck_size, cfg.learn_span, cfg.learn_limit, cfg.review_limit = len(cards), days, 0, 10**6
    cfg.max_cost_perday = 1e30
    seen: list[Any] = []

    def target(result: Any, _w: Any) -> float:
        if len(seen) < 16:
            seen.append((result.memorized_cnt_per_day[-1], sum(result.review_cnt_per_day)))
        return float(len(seen))

    fr.optimal_retention(cfg, W, lib_cards, target)
    ours = [
        simulate(W, retention, Deck(cards), Limits(0, 10**6), Behaviour(), days=days, seed=s)
        for s in range(16)
    ]
    assert _mean([o.memorized for o in ours]) == pytest.approx(
        _mean([m for m, _ in seen]), rel=0.02
    )
    assert _mean([o.reviews for o in ours]) == pytest.approx(_mean([r for _, r in seen]), rel=0.05)


def test_daily_limits_hold_and_wait_for_the_next_day() -> None:
    deck = Deck(studied_cards(400), new_cards=300)
    out = simulate(W, 0.95, deck, Limits(7, 30), Behaviour(), days=90, seed=1)
    assert max(out.reviews_per_day) == 30, "a full day stops at the review limit"
    assert all(n + r <= 30 for n, r in zip(out.learned_per_day, out.reviews_per_day, strict=True))
    assert max(out.learned_per_day) <= 7
    free = simulate(W, 0.95, deck, Limits(7, 30, True), Behaviour(), days=90, seed=1)
    assert max(free.learned_per_day) == 7 and max(free.reviews_per_day) == 30
    assert free.learned > out.learned, "new cards that ignore the review limit still come"


def test_higher_retention_costs_more_a_day_and_cancel_stops() -> None:
    deck = Deck(studied_cards(300), new_cards=200)
    low, high = (
        simulate(W, r, deck, Limits(20, 9999), Behaviour(), days=200, seed=2) for r in (0.75, 0.95)
    )
    assert high.minutes_per_day > low.minutes_per_day * 1.5
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        simulate(W, 0.9, deck, Limits(), Behaviour(), days=200, cancelled=cancelled)
    assert len(calls) == 4, "checked once a simulated day"


def test_best_is_the_cheapest_per_card_remembered() -> None:
    def row(r: float, total: float, memorized: float) -> dr.Row:
        return dr.Row(r, total / 365, memorized, 0, 0, total)

    rows = [row(0.7, 900, 800), row(0.8, 1000, 1000), row(0.85, 1100, 1100), row(0.9, 1500, 1200)]
    assert dr.best(rows) == 1, "1.0 min per card at 0.80 ties 0.85: the lower retention wins"
    assert dr.best([row(0.7, 10, 0), row(0.8, 5, 0)]) is None, "nothing remembered: no best"
    assert (dr.runs_for(160), dr.runs_for(5000), dr.runs_for(20000), dr.runs_for(0)) == (8, 4, 1, 8)
    assert dr.retentions()[:3] == [0.7, 0.71, 0.72] and dr.retentions()[-1] == 0.97
    assert len(dr.retentions()) == 28
    assert dr.retentions(0.8, 0.9, 0.04) == [0.8, 0.84, 0.88, 0.9]
    with pytest.raises(ValueError):
        dr.retentions(0.4, 0.9)
