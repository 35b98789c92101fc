"""Optimising a preset's FSRS parameters on the user's own review history, as Anki's "Optimize":
training items built from the review log (domain/fsrs_history.py), parameters trained by fsrs-rs
in a child process, the current and the new parameters evaluated on the same items (log loss,
RMSE in bins), the new ones adopted only when they are better. Adopting saves them into the preset
and recomputes every card's memory state from its history, all in one transaction. When the
last optimisation was, and the monthly reminder: services/optimize_reminder.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from deskwork.domain import fsrs_history as fh
from deskwork.domain.cancel import Cancelled
from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.presets import DEFAULT_PRESET_ID, Preset, Presets
from deskwork.domain.studyday import day_bounds
from deskwork.domain.wording import counted
from deskwork.services import fsrs_train as ft
from deskwork.services import presets as ps
from deskwork.services.desk import Desk
from deskwork.services.optimize_reminder import OnStore, direct, remember

MIN_ITEMS = 400  # Anki: fewer training items than this are too little history to fit

Progress = Callable[[str, int, int | None], None]  # (what, done, total or None if unknown)


class NotEnoughHistory(ValueError):
    """Too few usable reviews to optimise a preset."""


@dataclass
class Outcome:
    """What optimising one preset did."""

    preset: str
    preset_id: int
    cards: int
    reviews: int  # answers the training items come from
    items: int
    before_parameters: list[float]
    parameters: list[float]  # the ones in use now (the new ones if adopted)
    before: ft.Evaluation | None = None
    after: ft.Evaluation | None = None
    adopted: bool = False
    memory_states: int = 0  # cards whose stability/difficulty were recomputed
    message: str = ""
    trained: list[float] = field(default_factory=list)
    training_peak_kb: int = 0  # the training child process's peak memory (0: not known)

    def as_json(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "cards": self.cards,
            "reviews": self.reviews,
            "training_items": self.items,
            "adopted": self.adopted,
            "before": self.before.as_json() if self.before else None,
            "after": self.after.as_json() if self.after else None,
            "parameters_before": [round(v, 4) for v in self.before_parameters],
            "parameters_trained": [round(v, 4) for v in self.trained],
            "parameters": [round(v, 4) for v in self.parameters],
            "memory_states_recomputed": self.memory_states,
            "message": self.message,
        }


def _figures(before: ft.Evaluation, after: ft.Evaluation) -> str:
    return (
        f"log loss {before.log_loss:.4f} → {after.log_loss:.4f}, "
        f"RMSE {before.rmse * 100:.2f} % → {after.rmse * 100:.2f} %"
    )


def current_parameters(preset: Preset) -> list[float]:
    params = preset.parameters
    return list(params) if params is not None else ft.default_parameters()


def day_end(desk: Desk) -> datetime:
    """Anki's `next_day_at`: the end of today's study day."""
    return day_bounds(desk.today(), desk.config.study.day_start_hour)[1]


def cards_of(presets: Presets, preset_id: int, cards: list[Card]) -> list[Card]:
    return [c for c in cards if presets.preset_of(c.deck).id == preset_id]


def targets(desk: Desk, name: str | None) -> list[Preset]:
    """The preset asked for, or (None) every preset that has cards, the default first."""
    presets = ps.load(desk)
    if name is not None:
        return [ps.find(desk, name)]
    used = {presets.preset_of(deck).id for deck in {c.deck for c in desk.store.cards.values()}}
    found = [presets.default, *ps.stored(desk)]
    return [p for p in found if p.id in used] or [presets.default]


@dataclass
class _Snapshot:
    """What optimising reads from the store, in one step on the store's thread."""

    cards: list[Card]
    logs: list[ReviewLog]  # the cards' entries
    end: datetime


def _read(desk: Desk, preset: Preset, logs: list[ReviewLog] | None) -> _Snapshot:
    cards = cards_of(ps.load(desk), preset.id, desk.store.cards.all())
    ids = {c.id for c in cards}
    found = desk.store.reviews.all() if logs is None else logs
    return _Snapshot(cards, [log for log in found if log.card_id in ids], day_end(desk))


