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


def depth(name: str) -> int:
    """How many parents the name has (`A` 0, `A::B` 1)."""
    return len(name.split(SEP)) - 1
