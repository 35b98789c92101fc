"""Schema migrations, run on open before records are validated.

Each step upgrades one raw record (a dict) of a given table from version `v` to `v + 1`. Records are
migrated wherever they live — table files, log segments, the journal — and the store is then rewritten
at the new version in one compaction, so a crash mid-migration leaves the old version intact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Migration = Callable[[str, dict[str, Any]], dict[str, Any]]


def _notes(name: str, doc: dict[str, Any]) -> dict[str, Any]:
    """1 -> 2: a card carries its note's ordered fields (a two-field note: front, back) instead of
    `front` / `back`; the stock note type keys (basic, reversed, cloze) are unchanged."""
    if name == "cards" and "fields" not in doc:
        doc = dict(doc)
        doc["fields"] = [doc.pop("front", ""), doc.pop("back", "")]
    return doc


# version v -> function upgrading a record of table `name` from v to v + 1
MIGRATIONS: dict[int, Migration] = {1: _notes}


def migrate_record(
    name: str, doc: dict[str, Any], from_version: int, to_version: int
) -> dict[str, Any]:
    for version in range(from_version, to_version):
        step = MIGRATIONS.get(version)
        if step is None:
            raise RuntimeError(f"no migration from schema version {version} to {version + 1}")
        doc = step(name, doc)
    return doc
