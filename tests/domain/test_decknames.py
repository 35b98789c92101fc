"""Deck names as Anki's rslib normalises them (rslib/src/decks/name.rs, its own tests copied
here), a name of empty parts refused, and the deck trees (the deck list's counts, the review
queue's limits) built on any stored name whatever: `::Lead`, `A::::B`, `::`, `A::` once recursed
without end."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain import decknames
from deskwork.domain import reviewqueue as rq
from deskwork.domain.decklimits import deck_counts
from deskwork.domain.decknames import DeckNameError, normalize
from deskwork.domain.presets import DeckOptions, Preset, Presets
from tests.helpers import T0, make_card

DAY_END = T0 + timedelta(hours=18)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("foo", "foo"),
        ("foo::bar", "foo::bar"),
        ("foo::::baz", "foo::blank::baz"),  # Anki's from_human tests, from here
        ("fo\x1fo::ba\nr", "foo::bar"),
        ("foo:::bar", "foo::bar"),
        ("foo:::bar:baz: ", "foo::bar:baz"),
        ("::Lead", "blank::Lead"),
        ("A::", "A::blank"),
        ("  Math  ::  Linear algebra ", "Math::Linear algebra"),
        ("Cafe\u0301", "Café"),  # NFC
        ("::a::", "blank::a::blank"),
    ],
)
def test_a_name_is_normalised_as_anki_does(typed: str, stored: str) -> None:
    assert normalize(typed) == stored
    assert normalize(stored) == stored, "normalising twice changes nothing"


@pytest.mark.parametrize("typed", ["", "   ", "::", ":: ::", "::::", "\x1f", " : "])
def test_a_name_of_nothing_is_refused_with_a_message(typed: str) -> None:
    with pytest.raises(DeckNameError, match="names no deck"):
        normalize(typed)
    assert decknames.normalize_or(typed) == "Default"


def test_parents_and_leaf() -> None:
    assert decknames.parent("A::B::C") == "A::B"
    assert decknames.parent("A") is None
    assert decknames.parent("::") == ""
    assert decknames.parents("A::B::C") == ["A", "A::B"]
    assert decknames.leaf("A::B") == "B"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_normalised_name_is_stable(typed: str) -> None:
    try:
        stored = normalize(typed)
    except DeckNameError:
        return
    assert normalize(stored) == stored
    assert all(stored.split("::")), "no part is empty"


ODD = ["::Lead", "A::::B", "::", "A::", "", ":::", "::A::::", "Default", "A", "A::B"]
names = st.one_of(st.sampled_from(ODD), st.text(alphabet=": aB\x1f", max_size=12), st.text())


def _cards(decks: list[str]) -> list:  # type: ignore[type-arg]
    return [make_card(f"c{n}", id=n + 1, deck=deck) for n, deck in enumerate(decks)]


@pytest.mark.parametrize(
    "deck", ["::Lead", "A::::B", "::", "A::", "", pytest.param("a::" * 3000, id="3000 parts")]
)
def test_the_deck_list_and_the_queue_take_an_odd_stored_name(deck: str) -> None:
    cards = _cards([deck, deck, "Default"])
    rows = deck_counts(cards, T0, DAY_END, Presets(Preset(name="Default"), [], []), {})
    assert deck in [r.deck for r in rows]
    assert sum(r.cards for r in rows if decknames.parent(r.deck) is None) == 3
    queue = rq.build(cards, T0, DAY_END, Presets(Preset(name="Default"), [], []), {}, "")
    assert len(queue.new) == 3
    studied = rq.build(cards, T0, DAY_END, Presets(Preset(name="Default"), [], []), {}, deck)
    assert len(studied.new) >= 2


@settings(max_examples=200, deadline=None)
@given(st.lists(names, max_size=8), st.integers(0, 3), names)
def test_building_the_trees_never_raises_for_any_names(
    decks: list[str], limit: int, studied: str
) -> None:
    """Any stored names, any limits (reached ones cap the subdecks), any deck studied: the deck
    list has a row per deck and its parents, each top row counting its subtree's cards."""
    chosen = sorted(set(decks) - {""})[:2]
    presets = Presets(
        Preset(name="Default", new_per_day=limit),
        [Preset(id=1, name="p", new_per_day=limit, reviews_per_day=limit)],
        [DeckOptions(deck=deck, preset_id=1) for deck in chosen],
    )
    cards = _cards(decks)
    rows = deck_counts(cards, T0, DAY_END, presets, {})
    shown = [r.deck for r in rows]
    assert set(decks) <= set(shown)
    assert sum(r.cards for r in rows if decknames.parent(r.deck) is None) == len(cards)
    for deck in [*shown, studied, ""]:
        rq.build(cards, T0, DAY_END, presets, {}, deck)


def test_the_configs_default_deck_is_read_as_anki_reads_it(tmp_path: Path) -> None:
    from deskwork.config import load_config

    path = tmp_path / "config.toml"
    path.write_text('[cards]\ndefault_deck = "::Inbox"\n', encoding="utf-8")
    config, problems = load_config(path)
    assert problems == [] and config.cards.default_deck == "blank::Inbox"
    path.write_text('[cards]\ndefault_deck = " :: "\n', encoding="utf-8")
    config, problems = load_config(path)
    assert config.cards.default_deck == "Default", "the default stays"
    assert "cards.default_deck" in "\n".join(problems) and "names no deck" in "\n".join(problems)
