"""Curriculum files: a Markdown table (seed 004's, as written), CSV and Markdown round trips,
BibTeX of the papers, costs written like people write them."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from deskwork.domain.curriculum import Item, ItemKind
from deskwork.interop.bibtex import items_to_bibtex
from deskwork.interop.curriculum import (
    CurriculumError,
    items_from_csv,
    items_from_markdown,
    items_to_csv,
    items_to_markdown,
)
from tests.helpers import T0

SEED004_TABLE = """\
# My plan

| `Course/Book`   | FTE   | Cost |
| :-- | --- | ---
| Practical Deep Learning for Coders Part 1 (2019) | 1.5 |
| Deep learning specialization | 0.5 | *$45*
| 18.06 Linear Algebra | 0.7 |
| Swift - iOS app development | 0.3 | $11
| GPU server instance - AWS p2 instance <200 hours |  | ~$300
|  |  . |
| Total | 7.4 | ~$367

Notes after the table are ignored.
"""


def test_seed_004_style_markdown_table() -> None:
    items = items_from_markdown(SEED004_TABLE, "plan.md", T0)
    assert [i.title for i in items] == [
        "Practical Deep Learning for Coders Part 1 (2019)",
        "Deep learning specialization",
        "18.06 Linear Algebra",
        "Swift - iOS app development",
        "GPU server instance - AWS p2 instance <200 hours",
    ]
    assert [i.effort_points for i in items] == [1.5, 0.5, 0.7, 0.3, 0]
    assert [i.cost for i in items] == [0, 45, 0, 11, 300]
    assert items[1].currency == "USD"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no table here", "plan.md: no Markdown table"),
        (
            "| title | colour |\n|---|---|\n| x | red |\n",
            "plan.md: line 1: unknown column 'colour'",
        ),
        (
            "| title | effort_points |\n|---|---|\n| ok | 1 |\n| bad | lots |\n",
            "plan.md: line 4, column 'effort_points'",
        ),
        ("| title |\n|---|\n| a | b |\n", "plan.md: line 3: more cells than columns"),
    ],
)
def test_bad_markdown_names_file_line_and_column(text: str, message: str) -> None:
    with pytest.raises(CurriculumError, match=re.escape(message)):
        items_from_markdown(text, "plan.md", T0)


def sample() -> list[Item]:
    return [
        Item(
            id=1,
            title="Pipes | and, commas",
            kind=ItemKind.COURSE,
            track="Math",
            effort_points=0.7,
            cost=45,
            currency="EUR",
            units_done=3,
            units_total=34,
            unit_name="lectures",
            tags=["mit", "linear algebra"],
            notes="multi\nline",
            added=T0,
        ),
        Item(
            id=2,
            title="Attention Is All You Need",
            kind=ItemKind.PAPER,
            arxiv_id="1706.03762",
            authors="Ashish Vaswani, Noam Shazeer",
            url="https://arxiv.org/abs/1706.03762",
            categories=["cs.CL"],
            published=datetime(2017, 6, 12, tzinfo=UTC),
            added=T0,
        ),
    ]


FIELDS = ("title", "kind", "track", "effort_points", "cost", "currency", "units_done",
          "units_total", "unit_name", "tags", "arxiv_id", "authors", "url")  # fmt: skip


def test_csv_and_markdown_round_trip() -> None:
    for write, read in ((items_to_csv, items_from_csv), (items_to_markdown, items_from_markdown)):
        back = read(write(sample()), "x", T0)
        for before, after in zip(sample(), back, strict=True):
            assert {f: getattr(after, f) for f in FIELDS} == {f: getattr(before, f) for f in FIELDS}
    rows = list(csv.DictReader(io.StringIO(items_to_csv(sample()))))
    assert rows[0]["tags"] == "mit;linear algebra" and rows[0]["notes"] == "multi\nline"


def test_bibtex_has_the_papers_only_with_arxiv_fields() -> None:
    bib = items_to_bibtex(sample())
    assert bib.count("@misc{") == 1
    assert bib.startswith("@misc{vaswani2017attention,\n")
    assert "  author = {Ashish Vaswani and Noam Shazeer}" in bib
    assert "  title = {{Attention Is All You Need}}" in bib
    assert "  eprint = {1706.03762}" in bib and "  archivePrefix = {arXiv}" in bib
    assert "  primaryClass = {cs.CL}" in bib and "  year = {2017}" in bib
    assert bib.count("{") == bib.count("}")


def test_bibtex_escapes_and_unique_keys() -> None:
    papers = [
        Item(
            id=n,
            title="50% of {everything} & more_x",
            kind=ItemKind.PAPER,
            authors="A. Smith",
            added=T0,
        )
        for n in (1, 2)
    ]
    bib = items_to_bibtex(papers)
    assert "50\\% of \\{everything\\} \\& more\\_x" in bib
    assert "@misc{smitheverything," in bib and "@misc{smitheverythinga," in bib
