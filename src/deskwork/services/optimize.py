"""Optimising a preset's FSRS parameters on the user's own review history, as Anki's "Optimize":
training items built from the review log (domain/fsrs_history.py), parameters trained by fsrs-rs
in a child process, the current and the new parameters evaluated on the same items (log loss,
RMSE in bins), the new ones adopted only when they are better. Adopting saves them into the preset
and recomputes every card's memory state from its history, all in one transaction. Also: when the
last optimisation was, and the monthly reminder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from deskwork.domain import fsrs_history as fh
from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.presets import DEFAULT_PRESET_ID, Preset, Presets
from deskwork.domain.studyday import day_bounds
from deskwork.services import fsrs_train as ft
from deskwork.services import presets as ps
from deskwork.services.desk import Desk

MIN_ITEMS = 400  # Anki: fewer training items than this are too little history to fit
REMIND_AFTER_DAYS = 30
REMIND_AFTER_REVIEWS = 1000  # Anki suggests optimising once 1000+ reviews are in
LAST_KEY = "optimize.last"  # {preset id: {"at": iso time, "reviews": answers then}}
REMINDED_KEY = "optimize.reminded"  # iso time of the last reminder

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


def optimize_preset(
    desk: Desk,
    preset: Preset,
    progress: Progress = lambda *_: None,
    cancelled: Callable[[], bool] = lambda: False,
    logs: list[ReviewLog] | None = None,
) -> Outcome:
    """Optimise one preset on its decks' cards; adopt and save only if better. Raises
    NotEnoughHistory, fsrs_train.Cancelled (nothing written) or fsrs_train.TrainingFailed."""
    progress("Reading the review history", 0, None)
    presets = ps.load(desk)
    cards = cards_of(presets, preset.id, desk.store.cards.all())
    ids = {c.id for c in cards}
    by_card = fh.group_by_card(desk.store.reviews.all() if logs is None else logs, ids)
    end = day_end(desk)
    progress("Building training items", 0, None)
    dataset = fh.training_set(by_card, end)
    current = current_parameters(preset)
    outcome = Outcome(
        preset.name, preset.id, len(cards), dataset.reviews, len(dataset.items), current, current
    )
    if len(dataset.items) < MIN_ITEMS:
        raise NotEnoughHistory(
            f"preset {preset.name!r}: not enough review history to optimise — "
            f"{dataset.reviews} reviews give {len(dataset.items)} training items, and the "
            f"optimiser needs at least {MIN_ITEMS} (an answer on a later day than the card's "
            "previous one, for a card whose first learning answer is in the log). "
            "Keep reviewing and try again."
        )
    if cancelled():
        raise ft.Cancelled()
    progress(f"Training on {len(dataset.items):,} items", 0, None)
    trained = ft.train_in_child(
        dataset.sequences(),
        dataset.card_ids,
        current,
        len(preset.relearning_steps_minutes),
        cancelled,
    )
    outcome.before, outcome.after, outcome.trained = (
        trained.before,
        trained.after,
        trained.parameters,
    )
    figures = _figures(trained.before, trained.after)
    same = all(f"{a:.4f}" == f"{b:.4f}" for a, b in zip(current, trained.parameters, strict=True))
    if trained.keep_current or same:
        outcome.message = (
            f"preset {preset.name!r}: the current parameters are already optimal for your "
            f"history ({figures}); kept them."
        )
        _remember(desk, preset.id)
        return outcome
    if cancelled():
        raise ft.Cancelled()
    outcome.adopted = True
    outcome.parameters = trained.parameters
    updated = recompute_memory_states(desk, cards, by_card, trained.parameters, progress, cancelled)
    progress("Saving", 0, None)
    with desk.store.transaction() as tx:
        _save_parameters(desk, tx, preset, trained.parameters)
        for card in updated:
            tx.put("cards", card)
        _remember(desk, preset.id, tx)
    outcome.memory_states = len(updated)
    better = "lower" if trained.after.log_loss < trained.before.log_loss else "not lower"
    outcome.message = (
        f"preset {preset.name!r}: new parameters adopted ({figures}; log loss {better}); "
        f"memory states of {len(updated):,} cards recomputed."
    )
    return outcome


def recompute_memory_states(
    desk: Desk,
    cards: list[Card],
    by_card: dict[int, list[ReviewLog]],
    parameters: list[float],
    progress: Progress = lambda *_: None,
    cancelled: Callable[[], bool] = lambda: False,
    batch: int = 2000,
) -> list[Card]:
    """Every reviewed card's stability and difficulty from its history under `parameters` (the
    cards changed; nothing is written here)."""
    histories = fh.memory_histories(
        {c.id: by_card[c.id] for c in cards if not c.is_new and c.id in by_card}, day_end(desk)
    )
    todo = [c for c in cards if c.id in histories]
    out: list[Card] = []
    for start in range(0, len(todo), batch):
        if cancelled():
            raise ft.Cancelled()
        progress("Recomputing memory states", start, len(todo))
        chunk = todo[start : start + batch]
        rows = [
            (h.ratings, h.deltas, None if h.complete else h.sm2_start)
            for h in (histories[c.id] for c in chunk)
        ]
        for card, (stability, difficulty) in zip(
            chunk, ft.memory_states(parameters, rows), strict=True
        ):
            out.append(card.model_copy(update={"stability": stability, "difficulty": difficulty}))
    progress("Recomputing memory states", len(todo), len(todo))
    return out


def _save_parameters(desk: Desk, tx: Any, preset: Preset, parameters: list[float]) -> None:
    if preset.id == DEFAULT_PRESET_ID:
        # the default preset is [cards] in the config file: the result is kept in the store, and
        # applies while that file's fsrs_parameters stay what they were (an edit there wins)
        tx.set_setting(
            ps.OPTIMIZED_DEFAULT_KEY,
            {"parameters": parameters, "config": list(desk.config.cards.fsrs_parameters)},
        )
    else:
        tx.put("presets", preset.model_copy(update={"fsrs_parameters": parameters}))


def _remember(desk: Desk, preset_id: int, tx: Any = None) -> None:
    last = dict(desk.store.setting(LAST_KEY) or {})
    last[str(preset_id)] = {"at": desk.clock().isoformat(), "reviews": desk.store.reviews.count()}
    if tx is not None:
        tx.set_setting(LAST_KEY, last)
    else:
        desk.store.set_setting(LAST_KEY, last)


def optimize(
    desk: Desk,
    name: str | None = None,
    progress: Progress = lambda *_: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Outcome | str]:
    """Optimise one preset (by name) or every preset with cards. Each entry is an Outcome, or the
    reason that preset could not be optimised (too little history)."""
    chosen = targets(desk, name)
    logs = desk.store.reviews.all()
    out: list[Outcome | str] = []
    for index, preset in enumerate(chosen, 1):
        prefix = f"[{index}/{len(chosen)}] " if len(chosen) > 1 else ""

        def step(what: str, done: int, total: int | None, prefix: str = prefix) -> None:
            progress(prefix + what, done, total)

        try:
            out.append(optimize_preset(desk, preset, step, cancelled, logs))
        except NotEnoughHistory as exc:
            if name is not None:
                raise
            out.append(str(exc))
    return out


# ---------------------------------------------------------------------- the reminder
def last_optimized(desk: Desk) -> datetime | None:
    found = [
        datetime.fromisoformat(v["at"])
        for v in (desk.store.setting(LAST_KEY) or {}).values()
        if isinstance(v, dict) and isinstance(v.get("at"), str)
    ]
    return max(found) if found else None


def reminder(desk: Desk) -> str | None:
    """A one-line nudge when optimising would pay off: 30+ days since the last optimisation (or
    never) with 1000+ answers since, and no nudge in the last 30 days. Records that it nudged."""
    now = desk.clock()
    month = timedelta(days=REMIND_AFTER_DAYS)
    reminded = desk.store.setting(REMINDED_KEY)
    if isinstance(reminded, str) and now - datetime.fromisoformat(reminded) < month:
        return None
    last = last_optimized(desk)
    if last is not None and now - last < month:
        return None
    since = last or datetime.fromisoformat("1970-01-01T00:00:00+00:00")
    new = sum(1 for log in desk.store.reviews.between(since, now) if not log.manual)
    if new < REMIND_AFTER_REVIEWS:
        return None
    if not desk.store.readonly:
        desk.store.set_setting(REMINDED_KEY, now.isoformat())
    if last is None:
        head = f"{new:,} reviews, and your FSRS parameters were never optimised on them"
    else:
        head = f"{new:,} reviews since you last optimised your FSRS parameters ({last:%Y-%m-%d})"
    return (
        f"{head}: optimising fits them to your memory "
        "(the presets screen, or `deskwork cards optimize`)."
    )
