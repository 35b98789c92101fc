"""One plural rule for every count shown to a person (bug 15: "1 minutes", "1 cards")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deskwork.domain.wording import plural

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
