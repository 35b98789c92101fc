"""Draft blog posts: the learner's proof of work."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from pydantic import Field

from deskwork.domain.records import Record, UTCDateTime


class DraftStatus(StrEnum):
    IDEA = "idea"
    DRAFT = "draft"
    READY = "ready"
    PUBLISHED = "published"


class Draft(Record):
    title: str
    slug: str = ""
    status: DraftStatus = DraftStatus.IDEA
    body: str = ""
    tags: list[str] = Field(default_factory=list)
    category: str = ""
    summary: str = ""
    created: UTCDateTime
    updated: UTCDateTime

    @property
    def words(self) -> int:
        return len(self.body.split())


def slugify(title: str) -> str:
    """`"My Open-Source ML Masters!"` -> `"my-open-source-ml-masters"`."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"
