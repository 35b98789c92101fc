"""One rule for tags wherever they are typed: commas or semicolons, or spaces when there are
neither; shown with ", " and read back the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskwork.domain.tags import format_tags, parse_tags, paste_tags


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


def test_a_line_break_separates_tags_as_a_comma_does() -> None:
    """As after a comma, the spaces inside a line stay inside its tag (a card's become "_")."""
    text = "nlp\nmachine learning, papers\r\n#nlp  stanford\n\n"
    assert paste_tags("", text, "") == ["nlp", "machine learning", "papers", "nlp stanford"]
    assert paste_tags("", text, "", spaces_inside=False) == [
        "nlp", "machine_learning", "papers", "nlp_stanford",
    ]  # fmt: skip


def test_tags_pasted_one_a_line_are_never_lost_or_merged() -> None:
    text = "machine learning\ndeep learning"
    assert paste_tags("", text, "") == ["machine learning", "deep learning"]
    assert paste_tags("", text, "", spaces_inside=False) == ["machine_learning", "deep_learning"]


@pytest.mark.parametrize(
    ("before", "after", "tags"),
    [
        ("fo", "o", ["foo", "a b", "c"]),  # in the middle of a tag: kept whole, the paste after
        ("nlp stan", "ford, cv", ["nlp stanford", "a b", "c", "cv"]),  # the field's rule: commas
        ("nlp stan", "ford cv", ["nlp", "stanford", "a b", "c", "cv"]),  # ... or spaces
        ("x, ", "y", ["x", "a b", "c", "y"]),  # just after a separator
        ("x ", "y", ["x", "a b", "c", "y"]),
        ("x", ", y", ["x", "a b", "c", "y"]),  # just before one
        ("c, x", "", ["c", "x", "a b"]),  # a repeat is kept once, where it came first
        ("", "", ["a b", "c"]),
    ],
)
def test_a_paste_keeps_the_fields_tags_whole_around_the_cursor(
    before: str, after: str, tags: list[str]
) -> None:
    assert paste_tags(before, "a b\nc", after) == tags


@given(st.lists(words, max_size=4, unique=True), st.lists(words, min_size=2, max_size=4))
def test_a_paste_of_one_tag_a_line_loses_and_merges_none(
    field: list[str], pasted: list[str]
) -> None:
    text = format_tags(field)
    for cut in range(len(text) + 1):
        got = paste_tags(text[:cut], "\n".join(pasted), text[cut:])
        assert set(got) == set(field) | set(pasted)
        assert len(got) == len(set(got))
