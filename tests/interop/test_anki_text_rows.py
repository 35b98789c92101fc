"""Plain-text card import (Anki "Notes in Plain Text", CSV/TSV): importing a file twice adds nothing
(Anki's duplicate rule: the first field within the note type, when the file has no guid column), a
header row is not a card, rows with an empty front or back are skipped, and every skipped row is
reported with its line, on the command line (text and --json) and in the TUI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.cards import NoteType
from deskwork.domain.notes import first_field_key
from deskwork.interop.anki.text import read_text
from deskwork.store.store import Store
from tests.helpers import T0, Clock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def fronts(home: Path) -> list[str]:
    store = Store.open(home, readonly=True)
    return sorted(c.front for c in store.cards.all())


TSV = "What is a gradient?\tsteepest ascent\nWhat is a Hessian?\tsecond derivatives\n"


def test_the_same_plain_text_file_twice_adds_nothing_the_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "calculus.txt"
    path.write_text(TSV)
    code, out, _ = run(capsys, "cards", "import", str(path), "--json")
    first = json.loads(out)
    assert code == 0 and (first["notes"], first["duplicates"]) == (2, 0)
    code, out, _ = run(capsys, "cards", "import", str(path), "--json")
    again = json.loads(out)
    assert code == 0 and (again["notes"], again["cards"], again["duplicates"]) == (0, 0, 2)
    assert again["duplicate_rule"] == "first field"
    assert again["skipped_rows"] == [
        {"line": 1, "reason": "already there (same front)"},
        {"line": 2, "reason": "already there (same front)"},
    ]
    assert fronts(tmp_path / "home") == ["What is a Hessian?", "What is a gradient?"]
    code, out, _ = run(capsys, "cards", "import", str(path))
    assert "2 notes already there (same front): skipped" in out


def test_a_header_row_is_not_a_card_and_empty_rows_are_skipped_with_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deck.csv"
    path.write_text("front,back\nq1,a1\nq2,\n,a3\nq5,a5\n")
    code, out, err = run(capsys, "cards", "import", str(path))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "imported 2 notes, 2 cards, 0 reviews"
    assert (
        "3 rows skipped: line 1: a header row (column names); line 3: the back is empty; "
        "line 4: the first field (front) is empty"
    ) in out
    assert fronts(tmp_path / "home") == ["q1", "q5"]
    code, out, _ = run(capsys, "cards", "import", str(path), "--json")
    report = json.loads(out)
    assert report["notes"] == 0 and report["duplicates"] == 2
    assert [row["line"] for row in report["skipped_rows"]] == [1, 2, 3, 4, 5]


def test_the_duplicate_rule_is_anki_s_first_field_within_the_note_type() -> None:
    basic = first_field_key(NoteType.BASIC, "What is <b>SGD</b>?", html=True)
    assert basic == first_field_key(NoteType.BASIC, "What is  SGD ?", html=False)
    assert basic != first_field_key(NoteType.CLOZE, "What is <b>SGD</b>?", html=True)
    assert basic != first_field_key(NoteType.BASIC, "what is sgd?", html=False)  # Anki: exact


def test_same_front_in_another_note_type_or_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    basic = tmp_path / "basic.txt"
    basic.write_text("#deck:ML\nAdam\tan optimiser\n")
    reversed_ = tmp_path / "reversed.txt"
    reversed_.write_text("#notetype:Basic (and reversed card)\nAdam\tan optimiser\n")
    other_deck = tmp_path / "other.txt"
    other_deck.write_text("#deck:Elsewhere\nAdam\ta different back\n")
    assert json.loads(run(capsys, "cards", "import", str(basic), "--json")[1])["notes"] == 1
    # another note type: a new note (Anki matches within the note type)
    assert json.loads(run(capsys, "cards", "import", str(reversed_), "--json")[1])["notes"] == 1
    # same note type, another deck: a duplicate (Anki's rule is not per deck)
    assert json.loads(run(capsys, "cards", "import", str(other_deck), "--json")[1])["notes"] == 0


def test_files_with_a_guid_column_still_match_by_guid_and_keep_empty_backs() -> None:
    deck = read_text("#guid column:1\ng1\tfront\t\n", "x.txt", T0)
    assert not deck.match_first_field and [c.back for c in deck.cards] == [""]


def test_nothing_but_skipped_rows_is_refused_with_the_reasons() -> None:
    from deskwork.interop.anki import AnkiError

    with pytest.raises(AnkiError, match=r"no notes found \(line 1: a header row"):
        read_text("front,back\n,only a back\n", "x.csv", T0)


async def test_the_tui_import_reports_the_skipped_rows(tmp_path: Path) -> None:
    from textual.widgets import Input

    from tests.ui.factory import desk_app, ready

    path = tmp_path / "deck.csv"
    path.write_text("front,back\nq1,a1\nq2,\n")
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.cards.import_deck()
        await pilot.pause()
        app.screen.query_one("#transfer-path", Input).value = str(path)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(
            "Imported 1 note, 1 card" in m
            and "2 rows skipped: line 1: a header row (column names); line 3: the back is empty"
            in m
            for m in messages
        ), messages


def test_a_missing_file_says_no_such_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "cards", "import", "nowhere.apkg")
    assert (code, err) == (1, "deskwork: no such file: nowhere.apkg; nothing imported\n")


def test_note_counts_match_real_anki_importing_the_same_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real Anki (test-only oracle) imports the same plain-text files in the same order: after
    each one, deskwork holds as many notes as Anki (its rule: first field within the note type;
    a front repeated inside one file is two notes; another note type is a new note)."""
    from tests.anki_oracle import import_into_anki

    basic = tmp_path / "basic.txt"
    basic.write_text(
        "What is a gradient?\tsteepest ascent\nWhat is a Hessian?\tsecond derivatives\n"
        "What is a gradient?\tthe same front again\n"
    )
    changed = tmp_path / "changed.txt"
    changed.write_text("What is a gradient?\ta new back\nWhat is a Jacobian?\tfirst derivatives\n")
    reversed_ = tmp_path / "reversed.txt"
    reversed_.write_text("#notetype:Basic (and reversed card)\nWhat is a gradient?\tsteepest\n")
    home = tmp_path / "home"
    for path in (basic, basic, changed, reversed_):
        assert run(capsys, "cards", "import", str(path))[0] == 0
        anki = import_into_anki(tmp_path / "anki", path)
        store = Store.open(home, readonly=True)
        ours = len({c.note_guid for c in store.cards.all()})
        assert (ours, len(store.cards)) == (anki.notes, anki.cards), path.name


