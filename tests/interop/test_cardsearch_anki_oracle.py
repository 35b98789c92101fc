"""The card search against the real Anki: a collection built with Anki, imported into deskwork,
searched with the same query on both sides, finds the same cards — escapes (`\\"`, `\\\\`, `\\*`,
`\\_`, `\\:`, `\\(`), field searches (`front:*net*`), wildcards anywhere in words and in deck, tag
and note type names; a query Anki refuses (an unknown escape, a missing key) deskwork refuses
too, with a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.errors import SearchError

from deskwork.cli import main
from tests.anki_rich import export

NOTES = [  # (note type, deck, fields, tags)
    ("Basic", "Net::Physics", ["the internet", "regression"], ["ml::nlp"]),
    ("Basic", "Math", ["a*b", "x_y"], ["linear-algebra"]),
    ("Basic", "Math::Proofs", ['say "hi"', "back\\slash"], []),
    ("Basic", "Mathnet", ["axb", "xzy"], ["regularisation"]),
    ("Basic", "Math", ["ratio", "a:b (c)"], ["nlp"]),
    ("Basic (and reversed card)", "Lang", ["chat", "cat"], ["fr"]),
    ("Vocab", "Lang", ["chien", "dog"], ["fr"]),
    ("Basic", "Lang", ["this or that", "and"], []),
]
QUERIES = [
    "*net", "re*ion", "front:*inter*", "FRONT:THE*", "front:the", 'front:"the internet"',
    '"front:the internet"', "front:a_b", "front:a\\_b", "back:back\\\\slash", "back:*slash",
    "back:_*", "back:", "b*:x_y", "*:regression", "-front:*net", "a\\*b", "x\\_y", "a*b", "x_y",
    '"say \\"hi\\""', "back\\\\slash", "deck:*net", "deck:math", "deck:ma_h", "deck:*::proofs",
    "deck:*", "tag:*nlp", "tag:re*ion", "tag:ml", "tag:none", "tag:fr", "note:Bas_c",
    "note:*reversed*", "word:ch*", "meaning:DOG", "back:a\\:b*", "a\\:b", "\\(c\\)",
    "back:*\\(c\\)", "-\\-x", '"-regression"', "front:c*t", "card:2", "(front:chat or word:chien)",
    "tag:nlp", "deck:math*", "note:basic", "tag:*", "-tag:*", "front:*", "re*ion or chat",
    "deck:lang -card:1", "tag:*::nlp", "tag:linear_algebra", '"or"', 'this "or" that', '"and"',
    "*t*h*a*t", "t*h*i*s*o*r", "deck:l_n_",
]  # fmt: skip
REFUSED = ["a\\d", ":x", "front:\\y", '"open', "deck:ml\\", '"a\\d"']


# The module-scoped collection is built once: its tests run on one xdist worker.
pytestmark = pytest.mark.xdist_group("test_cardsearch_anki_oracle")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(Anki's collection, deskwork's data dir holding its import)."""
    folder = tmp_path_factory.mktemp("search-oracle")
    col = Collection(str(folder / "oracle.anki2"))
    try:
        mm = col.models
        vocab = mm.new("Vocab")
        for name in ("Word", "Meaning"):
            mm.add_field(vocab, mm.new_field(name))
        template = mm.new_template("Card 1")
        template["qfmt"], template["afmt"] = "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"
        mm.add_template(vocab, template)
        mm.add(vocab)
        for kind, deck, fields, tags in NOTES:
            note = col.new_note(mm.by_name(kind))  # type: ignore[arg-type]
            for n, value in enumerate(fields):
                note.fields[n] = value
            note.tags = tags
            col.add_note(note, col.decks.id(deck))  # type: ignore[arg-type]
    finally:
        col.close()
    package = export(folder / "oracle.anki2", folder / "oracle.apkg", legacy=False)
    home = folder / "home"
    assert main(["--data-dir", str(home), "cards", "import", str(package)]) == 0
    return folder / "oracle.anki2", home


def _anki(collection: Path, query: str) -> set[tuple[str, int]]:
    col = Collection(str(collection))
    try:
        return {(col.get_card(c).note().guid, col.get_card(c).ord) for c in col.find_cards(query)}
    finally:
        col.close()


def _deskwork(home: Path, query: str, capsys: pytest.CaptureFixture[str]) -> set[tuple[str, int]]:
    capsys.readouterr()
    code = main(["--data-dir", str(home), "cards", "list", "--json", "--", query])
    out, err = capsys.readouterr()
    assert code == 0, err
    return {(c["note_guid"], c["ord"]) for c in json.loads(out)["cards"]}


@pytest.mark.parametrize("query", QUERIES)
def test_the_search_finds_what_anki_finds(
    imported: tuple[Path, Path], query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    collection, home = imported
    expected = _anki(collection, query)
    assert _deskwork(home, query, capsys) == expected


@pytest.mark.parametrize("query", REFUSED)
def test_what_anki_refuses_deskwork_refuses_with_a_message(
    imported: tuple[Path, Path], query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    collection, home = imported
    with pytest.raises(SearchError):
        _anki(collection, query)
    capsys.readouterr()
    code = main(["--data-dir", str(home), "cards", "list", "--", query])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and query.strip('"').split(":")[0] in err, err
