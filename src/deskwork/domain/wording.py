"""Counts in words: "1 card", "2 cards", "0 minutes". Every count shown to a person goes through
`plural`, so no screen says "1 minutes"."""

from __future__ import annotations

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


def plural(count: float, noun: str, many: str | None = None) -> str:
    """`plural(1, "card")` -> "1 card"; `plural(3, "card")` -> "3 cards"; `plural(2, "box")`
    -> "2 boxes". Whole floats print without ".0"."""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {plural_noun(count, noun, many)}"
