"""Pomodoro sessions as they are recorded once a phase ends, and what happened during them."""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from deskwork.domain.records import Record, UTCDateTime, empty_list


class SessionKind(StrEnum):
    FOCUS = "focus"
    SHORT_BREAK = "short_break"
    LONG_BREAK = "long_break"

    @property
    def label(self) -> str:
        return {"focus": "Focus", "short_break": "Short break", "long_break": "Long break"}[self]


class InterruptionKind(StrEnum):
    INTERNAL = "internal"  # you got distracted
    EXTERNAL = "external"  # someone or something else


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Pause(_Part):
    start: UTCDateTime
    end: UTCDateTime | None = None


class Interruption(_Part):
    at: UTCDateTime
    kind: InterruptionKind
    note: str = ""


class ItemChange(_Part):
    at: UTCDateTime
    from_item: int | None
    to_item: int | None


class Session(Record):
    kind: SessionKind
    start: UTCDateTime
    end: UTCDateTime
    planned_s: float = Field(ge=0)
    actual_s: float = Field(ge=0)  # pauses excluded
    completed: bool
    item_id: int | None = None  # the item selected when the session ended
    interruptions: list[Interruption] = Field(default_factory=empty_list)
    pauses: list[Pause] = Field(default_factory=empty_list)
    item_changes: list[ItemChange] = Field(default_factory=empty_list)
    note: str = ""

    def seconds_by_item(self) -> dict[int | None, float]:
        """Focused seconds per item: split at each change of item, pauses excluded."""
        points: list[tuple[datetime, int | None]] = []
        current = self.item_changes[0].from_item if self.item_changes else self.item_id
        points.append((self.start, current))
        for change in self.item_changes:
            points.append((change.at, change.to_item))
        out: dict[int | None, float] = {}
        for i, (begin, item) in enumerate(points):
            end = points[i + 1][0] if i + 1 < len(points) else self.end
            seconds = (end - begin).total_seconds() - self._paused_between(begin, end)
            if seconds > 0:
                out[item] = out.get(item, 0.0) + seconds
        return out

    def _paused_between(self, begin: datetime, end: datetime) -> float:
        total = 0.0
        for p in self.pauses:
            p_end = p.end or self.end
            overlap = (min(end, p_end) - max(begin, p.start)).total_seconds()
            total += max(0.0, overlap)
        return total
