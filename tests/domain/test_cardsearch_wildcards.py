"""Wildcard search (`*` any run, `_` one character) matched without backtracking
(domain/wildcards.py): the same answers as the regular expression it replaces (`glob_re`, one
`.*` per `*`) on short random texts, and the right answer, in time, on patterns that made that
expression backtrack for seconds to hours (`*a*a*a*a*a*a*a*a*b` over one card of 30 characters:
0.9 s, six times that for each 5 more; `*e*e*e*e*e*e*e*e*q` over 20,000 cards of prose: about an
hour, the UI frozen). These tests ran for minutes on that expression; here they must finish."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain.cardsearch import search
from deskwork.domain.search_tokens import glob_re
from deskwork.domain.wildcards import NO_SPACE, Wildcards
from tests.helpers import T0, make_card

FLAGS = re.IGNORECASE | re.DOTALL
TEXT = st.text(alphabet="abAB:_* \x1fß", max_size=10)
PATTERN = st.lists(
    st.sampled_from(["a", "b", "A", "*", "**", "_", "\\*", "\\_", "\\\\", ":", " ", "ß"]),
    max_size=7,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(PATTERN, TEXT)
def test_whole_text_matches_as_the_regular_expression_did(pattern: str, text: str) -> None:
    expected = re.fullmatch(glob_re(pattern), text, FLAGS) is not None
    assert Wildcards(pattern).fullmatch(text) is expected


@settings(max_examples=400, deadline=None)
@given(PATTERN, TEXT)
def test_text_holding_a_match_as_the_regular_expression_did(pattern: str, text: str) -> None:
    expected = re.search(glob_re(pattern), text, FLAGS) is not None
    assert Wildcards(pattern).search(text) is expected


@settings(max_examples=400, deadline=None)
@given(PATTERN, TEXT)
def test_a_path_or_its_ancestor_as_the_regular_expression_did(pattern: str, text: str) -> None:
    """Decks (`glob(?:$|::)` matched at the start) and tags (`*`: no spaces)."""
    deck = re.match(f"{glob_re(pattern)}(?:$|::)", text, FLAGS) is not None
    tag = re.fullmatch(glob_re(pattern, NO_SPACE) + "(?:::.*)?", text, FLAGS) is not None
    assert Wildcards(pattern).fullmatch_path(text) is deck
    assert Wildcards(pattern, NO_SPACE).fullmatch_path(text) is tag


def test_many_stars_over_a_card_that_almost_matches() -> None:
    card = make_card("a" * 80, back="")
    assert search([card], "*a*a*a*a*a*a*a*a*b", T0) == []
    assert search([card], "*a*a*a*a*a*a*a*a*", T0) == [card]


def test_a_field_search_with_many_stars() -> None:
    card = make_card("a" * 80, back="")
    assert search([card], "front:*a*a*a*a*a*a*a*a*b*", T0) == []
    assert search([card], "front:a*a*a*a*a*a*a*a*a", T0) == [card]


def test_many_stars_over_cards_of_prose() -> None:
    prose = (
        "The retrieval practice effect: recalling an answer strengthens the memory more than "
        "re-reading it, and spacing the recalls over increasing intervals keeps the effort "
    )
    cards = [
        make_card(prose[: 60 + n % 40], back=prose[n % 50 : n % 50 + 100], id=n + 1)
        for n in range(200)
    ]
    assert search(cards, "*e*e*e*e*e*e*e*e*q", T0) == []
    assert search(cards, "e*e*e*e*e*e*q", T0) == []
    assert len(search(cards, "*e*e*e*e*e*e*e*e*", T0)) == 200


def test_many_stars_in_a_deck_tag_and_note_type_name() -> None:
    card = make_card("x", deck="a" * 80, tags=["a" * 80])
    assert search([card], "deck:*a*a*a*a*a*a*a*a*b", T0) == []
    assert search([card], "tag:*a*a*a*a*a*a*a*a*b", T0) == []
    assert search([card], "deck:*a*a*a*a*a*a*a*a*", T0) == [card]
    assert search([card], "tag:*a*a*a*a*a*a*a*a*", T0) == [card]


def test_a_deck_name_is_compared_casefolded_as_decks_are_found() -> None:
    card = make_card("x", deck="Straße::Verkehr")
    assert search([card], "deck:strasse", T0) == [card]
    assert search([card], "deck:STRASSE::verkehr", T0) == [card]
    assert search([card], "deck:stras*", T0) == [card]
