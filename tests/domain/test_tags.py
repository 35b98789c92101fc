"""One rule for tags wherever they are typed: commas or semicolons, or spaces when there are
neither; shown with ", " and read back the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskwork.domain.tags import format_tags, parse_tag_lines, parse_tags


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("nlp; transformers", ["nlp", "transformers"]),
        ("nlp, transformers", ["nlp", "transformers"]),
        ("nlp transformers", ["nlp", "transformers"]),
        ("Deep Learning, Learning;mathematics", ["Deep Learning", "Learning", "mathematics"]),
        ("#nlp, , nlp ,#cv", ["nlp", "cv"]),
        ("", []),
    ],
)
def test_every_separator_is_accepted(text: str, tags: list[str]) -> None:
    assert parse_tags(text) == tags


def test_card_tags_cannot_hold_spaces() -> None:
    assert parse_tags("machine learning, nlp", spaces_inside=False) == ["machine_learning", "nlp"]
    assert parse_tags("machine learning", spaces_inside=False) == ["machine", "learning"]


tag = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters=",;#"),
    min_size=1,
    max_size=12,
)
words = st.lists(tag, min_size=1, max_size=3).map(" ".join)


@given(st.lists(words, max_size=5, unique=True))
def test_what_a_form_shows_reads_back_the_same(tags: list[str]) -> None:
    assert parse_tags(format_tags(tags)) == tags


def test_a_line_break_separates_tags_as_a_comma_does_and_each_line_keeps_the_rule() -> None:
    text = "nlp\nmachine learning, papers\r\n#nlp  stanford\n\n"
    assert parse_tag_lines(text) == ["nlp", "machine learning", "papers", "stanford"]
    assert parse_tag_lines(text, spaces_inside=False) == [
        "nlp", "machine_learning", "papers", "stanford",
    ]  # fmt: skip
    assert parse_tag_lines("one line, two") == parse_tags("one line, two")
