"""Draft export per flavour (golden files, parsed back independently) and import of real posts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import frontmatter
import pytest

from deskwork.domain.drafts import Draft, DraftSource, DraftStatus, SourceKind
from deskwork.interop.frontmatter import (
    Flavour,
    FrontMatterError,
    draft_from_text,
    export_text,
    parse,
)
from tests.helpers import T0

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures"
BODY = "Intro with a [link](https://example.org) and `code`.\n\n## Part 2\n\nTODO: the maths ??\n"


def sample() -> Draft:
    return Draft(
        title='Week 7: "Attention" & me',
        status=DraftStatus.READY,
        body=BODY,
        tags=["Deep Learning", "papers"],
        category="Machine learning",
        summary="What I learned: transformers, again.",
        date=datetime(2026, 11, 20, 18, 30, 15, 123000, tzinfo=UTC),
        sources=[
            DraftSource(
                kind=SourceKind.ITEM,
                ref_id=3,
                title="Attention Is All You Need",
                url="https://arxiv.org/abs/1706.03762",
            ),
            DraftSource(kind=SourceKind.CARD, ref_id=9, title="What is a query vector?"),
        ],
        created=T0,
        updated=T0,
    )


@pytest.mark.parametrize("flavour", list(Flavour))
def test_export_matches_golden_file(flavour: Flavour) -> None:
    golden = HERE / "golden" / f"{flavour.value}.md"
    assert export_text(sample(), flavour, T0) == golden.read_text()


@pytest.mark.parametrize("flavour", [Flavour.HUGO, Flavour.JEKYLL, Flavour.GATSBY])
def test_yaml_flavours_parse_back_with_python_frontmatter(flavour: Flavour) -> None:
    post = frontmatter.loads(export_text(sample(), flavour, T0))
    assert post["title"] == 'Week 7: "Attention" & me'
    assert post["tags"] == ["Deep Learning", "papers"]
    assert post.content.startswith("Intro with a [link]")
    assert (
        "## Sources\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n- What is a query vector?"
        in post.content
    )
    if flavour is Flavour.HUGO:
        assert post["draft"] is True and post["slug"] == "week-7-attention-me"
        assert post["categories"] == ["Machine learning"]
    elif flavour is Flavour.JEKYLL:
        assert post["published"] is False and post["excerpt"].startswith("What I learned")
    else:
        assert post["path"] == "/posts/week-7-attention-me/" and post["draft"] is True
        assert post["date"] == "2026-11-20T18:30:15.123Z"


@pytest.mark.parametrize("flavour", list(Flavour))
def test_export_then_import_keeps_metadata_and_body(flavour: Flavour) -> None:
    original = sample()
    back = draft_from_text(export_text(original, flavour, T0), f"x.{flavour}.md", T0)
    assert back.title == original.title and back.tags == original.tags
    assert back.category == original.category and back.summary == original.summary
    assert back.effective_slug == original.effective_slug
    assert back.body.startswith(BODY), "the body comes back (the Sources section follows it)"
    expected = (
        original.date
        if flavour is not Flavour.PELICAN
        else original.date.replace(second=0, microsecond=0)
    )  # type: ignore[union-attr]
    if flavour is Flavour.JEKYLL:
        expected = expected.replace(microsecond=0)  # type: ignore[union-attr]
    assert back.date == expected


def test_pelican_header_is_key_value_lines_then_a_blank_line() -> None:
    text = export_text(sample(), Flavour.PELICAN, T0)
    header, body = text.split("\n\n", 1)
    assert header.splitlines()[:4] == [
        'Title: Week 7: "Attention" & me',
        "Date: 2026-11-20 18:30",
        "Slug: week-7-attention-me",
        "Status: draft",
    ]
    assert "Tags: Deep Learning, papers" in header and body.startswith("Intro")


def test_seed_posts_import_with_their_metadata() -> None:
    gatsby = draft_from_text((FIXTURES / "seed004_gatsby.md").read_text(), "seed004.md", T0)
    assert gatsby.title == "Zero to Deep learning"
    assert gatsby.status is DraftStatus.PUBLISHED and gatsby.category == "Deep learning"
    assert gatsby.tags == ["Deep Learning", "Learning", "mathematics"]
    assert gatsby.effective_slug == "3months-to-deep-learning"
    assert gatsby.date == datetime(2019, 5, 2, 22, 40, 32, 169000, tzinfo=UTC)
    assert gatsby.summary.startswith("Quit job.")
    pelican = draft_from_text((FIXTURES / "seed000_pelican.md").read_text(), "seed000.md", T0)
    assert pelican.title.startswith("My Open-Source Machine Learning Masters")
    assert pelican.extra == {"Author": "Will Wolf", "Lang": "en", "Image": "images/open_source.png"}
    assert pelican.date == datetime(2016, 7, 29, 15, 23, tzinfo=UTC)
    assert pelican.body.startswith("The Open-Source Machine Learning Masters (OSMLM)")
    again = export_text(pelican, Flavour.PELICAN, T0)
    assert "Author: Will Wolf\n" in again, "unknown header keys are written back"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\nbody", "x.md: line 2: front matter is not valid YAML"),
        (
            "---\ntitle: a\nbody without end",
            "x.md: line 1: front matter opened with --- is never closed",
        ),
        ("---\n- a list\n---\n", "x.md: line 2: front matter must be `key: value` pairs"),
        ("Title: a\nnot a header line\n\nbody", "x.md: line 2: expected `Key: value`"),
        ("---\ntitle: a\ndate: someday\n---\n", "x.md: date 'someday' is not a date"),
    ],
)
def test_bad_files_name_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(FrontMatterError, match=message.replace("[", r"\[").replace("`", "`")):
        draft_from_text(text, "x.md", T0)


def test_plain_markdown_without_front_matter_takes_its_heading_as_title() -> None:
    draft = draft_from_text("# My notes on PGMs\n\nText.", "notes.md", T0)
    assert draft.title == "My notes on PGMs" and draft.body.startswith("# My notes")
    assert parse("just text", "n.md").meta == {}
