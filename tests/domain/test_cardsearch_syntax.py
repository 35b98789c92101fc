"""Anki's search syntax where the card search used to fall short: backslash escapes (`\\"` inside
quotes, `\\\\`, `\\*`, `\\_`, `\\:`), field searches (`front:*net*`: the whole field, `*` any run,
`_` one character, ignoring case) and wildcards anywhere in words and in deck, tag and note type
names, as rslib's search/parser.rs and sqlwriter.rs read them; what it cannot read is refused
with a message, never an empty result."""

from __future__ import annotations

import pytest

from deskwork.domain.cards import Card
from deskwork.domain.cardsearch import deck_of_query, search
from deskwork.domain.search_tokens import tokens
from tests.helpers import T0, make_card

CARDS: list[Card] = [
    make_card("the Internet", back="regression", id=1, deck="Net::Physics", tags=["ml::nlp"]),
    make_card("a*b", back="x_y", id=2, deck="Math", tags=["linear-algebra"]),
    make_card('say "hi"', back="back\\slash", id=3, deck="Math::Proofs", tags=[]),
    make_card("axb", back="xzy", id=4, deck="Mathnet", tags=["regularisation"]),
]
TYPES = {"basic": "Basic", "vocab": "Vocabulary (FR)"}
FIELDS = {"basic": ["Front", "Back"], "vocab": ["Word", "Meaning"]}


def ids(query: str) -> list[int]:
    found = search(CARDS, query, T0, type_names=TYPES, field_names=FIELDS)
    return [c.id for c in found]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"say \\"hi\\""', [3]),  # \" inside quotes is a quote, not the end of the term
        ("back\\\\slash", [3]),  # \\ is one backslash
        ("a\\*b", [2]),  # \* the star itself: not axb
        ("x\\_y", [2]),  # \_ the underscore itself: not xzy
        ("a*b", [2, 3, 4]),  # 3: "say" … "back", a star reaches across fields, as in Anki
        ("x_y", [2, 4]),
        ('"a\\*b" or xzy', [2, 4]),
        ("\\-regression", []),  # an escaped '-' is no negation: the text "-regression"
        ('"-regression"', []),  # nor is a quoted one
        ("-regression", [2, 3, 4]),
        ("\\(hi\\)", []),  # escaped parentheses are characters, not a group
    ],
)
def test_backslash_escapes_as_anki_reads_them(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("front:*inter*", [1]),
        ("FRONT:THE*", [1]),  # field name and text ignore case
        ("front:the", []),  # the whole field, not a part of it
        ("front:the internet", []),  # two terms: front:the and the word internet
        ('front:"the internet"', [1]),
        ('"front:the internet"', [1]),
        ("front:a_b", [2, 4]),
        ("front:a\\_b", []),
        ("back:back\\\\slash", [3]),
        ("back:*slash", [3]),
        ("back:_*", [1, 2, 3, 4]),  # a field that is not empty
        ("back:", []),  # an empty field
        ("b*:x?y", []),
        ("b*:x_y", [2, 4]),  # a wildcard in the field's name
        ("*:regression", [1]),  # any field
        ("-front:*net", [2, 3, 4]),
        ("front:*\\*b", [2]),
    ],
)
def test_field_search_matches_the_whole_field_with_wildcards(query: str, found: list[int]) -> None:
    assert ids(query) == found


def test_field_search_reads_each_note_types_own_fields() -> None:
    word = make_card("chat", back="cat", id=5, note_type="vocab")
    found = search([*CARDS, word], "word:ch*", T0, type_names=TYPES, field_names=FIELDS)
    assert [c.id for c in found] == [5]
    found = search([*CARDS, word], "meaning:cat", T0, type_names=TYPES, field_names=FIELDS)
    assert [c.id for c in found] == [5]  # Back holding "cat" on a Basic card is not Meaning


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("*net", [1]),
        ("re*ion", [1]),
        ("deck:*net", [1, 4]),  # wildcards anywhere; Net::Physics: a deck under Net
        ("deck:*sics", [1]),
        ("deck:math", [2, 3]),
        ("deck:ma_h", [2, 3]),
        ("deck:*::proofs", [3]),
        ("tag:*nlp", [1]),
        ("tag:re*ion", [4]),
        ("tag:ml", [1]),
        ("tag:*algebra", [2]),
        ("tag:none", [3]),
        ("note:*(FR)", []),
        ("note:Bas_c", [1, 2, 3, 4]),
        ("note:*asic", [1, 2, 3, 4]),
    ],
)
def test_wildcards_anywhere(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("nosuchfield:x", r"^nosuchfield:x: no note type has a field 'nosuchfield' \(fields: B"),
        ("http://example.org", r"no note type has a field 'http'.*'\\:' searches for a colon"),
        ("a\\d", r"^a\\d: \\d is not an escape the search knows"),
        ("deck:x\\y", r"^deck:x\\y: \\y is not an escape"),
        ("back\\", r"a '\\' escapes the character after it"),
        ("two\\ words", r"a '\\' escapes the character after it"),
        (":x", r"^:x: a ':' needs a name before it"),
        ("front:re:^a", r"re: .* is an Anki field search deskwork does not have"),
        ('"open \\"quote', r"a '\"' without its closing '\"'"),
    ],
)
def test_what_the_parser_cannot_read_is_refused_with_a_message(query: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        ids(query)


def test_words_keep_their_escapes_for_the_terms() -> None:
    assert tokens('front:"a \\"b\\"" (x\\)') == ['front:a \\"b\\"', tokens("(")[0], "x\\)"]


def test_a_deck_search_names_its_deck_unescaped() -> None:
    assert deck_of_query('deck:"Machine learning"') == "Machine learning"
    assert deck_of_query("deck:C\\+\\+") is None  # \+ is no escape: not a search at all
    assert deck_of_query("deck:a\\(b\\)") == "a(b)"
    assert deck_of_query("deck:ML*") is None and deck_of_query("deck:ML\\*") == "ML*"


def test_a_deck_search_with_an_underscore_wildcard_is_no_one_deck() -> None:
    """`deck:ML_` shows ML1 and ML2: an export of it is of the cards shown, not of a deck "ML_"."""
    cards = [make_card(id=1, deck="ML1"), make_card(id=2, deck="ML2")]
    assert len(search(cards, "deck:ML_", T0)) == 2
    assert deck_of_query("deck:ML_") is None
    assert deck_of_query("deck:ML\\_") == "ML_"


def test_a_quoted_or_and_is_a_word_not_the_operator() -> None:
    cards = [make_card("this or that", id=1), make_card("either", id=2), make_card("x", id=3)]
    assert [c.id for c in search(cards, '"or"', T0)] == [1]
    assert [c.id for c in search(cards, 'this "or" that', T0)] == [1]
    assert [c.id for c in search(cards, "either or x", T0)] == [2, 3]
    assert search(cards, '"and"', T0) == []  # a word to look for, not "'and' needs a term"


@pytest.mark.parametrize("query", ["(" * 340 + "big" + ")" * 340, "-(" * 250 + "big" + ")" * 250])
def test_groups_nested_too_deep_are_refused_with_a_message(query: str) -> None:
    with pytest.raises(ValueError, match="groups nested deeper than 100"):
        ids(query)


def test_groups_nested_as_deep_as_allowed_are_read() -> None:
    assert ids("(" * 100 + "internet" + ")" * 100) == [1]
    assert ids("-(" * 100 + "internet" + ")" * 100) == [1]
