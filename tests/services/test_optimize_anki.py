"""The optimiser against Anki's own (the real `anki` package as oracle): a learner's year on 150
cards — with history imported from a card's middle, a Forget and a fresh start, cramming, set due
date, rescheduling and two answers on one day — built as an Anki collection, exported, imported by
deskwork. On that same history deskwork must build as many training items as Anki, train the same
21 parameters, report the same log loss and RMSE before and after, adopt them (they are better)
and recompute every card's memory state as Anki does; and, when the preset's parameters are
already better than what training finds, keep them as Anki does and write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import fsrs_train as ft
from deskwork.services import optimize as op
from deskwork.services import presets as ps
from deskwork.services.anki import import_file
from deskwork.services.optimize_reminder import last_optimized
from tests.anki_optimize_oracle import DECK, AnkiOracle, AnkiResult, anki_now
from tests.optimize_history import Row, history

CARDS = 150


# Its tests share a module-scoped fixture: under xdist they run on one worker, which builds it
# once (spread over two workers, each built its own).
pytestmark = pytest.mark.xdist_group("test_optimize_anki")


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    """The one history of this module: the desk (through `oracle`'s package) and every Anki
    collection here hold the very same reviews. A second `history(…, anki_now())` made seconds
    later shifted every review against the day's rollover (4 am local): once the shift carried
    one review across it, that card's days between answers differed, the two sides trained on
    different items and their parameters differed by up to 0.04 (a test failing once in ~14 runs,
    the more often the longer the tests before it took: a loaded machine)."""
    return history(CARDS, anki_now(), oddities=True)


@pytest.fixture(scope="module")
def oracle(
    tmp_path_factory: pytest.TempPathFactory, rows: list[Row]
) -> Iterator[tuple[Path, AnkiResult, dict]]:
    anki = AnkiOracle(tmp_path_factory.mktemp("anki"), rows, CARDS)
    try:
        result = anki.optimise()
        package = anki.export()
        states = anki.memory_states(result.params)
        yield package, result, states
    finally:
        anki.close()


@pytest.fixture
def desk(oracle: tuple[Path, AnkiResult, dict]) -> Iterator[Desk]:
    desk = Desk.open(Paths.resolve(), clock=anki_now)
    import_file(desk, oracle[0])
    yield desk
    desk.close()


def _index(card_front: str) -> int:
    return int(card_front.split()[-1])


def test_items_parameters_figures_and_memory_states_match_anki(
    desk: Desk, oracle: tuple[Path, AnkiResult, dict]
) -> None:
    _, anki, anki_states = oracle
    preset = ps.load(desk).preset_of(DECK)
    steps: list[str] = []
    outcome = op.optimize_preset(desk, preset, lambda what, *_: steps.append(what))

    assert outcome.items == anki.items > op.MIN_ITEMS
    assert outcome.trained == pytest.approx(anki.params, abs=1e-4)
    assert outcome.before is not None and outcome.after is not None
    assert outcome.before.log_loss == pytest.approx(anki.log_loss_default, rel=1e-5)
    assert outcome.before.rmse == pytest.approx(anki.rmse_default, rel=1e-4)
    assert outcome.after.log_loss == pytest.approx(anki.log_loss, rel=1e-5)
    assert outcome.after.rmse == pytest.approx(anki.rmse, rel=1e-4)
    assert outcome.after.log_loss < outcome.before.log_loss
    assert outcome.adopted
    assert "adopted" in outcome.message and f"{anki.log_loss:.4f}" in outcome.message
    assert any("Training" in s for s in steps) and "Saving" in steps

    saved = ps.load(desk).preset_of(DECK)
    assert saved.parameters == pytest.approx(anki.params, abs=1e-6)
    cards = desk.store.cards.all()
    assert outcome.memory_states == len(anki_states) > CARDS * 0.9
    for card in cards:
        n = _index(card.front)
        if n in anki_states:
            stability, difficulty = anki_states[n]
            assert card.stability == pytest.approx(stability, rel=1e-4), n
            assert card.difficulty == pytest.approx(difficulty, abs=1e-4), n
    last = last_optimized(desk)
    assert last is not None and abs((anki_now() - last).total_seconds()) < 600


def test_better_current_parameters_are_kept_and_nothing_is_written(
    desk: Desk, oracle: tuple[Path, AnkiResult, dict], tmp_path: Path, rows: list[Row]
) -> None:
    """Parameters tuned on this very history for plain log loss (training weighs recent cards
    more, so it lands elsewhere) beat what training finds: Anki keeps them, and so must we."""
    from deskwork.domain import fsrs_history as fh
    from deskwork.domain.presets import fsrs6_parameters

    _, anki, _ = oracle
    by_card = fh.group_by_card(desk.store.reviews.all())
    items = ft.items_of(fh.training_set(by_card, op.day_end(desk)).sequences())
    best = list(anki.params)
    loss = ft.evaluate(best, items).log_loss
    for _ in range(2):  # a little coordinate descent on the unweighted log loss
        for i in range(len(best)):
            for factor in (1.05, 0.95):
                clipped = fsrs6_parameters([*best[:i], best[i] * factor, *best[i + 1 :]])
                assert clipped is not None
                trial = list(clipped)
                try:
                    trial_loss = ft.evaluate(trial, items).log_loss
                except (ValueError, RuntimeError):
                    continue
                if trial_loss < loss:
                    best, loss = trial, trial_loss
    assert loss < anki.log_loss

    ps.add(desk, "Tuned")
    ps.set_values(desk, "Tuned", [("fsrs_parameters", ", ".join(repr(v) for v in best))])
    ps.assign(desk, DECK, "Tuned")
    tuned = ps.find(desk, "Tuned")
    cards_before = {c.id: (c.stability, c.difficulty) for c in desk.store.cards.all()}

    outcome = op.optimize_preset(desk, tuned)

    assert not outcome.adopted
    assert outcome.before is not None and outcome.after is not None
    assert outcome.before.log_loss == pytest.approx(loss, rel=1e-5)
    assert outcome.before.log_loss < outcome.after.log_loss
    assert "already optimal" in outcome.message and "kept" in outcome.message
    assert ps.find(desk, "Tuned").fsrs_parameters == tuned.fsrs_parameters
    assert {c.id: (c.stability, c.difficulty) for c in desk.store.cards.all()} == cards_before
    # Anki, given the same current parameters, keeps them too
    anki_dir = tmp_path / "again"
    again = AnkiOracle(anki_dir, rows, CARDS)
    try:
        assert again.optimise(list(tuned.fsrs_parameters)).params == pytest.approx(
            tuned.fsrs_parameters, abs=1e-6
        )
    finally:
        again.close()


def test_with_two_relearning_steps_the_decision_is_anki_s(
    desk: Desk, tmp_path: Path, rows: list[Row]
) -> None:
    """With more than one relearning step (within a day) Anki adopts the new parameters even
    when their log loss is not lower, if the current ones let stability grow through a lapse;
    whatever it decides on this history (the desk's own: `rows`), deskwork decides the same."""
    anki = AnkiOracle(tmp_path / "two", rows, CARDS, relearning_steps=2)
    try:
        trained = anki.optimise().params
        current = [*trained[:17], 0.0, 0.0, *trained[19:]]  # no short-term growth at all
        kept = anki.optimise(current).params == pytest.approx(current, abs=1e-6)
    finally:
        anki.close()
    ps.add(desk, "Two")
    ps.set_values(
        desk, "Two",
        [("relearning_steps", "10m 20m"), ("fsrs_parameters", ", ".join(map(repr, current)))],
    )  # fmt: skip
    ps.assign(desk, DECK, "Two")
    outcome = op.optimize_preset(desk, ps.find(desk, "Two"))
    assert outcome.adopted is not kept
    assert outcome.trained == pytest.approx(trained, abs=1e-4)
