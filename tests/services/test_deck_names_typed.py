"""A deck name typed reaches the deck there is: a deck stored before names were normalised
(`Math :: Algebra`, as older versions stored what was typed) by its own name and by the
normalised one, and a name typed in another case (`ml` beside `ML`) goes into the existing deck,
as Anki matches deck names, instead of making a second deck that differs only in case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deskwork.domain import decknames
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import presets as ps
from deskwork.services.anki import export_file
from deskwork.services.notes import add_note, edit_note
from tests.helpers import T0, Clock, make_card

LEGACY = "Math :: Algebra"  # stored before names were normalised
MakeDesk = Callable[[list[str]], Desk]


@pytest.fixture
def make_desk(tmp_path: Path) -> Iterator[MakeDesk]:
    opened: list[Desk] = []

    def make(decks: list[str]) -> Desk:
        desk = Desk.open(Paths(tmp_path, tmp_path), clock=Clock(T0))
        opened.append(desk)
        with desk.store.transaction() as tx:
            for n, deck in enumerate(decks, start=1):
                tx.put("cards", make_card(f"card {n}", id=n, deck=deck, note_guid=f"g{n}"))
        return desk

    yield make
    for desk in opened:
        desk.close()


def test_find_matches_a_stored_name_by_its_normalised_form() -> None:
    assert decknames.find("Math::Algebra", [LEGACY]) == LEGACY
    assert decknames.find("math::ALGEBRA", [LEGACY]) == LEGACY
    assert decknames.find(LEGACY, [LEGACY, "Math::Algebra"]) == LEGACY  # exact spelling first
    assert decknames.find("Math::Algebra", [LEGACY, "Math::Algebra"]) == "Math::Algebra"
    assert decknames.resolve(LEGACY, [LEGACY]) == LEGACY


@pytest.mark.parametrize("typed", [LEGACY, "Math::Algebra", "math :: algebra"])
def test_limits_set_on_a_legacy_deck_land_on_that_deck(make_desk: MakeDesk, typed: str) -> None:
    """The deck list's `l` passes the row's stored name: the limits are stored for it, not for a
    deck "Math::Algebra" that is not there."""
    desk = make_desk([LEGACY])
    option = ps.set_deck_limits(desk, typed, new_limit=0)
    assert option.deck == LEGACY
    assert ps.unknown_deck(desk, typed) is None


def test_a_preset_assigned_to_a_legacy_deck_lands_on_that_deck(make_desk: MakeDesk) -> None:
    desk = make_desk([LEGACY])
    ps.add(desk, "Slow")
    assert ps.assign(desk, LEGACY, "Slow") == [LEGACY]


@pytest.mark.parametrize("typed", [LEGACY, "Math::Algebra", "math::algebra"])
def test_a_legacy_deck_is_exported_by_its_own_name(
    make_desk: MakeDesk, tmp_path: Path, typed: str
) -> None:
    desk = make_desk([LEGACY, "Other"])
    _notes, cards = export_file(desk, tmp_path / "out.txt", typed)
    assert cards == 1


def test_a_card_added_into_a_deck_typed_in_another_case_goes_into_that_deck(
    make_desk: MakeDesk,
) -> None:
    desk = make_desk(["ML"])
    added = add_note(desk, "basic", ["q", "a"], "ml", [])
    assert added[0].deck == "ML"
    added = add_note(desk, "basic", ["q", "a"], "math::algebra", [])
    assert added[0].deck == "math::algebra"  # a new deck: as typed (normalised)


def test_a_card_moved_by_its_edit_into_a_deck_typed_in_another_case_goes_into_that_deck(
    make_desk: MakeDesk,
) -> None:
    desk = make_desk(["ML", "Other"])
    card = next(c for c in desk.store.cards.all() if c.deck == "Other")
    edit_note(desk, card, list(card.fields), "ml", [])
    assert [c.deck for c in desk.store.cards.all() if c.id == card.id] == ["ML"]


def test_a_text_file_s_deck_in_another_case_is_imported_into_the_deck_there(
    make_desk: MakeDesk, tmp_path: Path
) -> None:
    """A text file's `#deck:` header (and a package's deck names) in another case than a deck
    here: its cards go into the deck here, as Anki's import puts them; no deck is made."""
    from deskwork.services.anki import import_file

    desk = make_desk(["ML", LEGACY])
    source = tmp_path / "ml.txt"
    source.write_text("#separator:tab\n#deck:ml\nAdam\tan optimiser\n", encoding="utf-8")
    report = import_file(desk, source)
    assert report.decks_created == [] and list(report.decks) == ["ML"]
    source.write_text("#separator:tab\n#deck:math::algebra\nSGD\ta step\n", encoding="utf-8")
    assert list(import_file(desk, source).decks) == [LEGACY]
    assert sorted({c.deck for c in desk.store.cards.all()}) == sorted(["ML", LEGACY])
