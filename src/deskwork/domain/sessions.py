"""Pomodoro sessions as they are recorded once a phase ends."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from deskwork.domain.records import Record, UTCDateTime


class SessionKind(StrEnum):
    FOCUS = "focus"
    SHORT_BREAK = "short_break"
    LONG_BREAK = "long_break"


class Session(Record):
    kind: SessionKind
    start: UTCDateTime
    end: UTCDateTime
    planned_s: float = Field(ge=0)
    actual_s: float = Field(ge=0)
    completed: bool
    item_id: int | None = None
    interruptions: int = Field(default=0, ge=0)
    note: str = ""
