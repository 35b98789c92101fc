"""Cloze deletions: `{{c1::text}}` and `{{c1::text::hint}}`; one card per cN number, deletions sharing
a number go on the same card."""

from __future__ import annotations

import re

CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


def numbers(text: str) -> list[int]:
    """The cloze numbers in `text`, sorted, each once (c0 is not a cloze)."""
    return sorted({int(m.group(1)) for m in CLOZE.finditer(text)} - {0})


def question(text: str, number: int) -> str:
    """The text with deletion `number` hidden as [...] (or [hint]); the others shown."""

    def hide(m: re.Match[str]) -> str:
        if int(m.group(1)) == number:
            return f"[{m.group(3)}]" if m.group(3) else "[...]"
        return m.group(2)

    return CLOZE.sub(hide, text)


def answer(text: str, number: int) -> str:
    """The text with every deletion shown; the asked ones marked [[like this]]."""

    def show(m: re.Match[str]) -> str:
        return f"[[{m.group(2)}]]" if int(m.group(1)) == number else m.group(2)

    return CLOZE.sub(show, text)
