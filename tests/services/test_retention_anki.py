"""The retention helper against the real Anki (test-only oracle) on the same collection: Anki
builds it (a preset with 10 new / 80 reviews a day, 1,200 review cards with memory states and a
year of timed answers, 300 new cards) and runs its own deck-options helper; deskwork imports the
exported package and runs its own. The answer times and button probabilities measured from the
log are Anki's to the hundredth; the year simulated at each retention agrees in cards remembered
(within 2 %) and, within the noise of Anki's single run per retention, in answers and minutes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from deskwork.paths import Paths
from deskwork.services import Desk, retention
from deskwork.services.anki import import_deck, read_file

oracle_module = pytest.importorskip("tests.retention_anki_oracle")


# Its tests share a module-scoped fixture: under xdist they run on one worker, which builds it
# once (spread over two workers, each built its own).
pytestmark = pytest.mark.xdist_group("test_retention_anki")


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, retention.Report]:
    oracle = oracle_module.build_retention_collection(
        tmp_path_factory.mktemp("anki"), studied=1200, new=300
    )
    home = tmp_path_factory.mktemp("desk")
    desk = Desk.open(Paths(home, home), clock=lambda: datetime.now(UTC))
    import_deck(desk, read_file(oracle.package, desk))
    report = retention.simulate_preset(desk, "Lang", values=[0.7, 0.8, 0.9, 0.95])
    desk.close()
    return oracle, report


def test_measured_answering_is_ankis(compared: tuple[object, retention.Report]) -> None:
    oracle, report = compared
    anki = oracle.measured  # type: ignore[attr-defined]
    ours = report.measured.behaviour
    assert list(ours.first_rating_prob) == pytest.approx(list(anki.first_rating_prob), abs=1e-5)
    assert list(ours.review_rating_prob) == pytest.approx(list(anki.review_rating_prob), abs=1e-5)
    flat = [c for row in ours.costs for c in row]
    assert flat == pytest.approx(list(anki.state_rating_costs), abs=0.006)
    for mine, theirs in (
        (ours.learning_transitions, anki.learning_step_transitions),
        (ours.relearning_transitions, anki.relearning_step_transitions),
    ):
        assert [p for row in mine for p in row] == pytest.approx(list(theirs), abs=1e-5)
    assert report.measured.notes == ()


def test_the_simulated_year_agrees_with_ankis(compared: tuple[object, retention.Report]) -> None:
    oracle, report = compared
    assert (report.studied, report.new_cards) == (1200, 300)
    for row in report.rows:
        key = round(row.retention * 100)
        anki_memorized = oracle.memorized[key]  # type: ignore[attr-defined]
        anki_minutes = oracle.cost[key] / 60  # type: ignore[attr-defined]
        anki_answers = oracle.answers[key]  # type: ignore[attr-defined]
        assert row.memorized == pytest.approx(anki_memorized, rel=0.02), key
        assert row.total_minutes == pytest.approx(anki_minutes, rel=0.12), key
        assert row.reviews + row.learned == pytest.approx(anki_answers, rel=0.12), key


def test_the_same_collection_through_the_librarys_simulator(
    compared: tuple[object, retention.Report],
) -> None:
    """Anki runs one simulation per retention, so its figures carry one run's luck (a few %).
    Run many on both sides from the same imported cards and measured answering: deskwork's port
    and fsrs-rs-python's simulator (through `optimal_retention`, the entry point that takes
    existing cards; every card carries its retention) agree within 1.5 %."""
    import statistics

    import fsrs_rs_python as fr

    from deskwork.domain.simulation import Deck, Limits, simulate

    oracle, report = compared
    home = Path(str(oracle.package)).parent.parent / "desk-again"  # type: ignore[attr-defined]
    desk = Desk.open(Paths(home, home), clock=lambda: datetime.now(UTC))
    import_deck(desk, read_file(oracle.package, desk))  # type: ignore[attr-defined]
    snap = retention._snapshot(desk, "Lang")
    cards = [retention.sim_card(c, snap.day_end) for c in snap.cards if not c.is_new]
    desk.close()
    studied = [c for c in cards if c is not None]
    behaviour = report.measured.behaviour
    w, value = list(fr.DEFAULT_PARAMETERS), 0.9
    lib_cards = []
    for i, c in enumerate(studied):
        card = fr.Card()
        card.id, card.stability, card.difficulty = i + 1, c.stability, c.difficulty
        card.last_date, card.due, card.interval = c.last_day, c.due_day, c.due_day - c.last_day
        card.desired_retention = value
        lib_cards.append(card)
    for i in range(300):
        card = fr.Card()
        card.id, card.stability, card.due, card.desired_retention = -i, 1e-8, i // 10, value
        lib_cards.append(card)
    cfg = fr.default_simulator_config()
    cfg.deck_size, cfg.learn_span, cfg.learn_limit, cfg.review_limit = len(lib_cards), 365, 10, 80
    cfg.max_cost_perday, cfg.new_cards_ignore_review_limit = 1e30, False
    cfg.first_rating_prob = list(behaviour.first_rating_prob)
    cfg.review_rating_prob = list(behaviour.review_rating_prob)
    cfg.learning_step_transitions = [list(r) for r in behaviour.learning_transitions]
    cfg.relearning_step_transitions = [list(r) for r in behaviour.relearning_transitions]
    cfg.state_rating_costs = [list(r) for r in behaviour.costs]
    seen: list[tuple[float, float, int]] = []

    def target(result: object, _w: object) -> float:
        if len(seen) < 16:
            r: Any = result
            answers = sum(r.review_cnt_per_day) + sum(r.learn_cnt_per_day)
            seen.append((r.memorized_cnt_per_day[-1], sum(r.cost_per_day), answers))
        return float(len(seen))

    fr.optimal_retention(cfg, w, lib_cards, target)
    limits = Limits(10, 80, review_order="difficulty")  # the library's order of a day's reviews
    ours = [simulate(w, value, Deck(studied, 300), limits, behaviour, seed=s) for s in range(16)]
    lib_mean = [statistics.mean(x[k] for x in seen) for k in range(3)]
    assert statistics.mean(o.memorized for o in ours) == pytest.approx(lib_mean[0], rel=0.005)
    assert statistics.mean(sum(o.seconds_per_day) for o in ours) == pytest.approx(
        lib_mean[1], rel=0.015
    )
    assert statistics.mean(o.reviews + o.learned for o in ours) == pytest.approx(
        lib_mean[2], rel=0.015
    )
