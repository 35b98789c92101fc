"""Where a citation goes: its own text, never glued onto the Markdown around it (bug 11)."""

from __future__ import annotations

import pytest

from deskwork.domain.drafts import citation_text

LINK = "[MIT 18.06](https://ocw.mit.edu/18.06)"


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("# Why the SVD", 0, f"{LINK}\n\n"),  # before a heading: a paragraph of its own
        ("- a list item", 0, f"{LINK}\n\n"),
        ("> a quote", 0, f"{LINK}\n\n"),
        ("", 0, LINK),
        ("See", 3, f" {LINK}"),
        ("See ", 4, LINK),
        ("See it here", 4, f"{LINK} "),
        ("end of sentence.", 15, f" {LINK}"),
        ("a (", 3, LINK),
        ("word", 2, f" {LINK} "),
        ("Plain text", 0, f"{LINK} "),
    ],
)
def test_citation_text(line: str, column: int, expected: str) -> None:
    assert citation_text(line, column, LINK) == expected
