"""Draft blog posts (the learner's proof of work): metadata, word count, reading time, the open
questions still in the text, the sources behind it, and the trash."""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from deskwork.domain.records import Prose, Record, Title, UTCDateTime, empty_dict, empty_list

WORDS_PER_MINUTE = 230
TRASH_DAYS = 30
QUESTION_MARK = re.compile(r"TODO:|\?\?")  # a line still to be answered


class DraftStatus(StrEnum):
    IDEA = "idea"
    DRAFT = "draft"
    READY = "ready"
    PUBLISHED = "published"


class SourceKind(StrEnum):
    ITEM = "item"  # a curriculum item: course, book, paper…
    CARD = "card"
    LINK = "link"


class DraftSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    kind: SourceKind
    ref_id: int | None = None
    title: Title
    url: str = ""


class Draft(Record):
    title: Title
    slug: str = ""  # empty: derived from the title
    status: DraftStatus = DraftStatus.IDEA
    body: Prose = ""
    tags: list[str] = Field(default_factory=empty_list)
    category: str = ""
    summary: str = ""
    date: UTCDateTime | None = None  # the post's date; empty: when it is exported
    sources: list[DraftSource] = Field(default_factory=empty_list)
    extra: dict[str, str] = Field(default_factory=empty_dict)  # other front matter, kept as it came
    created: UTCDateTime
    updated: UTCDateTime
    deleted: UTCDateTime | None = None  # in the trash since

    @cached_property
    def words(self) -> int:
        return count_words(self.body)  # drafts are immutable: counted once per version

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """Pydantic's, without the count of words: a cached property lives in the instance's
        `__dict__`, which pydantic copies, so a draft saved with a new body kept the old count
        (the draft list said 1500 words of a text of 1538)."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("words", None)
        return copy

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)

    @property
    def effective_slug(self) -> str:
        return self.slug or slugify(self.title)

    def purge_due(self, now: datetime) -> bool:
        return self.deleted is not None and now - self.deleted >= timedelta(days=TRASH_DAYS)


class Revision(Record):
    """A snapshot of a draft's text, to compare with and restore from."""

    draft_id: int
    ts: UTCDateTime
    title: Title
    body: str


def count_words(text: str) -> int:
    return len(text.split())


def reading_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def slugify(title: str) -> str:
    """`"My Open-Source ML Masters!"` -> `"my-open-source-ml-masters"`."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"


def open_questions(body: str) -> list[tuple[int, str]]:
    """Lines marked `TODO:` or `??` (1-based line numbers): the missing 30 % of the post."""
    return [
        (number, line.strip())
        for number, line in enumerate(body.splitlines(), start=1)
        if QUESTION_MARK.search(line)
    ]


def sources_section(sources: list[DraftSource]) -> str:
    """The sources as a Markdown section for the end of an exported post."""
    if not sources:
        return ""
    lines = ["## Sources", ""]
    for source in sources:
        lines.append(f"- [{source.title}]({source.url})" if source.url else f"- {source.title}")
    return "\n".join(lines) + "\n"


def revision_due(last: datetime | None, now: datetime, every_s: float) -> bool:
    return last is None or (now - last).total_seconds() >= every_s


_BLOCK_START = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|```|~~~|\|)")


def citation_text(line: str, column: int, link: str) -> str:
    """What to insert at `column` of `line` so that `link` stands as its own text and the line
    keeps its Markdown syntax: at the start of a heading / list item / quote / table row / fence
    it goes on a paragraph of its own before that line; inside a line it is kept apart from the
    words around it by spaces."""
    before, after = line[:column], line[column:]
    if not before.strip():
        if not after.strip():
            return link  # an empty line: the link is the paragraph
        if _BLOCK_START.match(after):
            return f"{link}\n\n"  # never glued onto "# Heading" or "- item"
    lead = "" if not before or before[-1].isspace() or before[-1] in "([" else " "
    trail = "" if not after or after[0].isspace() or after[0] in ".,;:!?)]" else " "
    return f"{lead}{link}{trail}"
