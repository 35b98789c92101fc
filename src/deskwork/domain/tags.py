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
    pieces = _HARD.split(text) if _HARD.search(text) else text.split()
    tags: list[str] = []
    for piece in pieces:
        tag = " ".join(piece.split()).lstrip("#").strip()
        if not spaces_inside:
            tag = tag.replace(" ", "_")
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def parse_tag_lines(text: str, *, spaces_inside: bool = True) -> list[str]:
    """The tags in text of several lines (a paste): a line break separates tags as a comma does,
    and each line is read by `parse_tags`' rule (commas, or spaces when it has none)."""
    tags: list[str] = []
    for line in text.splitlines():
        tags.extend(t for t in parse_tags(line, spaces_inside=spaces_inside) if t not in tags)
    return tags


def format_tags(tags: list[str]) -> str:
    """Tags as the forms show them; parse_tags(format_tags(t)) == t (a lone multi-word tag keeps a
    trailing comma so it is not read as several)."""
    text = ", ".join(tags)
    return text + "," if len(tags) == 1 and " " in tags[0] else text
