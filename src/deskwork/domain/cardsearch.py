"""Card search with Anki's syntax where it is cheap: `deck:ML` (and its subdecks), `tag:nlp`,
`is:due`, `is:new`, `is:learn`, `is:review`, `is:suspended`, `is:buried`, `flag:1`,
`note:"Basic (type in the answer)"` (a note type by name, `*` at the end for a prefix), `card:2`
(the second card of its note), words in any field; `-` before a term negates it. Terms are ANDed."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime

from deskwork.domain.cards import Card, CardState

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


def compile_query(query: str, now: datetime, type_names: dict[str, str] | None = None) -> Test:
    """A predicate for `query` (`type_names`: note type key -> name, the stock ones by default);
    ValueError names a term it cannot understand."""
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
        elif sep and name == "flag":
            if not value.isdigit():
                raise ValueError(f"flag:{value} needs a number 0–7")
            test = _flag(int(value))
        else:
            test = _words(term)
        tests.append((negate, test))
    return lambda c: all(t(c) != negate for negate, t in tests)


def search(
    cards: list[Card], query: str, now: datetime, type_names: dict[str, str] | None = None
) -> list[Card]:
    test = compile_query(query, now, type_names)
    return [c for c in cards if test(c)]
