"""Note-type names stay unambiguous after importing an Anki collection: Anki's stock types come in
as their own types (their ids go back to Anki on export), so where two types share a name — Anki's
"Basic" beside deskwork's "Basic" — the imported one keeps it (`note:Basic` finds the cards the
user knows as Basic in Anki) and deskwork's built-in one is listed and searched as
"Basic (deskwork)". A text export of those notes comes back onto the same notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from deskwork.cli import main
from deskwork.domain.notetypes import STOCK, CardTemplate, NoteTypeDef, display_names
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.notes import notetypes, type_names
from tests.anki_oracle import build_deck
from tests.helpers import Clock, make_card


def _imported(name: str, anki_id: int) -> NoteTypeDef:
    return NoteTypeDef(
        key=f"anki:{anki_id}",
        name=name,
        fields=["Front", "Back"],
        templates=[CardTemplate(name="Card 1", front="{{Front}}", back="{{Back}}")],
        anki_id=anki_id,
    )


def test_display_names_qualify_only_the_imported_namesakes() -> None:
    types = {
        **STOCK,
        **{
            t.key: t
            for t in (
                _imported("Basic", 11),
                _imported("Vocab", 12),
                _imported("cloze", 13),  # case aside, Cloze is taken
                _imported("Two", 14),
                _imported("Two", 15),  # two imported types of one name
                _imported("Basic (deskwork)", 16),  # literally the qualified name
            )
        },
    }
    names = display_names(types)
    assert names["basic"] == "Basic (deskwork)" and names["anki:11"] == "Basic"
    assert names["cloze"] == "Cloze (deskwork)" and names["anki:13"] == "cloze"  # case aside
    assert names["type-in"] == "Basic (type in the answer)", "no namesake: its own name"
    assert names["anki:12"] == "Vocab"
    assert (names["anki:14"], names["anki:15"]) == ("Two (Anki 14)", "Two (Anki 15)")
    assert names["anki:16"] == "Basic (deskwork) [anki:16]"
    assert len({n.casefold() for n in names.values()}) == len(names), names


@pytest.fixture
def collection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Anki's own collection (stock Basic, Basic and reversed, Cloze) imported into deskwork."""
    apkg = build_deck(tmp_path / "anki", legacy=False)
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "cards", "import", str(apkg)]) == 0
    capsys.readouterr()
    return home


def _fronts(capsys: pytest.CaptureFixture[str], home: Path, query: str) -> list[tuple[str, str]]:
    assert main(["--data-dir", str(home), "cards", "list", query, "--json"]) == 0
    cards = json.loads(capsys.readouterr().out)["cards"]
    assert all(c["note_type"] in {"Basic", "Basic (and reversed card)", "Cloze"} for c in cards)
    return sorted((c["question"], c["note_type_shown"]) for c in cards)


def test_after_importing_anki_s_stock_types_search_and_list_tell_them_apart(
    collection: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = collection
    desk = Desk.open(Paths(home, home))
    try:
        names = type_names(notetypes(desk))
        imported = [names[k] for k in names if k.startswith("anki:")]
        assert sorted(imported) == ["Basic", "Basic (and reversed card)", "Cloze"]
        assert (names["basic"], names["reversed"], names["cloze"]) == (
            "Basic (deskwork)",
            "Basic (and reversed card) (deskwork)",
            "Cloze (deskwork)",
        )
        assert len(set(names.values())) == len(names)
        with desk.store.transaction() as tx:  # a card of deskwork's own Basic beside them
            tx.put("cards", make_card("mine"))
    finally:
        desk.close()
    assert _fronts(capsys, home, "note:Basic") == [("What is attention?", "Basic")]
    assert _fronts(capsys, home, 'note:"Basic (deskwork)"') == [("mine", "Basic (deskwork)")]
    both = _fronts(capsys, home, "note:Basic*")
    assert {t for _, t in both} == {"Basic", "Basic (deskwork)", "Basic (and reversed card)"}


async def test_the_quick_capture_type_list_has_each_name_once(collection: Path) -> None:
    from deskwork.services import WELCOME_DONE
    from deskwork.ui.app import DeskworkApp
    from tests.ui.factory import quick_capture, ready

    desk = Desk.open(Paths(collection, collection), clock=Clock())
    desk.store.set_setting(WELCOME_DONE, True)
    app = DeskworkApp(desk, show_clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await quick_capture(pilot)
        overlay = screen.query_one("#card-type", Select).query_one(SelectOverlay)
        shown = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        assert len(shown) == len(set(shown)), shown
        assert {"Basic", "Basic (deskwork)", "Cloze", "Cloze (deskwork)"} <= set(shown)


def test_a_text_export_of_imported_notes_comes_back_onto_them(
    collection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskwork.services.notes import add_note

    desk = Desk.open(Paths(collection, collection))
    try:  # a note of deskwork's own Basic: exported as "Basic" too
        add_note(desk, "basic", ["mine", "its back"], "Default", [])
    finally:
        desk.close()
    out = tmp_path / "export.txt"
    assert main(["--data-dir", str(collection), "cards", "export", str(out)]) == 0
    capsys.readouterr()
    assert out.read_text().count("\tBasic\t") == 2, "stored names go out: Anki finds its types"
    assert main(["--data-dir", str(collection), "cards", "import", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["notes"] == 0 and report["duplicates"] == 4
    assert report["skipped"] == {}, "not 'its note type was changed in Anki'"
    # a new note naming "Basic" gets the Basic the lists show as such: Anki's, imported
    new = tmp_path / "new.txt"
    new.write_text("#separator:tab\n#notetype column:1\nBasic\tq1\ta1\nbasic (deskwork)\tq2\ta2\n")
    assert main(["--data-dir", str(collection), "cards", "import", str(new)]) == 0
    capsys.readouterr()
    found = dict(_fronts(capsys, collection, "deck:Default"))
    assert found == {"mine": "Basic (deskwork)", "q1": "Basic", "q2": "Basic (deskwork)"}


def test_a_plain_csv_naming_no_type_still_makes_deskwork_s_own_basic(
    collection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("front,back\nq1,a1\n")
    assert main(["--data-dir", str(collection), "cards", "import", str(plain)]) == 0
    capsys.readouterr()
    assert _fronts(capsys, collection, "deck:Default") == [("q1", "Basic (deskwork)")]
