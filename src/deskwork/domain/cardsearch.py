"""Card search with Anki's syntax where it is cheap: `deck:ML` (and its subdecks), `tag:nlp`,
`is:due`, `is:new`, `is:learn`, `is:review`, `is:suspended`, `is:buried`, `flag:1`,
`note:"Basic (type in the answer)"` (a note type by name), `card:2`
(the second card of its note), `prop:r<0.9` / `prop:s>21` / `prop:d>0.5` / `prop:ivl>=10` /
`prop:reps>5` / `prop:lapses>3` (Anki's properties: retrievability now, stability in days, difficulty
0–1 as Anki shows it, interval in days), `prop:due=1` (due tomorrow; `prop:due<0` overdue, as Anki
counts study days from today), `rated:2` (answered today or yesterday), `rated:7:1` (answered
Again, 1–4 = the answer buttons, in the last 7 days: from the review log), `added:7`, `edited:1`
(days, counting today as 1, study days as the day start hour cuts them), `front:text` (the whole
field named Front is the text), words in any field; `-` before a term negates it. As in Anki, `*`
stands for any run of characters and `_` for one in words, fields, deck, tag and note type names
(`*net`, `re*ion`, `front:*net*`, `deck:*::ML`); a backslash escapes (`\\*`, `\\_`, `\\\\`, and
`\\"` inside quotes, `\\:` a colon): domain/search_tokens.py reads the syntax. A term it cannot
read (`deck:` with no name, a `"` never closed, a field no note type has, `\\d`) is refused with
a message naming it. Terms are ANDed; as in Anki, `or` joins alternatives (`deck:A or deck:B`),
`(…)` groups and `-(…)` negates a group; quotes make one term of several words."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from deskwork.domain.cards import Card, CardState
from deskwork.domain.revieworder import DEFAULT_DECAY, retrievability
from deskwork.domain.search_tokens import (
    Parser,
    is_glob,
    plain,
    split_term,
    tokens,
    unescape,
)
from deskwork.domain.studyday import day_bounds, study_day
from deskwork.domain.wildcards import NO_SPACE, Wildcards

Test = Callable[[Card], bool]
# The review log's answers from a time on, as (card id, rating 1-4) pairs (for rated:n and rated:n:m).
Answers = Callable[[datetime], Iterable[tuple[int, int]]]


def _deck(name: str) -> Test:
    """Anki's `deck:`: the deck and its subdecks, by name ignoring case (casefolded, as decks
    are found and exported by name: `deck:strasse` is "Straße"); wildcards anywhere."""
    if name == "*":
        return lambda c: True
    pattern = Wildcards(name, fold=True)
    return lambda c: pattern.fullmatch_path(c.deck)


def _tag(name: str) -> Test:
    """Anki's `tag:`: a tag or its child tags (`tag:ml` finds ml::nlp), ignoring case, wildcards
    anywhere (a `*` stands for characters other than spaces); `tag:none` a card without tags,
    `tag:*` every card."""
    if name.casefold() == "none":
        return lambda c: not c.tags
    if name == "*":  # every card, with tags or without, as Anki has it
        return lambda c: True
    pattern = Wildcards(name, NO_SPACE)
    return lambda c: any(pattern.fullmatch_path(t) for t in c.tags)


def _due(now: datetime, start_hour: int) -> Test:
    """Anki's `is:due` (rslib search/sqlwriter.rs): review and interday learning cards due on a
    study day up to today (a card due at 03:36 before a 4 am rollover is due now, as the review
    pane counts it), intraday learning cards due within the learn-ahead limit; never new,
    suspended or buried cards."""
    from deskwork.domain.decklimits import LEARN_AHEAD, is_interday

    day_end = day_bounds(study_day(now, start_hour), start_hour)[1]
    ahead = now + LEARN_AHEAD

    def test(c: Card) -> bool:
        if c.suspended or c.is_new or _buried(c, now):
            return False
        if c.state is CardState.REVIEW or is_interday(c, day_end):
            return c.due < day_end
        return c.due <= ahead

    return test


def _is(kind: str, now: datetime, start_hour: int = 4) -> Test:
    if kind == "due":  # the one kind that needs today's bounds: worked out only for it
        return _due(now, start_hour)
    tests: dict[str, Test] = {
        "new": lambda c: c.is_new,
        "learn": lambda c: not c.is_new and c.state is not CardState.REVIEW,
        "review": lambda c: c.state is CardState.REVIEW,
        "suspended": lambda c: c.suspended,
        "buried": lambda c: _buried(c, now),
        "flagged": lambda c: c.flag > 0,
    }
    if kind not in tests:
        known = ", ".join("is:" + k for k in ("due", *tests))
        raise ValueError(f"is:{kind} is not known (try {known})")
    return tests[kind]


def _buried(card: Card, now: datetime) -> bool:
    return card.buried_until is not None and card.buried_until > now


def _flag(number: int) -> Test:
    return lambda c: c.flag == number


def _words(word: str) -> Test:
    """Text in any field, ignoring case; as in Anki, `*` stands for any run of characters and `_`
    for one (`\\*`, `\\_`, `\\\\`: the characters themselves)."""
    if not is_glob(word):
        text = plain(word).casefold()
        return lambda c: any(text in f.casefold() for f in c.fields)
    pattern = Wildcards(word)
    # Over the fields as Anki holds them, joined by \x1f: a `*` reaches from one field into the
    # next there (`a*b` finds "say" / "back"), as Anki's `flds like '%a%b%'` does.
    return lambda c: pattern.search("\x1f".join(c.fields))


def _field(term: str, name: str, value: str, fields: dict[str, list[str]]) -> Test:
    """Anki's field search `front:value`: the whole of the field named `name` (ignoring case,
    wildcards allowed: `*:x` any field) is `value`, ignoring case, `*` any run, `_` one character
    (`front:*net*` holds "net", `front:` is empty, `front:_*` is not). A name no note type has is
    refused, naming the fields there are (the search would match nothing, silently)."""
    if value.startswith(("re:", "nc:")):
        raise ValueError(f"{term}: {value[:3]} (a regular expression / without accents) is an "
                         "Anki field search deskwork does not have; use * and _ wildcards")  # fmt: skip
    named = Wildcards(name)
    where = {k: [n for n, f in enumerate(fs) if named.fullmatch(f)] for k, fs in fields.items()}
    where = {k: at for k, at in where.items() if at}
    if not where:
        known = sorted({f for fs in fields.values() for f in fs}, key=str.casefold)
        raise ValueError(f"{term}: no note type has a field {plain(name)!r} (fields: "
                         f"{', '.join(known)}; '\\:' searches for a colon: {plain(name)}\\:...)")  # fmt: skip
    pattern = Wildcards(value)

    def test(card: Card) -> bool:
        return any(
            n < len(card.fields) and pattern.fullmatch(card.fields[n])
            for n in where.get(card.note_type, ())
        )

    return test


def _card(ord_: int) -> Test:
    return lambda c: c.ord == ord_


def _note(name: str, type_names: dict[str, str]) -> Test:
    """Anki's `note:`: a note type by its whole name, ignoring case, wildcards anywhere."""
    pattern = Wildcards(name)
    keys = {k for k, n in type_names.items() if pattern.fullmatch(n)}
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


