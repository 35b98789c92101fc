"""arXiv: every form of identifier people paste, Atom answers (recorded), the pace of requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskwork.sources.arxiv import (
    ArxivError,
    ArxivId,
    RateLimit,
    paper_from_json,
    paper_to_json,
    parse_arxiv_id,
    parse_feed,
    search_query,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "arxiv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1706.03762", ArxivId("1706.03762")),
        ("1706.03762v5", ArxivId("1706.03762", 5)),
        ("arXiv:1706.03762", ArxivId("1706.03762")),
        ("arxiv: 1706.03762v2", ArxivId("1706.03762", 2)),
        ("  https://arxiv.org/abs/1706.03762  ", ArxivId("1706.03762")),
        ("https://arxiv.org/abs/1706.03762v7", ArxivId("1706.03762", 7)),
        ("http://arxiv.org/pdf/1706.03762", ArxivId("1706.03762")),
        ("https://arxiv.org/pdf/1706.03762v7.pdf", ArxivId("1706.03762", 7)),
        ("arxiv.org/pdf/1706.03762.pdf", ArxivId("1706.03762")),
        ("https://arxiv.org/html/1706.03762v7", ArxivId("1706.03762", 7)),
        ("https://www.arxiv.org/abs/1706.03762", ArxivId("1706.03762")),
        ("http://export.arxiv.org/abs/1706.03762", ArxivId("1706.03762")),
        ("https://arxiv.org/abs/1706.03762?context=cs", ArxivId("1706.03762")),
        ("2401.12345", ArxivId("2401.12345")),
        ("0704.0001", ArxivId("0704.0001")),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("hep-th/9901001v3", ArxivId("hep-th/9901001", 3)),
        ("math.GT/0309136", ArxivId("math.GT/0309136")),
        ("math.gt/0309136", ArxivId("math.GT/0309136")),
        ("arXiv:cond-mat/0207270", ArxivId("cond-mat/0207270")),
        ("https://arxiv.org/abs/math/0309136v2", ArxivId("math/0309136", 2)),
        ("10.48550/arXiv.1706.03762", ArxivId("1706.03762")),
        ("https://doi.org/10.48550/arXiv.1706.03762", ArxivId("1706.03762")),
        # not arXiv ids
        ("", None),
        ("1706.0376", None),  # too short
        ("1706.037620", None),  # too long
        ("1713.03762", None),  # month 13
        ("1700.03762", None),  # month 0
        ("arXiv:", None),
        ("https://example.org/abs/1706.03762", None),
        ("https://arxiv.org/list/cs.LG/recent", None),
        ("10.1000/xyz123", None),
        ("hep-th/99010", None),
        ("Attention is all you need", None),
    ],
)
def test_identifier_forms(text: str, expected: ArxivId | None) -> None:
    assert parse_arxiv_id(text) == expected


@given(
    year=st.integers(7, 99),
    month=st.integers(1, 12),
    number=st.integers(0, 99999),
    version=st.none() | st.integers(1, 30),
)
def test_every_form_of_a_new_style_id_names_the_same_paper(
    year: int, month: int, number: int, version: int | None
) -> None:
    digits = 5 if year >= 15 else 4
    ident = f"{year:02d}{month:02d}.{number % 10**digits:0{digits}d}"
    v = f"v{version}" if version else ""
    forms = [
        f"{ident}{v}",
        f"arXiv:{ident}{v}",
        f"https://arxiv.org/abs/{ident}{v}",
        f"https://arxiv.org/pdf/{ident}{v}.pdf",
        f"export.arxiv.org/abs/{ident}{v}",
    ]
    assert {parse_arxiv_id(f) for f in forms} == {ArxivId(ident, version)}


@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_without_crashing(text: str) -> None:
    result = parse_arxiv_id(text)
    assert result is None or parse_arxiv_id(str(result)) == result


def test_recorded_answer_gives_title_authors_categories_and_links() -> None:
    (paper,) = parse_feed((FIXTURES / "1706.03762.xml").read_bytes())
    assert paper.arxiv_id == ArxivId("1706.03762", 7)
    assert paper.title == "Attention Is All You Need"
    assert paper.authors[0] == "Ashish Vaswani" and len(paper.authors) == 8
    assert paper.categories == ["cs.CL", "cs.LG"] and paper.primary_category == "cs.CL"
    assert paper.pdf_url == "http://arxiv.org/pdf/1706.03762v7"
    assert paper.abstract.startswith("The dominant sequence transduction models are based on")
    assert "\n" not in paper.abstract
    assert paper.published is not None and paper.published.year == 2017
    assert paper.comment == "15 pages, 5 figures"


def test_titles_keep_brackets_and_lose_line_breaks() -> None:
    first, old = parse_feed((FIXTURES / "search.xml").read_bytes())
    assert first.title == "[Re] Reproducing Diffusion [b]Models[/b]"
    assert old.arxiv_id == ArxivId("hep-th/9901001", 2)


def test_arxiv_error_entries_are_reported() -> None:
    with pytest.raises(ArxivError, match=r"incorrect id format for 1706\.0376"):
        parse_feed((FIXTURES / "error.xml").read_bytes())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>maintenance</html>", "not an Atom feed"),
        (b"<feed", "not valid XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol2;</title></feed>',
            "refused an unsafe XML answer",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&e;</title></feed>',
            "refused an unsafe XML answer",
        ),
    ],
)
def test_bad_and_hostile_xml_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(ArxivError, match=message):
        parse_feed(body)


def test_search_query_quotes_and_fields() -> None:
    assert search_query("diffusion models") == "all:diffusion AND all:models"
    assert search_query("Hinton", "author") == "au:Hinton"
    assert search_query("cs.LG", "category") == "cat:cs.LG"
    assert search_query('a"b c', "title") == 'ti:"ab" AND ti:c'
    assert search_query("cat:cs.LG AND ti:x", "query") == "cat:cs.LG AND ti:x"
    with pytest.raises(ArxivError):
        search_query("   ")


def test_rate_limit_spaces_requests_three_seconds_apart() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limit = RateLimit(3.0, monotonic=lambda: now[0], sleep=sleep)
    assert limit.wait() == 0  # the first request goes at once
    now[0] += 1.0
    assert limit.wait() == pytest.approx(2.0)  # 1 s later: wait 2 s more
    now[0] += 5.0
    assert limit.wait() == 0  # long after: no wait
    assert slept == [pytest.approx(2.0)]


def test_papers_survive_a_json_round_trip() -> None:
    (paper,) = parse_feed((FIXTURES / "1706.03762.xml").read_bytes())
    again = paper_from_json(paper_to_json(paper))
    assert (again.arxiv_id, again.title, again.authors, again.published) == (
        paper.arxiv_id,
        paper.title,
        paper.authors,
        paper.published,
    )
