"""The desired-retention helper: a preset's coming year simulated at each retention from 0.70 to
0.97, from the learner's own collection (the preset's decks: studied cards with their memory
states and due days, the new cards waiting, the preset's daily limits and steps) and their own
answering (times and buttons measured from the review log of those decks), and applying the
chosen retention to the preset. The CLI (`deskwork cards simulate`) and the TUI's retention
screen both call this."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from deskwork.domain import retention as dr
from deskwork.domain.answering import Measured, measure
from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.presets import DEFAULT_PRESET_ID, Preset, PresetError
from deskwork.domain.scheduling import scheduled_days
from deskwork.domain.simulation import D_MAX, D_MIN, S_MAX, Deck, Limits, SimCard
from deskwork.domain.studyday import day_bounds, days_before
from deskwork.domain.wording import plural
from deskwork.services import presets as ps
from deskwork.services.desk import Desk

DEFAULT_DAYS = 365
DEFAULT_SEED = 42
MAX_DAYS = 3650


@dataclass(frozen=True)
class Report:
    """The table for one preset, with the retention that costs least per card remembered."""

    preset: str
    preset_id: int
    current: float
    days: int
    seed: int
    decks: list[str]
    studied: int
    new_cards: int
    without_state: int  # studied cards with no memory state (left out)
    measured: Measured
    rows: list[dr.Row] = field(default_factory=list)
    runs: int = 1  # simulations averaged per retention
    own_retention: dict[str, float] = field(default_factory=dict)  # decks with their own value

    @property
    def best(self) -> int | None:
        return dr.best(self.rows)

    def notes(self) -> list[str]:
        out = list(self.measured.notes)
        if self.without_state:
            out.append(
                f"{plural(self.without_state, 'studied card')} without a usable memory state: left out"
            )
        if not self.studied and not self.new_cards:
            out.append("this preset's decks hold no cards: nothing to simulate")
        for deck, value in sorted(self.own_retention.items()):
            out.append(
                f"{deck} has its own desired retention ({value:.2f}): the preset's does not apply to it"
            )
        return out

    def as_json(self) -> dict[str, Any]:
        best = self.best
        b = self.measured.behaviour
        return {
            "preset": self.preset,
            "current_retention": self.current,
            "days": self.days,
            "seed": self.seed,
            "runs_per_retention": self.runs,
            "decks": self.decks,
            "studied_cards": self.studied,
            "new_cards": self.new_cards,
            "best_retention": self.rows[best].retention if best is not None else None,
            "rows": [r.as_json() | {"best": i == best} for i, r in enumerate(self.rows)],
            "measured": {
                "timed_answers": self.measured.timed_answers,
                "first_answers": self.measured.first_answers,
                "remembered_reviews": self.measured.remembered_reviews,
                "seconds_per_answer": {
                    state: dict(zip(("again", "hard", "good", "easy"), row, strict=True))
                    for state, row in zip(
                        ("learning", "review", "relearning"), b.costs, strict=True
                    )
                },
                "first_answer_buttons": [round(p, 4) for p in b.first_rating_prob],
                "review_buttons_hard_good_easy": [round(p, 4) for p in b.review_rating_prob],
            },
            "notes": self.notes(),
        }


@dataclass(frozen=True)
class _Snapshot:
    preset: Preset
    decks: list[str]
    cards: list[Card]
    today_start: datetime
    day_end: datetime
    own_retention: dict[str, float]


def _snapshot(desk: Desk, name: str) -> _Snapshot:
    preset = ps.find(desk, name)
    presets = ps.load(desk)
    cards = [c for c in desk.store.cards.all() if presets.preset_of(c.deck).id == preset.id]
    decks = sorted({c.deck for c in cards})
    own = {
        d: o.desired_retention
        for d, o in presets.options.items()
        if d in decks and o.desired_retention is not None
    }
    start, end = day_bounds(desk.today(), desk.config.study.day_start_hour)
    return _Snapshot(preset, decks, cards, start, end, own)


def sim_card(card: Card, day_end: datetime) -> SimCard | None:
    """A studied card as the simulator starts it (Anki's `Card::convert`): a review or a
    day-learning card keeps its due day and last review day; a card in same-day (re)learning is
    due today. None without a usable memory state."""
    s, d = card.stability, card.difficulty
    if s is None or d is None or card.last_review is None:
        return None
    if not (math.isfinite(s) and math.isfinite(d)) or s <= 0:
        return None  # a damaged memory state (an odd import): left out, and counted
    s, d = min(s, S_MAX), min(max(d, D_MIN), D_MAX)
    due = -days_before(day_end, card.due)
    interval = scheduled_days(card, day_end)
    same_day = card.state is not CardState.REVIEW and due <= 0
    if same_day:
        return SimCard(s, d, 0.0, 0.0, card.lapses)
    last = float(min(due - interval, 0))
    return SimCard(s, d, last, float(due), card.lapses)


def _limits(preset: Preset) -> Limits:
    return Limits(
        new_per_day=preset.new_per_day,
        reviews_per_day=preset.reviews_per_day,
        new_ignores_review_limit=preset.new_ignores_review_limit,
        maximum_interval_days=preset.maximum_interval_days,
        learning_steps=len(preset.learning_steps_minutes),
        relearning_steps=len(preset.relearning_steps_minutes),
        suspend_after_lapses=preset.leech_lapses if preset.leech_suspend else None,
    )


def _parameters(preset: Preset) -> list[float]:
    from fsrs.scheduler import DEFAULT_PARAMETERS  # the same model the scheduler runs

    return list(preset.parameters or DEFAULT_PARAMETERS)


def _logs(desk: Desk, ids: set[int]) -> list[ReviewLog]:
    """The answers of the preset's cards, a month at a time with a pause between months (on a
    worker, the UI thread gets the interpreter in between; a write meanwhile reads again)."""
    log = desk.store.reviews
    out: list[ReviewLog] = []
    for month in log.months():
        for attempt in range(3):
            try:
                out.extend(e for e in list(log.month(month).values()) if e.card_id in ids)
                break
            except RuntimeError:  # the dict changed size: a write on the UI thread
                if attempt == 2:
                    raise
        time.sleep(0)
    return out


def simulation_job(
    desk: Desk,
    name: str,
    *,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    values: list[float] | None = None,
) -> Callable[[Callable[[int, int], None] | None, Callable[[], bool] | None], Report]:
    """Take what the simulation needs now (the preset and its cards, on the caller's thread);
    the returned function reads the review log and simulates, and may run on a worker thread.
    It takes `progress(done, total)` and `cancelled()`; `Cancelled` ends it early."""
    if not 1 <= days <= MAX_DAYS:
        raise PresetError(f"days: from 1 to {MAX_DAYS} (got {days})")
    snap = _snapshot(desk, name)
    chosen = values or dr.retentions()

    def run(
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Report:
        studied: list[SimCard] = []
        missing = 0
        new = 0
        for card in snap.cards:
            if card.suspended:
                continue
            if card.is_new:
                new += 1
                continue
            converted = sim_card(card, snap.day_end)
            if converted is None:
                missing += 1
            else:
                studied.append(converted)
        logs = _logs(desk, {c.id for c in snap.cards})
        introduced = sum(1 for e in logs if e.was_new and e.ts >= snap.today_start)
        deck = Deck(studied, new, min(introduced, snap.preset.new_per_day))
        measured = measure(logs, snap.day_end)
        runs = dr.runs_for(len(studied) + new)
        rows = dr.sweep(
            _parameters(snap.preset), deck, _limits(snap.preset), measured.behaviour, chosen,
            days=days, seed=seed, runs=runs, progress=progress, cancelled=cancelled,
        )  # fmt: skip
        return Report(
            snap.preset.name, snap.preset.id, snap.preset.desired_retention, days, seed,
            snap.decks, len(studied), new, missing, measured, rows, runs, snap.own_retention,
        )  # fmt: skip

    return run


def simulate_preset(
    desk: Desk, name: str, *, days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED, **kw: Any
) -> Report:
    return simulation_job(desk, name, days=days, seed=seed, **kw)(None, None)


def apply(desk: Desk, name: str, value: float) -> Preset:
    """Set the preset's desired retention (the default preset lives in the config file)."""
    preset = ps.find(desk, name)
    if preset.id == DEFAULT_PRESET_ID:
        raise PresetError(
            f"the default preset is [cards] in the config file: set desired_retention = "
            f"{value:g} there (`deskwork config path`), or make a preset of your own and "
            "use it for your decks"
        )
    # the value as given (0.955 stays 0.955): the simulation's rows are 0.01 apart, but a value
    # between them is the learner's to choose, and rounding it without a word would be a surprise
    return ps.set_values(desk, str(preset.id), [("desired_retention", repr(value))])
