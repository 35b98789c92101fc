"""Card search with Anki's syntax where it is cheap: `deck:ML` (and its subdecks), `tag:nlp`,
`is:due`, `is:new`, `is:learn`, `is:review`, `is:suspended`, `is:buried`, `flag:1`,
`note:"Basic (type in the answer)"` (a note type by name, `*` at the end for a prefix), `card:2`
(the second card of its note), `prop:r<0.9` / `prop:s>21` / `prop:d>0.5` / `prop:ivl>=10` /
`prop:reps>5` / `prop:lapses>3` (Anki's properties: retrievability now, stability in days, difficulty
0–1 as Anki shows it, interval in days), words in any field; `-` before a term negates it. Terms are
ANDed."""

from __future__ import annotations

import operator
import re
import shlex
from collections.abc import Callable
from datetime import datetime

from deskwork.domain.cards import Card, CardState
from deskwork.domain.revieworder import DEFAULT_DECAY, retrievability

Test = Callable[[Card], bool]


def _deck(name: str) -> Test:
    name = name.casefold()
    if name.endswith("*"):
        stem = name[:-1]
        return lambda c: c.deck.casefold().startswith(stem)
    return lambda c: c.deck.casefold() == name or c.deck.casefold().startswith(name + "::")


def _tag(name: str) -> Test:
    name = name.casefold()
    if name.endswith("*"):
        return lambda c: any(t.casefold().startswith(name[:-1]) for t in c.tags)
    return lambda c: any(
        t.casefold() == name or t.casefold().startswith(name + "::") for t in c.tags
    )


def _is(kind: str, now: datetime) -> Test:
    tests: dict[str, Test] = {
        "due": lambda c: not c.suspended and not c.is_new and c.due <= now and not _buried(c, now),
        "new": lambda c: c.is_new,
        "learn": lambda c: not c.is_new and c.state is not CardState.REVIEW,
        "review": lambda c: c.state is CardState.REVIEW,
        "suspended": lambda c: c.suspended,
        "buried": lambda c: _buried(c, now),
        "flagged": lambda c: c.flag > 0,
    }
    if kind not in tests:
        raise ValueError(f"is:{kind} is not known (try {', '.join('is:' + k for k in tests)})")
    return tests[kind]


def _buried(card: Card, now: datetime) -> bool:
    return card.buried_until is not None and card.buried_until > now


def _flag(number: int) -> Test:
    return lambda c: c.flag == number


def _words(word: str) -> Test:
    word = word.casefold()
    return lambda c: any(word in f.casefold() for f in c.fields)


def _card(ord_: int) -> Test:
    return lambda c: c.ord == ord_


def _note(name: str, type_names: dict[str, str]) -> Test:
    name = name.casefold()
    if name.endswith("*"):
        keys = {k for k, n in type_names.items() if n.casefold().startswith(name[:-1])}
    else:
        keys = {k for k, n in type_names.items() if n.casefold() == name}
    return lambda c: c.note_type in keys


_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "!=": operator.ne, "<": operator.lt, ">": operator.gt,
    "=": operator.eq,
}  # fmt: skip
_PROP = re.compile(r"^([a-z]+)(<=|>=|!=|<|>|=)(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)$")
DAY_S = 86400.0


def _interval_days(card: Card) -> float:
    """Anki's ivl: a review card's days from its last review to its due day; 0 otherwise."""
    if card.state is not CardState.REVIEW or card.last_review is None:
        return 0.0
    return float(round((card.due - card.last_review).total_seconds() / DAY_S))


def _prop(text: str, now: datetime, decay: Callable[[Card], float]) -> Test:
    found = _PROP.match(text.replace(" ", "").lower())
    if found is None:
        raise ValueError(f"prop:{text} is not a property test like prop:r<0.9 or prop:ivl>=10")
    name, op, number = found.group(1), _OPS[found.group(2)], float(found.group(3))
    value: Callable[[Card], float | None]
    if name == "r":
        value = lambda c: retrievability(c, now, decay(c))  # noqa: E731
    elif name == "s":
        value = lambda c: c.stability  # noqa: E731
    elif name == "d":  # Anki shows and searches difficulty as 0-1: (D - 1) / 9
        value = lambda c: None if c.difficulty is None else (c.difficulty - 1.0) / 9.0  # noqa: E731
    elif name == "ivl":
        value = _interval_days
    elif name in ("reps", "lapses"):
        value = lambda c: float(getattr(c, name))  # noqa: E731
    else:
        raise ValueError(f"prop:{name} is not known (try prop:r, prop:s, prop:d, prop:ivl, "
                         "prop:reps, prop:lapses)")  # fmt: skip

    def test(card: Card) -> bool:
        seen = value(card)
        return seen is not None and op(seen, number)  # a card without the property never matches

    return test


def compile_query(
    query: str,
    now: datetime,
    type_names: dict[str, str] | None = None,
    decay: Callable[[Card], float] | None = None,
) -> Test:
    """A predicate for `query` (`type_names`: note type key -> name, the stock ones by default;
    `decay`: the FSRS decay of a card's preset, for prop:r); ValueError names a term it cannot
    understand."""
    if type_names is None:
        from deskwork.domain.notetypes import STOCK

        type_names = {k: t.name for k, t in STOCK.items()}
    try:
        terms = shlex.split(query)
    except ValueError:
        terms = query.split()
    tests: list[tuple[bool, Test]] = []
    for term in terms:
        negate = term.startswith("-") and len(term) > 1
        term = term[1:] if negate else term
        name, sep, value = term.partition(":")
        name = name.lower()
        if sep and name == "deck":
            test = _deck(value)
        elif sep and name == "tag":
            test = _tag(value)
        elif sep and name == "is":
            test = _is(value.lower(), now)
        elif sep and name == "note":
            test = _note(value, type_names)
        elif sep and name == "card":
            if not value.isdigit() or int(value) < 1:
                raise ValueError(f"card:{value} needs a card number from 1")
            test = _card(int(value) - 1)
        elif sep and name == "prop":
            test = _prop(value, now, decay or (lambda _: DEFAULT_DECAY))
        elif sep and name == "flag":
            if not value.isdigit():
                raise ValueError(f"flag:{value} needs a number 0–7")
            test = _flag(int(value))
        else:
            test = _words(term)
        tests.append((negate, test))
    return lambda c: all(t(c) != negate for negate, t in tests)


def search(
    cards: list[Card],
    query: str,
    now: datetime,
    type_names: dict[str, str] | None = None,
    decay: Callable[[Card], float] | None = None,
) -> list[Card]:
    test = compile_query(query, now, type_names, decay)
    return [c for c in cards if test(c)]
