"""Deck presets as Anki has them: the options a deck studies with (desired retention, FSRS
parameters, learning steps, daily limits, maximum interval, leeches, burying siblings), the
deck → preset mapping, and per-deck overrides of a preset's limits and retention.

As in Anki, every deck has its own preset (a subdeck does not inherit its parent's); a deck with no
assignment uses the default preset, which is `[cards]` in the config file. Pure: no I/O. How a
preset is typed and shown (the form's keys, "1m 10m 1d", `edit`, `describe`) is preset_text.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from deskwork.domain.records import Record, empty_list

if TYPE_CHECKING:
    from deskwork.domain.cards import Card

DEFAULT_PRESET_ID = 0  # the [cards] section of the config; never stored

# fsrs-rs: FSRS-5's default decay, used when an older parameter set is filled up to 21.
FSRS5_DEFAULT_DECAY = 0.5
# The bounds the fsrs package accepts (fsrs-rs clips to the same ranges before use).
_LOWER = (0.001, 0.001, 0.001, 0.001, 1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001, 0.001, 0.001,
          0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1)  # fmt: skip
_UPPER = (100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5, 5.0, 0.25, 0.9, 4.0,
          1.0, 6.0, 2.0, 2.0, 0.8, 0.8)  # fmt: skip


class PresetError(ValueError):
    """A preset edit that cannot apply; the message names the key and what is expected."""


def _as_21(values: list[float]) -> list[float]:
    """A set of 17, 19 or 21 finite numbers as the 21 FSRS-6 takes, unclipped, following fsrs-rs:
    17 (FSRS-4.5) → w4, w5, w6 converted and [0, 0, 0, 0.5] added; 19 (FSRS-5) → [0, 0.5] added.
    Any other length, or a value that is not a finite number, raises PresetError."""
    if any(not math.isfinite(v) for v in values):
        raise PresetError("FSRS parameters must be finite numbers")
    if len(values) == 17:
        values[4] = values[5] * 2.0 + values[4]
        values[5] = math.log(values[5] * 3.0 + 1.0) / 3.0
        values[6] += 0.5
        values += [0.0, 0.0, 0.0, FSRS5_DEFAULT_DECAY]
    elif len(values) == 19:
        values += [0.0, FSRS5_DEFAULT_DECAY]
    elif len(values) != 21:
        raise PresetError(f"FSRS parameters: expected 17, 19 or 21 numbers, got {len(values)}")
    return values


def fsrs6_parameters(params: list[float] | tuple[float, ...]) -> tuple[float, ...] | None:
    """Any FSRS parameter set as the 21 FSRS-6 takes (see `_as_21`), clipped to the ranges the
    model accepts, as fsrs-rs clips them (what Anki runs); none → None (the defaults)."""
    values = [float(v) for v in params]
    if not values:
        return None
    return tuple(
        min(max(v, lo), hi) for v, lo, hi in zip(_as_21(values), _LOWER, _UPPER, strict=True)
    )


def out_of_range(params: list[float] | tuple[float, ...]) -> list[str]:
    """The parameters of a set (as `fsrs6_parameters` reads it) that the model would clip, each as
    "w7 = 0.9 (0.001–0.75)"; numbers are those of the 21 FSRS-6 takes (w0 … w20)."""
    values = [float(v) for v in params]
    if not values:
        return []
    return [
        f"w{i} = {v:g} ({lo:g}–{hi:g})"
        for i, (v, lo, hi) in enumerate(zip(_as_21(values), _LOWER, _UPPER, strict=True))
        if not lo <= v <= hi
    ]


def check_typed_parameters(params: list[float] | tuple[float, ...]) -> None:
    """A set typed by hand (the presets form, `cards presets set`, `[cards]` in the config): one
    the model cannot take raises PresetError, and so does one it would clip, naming each value
    (a set imported from Anki is clipped instead, as fsrs-rs clips it)."""
    if outside := out_of_range(params):
        raise PresetError(f"FSRS parameters: outside the model's range: {'; '.join(outside)}")


class Preset(Record):
    """One preset. `anki_id` is the Anki deck config id it came from (0 if made here)."""

    name: str = Field(min_length=1, max_length=200)
    anki_id: int = 0
    anki_mtime: int = 0  # Anki's modification time when imported (a newer one replaces it)
    desired_retention: float = Field(default=0.90, gt=0.5, lt=1)
    fsrs_parameters: list[float] = Field(default_factory=empty_list)  # [] = fsrs's defaults
    learning_steps_minutes: list[float] = Field(default_factory=lambda: [1.0, 10.0])
    relearning_steps_minutes: list[float] = Field(default_factory=lambda: [10.0])
    new_per_day: int = Field(default=20, ge=0, le=9999)
    reviews_per_day: int = Field(default=200, ge=0, le=9999)
    new_ignores_review_limit: bool = False  # Anki's collection-wide option, kept per preset here
    maximum_interval_days: int = Field(default=36500, ge=1, le=36500)
    leech_lapses: int = Field(default=8, ge=1, le=9999)
    leech_suspend: bool = False  # Anki: leech action "suspend card"; else "tag only"
    bury_new: bool = False
    bury_reviews: bool = False
    bury_interday_learning: bool = False
    review_order: str = "due"  # Anki's "Review sort order" (domain.revieworder.ORDERS)
    # Anki's easy days: 7 load factors, Monday first (1 normal, 0.5 reduced, 0 minimum);
    # [] = the config's [easy_days].
    easy_days: list[float] = Field(default_factory=empty_list)

    @field_validator("easy_days")
    @classmethod
    def _easy(cls, days: list[float]) -> list[float]:
        if days and (len(days) != 7 or any(not 0 <= d <= 1 for d in days)):
            raise ValueError(
                "easy days are 7 load factors from 0 to 1, Monday first (or none: the config's)"
            )
        return days

    @field_validator("review_order")
    @classmethod
    def _order(cls, order: str) -> str:
        from deskwork.domain.revieworder import parse_order

        return parse_order(order)

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        """Untrusted (an Anki file, a paste): one line, no control sequences."""
        from deskwork.domain.text import clean

        cleaned = clean(name, single_line=True)
        if not cleaned:
            raise ValueError("a preset needs a name")
        return cleaned

    @field_validator("learning_steps_minutes", "relearning_steps_minutes")
    @classmethod
    def _steps(cls, steps: list[float]) -> list[float]:
        if any(not math.isfinite(s) or s <= 0 or s > 60 * 24 * 365 for s in steps):
            raise ValueError("steps are minutes, each more than 0 and at most a year")
        return steps

    @field_validator("fsrs_parameters")
    @classmethod
    def _params(cls, params: list[float]) -> list[float]:
        try:
            fsrs6_parameters(params)
        except PresetError as exc:
            raise ValueError(str(exc)) from None
        return params

    @property
    def parameters(self) -> tuple[float, ...] | None:
        """The 21 FSRS-6 parameters this preset schedules with (None: fsrs's defaults)."""
        return fsrs6_parameters(self.fsrs_parameters)


class DeckOptions(Record):
    """A deck's preset and its own overrides (Anki's "This deck" limits, deck retention)."""

    deck: str = Field(min_length=1)
    preset_id: int = DEFAULT_PRESET_ID
    new_limit: int | None = Field(default=None, ge=0, le=9999)
    review_limit: int | None = Field(default=None, ge=0, le=9999)
    desired_retention: float | None = Field(default=None, gt=0.5, lt=1)


_NOT_OPTIONS = {"id", "name", "anki_id", "anki_mtime", "fsrs_parameters", "easy_days"}


def same_options(a: Preset, b: Preset, week: tuple[float, ...]) -> bool:
    """Whether two presets schedule alike (names and ids aside): FSRS parameters as the 21 they
    schedule with, easy days as they apply (`week`: the config's, for a preset without its own),
    numbers within what a float32 keeps (Anki's protobuf)."""

    def close(x: Any, y: Any) -> bool:
        if isinstance(x, list | tuple) and isinstance(y, list | tuple):
            return len(x) == len(y) and all(close(u, v) for u, v in zip(x, y, strict=True))
        if isinstance(x, float) or isinstance(y, float):
            return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-6)
        return bool(x == y)

    one, two = a.model_dump(exclude=_NOT_OPTIONS), b.model_dump(exclude=_NOT_OPTIONS)
    return (
        one.keys() == two.keys()
        and all(close(one[k], two[k]) for k in one)
        and close(a.parameters or (), b.parameters or ())
        and close(tuple(a.easy_days) or week, tuple(b.easy_days) or week)
    )