def optimize_preset(
    desk: Desk,
    preset: Preset,
    progress: Progress = lambda *_: None,
    cancelled: Callable[[], bool] = lambda: False,
    logs: list[ReviewLog] | None = None,
    on_store: OnStore = direct,
) -> Outcome:
    """Optimise one preset on its decks' cards; adopt and save only if better. Raises
    NotEnoughHistory, Cancelled (nothing written) or fsrs_train.TrainingFailed.
    `on_store` runs each step that touches the store where the store lives (the app's thread
    when this runs in a worker); everything else runs here."""
    progress("Reading the review history", 0, None)
    snap: _Snapshot = on_store(lambda: _read(desk, preset, logs))
    by_card = fh.group_by_card(snap.logs)
    progress("Building training items", 0, None)
    histories = fh.memory_histories(by_card, snap.end)  # one pass serves training and states
    dataset = fh.training_set(by_card, snap.end, histories)
    current = current_parameters(preset)
    outcome = Outcome(
        preset.name, preset.id, len(snap.cards), dataset.reviews, len(dataset.items), current,
        current,
    )  # fmt: skip
    if len(dataset.items) < MIN_ITEMS:
        raise NotEnoughHistory(
            f"preset {preset.name!r}: not enough review history to optimise — "
            f"{counted(dataset.reviews, 'review')} give "
            f"{counted(len(dataset.items), 'training item')}, and the "
            f"optimiser needs at least {MIN_ITEMS} (an answer on a later day than the card's "
            "previous one, for a card whose first learning answer is in the log). "
            "Keep reviewing and try again."
        )
    if cancelled():
        raise Cancelled()
    progress(f"Training on {counted(len(dataset.items), 'item')}", 0, None)
    trained = ft.train_in_child(
        dataset.cards(),
        dataset.items,
        dataset.card_ids,
        current,
        fh.relearning_steps_in_day(preset.relearning_steps_minutes),
        cancelled,
    )
    outcome.before, outcome.after = trained.before, trained.after
    outcome.trained = trained.parameters
    outcome.training_peak_kb = trained.peak_kb
    figures = _figures(trained.before, trained.after)
    same = all(f"{a:.4f}" == f"{b:.4f}" for a, b in zip(current, trained.parameters, strict=True))
    if trained.keep_current or same:
        outcome.message = (
            f"preset {preset.name!r}: the current parameters are already optimal for your "
            f"history ({figures}); kept them."
        )
        on_store(lambda: remember(desk, preset.id))
        return outcome
    states = memory_states(
        snap.cards, by_card, trained.parameters, snap.end, progress, cancelled, histories
    )
    if cancelled():
        raise Cancelled()
    progress("Saving", 0, None)
    snapshot = {c.id: c.last_review for c in snap.cards}
    outcome.memory_states = _save(
        desk, preset, trained.parameters, states, snapshot, on_store, cancelled
    )
    outcome.adopted = True
    outcome.parameters = trained.parameters
    why = ""
    if trained.after.log_loss >= trained.before.log_loss:  # Anki's relearning-steps exception
        why = (
            f" — log loss not lower, but with "
            f"{fh.relearning_steps_in_day(preset.relearning_steps_minutes)} relearning "
            "steps the current parameters let stability grow through a lapse (Anki's rule)"
        )
    outcome.message = (
        f"preset {preset.name!r}: new parameters adopted ({figures}){why}; "
        f"memory states of {counted(outcome.memory_states, 'card')} recomputed."
    )
    return outcome


def memory_states(
    cards: list[Card],
    by_card: dict[int, list[ReviewLog]],
    parameters: list[float],
    end: datetime,
    progress: Progress = lambda *_: None,
    cancelled: Callable[[], bool] = lambda: False,
    histories: dict[int, fh.CardHistory] | None = None,
    batch: int = 2000,
) -> dict[int, tuple[float, float]]:
    """Every reviewed card's (stability, difficulty) from its history under `parameters`, by
    card id (Anki leaves a card whose history gives nothing, e.g. forgotten since, alone).
    `histories`: the cards' `memory_histories`, if already made."""
    if histories is None:
        histories = fh.memory_histories(
            {c.id: by_card[c.id] for c in cards if c.id in by_card}, end
        )
    todo = [c.id for c in cards if not c.is_new and c.id in histories]
    out: dict[int, tuple[float, float]] = {}
    for start in range(0, len(todo), batch):
        if cancelled():
            raise Cancelled()
        progress("Recomputing memory states", start, len(todo))
        chunk = todo[start : start + batch]
        rows = [
            (h.ratings, h.deltas, None if h.complete else h.sm2_start)
            for h in (histories[card_id] for card_id in chunk)
        ]
        out.update(zip(chunk, ft.memory_states(parameters, rows), strict=True))
    progress("Recomputing memory states", len(todo), len(todo))
    return out


