"""Plain-text card import: columns past the note type's fields are left out of the note (as Anki
leaves them), never merged into its last field, and the import report names them — the columns,
the note type's fields, the rows, and the first row's text left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.interop.anki.text import read_text
from deskwork.store.store import Store
from tests.helpers import T0

VOCAB = (
    "猫\tcat\tねこ\tN5\tnoun\n"
    "犬\tdog\t\t\t\n"  # nothing past the back: nothing left out on this row
    "鳥\tbird\tとり\tN5\tnoun\n"
)


def test_columns_past_the_fields_are_left_out_and_named() -> None:
    deck = read_text(VOCAB, "vocab.txt", T0)
    assert [(c.front, c.back) for c in deck.cards] == [
        ("猫", "cat"),
        ("犬", "dog"),
        ("鳥", "bird"),
    ], "the back is the back column only"
    assert deck.columns_left_out == [
        "columns 3–5 left out: Basic has 2 fields (Front, Back); 2 rows, lines 1, 3 "
        "(line 1: 'ねこ', 'N5', 'noun')"
    ]


def test_html_files_leave_them_out_too() -> None:
    deck = read_text("#html:true\nq\ta\t<b>extra</b>\n", "x.txt", T0)
    assert [c.fields for c in deck.cards] == [["q", "a"]]
    assert deck.columns_left_out[0].startswith("column 3 left out: Basic has 2 fields")


def test_a_file_that_fits_its_note_type_reports_nothing() -> None:
    deck = read_text("q\ta\t\nq2\ta2\n", "x.txt", T0)  # a trailing empty column is no loss
    assert deck.columns_left_out == []


def test_the_cli_report_names_the_columns_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vocab.txt"
    path.write_text(VOCAB)
    assert main(["cards", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "columns 3–5 left out: Basic has 2 fields (Front, Back); 2 rows, lines 1, 3" in out
    home = tmp_path / "home"
    store = Store.open(home, readonly=True)
    assert sorted(c.back for c in store.cards.all()) == ["bird", "cat", "dog"]
    store.close()
    path.write_text("兎\trabbit\tうさぎ\n")
    assert main(["cards", "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["columns_left_out"] == [
        "column 3 left out: Basic has 2 fields (Front, Back); 1 row, line 1 (line 1: 'うさぎ')"
    ]


def test_the_left_out_sentence_of_a_wide_row_quotes_three_cells_and_counts_the_rest() -> None:
    """A row of 5,000 columns past the fields made one report line of ~44,000 characters (the
    CLI text, --json and the TUI's toast): three cells are quoted, each clipped, the rest
    counted."""
    row = "front\tback\t" + "\t".join(f"x{n}" * (1 + 30 * (n == 0)) for n in range(5000))
    deck = read_text(row + "\n", "vocab.tsv", T0)
    [sentence] = deck.columns_left_out
    assert sentence.startswith("columns 3–5002 left out: Basic has 2 fields (Front, Back); 1 row")
    assert sentence.endswith(f"(line 1: '{'x0' * 19}x…', 'x1', 'x2', 4,997 more cells)")
    assert len(sentence) < 200
