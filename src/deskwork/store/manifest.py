"""The manifest: which immutable files make up the store right now, their checksums, schema version
and id counters.

Replacing the manifest atomically is the commit point of a compaction; every other file it names is
written once and never modified, which is what makes consistent lock-free reads and cheap backups
possible. The manifest checks itself (`check`, a digest of everything else in it) and records a
`FileSum` for each file it names, so a flipped bit anywhere is found, never read as "no data".
"""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deskwork.domain.records import empty_dict
from deskwork.store import schema
from deskwork.store.checksums import FileSum, digest, highest_id
from deskwork.store.files import read_path
from deskwork.store.fsutil import atomic_write
from deskwork.store.schema import LOGS, TABLES

MANIFEST_NAME = "manifest.json"
MANIFEST_COPY = "manifest.copy.json"  # the same manifest, written first: one damaged is not lost
TABLE_FILE = re.compile(r"^(?P<name>[a-z_]+)-s(?P<shard>\d+)-(?P<gen>\d+)\.json$")
SEGMENT_FILE = re.compile(r"^(?P<name>[a-z_]+)-(?P<month>\d{4}-\d{2})-(?P<gen>\d+)\.json$")
JOURNAL_FILE = re.compile(r"^journal-(?P<gen>\d+)\.jsonl$")


def file_gen(name: str) -> int | None:
    """The generation in a data file's name (None for other files)."""
    m = TABLE_FILE.match(name) or SEGMENT_FILE.match(name) or JOURNAL_FILE.match(name)
    return int(m["gen"]) if m else None


class Manifest(BaseModel):
    # a damaged key is damage, not an unknown extra; built when the store first reads one
    model_config = ConfigDict(extra="forbid", defer_build=True)

    format: Literal["deskwork-store"] = "deskwork-store"
    schema_version: int
    gen: int = Field(ge=0)
    tables: dict[str, dict[int, str]] = Field(default_factory=empty_dict)  # table -> shard -> file
    logs: dict[str, dict[str, list[str]]] = Field(default_factory=empty_dict)
    counters: dict[str, int] = Field(default_factory=empty_dict)
    # file -> checksum, size, ids: every data file above plus the journals kept for recovery.
    # None: a store written before checksums (verified by parsing until the first writer open).
    sums: dict[str, FileSum] | None = None
    # The oldest generation whose journal continues this store's history without a jump (a
    # restore, a migration or a lossy recovery starts a new chain): backups older than it
    # can give exact copies of files, never a base to replay journals on.
    chain_from: int = 0
    check: str = ""  # digest of the rest: a flipped bit anywhere in the manifest is found

    @property
    def journal(self) -> str:
        return f"journal-{self.gen}.jsonl"

    def files(self) -> list[str]:
        """Every data file the manifest names (journals excluded)."""
        names = [name for shards in self.tables.values() for name in shards.values()]
        for months in self.logs.values():
            for segs in months.values():
                names.extend(segs)
        return names

    def kept_journals(self) -> dict[int, str]:
        """Older generations' journals kept for replay on top of a backup: gen -> name."""
        out = {}
        for name in self.sums or {}:
            m = JOURNAL_FILE.match(name)
            if m:
                out[int(m["gen"])] = name
        return out

    def raise_counters(self) -> None:
        """No counter below an id the files hold: each table's and log's highest id, read from
        its files' checksum id ranges (no file is read; ~0.05 ms). A manifest an older deskwork
        wrote may count below ids written with their own id (an import, a restore of records)."""
        if not self.sums:
            return
        counters = self.counters
        for name, files in [
            *((t, list(shards.values())) for t, shards in self.tables.items()),
            *(
                (lg, [f for segs in months.values() for f in segs])
                for lg, months in self.logs.items()
            ),
        ]:
            top = max((highest_id(s.ids) for f in files if (s := self.sums.get(f))), default=0)
            if top and counters.get(name, 1) <= top:
                counters[name] = top + 1

    def owner_of(self, name: str) -> tuple[str, int | str] | None:
        """(table, shard) or (log, month) of a data file the manifest names."""
        for table, shards in self.tables.items():
            for shard, file in shards.items():
                if file == name:
                    return table, shard
        for log, months in self.logs.items():
            for month, segs in months.items():
                if name in segs:
                    return log, month
        return None

    def digest(self) -> str:
        body = self.model_dump(mode="json", exclude={"check"})
        return digest(json.dumps(body, sort_keys=True).encode())


class BadManifest(Exception):
    pass


class NewerStore(Exception):
    """A manifest written by a newer deskwork (intact): never to be "repaired" by this one."""


def _sealed_digest(data: dict[str, object]) -> str:
    body = {k: v for k, v in data.items() if k != "check"}
    return digest(json.dumps(body, sort_keys=True).encode())


def parse_manifest(raw: bytes, where: Path) -> Manifest:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BadManifest(f"{where}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise BadManifest(f"{where}: not a manifest")
    if "check" in data and data["check"] != _sealed_digest(data):
        raise BadManifest(f"{where}: its checksum does not match its content")
    version = data.get("schema_version")
    known = schema.SCHEMA_VERSION
    if isinstance(version, int) and version > known:
        raise NewerStore(
            f"{where.parent} was written by a newer deskwork (schema {version}, this one knows "
            f"{known}); upgrade deskwork"
        )
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise BadManifest(f"{where}: {loc + ': ' if loc else ''}{err['msg']}") from None
    if manifest.sums is not None and not manifest.check:
        raise BadManifest(f"{where}: its checksum is missing")
    unknown = (set(manifest.tables) - set(TABLES)) | (set(manifest.logs) - set(LOGS))
    if unknown:
        raise BadManifest(f"{where}: names tables this store does not have: {sorted(unknown)}")
    if manifest.sums is not None:
        unsummed = [n for n in manifest.files() if n not in manifest.sums]
        if unsummed:
            raise BadManifest(f"{where}: no checksum for {unsummed[0]}")
    return manifest


def read_manifest(folder: Path, name: str = MANIFEST_NAME) -> Manifest | None:
    """The manifest in `folder`, None if there is none. Raises BadManifest if it is unreadable."""
    path = folder / name
    try:
        raw = read_path(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a directory in its place, no permission…
        raise BadManifest(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse_manifest(raw, path)


def manifest_bytes(manifest: Manifest) -> bytes:
    sealed = manifest.model_copy(update={"check": manifest.digest()})
    return json.dumps(sealed.model_dump(mode="json"), indent=1).encode()


def write_manifest(folder: Path, manifest: Manifest, *, copy: bool = False) -> None:
    """Replace the manifest (the commit point); with `copy`, its copy is written first."""
    data = manifest_bytes(manifest)
    if copy:
        atomic_write(folder / MANIFEST_COPY, data)
    atomic_write(folder / MANIFEST_NAME, data)
