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


# Around the asked deletion in an answer, for a UI to highlight it (private-use characters, removed
# from the text first so a card cannot fake them).
MARK_START, MARK_END = "\ue000", "\ue001"


def answer(text: str, number: int, marks: tuple[str, str] = ("[[", "]]")) -> str:
    """The text with every deletion shown; the asked ones marked [[like this]] (or `marks`)."""
    if marks != ("[[", "]]"):
        text = text.replace(MARK_START, "").replace(MARK_END, "")

    def show(m: re.Match[str]) -> str:
        return f"{marks[0]}{m.group(2)}{marks[1]}" if int(m.group(1)) == number else m.group(2)

    return CLOZE.sub(show, text)


def marked_runs(text: str) -> list[tuple[str, bool]]:
    """A text with MARK_START…MARK_END as (run, marked) pieces, in order (empty runs left out)."""
    runs: list[tuple[str, bool]] = []
    for n, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", text)):
        if piece:
            runs.append((piece, n % 2 == 1))
    return runs