def _due_in(now: datetime, start_hour: int) -> Callable[[Card], float | None]:
    """Anki's `prop:due` (rslib search/sqlwriter.rs): a review or interday learning card's due
    study day counted from today (1 = tomorrow, -1 = yesterday); an intraday learning card's
    time to the end of today in whole days towards zero (so 0 for one due today); new, suspended
    and buried cards have none."""
    from deskwork.domain.decklimits import is_interday

    today = study_day(now, start_hour)
    day_end = day_bounds(today, start_hour)[1]

    def value(c: Card) -> float | None:
        if c.suspended or c.is_new or _buried(c, now):
            return None
        if c.state is CardState.REVIEW or is_interday(c, day_end):
            return float((study_day(c.due, start_hour) - today).days)
        return float(int((c.due - day_end).total_seconds() / DAY_S))

    return value


PROPS = "prop:r, prop:s, prop:d, prop:ivl, prop:due, prop:reps, prop:lapses"


def _prop(text: str, now: datetime, decay: Callable[[Card], float], start_hour: int = 4) -> Test:
    found = _PROP.match(text.replace(" ", "").lower())
    if found is None:
        raise ValueError(f"prop:{text} is not a property test like prop:r<0.9 or prop:ivl>=10")
    name, op, number = found.group(1), _OPS[found.group(2)], float(found.group(3))
    value: Callable[[Card], float | None]
    if name in ("due", "ivl", "reps", "lapses") and not number.is_integer():
        raise ValueError(f"prop:{text}: {name} takes a whole number (prop:{name}{found.group(2)}"
                         f"{int(number)})")  # fmt: skip
    if name in ("ivl", "reps", "lapses") and found.group(3).startswith("-"):  # Anki refuses too
        raise ValueError(f"prop:{text}: {name} takes a whole number from 0 (prop:{name}"
                         f"{found.group(2)}0)")  # fmt: skip
    if name == "ease":
        raise ValueError(f"prop:{text}: deskwork schedules with FSRS, whose cards have no ease "
                         "factor (in Anki with FSRS it stays at its start); search by "
                         "difficulty instead, prop:d>0.7 (0–1)")  # fmt: skip
    if name == "due":
        value = _due_in(now, start_hour)
    elif name == "r":
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
        raise ValueError(f"prop:{text}: {name} is not a property deskwork knows (try {PROPS})")

    def test(card: Card) -> bool:
        seen = value(card)
        return seen is not None and op(seen, number)  # a card without the property never matches

    return test


