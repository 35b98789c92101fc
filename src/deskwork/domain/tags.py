"""Tags, one rule everywhere they are typed (curriculum items, cards, post metadata): separated by
commas or semicolons — or, when the text has neither, by spaces. Shown separated by ", ".

Inside a card tag a space becomes "_" (Anki's tags cannot hold spaces); items and posts keep
multi-word tags ("Deep Learning"). A leading "#" is dropped; repeats are kept once, in order.
"""

from __future__ import annotations

import re

_HARD = re.compile(r"[,;]")
HINT = "separated by commas (or ; or spaces)"


def parse_tags(text: str, *, spaces_inside: bool = True) -> list[str]:
    """The tags in `text`. `spaces_inside=False` (cards): "machine learning" is one tag written
    machine_learning when commas separate, two tags when spaces do."""
    return _clean(_pieces(text, bool(_HARD.search(text))), spaces_inside)


def _pieces(text: str, hard: bool) -> list[str]:
    return _HARD.split(text) if hard else text.split()


def _clean(pieces: list[str], spaces_inside: bool, tags: list[str] | None = None) -> list[str]:
    tags = [] if tags is None else tags
    for piece in pieces:
        tag = " ".join(piece.split()).lstrip("#").strip()
        if not spaces_inside:
            tag = tag.replace(" ", "_")
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def paste_tags(before: str, text: str, after: str, *, spaces_inside: bool = True) -> list[str]:
    """A field's tags once `text` (several lines) is pasted between `before` and `after`: the
    field's own text is read as one (its rule from all of it, a tag the cursor stands in kept
    whole) and the pasted tags go in after the tags before the cursor, or after the tag the
    cursor stands in. In the pasted text a line break separates tags as a comma does, so, as
    after a comma, the spaces inside a line stay inside its tag: a list copied one tag a line
    ("machine learning" / "deep learning") keeps each tag whole."""
    field = before + after
    hard = bool(_HARD.search(field))
    whole = _pieces(field, hard)
    head = _pieces(before, hard)
    cut = len(head)
    if hard and head and not head[-1].strip():  # the cursor just after a separator
        cut -= 1
    tags = _clean(whole[:cut], spaces_inside)
    tags = _clean(_pieces(",".join(text.splitlines()), True), spaces_inside, tags)
    return _clean(whole[cut:], spaces_inside, tags)


def format_tags(tags: list[str]) -> str:
    """Tags as the forms show them; parse_tags(format_tags(t)) == t (a lone multi-word tag keeps a
    trailing comma so it is not read as several)."""
    text = ", ".join(tags)
    return text + "," if len(tags) == 1 and " " in tags[0] else text
