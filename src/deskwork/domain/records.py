"""The base every stored record derives from, and the UTC time helpers the models share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("datetime must carry a timezone (deskwork stores UTC)")
    return value.astimezone(UTC)


UTCDateTime = Annotated[datetime, AfterValidator(_to_utc)]
"""A timezone-aware datetime, normalised to UTC. Naive datetimes are rejected, not guessed."""


def utcnow() -> datetime:
    """The real clock. Domain code takes a clock parameter; this is the default one."""
    return datetime.now(UTC)


class Record(BaseModel):
    """A stored document. `id` is the TinyDB document id; 0 means "not stored yet"."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: int = 0
