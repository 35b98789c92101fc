"""Curriculum items: courses, books, papers, projects, with effort in FTE points and a cost."""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
from datetime import date
from enum import StrEnum

from pydantic import Field

from deskwork.domain.records import Prose, Record, Title, UTCDateTime, empty_list


class ItemKind(StrEnum):
    COURSE = "course"
    BOOK = "book"
    PAPER = "paper"
    VIDEO = "video"
    BLOG = "blog"
    COMPETITION = "competition"
    PROJECT = "project"
    OTHER = "other"


class ItemStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    PAUSED = "paused"
    DONE = "done"
    DROPPED = "dropped"


class Item(Record):
    kind: ItemKind = ItemKind.OTHER
    title: Title
    url: str = ""
    authors: str = ""
    track: Title = ""
    tags: list[str] = Field(default_factory=empty_list)
    effort_points: float = Field(default=0.0, ge=0)
    cost: float = Field(default=0.0, ge=0)
    currency: str = "USD"
    status: ItemStatus = ItemStatus.PLANNED
    units_done: int = Field(default=0, ge=0)
    units_total: int = Field(default=0, ge=0)
    unit_name: str = "units"
    priority: int = 0
    notes: Prose = ""
    added: UTCDateTime
    started: UTCDateTime | None = None
    finished: UTCDateTime | None = None
    # Papers (from arXiv)
    arxiv_id: str = ""
    arxiv_version: int | None = None
    abstract: Prose = ""
    categories: list[str] = Field(default_factory=empty_list)
    pdf_url: str = ""
    published: UTCDateTime | None = None
    # Pulled links: saved at once, their metadata fetched when the network allows.
    metadata_pending: bool = False
    metadata_error: str = ""
    # Today's queue: the study day the item is queued for, and its place in that day's order.
    queued_on: date | None = None
    queue_rank: int = 0

    @property
    def unfinished(self) -> bool:
        return self.status not in (ItemStatus.DONE, ItemStatus.DROPPED)

    def progress_text(self) -> str:
        if not self.units_total:
            return f"{self.units_done} {self.unit_name}" if self.units_done else ""
        return f"{self.units_done}/{self.units_total} {self.unit_name}"
