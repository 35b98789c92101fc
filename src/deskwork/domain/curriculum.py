"""Curriculum items: courses, books, papers, projects, with effort in FTE points and a cost."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from deskwork.domain.records import Record, UTCDateTime


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
    title: str
    url: str = ""
    authors: str = ""
    track: str = ""
    tags: list[str] = Field(default_factory=list)
    effort_points: float = Field(default=0.0, ge=0)
    cost: float = Field(default=0.0, ge=0)
    currency: str = "USD"
    status: ItemStatus = ItemStatus.PLANNED
    units_done: int = Field(default=0, ge=0)
    units_total: int = Field(default=0, ge=0)
    unit_name: str = "units"
    priority: int = 0
    notes: str = ""
    added: UTCDateTime
    started: UTCDateTime | None = None
    finished: UTCDateTime | None = None
