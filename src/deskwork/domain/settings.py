"""Small persisted choices made inside the app (theme picked from the palette, first-run done…)."""

from __future__ import annotations

from typing import Any

from deskwork.domain.records import Record


class Setting(Record):
    key: str
    value: Any = None
