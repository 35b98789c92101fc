"""Deck names at the command line, as Anki takes them: matched ignoring case (`--deck paper` is
the deck `Paper`), normalised when new (`A::::B` is `A::blank::B`), a name of nothing refused, and
a deck there is not named with the closest ones, exit 1, nothing written (it exported an empty
package and said all was well)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deskwork.store.store import Store
from tests.helpers import make_card
from tests.test_cli import run


@pytest.fixture
def home() -> Path:
    home = Path(os.environ["DESKWORK_HOME"])
    store = Store.open(home)
    with store.transaction() as tx:
        tx.put("cards", make_card("attention", id=1, deck="Paper::Transformers"))
        tx.put("cards", make_card("a verb", id=2, deck="Lang"))
    store.close()
    return home


def _decks(home: Path) -> dict[int, str]:
    store = Store.open(home)
    try:
        return {c.id: c.deck for c in store.cards.all()}
    finally:
        store.close()


def test_export_takes_a_deck_ignoring_case_and_refuses_an_unknown_one(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "cards", "export", str(tmp_path / "p.txt"), "--deck", "paper")
    assert code == 0 and "1 card" in out, out
    assert "attention" in (tmp_path / "p.txt").read_text(encoding="utf-8")
    code, out, _ = run(
        capsys, "cards", "export", str(tmp_path / "t.txt"), "--deck", "PAPER::transformers"
    )
    assert code == 0 and "1 card" in out, out
    code, out, err = run(capsys, "cards", "export", str(tmp_path / "x.apkg"), "--deck", "papr")
    assert code != 0 and out == ""
    assert "there is no deck 'papr' (did you mean 'Paper'?)" in err, err
    assert not (tmp_path / "x.apkg").exists()


def test_import_puts_cards_in_the_deck_there_or_a_normalised_new_one(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "cards.txt"
    source.write_text("#separator:tab\nfront one\tback one\n", encoding="utf-8")
    code, _, err = run(capsys, "cards", "import", str(source), "--deck", "lang")
    assert code == 0, err
    assert sorted(_decks(home).values()) == ["Lang", "Lang", "Paper::Transformers"]
    source.write_text("#separator:tab\nfront two\tback two\n", encoding="utf-8")
    code, _, err = run(capsys, "cards", "import", str(source), "--deck", " New::::Deck: ")
    assert code == 0, err
    assert "New::blank::Deck" in _decks(home).values()
    before = _decks(home)
    source.write_text("#separator:tab\nfront three\tback three\n", encoding="utf-8")
    code, _, err = run(capsys, "cards", "import", str(source), "--deck", "::")
    assert code != 0 and "names no deck" in err, err
    assert _decks(home) == before, "nothing imported"


def test_a_files_own_deck_is_normalised(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "cards.txt"
    source.write_text("#separator:tab\n#deck:::Lead\nfront one\tback one\n", encoding="utf-8")
    code, _, err = run(capsys, "cards", "import", str(source))
    assert code == 0, err
    assert "blank::Lead" in _decks(home).values()


def test_presets_take_a_deck_ignoring_case(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "cards", "presets", "add", "light")
    assert code == 0, err
    code, out, err = run(capsys, "cards", "presets", "use", "LANG", "light")
    assert code == 0 and out.startswith("Lang now uses 'light'"), (out, err)
    code, out, err = run(capsys, "cards", "presets", "limits", "paper", "--new", "3")
    assert code == 0 and out.startswith("Paper: own limits saved"), (out, err)
    code, out, err = run(capsys, "cards", "presets", "use", "Lagn", "light")
    assert code == 0 and "there is no deck 'Lagn' yet (did you mean 'Lang'?)" in out, out


def test_presets_refuse_a_deck_of_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "cards", "presets", "use", " :: ", "Default")
    assert code != 0 and "names no deck" in err, (out, err)
    code, out, err = run(capsys, "cards", "presets", "limits", "::", "--new", "3")
    assert code != 0 and "names no deck" in err, (out, err)
