"""What people read: counts in words ("1 card", "2 cards", "12,345 cards": every count shown goes
through `plural`, so no screen says "1 minutes" or "12345 cards"; a bare figure through `figure`) and a validation error as one sentence naming the field
(`human_error`, used by every form instead of a pydantic dump)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from pydantic import ValidationError

_IRREGULAR = {"entry": "entries", "day": "days", "query": "queries", "library": "libraries"}


def plural_noun(count: float, noun: str, many: str | None = None) -> str:
    """`noun` or its plural for `count` (`many` when the plural is irregular)."""
    if count == 1:
        return noun
    if many is not None:
        return many
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


NOT_COUNTED = "—"  # a figure that was not counted (the cards still loading): not a 0


def figure(count: float | None) -> str:
    """A count as people read it: thousands separated ("12,345"), a whole float without ".0";
    None (not counted) as "—"."""
    if count is None:
        return NOT_COUNTED
    if isinstance(count, float) and not count.is_integer():
        return f"{count:,g}"
    return f"{int(count):,}"


def plural(count: float, noun: str, many: str | None = None) -> str:
    """`plural(1, "card")` -> "1 card"; `plural(3, "card")` -> "3 cards"; `plural(2, "box")`
    -> "2 boxes"; `plural(12345, "card")` -> "12,345 cards". Whole floats print without ".0"."""
    return f"{figure(count)} {plural_noun(count, noun, many)}"


def counted(count: int, noun: str) -> str:
    """`plural` (its thousands separated too): "1 card", "12,345 cards"."""
    return plural(count, noun)


def true_retention_said(retention: float | None, in_review: int, answers: int) -> str:
    """True retention over the last 30 days in the same words on every screen (stats, card
    browser): the share, of how many answers; or why there is none yet. `in_review`: the answers
    on cards in review (what the share is of); `answers`: every answer of the 30 days. With
    answers but none on a card in review (all on new or learning cards, a learner's first
    weeks) "no reviews yet" was untrue: it says so instead."""
    if retention is not None:
        return f"{retention:.1%} of {plural(in_review, 'answer')} on cards in review"
    if answers:
        return (
            f"not yet: none of the {plural(answers, 'answer')} of the last 30 days "
            "was on a card in review (new and learning cards do not count)"
        )
    return "no answers in the last 30 days"


def reviews_said(per_day: Sequence[int]) -> str:
    """A span's answers per day labelled as Anki's Reviews graph labels them: the total, the
    days studied of the days in the span, the average for the days studied."""
    total, studied = sum(per_day), sum(1 for n in per_day if n)
    days = len(per_day)
    share = f" ({studied / days:.0%})" if days else ""
    average = f" · average {round(total / studied):,} a day studied" if studied else ""
    return f"total {plural(total, 'review')} · days studied {studied} of {days}{share}{average}"


def whole_parts(parts: list[float]) -> list[int]:
    """`parts` rounded to whole numbers that add up to their sum rounded (largest remainder:
    the parts rounded down, then one more to those that lost the most), so a total and its
    lines agree: 25.6 + 4.8 minutes show 25 + 5 under a total of 30, not 26 + 5."""
    floors = [math.floor(p) for p in parts]
    short = round(sum(parts)) - sum(floors)
    by_loss = sorted(range(len(parts)), key=lambda n: floors[n] - parts[n])
    for n in by_loss[: max(0, short)]:
        floors[n] += 1
    return floors


def field_label(name: str) -> str:
    """`effort_points` -> "Effort points"."""
    return name.replace("_", " ").strip().capitalize() or "This field"


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def human_error(exc: ValidationError, labels: Mapping[str, str] | None = None) -> str:
    """The first problem of a pydantic ValidationError as one sentence naming the field, the way a
    form shows it: "Title is required.", "Effort points must be a number (got 'abc')."."""
    err = exc.errors()[0]
    loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
    name = loc[0] if loc else ""
    label = (labels or {}).get(name) or field_label(" ".join(loc))
    kind = err.get("type", "")
    ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in (err.get("ctx") or {}).items()}
    got = err.get("input")
    sentences = {
        "missing": f"{label} is required.",
        "string_too_short": f"{label} cannot be empty."
        if ctx.get("min_length") == 1
        else f"{label} needs at least {ctx.get('min_length')} characters.",
        "string_too_long": f"{label} is too long (at most {ctx.get('max_length')} characters).",
        "int_parsing": f"{label} must be a whole number (got {_shown(got)}).",
        "int_from_float": f"{label} must be a whole number (got {_shown(got)}).",
        "float_parsing": f"{label} must be a number (got {_shown(got)}).",
        "greater_than": f"{label} must be more than {ctx.get('gt')} (got {_shown(got)}).",
        "greater_than_equal": f"{label} must be {ctx.get('ge')} or more (got {_shown(got)}).",
        "less_than": f"{label} must be less than {ctx.get('lt')} (got {_shown(got)}).",
        "less_than_equal": f"{label} must be at most {ctx.get('le')} (got {_shown(got)}).",
        "enum": f"{label} must be one of {ctx.get('expected')} (got {_shown(got)}).",
        "literal_error": f"{label} must be one of {ctx.get('expected')} (got {_shown(got)}).",
        "date_from_datetime_parsing": f"{label} must be a date like 2026-11-22.",
        "date_parsing": f"{label} must be a date like 2026-11-22.",
        "bool_parsing": f"{label} must be true or false (got {_shown(got)}).",
    }
    if kind in sentences:
        return sentences[kind]
    message = str(err.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if message.lower().startswith(label.lower()):  # the message names the field already
        return f"{message[:1].upper()}{message[1:].rstrip('.')}."
    message = message[:1].lower() + message[1:]
    return f"{label}: {message.rstrip('.')}."


def error_sentence(exc: Exception, labels: Mapping[str, str] | None = None) -> str:
    """What a form shows for any error: a validation error as `human_error`, else its message."""
    if isinstance(exc, ValidationError):
        return human_error(exc, labels)
    text = str(exc).strip()
    return text[:1].upper() + text[1:] if text else type(exc).__name__


def duration(hours: float) -> str:
    """Time as people say it: under an hour in minutes ("25 min", never "0.4 h" or "0.0 h"),
    else hours with one decimal ("1.5 h")."""
    if hours < 1:
        return f"{round(hours * 60)} min"
    return f"{hours:.1f} h"


BLANK = "[...]"  # a cloze deletion as a question shows it without a hint


def excerpt(text: str, limit: int, focus: str = BLANK) -> str:
    """`text` on one line in at most `limit` characters, "…" where it was cut. When `focus` (a
    cloze blank) lies beyond the cut, the excerpt holds it, from the start of its sentence where
    that fits: two cards of one cloze note start alike and differ only there."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    at = line.find(focus)
    if at < 0 or at + len(focus) <= limit - 1:
        return line[: limit - 1].rstrip() + "\u2026"
    sentence = max(line.rfind(". ", 0, at), line.rfind("? ", 0, at), line.rfind("! ", 0, at))
    start = sentence + 2 if sentence >= 0 else 0
    if at + len(focus) - start > limit - 2:  # the sentence does not fit: the blank near the end
        start = at + len(focus) - (limit - 2) + min(10, limit // 4)
    shown = line[start : start + limit - 2]
    return "\u2026" + shown + ("\u2026" if start + limit - 2 < len(line) else "")