def test_a_row_naming_an_unknown_note_type_is_skipped_as_anki_skips_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notetype column naming a type there is none of: Anki logs the row as a missing notetype
    and imports the rest (checked against the real Anki); the deck only that row named is not
    created, the others are reported as created."""
    from tests.anki_oracle import import_into_anki

    path = tmp_path / "typed.txt"
    path.write_text(
        "#separator:tab\n#html:true\n#notetype column:1\n#deck column:2\n"
        "Zzz\tT2\tq1\ta1\nbasic\tT3\tq2\ta2\nBasic (and reversed card)\tT4::Sub\tq3\ta3\n"
    )
    anki = import_into_anki(tmp_path / "anki", path)
    assert anki.note_types == ["Basic", "Basic (and reversed card)"]
    assert anki.cards_per_deck == {"T3": 1, "T4::Sub": 2}

    code, out, _ = run(capsys, "cards", "import", str(path), "--json")
    report = json.loads(out)
    assert code == 0
    assert report["skipped_rows"] == [
        {"line": 5, "reason": "no note type called 'Zzz' (not imported)"}
    ]
    assert report["decks"] == anki.cards_per_deck
    assert report["decks_created"] == ["T3", "T4", "T4::Sub"]
    store = Store.open(tmp_path / "home", readonly=True)
    assert sorted((c.front, c.note_type) for c in store.cards.all() if c.ord == 0) == [
        ("q2", "basic"),
        ("q3", "reversed"),
    ]
    code, out, _ = run(capsys, "cards", "import", str(path))  # again, as text
    assert "1 row skipped: line 5: no note type called 'Zzz' (not imported)" in out

    only_unknown = tmp_path / "unknown.txt"
    only_unknown.write_text("#separator:tab\n#notetype column:1\nZzz\tq1\ta1\n")
    code, _, err = run(capsys, "cards", "import", str(only_unknown))
    assert code != 0
    assert "no notes found (line 3: no note type called 'Zzz' (not imported))" in err


def test_a_new_deck_of_a_plain_text_file_is_reported_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "decks.txt"
    path.write_text("#separator:tab\n#deck column:1\nT2\tq1\ta1\nT2\tq2\ta2\n")
    report = json.loads(run(capsys, "cards", "import", str(path), "--json")[1])
    assert report["decks_created"] == ["T2"]
    again = tmp_path / "again.txt"
    again.write_text("#separator:tab\n#deck column:1\nT2\tq3\ta3\n")
    report = json.loads(run(capsys, "cards", "import", str(again), "--json")[1])
    assert report["notes"] == 1 and report["decks_created"] == []
    _, out, _ = run(capsys, "cards", "import", str(path))
    assert "decks created" not in out


BIG = "x" * 140_000  # past csv's own field limit (131,072 characters)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"front,back\nq0,a0\nq1,a1\nq1,{BIG}\n", 4),
        (f"front,back\nq0,a0\nq1,{BIG}\nq2,a2\n", 3),
        (f"{BIG},back\n", 1),
        # two header lines; a quoted field spanning lines 5-6: the row starts on line 5
        (f'#separator:comma\n#html:false\nfront,back\nq0,a0\n"q1\nstill q1","{BIG}"\n', 5),
    ],
    ids=["last-line", "middle-line", "first-line", "after-headers-spanning-lines"],
)
def test_a_field_past_the_csv_limit_names_the_line_it_is_on(text: str, line: int) -> None:
    from deskwork.interop.anki import AnkiError

    with pytest.raises(AnkiError) as info:
        read_text(text, "big.csv", T0)
    assert str(info.value) == (
        f"big.csv: line {line}: refused: field larger than field limit (131072)"
    )


def test_a_row_spanning_lines_is_reported_at_the_line_it_starts_on() -> None:
    deck = read_text('#separator:comma\nq0,a0\n"q1\nstill q1",\nq2,a2\n', "ml.txt", T0)
    assert deck.skipped_rows == [(3, "the back is empty")]
    assert sorted(deck.lines.values()) == [2, 5]
