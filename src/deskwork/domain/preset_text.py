"""Deck presets as the user reads and types them: the keys a preset form and
`cards presets set` take (EDITABLE, with what each expects), their labels, steps written as
"1m 10m 1d", and `edit` (a preset with one key set from text; PresetError names the key and the
rule) and `describe` (a preset's options as shown). The model itself is domain/presets.py."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from deskwork.domain.presets import Preset, PresetError, check_typed_parameters
from deskwork.domain.wording import human_error

EDITABLE: dict[str, str] = {
    "name": "the preset's name",
    "desired_retention": "more than 0.5 and less than 1 (Anki offers 0.70–0.99)",
    "fsrs_parameters": "17, 19 or 21 numbers separated by commas, or 'default'",
    "learning_steps": "minutes separated by spaces or commas; units m/h/d allowed (1m 10m 1d)",
    "relearning_steps": "as learning_steps",
    "new_per_day": "0–9999",
    "reviews_per_day": "0–9999",
    "new_ignores_review_limit": "true/false",
    "maximum_interval": "days, 1–36500",
    "leech_threshold": "lapses, 1–9999",
    "leech_action": "suspend or tag",
    "bury_new": "true/false",
    "bury_reviews": "true/false",
    "bury_interday_learning": "true/false",
    "review_order": "due, due_then_deck, deck_then_due, intervals_ascending, "
    "intervals_descending, difficulty_descending, difficulty_ascending, retrievability_ascending, "
    "retrievability_descending, relative_overdueness, random, added, reverse_added",
    "easy_days": "7 load factors, Monday first (1 normal, 0.5 reduced, 0 minimum), "
    "or sun=0 sat=0.5, or 'config'",
}
_FIELD = {
    "learning_steps": "learning_steps_minutes",
    "relearning_steps": "relearning_steps_minutes",
    "maximum_interval": "maximum_interval_days",
    "leech_threshold": "leech_lapses",
}
# What the form and the error sentences call each option (the editable keys and the fields).
LABELS: dict[str, str] = {
    "name": "Name",
    "desired_retention": "Desired retention",
    "fsrs_parameters": "FSRS parameters",
    "learning_steps": "Learning steps",
    "learning_steps_minutes": "Learning steps",
    "relearning_steps": "Relearning steps",
    "relearning_steps_minutes": "Relearning steps",
    "new_per_day": "New cards per day",
    "reviews_per_day": "Maximum reviews per day",
    "new_ignores_review_limit": "New cards ignore the review limit",
    "maximum_interval": "Maximum interval",
    "maximum_interval_days": "Maximum interval",
    "leech_threshold": "Leech threshold",
    "leech_lapses": "Leech threshold",
    "leech_action": "Leech action",
    "leech_suspend": "Leech action",
    "bury_new": "Bury new siblings",
    "bury_reviews": "Bury review siblings",
    "bury_interday_learning": "Bury interday learning siblings",
    "review_order": "Review sort order",
    "easy_days": "Easy days",
}
_UNITS = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0}


def parse_steps(text: str, label: str = "Steps") -> list[float]:
    """'1m 10m 1d', '1, 10' (minutes) → minutes; 'none' → no steps."""
    if text.strip().lower() in ("", "none"):
        return []
    out: list[float] = []
    for part in text.replace(",", " ").split():
        unit = part[-1].lower() if part[-1].isalpha() else "m"
        number = part[:-1] if part[-1].isalpha() else part
        if unit not in _UNITS:
            raise PresetError(
                f"{label}: {part!r} is not a step (use a number of minutes, or add s, m, h or d)."
            )
        try:
            out.append(float(number) * _UNITS[unit])
        except ValueError:
            raise PresetError(f"{label}: step {part!r} is not a number.") from None
    return out


def format_steps(minutes: list[float]) -> str:
    """Steps as Anki writes them: 1m 10m 1h 2d ('none' for no steps)."""
    if not minutes:
        return "none"
    parts = []
    for m in minutes:
        if m >= 1440 and m % 1440 == 0:
            parts.append(f"{m / 1440:g}d")
        elif m >= 60 and m % 60 == 0:
            parts.append(f"{m / 60:g}h")
        else:
            parts.append(f"{m:g}m")
    return " ".join(parts)


def _bool(key: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise PresetError(f"{LABELS.get(key, key)} must be true or false (got {text!r}).")


def edit(preset: Preset, key: str, text: str) -> Preset:
    """The preset with `key` set from user text; PresetError names the key and the rule."""
    key = key.strip().replace("-", "_")
    if key not in EDITABLE:
        raise PresetError(f"Unknown key {key!r}: the keys are {', '.join(EDITABLE)}.")
    label = LABELS.get(key, key)
    value: Any
    if key in ("learning_steps", "relearning_steps"):
        value = parse_steps(text, label)
    elif key == "fsrs_parameters":
        if text.strip().lower() in ("", "default", "defaults"):
            value = []
        else:
            try:
                value = [float(v) for v in text.replace(",", " ").split()]
            except ValueError:
                raise PresetError(
                    f"{label} must be numbers separated by commas (got {text[:40]!r})."
                ) from None
            try:  # typed by hand: a value the model would clip is refused by name
                check_typed_parameters(value)
            except PresetError as exc:  # its message names the parameters already
                raise PresetError(f"{exc}.") from None
    elif key == "leech_action":
        action = text.strip().lower()
        if action not in ("suspend", "tag", "tag only", "tag_only"):
            raise PresetError(f"{label} must be suspend or tag (got {text!r}).")
        key, value = "leech_suspend", action == "suspend"
    elif key in ("new_ignores_review_limit", "bury_new", "bury_reviews", "bury_interday_learning"):
        value = _bool(key, text)
    elif key == "name":
        value = text.strip()
    elif key == "easy_days":
        from deskwork.domain.loadbalance import parse_easy_days

        try:
            value = parse_easy_days(text)
        except ValueError as exc:
            raise PresetError(f"{label}: {exc}") from None
    elif key == "review_order":
        from deskwork.domain.revieworder import parse_order

        try:
            value = parse_order(text)
        except ValueError as exc:
            raise PresetError(f"{label}: {exc}.") from None
    else:
        try:
            value = float(text) if key == "desired_retention" else int(text)
        except ValueError:
            kind = "a number" if key == "desired_retention" else "a whole number"
            raise PresetError(
                f"{label} must be {kind}, {EDITABLE[key]} (got {text[:40]!r})."
            ) from None
    field = _FIELD.get(key, key)
    try:
        return Preset.model_validate(preset.model_dump() | {field: value})
    except ValidationError as exc:
        raise PresetError(human_error(exc, LABELS)) from None


_VERSIONS = {21: "FSRS-6", 19: "FSRS-5 (upgraded to 21)", 17: "FSRS-4.5 (upgraded to 21)"}


def describe(preset: Preset) -> dict[str, Any]:
    """The preset as the user reads and edits it (the keys `edit` takes)."""
    return {
        "name": preset.name,
        "desired_retention": preset.desired_retention,
        "fsrs_parameters": list(preset.parameters or ()) or "default",
        "fsrs_version": _VERSIONS.get(len(preset.fsrs_parameters), "FSRS-6 defaults"),
        "learning_steps": format_steps(preset.learning_steps_minutes),
        "relearning_steps": format_steps(preset.relearning_steps_minutes),
        "new_per_day": preset.new_per_day,
        "reviews_per_day": preset.reviews_per_day,
        "new_ignores_review_limit": preset.new_ignores_review_limit,
        "maximum_interval": preset.maximum_interval_days,
        "leech_threshold": preset.leech_lapses,
        "leech_action": "suspend" if preset.leech_suspend else "tag",
        "bury_new": preset.bury_new,
        "bury_reviews": preset.bury_reviews,
        "bury_interday_learning": preset.bury_interday_learning,
        "review_order": preset.review_order,
        "easy_days": list(preset.easy_days) or "config",
    }