# ---------------------------------------------------------------------- which preset a deck uses
@dataclass(frozen=True)
class DeckSettings:
    """What one deck studies with: its preset, and its limits and retention after its overrides."""

    deck: str
    preset: Preset
    new_per_day: int
    reviews_per_day: int
    desired_retention: float


class Presets:
    """Every preset and deck assignment, resolved: `for_deck` answers in O(1) after the first."""

    def __init__(self, default: Preset, presets: list[Preset], options: list[DeckOptions]):
        self.default = default.model_copy(update={"id": DEFAULT_PRESET_ID})
        self.by_id = {p.id: p for p in presets} | {DEFAULT_PRESET_ID: self.default}
        self.options = {o.deck: o for o in options}
        self._cache: dict[str, DeckSettings] = {}
        self._decays: dict[str, float] = {}

    def preset_of(self, deck: str) -> Preset:
        option = self.options.get(deck)
        return self.by_id.get(option.preset_id, self.default) if option else self.default

    def for_deck(self, deck: str) -> DeckSettings:
        found = self._cache.get(deck)
        if found is None:
            preset = self.preset_of(deck)
            option = self.options.get(deck)
            found = DeckSettings(
                deck,
                preset,
                option.new_limit if option and option.new_limit is not None else preset.new_per_day,
                option.review_limit
                if option and option.review_limit is not None
                else preset.reviews_per_day,
                option.desired_retention
                if option and option.desired_retention is not None
                else preset.desired_retention,
            )
            self._cache[deck] = found
        return found

    def decay_for(self, card: Card) -> float:
        """The FSRS decay (w20) of the card's preset, for its retrievability (cached per deck)."""
        found = self._decays.get(card.deck)
        if found is None:
            from deskwork.domain.revieworder import decay_of

            found = self._decays[card.deck] = decay_of(self.for_deck(card.deck).preset.parameters)
        return found
