"""The manifest: which immutable files make up the store right now, plus schema version and id counters.

Replacing the manifest atomically is the commit point of a compaction; every other file it names is
written once and never modified, which is what makes consistent lock-free reads and cheap backups
possible.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from deskwork.store.fsutil import atomic_write

MANIFEST_NAME = "manifest.json"
TABLE_FILE = re.compile(r"^(?P<name>[a-z_]+)-s(?P<shard>\d+)-(?P<gen>\d+)\.json$")
SEGMENT_FILE = re.compile(r"^(?P<name>[a-z_]+)-(?P<month>\d{4}-\d{2})-(?P<gen>\d+)\.json$")
JOURNAL_FILE = re.compile(r"^journal-(?P<gen>\d+)\.jsonl$")


class Manifest(BaseModel):
    format: Literal["deskwork-store"] = "deskwork-store"
    schema_version: int
    gen: int = Field(ge=0)
    tables: dict[str, dict[int, str]] = Field(default_factory=dict)  # table -> shard -> file
    logs: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    counters: dict[str, int] = Field(default_factory=dict)

    @property
    def journal(self) -> str:
        return f"journal-{self.gen}.jsonl"

    def files(self) -> list[str]:
        """Every data file the manifest names (journal excluded)."""
        names = [name for shards in self.tables.values() for name in shards.values()]
        for months in self.logs.values():
            for segs in months.values():
                names.extend(segs)
        return names


class BadManifest(Exception):
    pass


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest in `folder`, None if there is none. Raises BadManifest if it is unreadable."""
    path = folder / MANIFEST_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return Manifest.model_validate_json(raw)
    except ValidationError as exc:
        raise BadManifest(f"{path}: {exc.errors()[0]['msg']}") from None


def write_manifest(folder: Path, manifest: Manifest) -> None:
    atomic_write(folder / MANIFEST_NAME, json.dumps(manifest.model_dump(), indent=1).encode())
