"""A store an older deskwork wrote may hold deck names with empty parts (`::Lead`, `ML::::Ops`,
`ML::`); its full-collection export held a deck named '' (the parent of `::Lead`), whose options
refused the whole package on import ("1 validation error for DeckOptions deck String should have
at least 1 character"). Found by a study-morning trial: the package now imports, every deck named
as Anki's rslib names it (empty parts "blank")."""

from __future__ import annotations

from pathlib import Path

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import export_file, import_file
from tests.helpers import make_card


def test_an_export_of_legacy_deck_names_imports_again(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    desk = Desk.open(Paths(old, old))
    with desk.store.transaction() as tx:  # as an older build stored them
        for front, deck in (("lead", "::Lead"), ("ops", "ML::::Ops"), ("ml", "ML::")):
            tx.put("cards", make_card(front, deck=deck))
    package = tmp_path / "all.apkg"
    export_file(desk, package)
    desk.close()
    new = tmp_path / "new"
    new.mkdir()
    desk = Desk.open(Paths(new, new))
    try:
        import_file(desk, package)
        decks = {c.front: c.deck for c in desk.store.cards.all()}
    finally:
        desk.close()
    assert decks == {"lead": "blank::Lead", "ops": "ML::blank::Ops", "ml": "ML::blank"}
