"""Deck names, as Anki's rslib reads them (rslib/src/decks/name.rs): `Parent::Child`, each part
NFC-normalised, its ASCII control characters dropped, whitespace and `:` trimmed from its ends, and
a part left empty named "blank" (`A::::B` is `A::blank::B`, `::Lead` is `blank::Lead`). A name
whose every part is empty (``, `::`, `  ::  `) names no deck: refused (Anki would make "blank" of
it; here it is a slip, said as such). Pure: no I/O.

Names already stored may be anything (a store written before this module, a hand edit): `parent`,
`parents` and `leaf` take any string and never return the name itself as its own parent, so a
tree built on them always ends (domain/decklimits.py)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

SEP = "::"
BLANK = "blank"  # Anki's name for an empty part
DEFAULT = "Default"


class DeckNameError(ValueError):
    """A deck name that names no deck (every part empty)."""


def _clean(text: str) -> str:
    """NFC, ASCII control characters dropped (Anki's `invalid_char_for_deck_component`)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not (c < " " or c == "\x7f"))


def _trimmed(text: str) -> str:
    """Whitespace and `:` trimmed from both ends (Anki's `trim_matches`)."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] == ":"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ":"):
        end -= 1
    return text[start:end]


def normalize(name: str, what: str = "deck name") -> str:
    """The deck name as stored: parts normalised, an empty one "blank". DeckNameError when every
    part is empty, naming `what` was typed."""
    parts = [_trimmed(_clean(part)) for part in name.split(SEP)]
    if not any(parts):
        shown = repr(name) if name.strip() else "empty"
        raise DeckNameError(
            f"{what} {shown} names no deck: write a name (Parent::Child), not only '::' or spaces"
        )
    return SEP.join(part or BLANK for part in parts)


def normalize_or(name: str, default: str = DEFAULT) -> str:
    """`normalize`, `default` for a name that names no deck (a file's deck column left empty)."""
    try:
        return normalize(name)
    except DeckNameError:
        return default


def parent(name: str) -> str | None:
    """The name's immediate parent (`A::B::C` → `A::B`), None at the top. Any string: the parent
    is the name's parts but the last, split from the left as Anki splits (`:::` is `""` then
    `:`), so it is a prefix of the name, shorter than it, and sorts before it."""
    parts = name.split(SEP)
    return SEP.join(parts[:-1]) if len(parts) > 1 else None


def parents(name: str) -> list[str]:
    """`A::B::C` → [`A`, `A::B`] (outermost first)."""
    parts = name.split(SEP)
    return [SEP.join(parts[:n]) for n in range(1, len(parts))]


def leaf(name: str) -> str:
    """The last part (`A::B` → `B`)."""
    return name.split(SEP)[-1]


def within(deck: str, root: str) -> bool:
    """Whether `deck` is `root` or one of its subdecks ('' = every deck): `root`'s parts begin
    `deck`'s (an odd stored name's run of colons split as `parent` splits it)."""
    if not root or deck == root:
        return True
    if not deck.startswith(root + SEP):
        return False
    if ":::" not in deck:  # every "::" a separator: the prefix is root's parts
        return True
    parts = root.split(SEP)
    return deck.split(SEP)[: len(parts)] == parts


def tree_order(name: str) -> tuple[tuple[str, str], ...]:
    """The sort key of Anki's deck list: part by part, ignoring case (`Math`, `Math::Algebra`,
    `Math 2`: plain string order would put `Math 2` between a deck and its subdecks, as " " sorts
    before ":"), each part's spelling breaking ties, so that of two stored decks that differ only
    in case each keeps its own subdecks under it. A parent (its parts a prefix of its child's, as
    `parent` splits them) sorts right before its subtree."""
    return tuple((part.casefold(), part) for part in name.split(SEP))


def depth(name: str) -> int:
    """How many parents the name has (`A` 0, `A::B` 1)."""
    return len(name.split(SEP)) - 1


# ---------------------------------------------------------------------- finding a deck typed
class UnknownDeck(DeckNameError):
    """A deck name typed that names no deck there is (the message names the closest ones)."""


@lru_cache(maxsize=4096)
def folded(name: str) -> str:
    """The name's key when names are compared: normalised as typed names are, then casefolded
    (`Math :: Algebra`, stored before names were normalised, is `math::algebra`, as `math::Algebra`
    typed is). A name of nothing ('::', stored by hand) is only casefolded."""
    try:
        return normalize(name).casefold()
    except DeckNameError:
        return name.casefold()


def within_folded(deck: str, key: str) -> bool:
    """`deck` is the deck whose `folded` key is `key`, or one of its subdecks, ignoring case and
    how the stored name was spelt before names were normalised."""
    return within(folded(deck), key)


def find(typed: str, known: Iterable[str]) -> str | None:
    """The deck `typed` names among `known` (and the parents their names imply), as stored:
    matched by `folded` keys, ignoring case as Anki's deck names are (`paper` finds `Paper`) and
    a stored name's old spelling (`Math::Algebra` finds `Math :: Algebra`); the exact spelling
    first, then the normalised one, when several share a key. None when it names none."""
    names = set(known)
    names |= {p for name in names for p in parents(name)}
    if typed in names:
        return typed
    key = folded(typed)
    found = sorted(name for name in names if folded(name) == key)
    if not found:
        return None
    spelt = [name for name in found if name.casefold() == typed.casefold()]
    return (spelt or found)[0]


def unknown(typed: str, known: Iterable[str], *, yet: bool = False) -> UnknownDeck:
    """The error for a deck typed that is not there, naming the closest names (difflib); `yet`:
    said of a deck about to be made."""
    from difflib import get_close_matches

    names = set(known)
    names |= {p for name in names for p in parents(name)}
    by_fold: dict[str, str] = {}
    for name in sorted(names):
        by_fold.setdefault(name.casefold(), name)
    close = get_close_matches(typed.casefold(), sorted(by_fold), n=3, cutoff=0.6)
    if close:
        hint = f" (did you mean {' or '.join(repr(by_fold[c]) for c in close)}?)"
    elif yet:  # to be made: the close names only
        hint = ""
    elif names:
        pool = sorted(n for n in names if SEP not in n) or sorted(names)  # the top decks
        more = ", …" if len(pool) > 5 else ""
        hint = f" (decks: {', '.join(repr(n) for n in pool[:5])}{more})"
    else:
        hint = " (there is no deck at all)"
    return UnknownDeck(f"there is no deck {typed!r}{' yet' if yet else ''}{hint}")


def resolve(typed: str, known: Iterable[str]) -> str:
    """The stored name of the deck `typed` (normalised, then matched ignoring case); UnknownDeck
    naming the closest names when there is none, DeckNameError for a name of nothing."""
    names = list(known)
    name = normalize(typed)
    found = find(name, names)
    if found is None:
        raise unknown(name, names)
    return found
