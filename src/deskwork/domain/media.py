"""A media file deskwork keeps: its (Anki) name, the sha-256 of its bytes, its size. The bytes live
once per content under the data dir's media folder (see store/media.py)."""

from __future__ import annotations

from pydantic import Field

from deskwork.domain.records import Record


class MediaFile(Record):
    name: str = Field(min_length=1, max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
