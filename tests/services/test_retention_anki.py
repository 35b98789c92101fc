"""The retention helper against the real Anki (test-only oracle) on the same collection: Anki
builds it (a preset with 10 new / 80 reviews a day, 1,200 review cards with memory states and a
year of timed answers, 300 new cards) and runs its own deck-options helper; deskwork imports the
exported package and runs its own. The answer times and button probabilities measured from the
log are Anki's to the hundredth; the year simulated at each retention agrees in cards remembered
(within 2 %) and, within the noise of Anki's single run per retention, in answers and minutes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from deskwork.paths import Paths
from deskwork.services import Desk, retention
from deskwork.services.anki import import_deck, read_file

oracle_module = pytest.importorskip("tests.retention_anki_oracle")


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
