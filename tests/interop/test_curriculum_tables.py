"""Markdown curriculum tables as people write them, beyond seed 004's: a title alone in backticks
is an item unless the table is grouped (list lines under title-only rows); a list line after a
table ends it; every row not imported is named with its line; cells of blanks or marks are read
in linear time and a cell past the field cap is refused before any pattern reads it; a `.txt`
saved with a byte order mark is still read by its table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.interop import read_user_file
from deskwork.interop.curriculum import (
    CurriculumError,
    items_from_file,
    items_from_markdown,
    read_markdown,
)
from tests.helpers import T0

HEAD = "| Title | Kind |\n|---|---|\n"


def test_a_title_alone_in_backticks_is_an_item_in_a_table_without_groups() -> None:
    text = HEAD + "| `pandas` | |\n| `numpy` | |\n| Read SICP | book |\n"
    items, notes = read_markdown(text, "tools.md", T0)
    assert [(i.title, i.track) for i in items] == [("pandas", ""), ("numpy", ""), ("Read SICP", "")]
    assert notes == []


def test_a_grouped_tables_headings_and_total_rows_are_named_with_their_lines() -> None:
    text = (
        "| Course | FTE |\n|---|---|\n"
        "| `MIT` | |\n"  # line 3
        "- 18.06 Linear Algebra | 0.7 |\n"
        "- 18.02 Multivariable Calculus | 0.4 |\n"
        "| `Resources` | |\n"  # line 6: in backticks, in a grouped table: a heading too
        "| GPU server | |\n"
        "| | 3 |\n"  # line 8: a figure and no title
        "| Total | 1.1 |\n"  # line 9
    )
    items, notes = read_markdown(text, "plan.md", T0)
    assert [(i.title, i.track) for i in items] == [
        ("18.06 Linear Algebra", "MIT"),
        ("18.02 Multivariable Calculus", "MIT"),
        ("GPU server", "Resources"),
    ]
    assert notes == [
        "line 3: not imported: 'MIT', a group heading: the track of 2 rows under it",
        "line 6: not imported: 'Resources', a group heading: the track of 1 row under it",
        "line 8: not imported: no title",
        "line 9: not imported: a Total row",
    ]


def test_the_notes_on_rows_not_imported_are_capped() -> None:
    text = HEAD + "| A | book |\n" + "| Total | |\n" * 25
    items, notes = read_markdown(text, "plan.md", T0)
    assert [i.title for i in items] == ["A"]
    assert notes[0] == "line 4: not imported: a Total row"
    assert len(notes) == 11 and notes[-1] == "and 15 more rows not imported"


def test_a_list_line_after_a_table_ends_it() -> None:
    """GitHub's Markdown: a list item is another block. Only under a group heading (or another
    list line) is a list line with cells a row, as seed 004 writes its courses."""
    text = HEAD + "| Read SICP | book |\n- Prices checked in 2025 | |\n| Later | book |\n"
    assert [i.title for i in items_from_markdown(text, "plan.md", T0)] == ["Read SICP"]


def test_a_list_line_right_under_the_header_is_not_a_row() -> None:
    text = HEAD + "- Prices checked in 2025 | |\n"
    assert items_from_markdown(text, "plan.md", T0) == []


@pytest.mark.parametrize(
    ("cell", "title"),
    [
        ("a" + " " * 99_000 + "b", "a b"),  # quadratic before: ~15 s
        ("*" * 5_000 + "x", "x"),  # cubic before: ~4 s (10,000 marks: 33 s)
    ],
    ids=["spaces", "marks"],
)
def test_a_cell_under_the_cap_is_read_in_linear_time(cell: str, title: str) -> None:
    """No clock here: on patterns that scan ahead from every place of a cell these take seconds
    to hours; read linearly they take milliseconds, and the suite's pace shows it."""
    [item] = items_from_markdown(HEAD + f"| {cell} | book |\n", "plan.md", T0)
    assert item.title == title


def test_a_cell_past_the_field_cap_is_refused_before_it_is_read() -> None:
    """200,000 spaces: refused by its length as written, not read as 'a b' after the blanks are
    folded (which took over a minute, quadratic, and then let it in)."""
    text = HEAD + "| a" + " " * 200_000 + "b | book |\n"
    with pytest.raises(CurriculumError, match=r"line 3, column 'title': refused: 200,002 char"):
        items_from_markdown(text, "plan.md", T0)


def test_a_delimiter_row_of_blanks_is_checked_in_linear_time() -> None:
    """The `|---|` row's pattern began `\\s*\\|?\\s*`: quadratic on blanks (~20 s here)."""
    text = "| a |\n" + " " * 50_000 + "|" + " " * 50_000 + "x\n"
    with pytest.raises(CurriculumError, match="no Markdown table"):
        items_from_markdown(text, "plan.md", T0)


def test_a_txt_table_saved_with_a_byte_order_mark_is_read_by_its_table(tmp_path: Path) -> None:
    """Notepad's UTF-8 starts with a BOM: read_user_file leaves it out, and the .txt is read by
    its table, not as CSV (which refused it: "the header needs a 'title' column")."""
    path = tmp_path / "plan.txt"
    path.write_bytes("\ufeff| Title | Kind |\r\n|---|---|\r\n| A | course |\r\n".encode())
    text = read_user_file(path, 1 << 20)
    assert not text.startswith("\ufeff")
    assert [i.title for i in items_from_file(text, str(path), T0)] == ["A"]


def test_the_cli_import_names_the_rows_not_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(f"\ufeff{HEAD}| `Books` | |\n- SICP | book |\n| Total | |\n".encode())
    assert main(["queue", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "added 1 item" in out
    assert "line 3: not imported: 'Books', a group heading: the track of 1 row under it" in out
    assert "line 5: not imported: a Total row" in out
    path.write_bytes(f"{HEAD}| New | book |\n| Total | |\n".encode())
    assert main(["queue", "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == 1 and report["not_imported"] == ["line 4: not imported: a Total row"]
