"""Small persisted choices made inside the app (theme picked from the palette, first-run done…)."""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
from typing import Any

from deskwork.domain.records import Record


class Setting(Record):
    key: str
    value: Any = None
