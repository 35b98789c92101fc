"""Optimising from the command line and the service: the default preset's parameters adopted and
used for scheduling (an edit of the config file wins over them later), too little history named
with its figures, cancelling writes nothing, an answer given while training runs is kept, and the
monthly reminder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from deskwork.cli import main
from deskwork.domain.cancel import Cancelled
from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import fsrs_train as ft
from deskwork.services import optimize as op
from deskwork.services import presets as ps
from deskwork.services.optimize_reminder import LAST_KEY, REMIND_AFTER_REVIEWS, reminder
from tests.helpers import T0, Clock
from tests.optimize_history import history, store_history

CARDS = 200


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def desk(clock: Clock) -> Iterator[Desk]:
    desk = Desk.open(Paths.resolve(), clock=clock)
    store_history(desk.store, history(CARDS, T0, seed=7), CARDS)
    yield desk
    desk.close()


def test_cli_adopts_parameters_for_the_default_preset_and_cards_use_them(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {c.id: c.stability for c in desk.store.cards.all()}
    desk.close()
    assert main(["cards", "optimize", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (result,) = data["presets"]
    assert result["preset"] == "Default" and result["adopted"]
    assert result["after"]["log_loss"] < result["before"]["log_loss"]
    assert result["training_items"] >= op.MIN_ITEMS
    assert result["memory_states_recomputed"] == CARDS

    desk = Desk.open(Paths.resolve())
    try:
        params = ps.default_preset(desk).parameters
        assert params == pytest.approx(result["parameters"], abs=1e-4)
        settings = ps.scheduler_settings(ps.load(desk), "ML", fuzz=False)
        assert settings.parameters == params
        after = {c.id: c.stability for c in desk.store.cards.all()}
        assert all(after[i] != before[i] for i in before)
    finally:
        desk.close()

    # again on the same history: nothing better to find, said so with the figures
    assert main(["cards", "optimize"]) == 0
    text = capsys.readouterr().out
    assert "already optimal" in text and "log loss" in text and "RMSE" in text

    # an edit of [cards] fsrs_parameters in the config file wins over the optimised ones
    mine = [round(v * 1.01, 4) for v in result["parameters"]]
    Paths.resolve().config_file.parent.mkdir(parents=True, exist_ok=True)
    Paths.resolve().config_file.write_text(f"[cards]\nfsrs_parameters = {mine}\n")
    desk = Desk.open(Paths.resolve())
    try:
        assert ps.default_preset(desk).parameters == pytest.approx(mine)
    finally:
        desk.close()


def test_too_little_history_is_named_with_its_figures(
    capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    desk = Desk.open(Paths.resolve(), clock=clock)
    store_history(desk.store, history(12, T0, seed=3), 12)
    desk.close()
    assert main(["cards", "optimize", "--preset", "default"]) != 0
    message = capsys.readouterr().err
    assert "not enough review history" in message and "training items" in message
    assert f"at least {op.MIN_ITEMS}" in message
    assert main(["cards", "optimize", "--preset", "nosuch"]) != 0
    assert "no preset named 'nosuch'" in capsys.readouterr().err
    assert main(["cards", "optimize"]) == 1  # every preset: each one's reason, nothing adopted
    assert "not enough review history" in capsys.readouterr().out


def test_cancelling_while_training_writes_nothing(desk: Desk) -> None:
    asked: list[str] = []
    cards = {c.id: c for c in desk.store.cards.all()}

    def progress(what: str, *_: object) -> None:
        asked.append(what)

    with pytest.raises(Cancelled):
        op.optimize(
            desk, "Default", progress, cancelled=lambda: any("Training" in a for a in asked)
        )
    assert ps.default_preset(desk).parameters is None
    assert desk.store.setting(LAST_KEY) is None
    assert {c.id: c for c in desk.store.cards.all()} == cards


def answer_again(desk: Desk, clock: Clock, card: Card) -> None:
    """The user answers `card` Again a minute later (99 reps, 7 lapses: easy to recognise)."""
    clock.advance(minutes=1)
    with desk.store.transaction() as tx:
        tx.append("reviews", ReviewLog(card_id=card.id, rating=1, ts=clock(),
                                       state=CardState.REVIEW))  # fmt: skip
        tx.put("cards", card.model_copy(update={"last_review": clock(), "reps": 99, "lapses": 7}))


def test_an_answer_given_while_training_runs_is_kept(desk: Desk, clock: Clock) -> None:
    card = next(c for c in desk.store.cards.all() if not c.is_new)
    calls: list[str] = []

    def on_store(work):  # type: ignore[no-untyped-def]
        calls.append(work.__name__ if hasattr(work, "__name__") else "?")
        if len(calls) == 4:  # the save step: the user answered this card meanwhile
            answer_again(desk, clock, card)
        return work()

    (outcome,) = op.optimize(desk, "Default", on_store=on_store)
    assert isinstance(outcome, op.Outcome) and outcome.adopted and len(calls) == 4
    saved = desk.store.cards.get(card.id)
    assert saved is not None and (saved.reps, saved.lapses) == (99, 7)
    by_card = {card.id: sorted(
        (log for log in desk.store.reviews.all() if log.card_id == card.id),
        key=lambda log: (log.ts, log.id),
    )}  # fmt: skip
    expected = op.memory_states([saved], by_card, outcome.parameters, op.day_end(desk))
    assert (saved.stability, saved.difficulty) == expected[card.id]


def test_an_answer_given_while_the_new_states_are_written_is_kept(desk: Desk, clock: Clock) -> None:
    """The write happens off the store's thread (in the app: the optimiser's worker); a card
    answered after the cards were read for it is left out of the bulk write, then given its
    state from its history as it is now."""
    card = next(c for c in desk.store.cards.all() if not c.is_new)
    calls: list[str] = []

    def on_store(work):  # type: ignore[no-untyped-def]
        calls.append("step")
        result = work()
        if len(calls) == 4:  # the cards were just read for the write: the user answers now
            answer_again(desk, clock, card)
        return result

    (outcome,) = op.optimize(desk, "Default", on_store=on_store)
    assert isinstance(outcome, op.Outcome) and outcome.adopted
    assert len(calls) == 5, "the left-out card redone on the store's thread"
    saved = desk.store.cards.get(card.id)
    assert saved is not None and (saved.reps, saved.lapses) == (99, 7), "the answer stays"
    by_card = {card.id: sorted(
        (log for log in desk.store.reviews.all() if log.card_id == card.id),
        key=lambda log: (log.ts, log.id),
    )}  # fmt: skip
    expected = op.memory_states([saved], by_card, outcome.parameters, op.day_end(desk))
    assert (saved.stability, saved.difficulty) == expected[card.id]
    others = [c for c in desk.store.cards.all() if not c.is_new and c.id != card.id]
    assert others and all(c.stability is not None for c in others)


def test_monthly_reminder(desk: Desk, clock: Clock) -> None:
    answers = sum(1 for log in desk.store.reviews.all() if not log.manual)
    assert answers >= REMIND_AFTER_REVIEWS
    said = reminder(desk)
    assert said is not None and f"{answers:,} reviews" in said and "never optimised" in said
    assert reminder(desk) is None  # once, not every start
    clock.advance(days=31)
    assert reminder(desk) is not None  # a month later, still never optimised
    op.optimize(desk)
    clock.advance(days=31)
    assert reminder(desk) is None  # a month since, but no new reviews
    start = clock()
    with desk.store.transaction() as tx:
        for n in range(REMIND_AFTER_REVIEWS):
            tx.append(
                "reviews", ReviewLog(card_id=1, rating=3, ts=start - timedelta(minutes=n + 1))
            )
    said = reminder(desk)
    assert said is not None and "since you last optimised" in said


def test_training_takes_a_large_history_through_the_child_process() -> None:
    """Megabytes of arguments (a pipe holds 64 KB): the child gets them all and answers."""
    import random

    rng = random.Random(5)
    sequences = []
    for _ in range(20_000):
        n = rng.randint(2, 12)
        sequences.append(
            ([rng.choice((1, 3, 3, 3, 4)) for _ in range(n)],
             [0] + [rng.randint(1, 40) for _ in range(n - 1)])
        )  # fmt: skip
    prefixes = [(h, n) for h, (r, _) in enumerate(sequences) for n in range(2, len(r) + 1)]
    card_ids = [h for h, _ in prefixes]
    trained = ft.train_in_child(sequences, prefixes, card_ids, ft.default_parameters(), 1)
    assert len(trained.parameters) == 21
    assert trained.after.log_loss > 0 and trained.before.log_loss > 0