def _save(
    desk: Desk,
    preset: Preset,
    parameters: list[float],
    states: dict[int, tuple[float, float]],
    snapshot: dict[int, datetime | None],
    on_store: OnStore = direct,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """One transaction: the parameters, every card's new memory state, the date. A card answered
    while training ran gets its state from its history as it is now; other edits made meanwhile
    (the preset's other options, a card's text) are kept. Returns the cards updated.

    In the app this runs in the optimiser's worker thread: the store's thread only reads the
    cards (a few ms); the 20,000 copies and their serialising happen here, and the write is a
    conditional bulk put, so that a card answered during it is left out rather than overwritten,
    then redone from its history on the store's thread."""

    def read() -> tuple[dict[int, tuple[float, float]], dict[int, Card | None]]:
        get = desk.store.cards.get
        base = {card_id: get(card_id) for card_id in states}  # one pass: ~1 µs a card
        changed = [
            card_id
            for card_id, card in base.items()
            if card is not None and card.last_review != snapshot.get(card_id)
        ]
        return _states_now(desk, changed, parameters), base

    redone, base = on_store(read)
    states = states | redone
    updated = [
        card.model_copy(update={"stability": stability, "difficulty": difficulty})
        for card_id, (stability, difficulty) in states.items()
        if (card := base.get(card_id)) is not None and not card.is_new  # deleted or forgotten
    ]
    with desk.store.transaction(cancelled=cancelled) as tx:  # Esc meanwhile: Cancelled
        _save_parameters(desk, tx, preset, parameters)
        tx.put_many("cards", updated, unchanged_since=base)
        remember(desk, preset.id, tx)
    skipped = tx.skipped.get("cards", set())
    if skipped:
        on_store(lambda: _put_states_now(desk, skipped, parameters))
    return len(updated)


def _states_now(
    desk: Desk, card_ids: list[int] | set[int], parameters: list[float]
) -> dict[int, tuple[float, float]]:
    """The memory states of these cards from their history as it is now (cards answered while the
    optimiser worked)."""
    if not card_ids:
        return {}
    logs = fh.group_by_card(desk.store.reviews.all(), set(card_ids))
    cards = [c for c in (desk.store.cards.get(i) for i in card_ids) if c is not None]
    return memory_states(cards, logs, parameters, day_end(desk))


def _put_states_now(desk: Desk, card_ids: set[int], parameters: list[float]) -> None:
    states = _states_now(desk, card_ids, parameters)
    with desk.store.transaction() as tx:
        for card_id, (stability, difficulty) in states.items():
            card = desk.store.cards.get(card_id)
            if card is not None and not card.is_new:
                tx.put(
                    "cards",
                    card.model_copy(update={"stability": stability, "difficulty": difficulty}),
                )


def _save_parameters(desk: Desk, tx: Any, preset: Preset, parameters: list[float]) -> None:
    if preset.id == DEFAULT_PRESET_ID:
        # the default preset is [cards] in the config file: the result is kept in the store, and
        # applies while that file's fsrs_parameters stay what they were (an edit there wins)
        tx.set_setting(
            ps.OPTIMIZED_DEFAULT_KEY,
            {"parameters": parameters, "config": list(desk.config.cards.fsrs_parameters)},
        )
        return
    now: Preset | None = desk.store.tables["presets"].get(preset.id)
    if now is None:
        raise ft.TrainingFailed(f"preset {preset.name!r} was deleted while optimising")
    tx.put("presets", now.model_copy(update={"fsrs_parameters": parameters}))


def optimize(
    desk: Desk,
    name: str | None = None,
    progress: Progress = lambda *_: None,
    cancelled: Callable[[], bool] = lambda: False,
    on_store: OnStore = direct,
) -> list[Outcome | str]:
    """Optimise one preset (by name) or every preset with cards. Each entry is an Outcome, or the
    reason that preset could not be optimised (too little history)."""
    chosen: list[Preset] = on_store(lambda: targets(desk, name))
    logs: list[ReviewLog] = on_store(desk.store.reviews.all)
    out: list[Outcome | str] = []
    for index, preset in enumerate(chosen, 1):
        prefix = f"[{index}/{len(chosen)}] " if len(chosen) > 1 else ""

        def step(what: str, done: int, total: int | None, prefix: str = prefix) -> None:
            progress(prefix + what, done, total)

        try:
            out.append(optimize_preset(desk, preset, step, cancelled, logs, on_store))
        except NotEnoughHistory as exc:
            if name is not None:
                raise
            out.append(str(exc))
    return out