UNSUPPORTED = ("introduced", "resched", "nid", "cid", "mid", "dupe", "preset", "re", "nc", "w")


def _days_since(name: str, value: str, now: datetime, start_hour: int) -> datetime:
    """The start of the study day `value` days back counting today as 1 (Anki's `rated:1`; 0 is
    taken as 1, as Anki takes it)."""
    if not value.isdigit() or not int(value) <= 36500:
        raise ValueError(f"{name}:{value} needs a number of days from 1 (rated:1 is today)")
    today = study_day(now, start_hour)
    return day_bounds(today - timedelta(days=max(int(value), 1) - 1), start_hour)[0]


def _rated_with(term: str, button: str, since: datetime, answers: Answers | None) -> Test:
    """Anki's `rated:n:m`: answered with button m (1 Again … 4 Easy) on one of the last n study
    days, any of the card's answers then (not only its last), read from the review log; `rated:n`
    (button ""): any answer then, from the log too (as Anki: an undone answer, whose log entry
    is gone, does not count; the card's last review time would)."""
    if button and button not in ("1", "2", "3", "4"):
        raise ValueError(f"{term}: the answer after the days is a button 1–4 (1 Again, 2 Hard, "
                         "3 Good, 4 Easy), as in rated:7:1")  # fmt: skip
    if answers is None:
        raise ValueError(f"{term} needs the review log, which this search was not given")
    rating = int(button) if button else None
    ids: set[int] | None = None

    def test(card: Card) -> bool:
        nonlocal ids
        if ids is None:  # the log is read once, at the first card asked about
            ids = {card_id for card_id, r in answers(since) if rating in (None, r)}
        return card.id in ids

    return test


