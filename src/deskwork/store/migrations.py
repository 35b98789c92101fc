"""Schema migrations, run on open before records are validated.

Each step upgrades one raw record (a dict) of a given table from version `v` to `v + 1`. Records are
migrated wherever they live — table files, log segments, the journal — and the store is then rewritten
at the new version in one compaction, so a crash mid-migration leaves the old version intact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Migration = Callable[[str, dict[str, Any]], dict[str, Any]]

# version v -> function upgrading a record of table `name` from v to v + 1
MIGRATIONS: dict[int, Migration] = {}


def migrate_record(
    name: str, doc: dict[str, Any], from_version: int, to_version: int
) -> dict[str, Any]:
    for version in range(from_version, to_version):
        step = MIGRATIONS.get(version)
        if step is None:
            raise RuntimeError(f"no migration from schema version {version} to {version + 1}")
        doc = step(name, doc)
    return doc
