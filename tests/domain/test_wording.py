"""One plural rule for every count shown to a person (bug 15: "1 minutes", "1 cards")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskwork.domain.wording import excerpt, plural, whole_parts

SRC = Path(__file__).resolve().parents[2] / "src" / "deskwork"


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "card", "1 card"),
        (0, "card", "0 cards"),
        (2, "minute", "2 minutes"),
        (1, "interruption", "1 interruption"),
        (1, "day", "1 day"),
        (3, "day", "3 days"),
        (2, "query", "2 queries"),
        (2, "box", "2 boxes"),
        (1.0, "week", "1 week"),
        (1.5, "week", "1.5 weeks"),
        (2, "person", "2 people"),
    ],
)
def test_plural(count: float, noun: str, expected: str) -> None:
    many = "people" if noun == "person" else None
    assert plural(count, noun, many) == expected


# A count put straight before a plural noun in an f-string: "{n} cards". Every such string must
# go through plural() instead.
_BARE_COUNT = re.compile(
    r"\{[^{}]*\} (minutes|items|cards|interruptions|days|notes|drafts|words|sessions|pomodoros"
    r"|reviews|answers|weeks|papers|queries|records|backups|transactions|points)\b"
)
# Counts that are never 1 in practice or not counts at all (a figure with decimals).
_ALLOWED = (
    "{limits.max_notes}",
    "{hours:.1f}",
    "{report.planned_points:.2f}",
    "{points:.2f}",
    ":.0f} minutes",
)


def test_no_count_string_bypasses_the_plural_helper() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in _BARE_COUNT.finditer(line):
                if not any(a in match.group(0) for a in _ALLOWED):
                    offenders.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)}")
    assert offenders == []


def test_a_validation_error_is_one_sentence_naming_the_field() -> None:
    from pydantic import BaseModel, Field, ValidationError

    from deskwork.domain.wording import error_sentence, human_error

    class Form(BaseModel):
        title: str = Field(min_length=1)
        units_done: int = Field(default=0, ge=0)
        hours: float = 1.0

    def sentence(**values: object) -> str:
        with pytest.raises(ValidationError) as caught:
            Form.model_validate(values)
        return human_error(caught.value, {"hours": "Hours a day"})

    assert sentence() == "Title is required."
    assert sentence(title="") == "Title cannot be empty."
    assert sentence(title="x", units_done=-2) == "Units done must be 0 or more (got -2)."
    assert (
        sentence(title="x", units_done="many") == "Units done must be a whole number (got 'many')."
    )
    assert sentence(title="x", hours="lots") == "Hours a day must be a number (got 'lots')."
    assert error_sentence(ValueError("the front is empty")) == "The front is empty"


def test_excerpt_keeps_a_cloze_blank_that_lies_beyond_the_cut() -> None:
    long = (
        "The derivative of the loss with respect to the weights is computed by applying the "
        "[...] backwards through the network, layer by layer."
    )
    shown = excerpt(long, 80)
    assert len(shown) == 80 and "[...]" in shown and shown[0] == shown[-1] == "\u2026"
    assert excerpt("What is   backprop?\nIt is", 80) == "What is backprop? It is"
    cut = excerpt("word " * 40, 30)
    assert len(cut) <= 30 and cut.endswith("\u2026") and "[" not in cut
    sentences = "First one here. Second one, which goes on. Then the [...] shows here, in this one."
    assert excerpt(sentences, 50).startswith("\u2026Then the [...]")


@given(st.text(alphabet="ab .?[]\n", max_size=200), st.integers(min_value=12, max_value=100))
def test_excerpt_is_never_longer_than_its_limit_and_keeps_a_blank(text: str, limit: int) -> None:
    shown = excerpt(text, limit)
    assert len(shown) <= limit
    line = " ".join(text.split())
    if len(line) <= limit:
        assert shown == line
    elif "[...]" in line:
        assert "[...]" in shown


@given(st.lists(st.floats(min_value=0, max_value=600, allow_nan=False), max_size=8))
def test_whole_parts_add_up_to_their_sum_rounded(parts: list[float]) -> None:
    shown = whole_parts(parts)
    assert sum(shown) == round(sum(parts))
    assert all(abs(s - p) < 1 for s, p in zip(shown, parts, strict=True))


def test_whole_parts_of_a_focus_day() -> None:
    assert whole_parts([25.6, 4.8]) == [25, 5]  # not 26 + 5 under a total of 30