def _term(
    term: str,
    now: datetime,
    names: tuple[dict[str, str], dict[str, list[str]]],
    decay: Callable[[Card], float],
    start_hour: int = 4,
    answers: Answers | None = None,
) -> Test:
    """The test for one term (`names`: note type key -> its name, and -> its field names)."""
    key, sep, value = split_term(term)
    name = key.lower()
    if sep and name == "rated":
        days, has_button, button = value.partition(":")
        since = _days_since(name, days, now, start_hour)
        if has_button and not button:
            raise ValueError(f"{term}: the answer after the days is a button 1–4, as in rated:7:1")
        return _rated_with(term, button, since, answers)
    if sep and name == "added":
        since = _days_since(name, value, now, start_hour)
        return lambda c: c.created >= since
    if sep and name == "edited":
        since = _days_since(name, value, now, start_hour)
        return lambda c: (c.note_modified or c.created) >= since
    if sep and name in UNSUPPORTED:
        raise ValueError(f"{name}: is an Anki search deskwork does not have (it has deck:, tag:, "
                         "is:, flag:, note:, card:, prop:, rated:, added:, edited:, and "
                         "field:text for a field)")  # fmt: skip
    if sep and name in ("deck", "tag") and not value:
        raise ValueError(f"{term} needs a {name} name after it ({name}:ML, {name}:\"two words\", "
                         f"{name}:ML* for a prefix)")  # fmt: skip
    if sep and name == "deck":
        return _deck(unescape(value, term))
    if sep and name == "tag":
        return _tag(unescape(value, term))
    if sep and name == "is":
        return _is(value.lower(), now, start_hour)
    if sep and name == "note":
        return _note(unescape(value, term), names[0])
    if sep and name == "card":
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"card:{value} needs a card number from 1")
        return _card(int(value) - 1)
    if sep and name == "prop":
        return _prop(value, now, decay, start_hour)
    if sep and name == "flag":
        if not value.isdigit():
            raise ValueError(f"flag:{value} needs a number 0–7")
        return _flag(int(value))
    if sep:  # anything else before a colon is a field's name, as in Anki
        return _field(term, unescape(key, term), unescape(value, term), names[1])
    return _words(unescape(term))


def compile_query(
    query: str,
    now: datetime,
    type_names: dict[str, str] | None = None,
    decay: Callable[[Card], float] | None = None,
    start_hour: int = 4,
    answers: Answers | None = None,
    field_names: dict[str, list[str]] | None = None,
) -> Test:
    """A predicate for `query` (`type_names`: note type key -> name, `field_names`: key -> its
    fields' names, the stock ones by default; `decay`: the FSRS decay of a card's preset, for
    prop:r; `answers`: the review log's answers from a time on, for rated:n:m, read only when the
    query has one); ValueError names a term it cannot understand, or a group or `or` left
    incomplete."""
    from deskwork.domain.notetypes import STOCK

    if type_names is None:
        type_names = {k: t.name for k, t in STOCK.items()}
    if field_names is None:
        field_names = {k: list(t.fields) for k, t in STOCK.items()}
    names = (type_names, field_names)
    card_decay = decay or (lambda _: DEFAULT_DECAY)
    words = tokens(query)
    if not words:
        return lambda c: True
    return Parser(
        words, lambda term: _term(term, now, names, card_decay, start_hour, answers)
    ).parse()


def search(
    cards: list[Card],
    query: str,
    now: datetime,
    type_names: dict[str, str] | None = None,
    decay: Callable[[Card], float] | None = None,
    start_hour: int = 4,
    answers: Answers | None = None,
    field_names: dict[str, list[str]] | None = None,
) -> list[Card]:
    test = compile_query(query, now, type_names, decay, start_hour, answers, field_names)
    return [c for c in cards if test(c)]


def deck_of_query(query: str) -> str | None:
    """The deck a search is exactly (one `deck:NAME` term without a wildcard, an unescaped `*`
    or `_`: that deck and its subdecks, as an export of the deck takes them), as typed; None for
    any other search (and for one it cannot read)."""
    try:
        words = tokens(query)
        if len(words) != 1 or not isinstance(words[0], str):
            return None
        name, sep, value = split_term(words[0])
        value = unescape(value)
    except ValueError:
        return None
    if not sep or name.lower() != "deck" or not value or is_glob(value):
        return None
    return plain(value)
