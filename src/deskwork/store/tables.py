"""In-memory views of the store's tables and logs, with the (de)serialisation of their TinyDB files.

A table file is a TinyDB database: `{"<table>": {"<doc id>": {...}}}`, so `tinydb.TinyDB(path)` opens
it. Documents are validated by the table's pydantic model in one pass over the raw bytes; when that
fails, records are validated one by one so that a bad record is reported (table + id) and kept as raw
data (written back unchanged at compaction) instead of crashing the app or being dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from deskwork.domain.records import Record

T = TypeVar("T", bound=Record)


class CorruptFile(Exception):
    """A table file that is not a readable TinyDB database of the expected table."""


@dataclass(frozen=True)
class InvalidRecord:
    table: str
    doc_id: str
    error: str

    def __str__(self) -> str:
        return f"{self.table} record {self.doc_id}: {self.error}"


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{where}: {err['msg']}"


class Codec(Generic[T]):
    """Reads and writes one table's TinyDB file format."""

    def __init__(self, name: str, model: type[T]) -> None:
        self.name = name
        self.model = model
        self._fast = TypeAdapter(dict[str, dict[int, model]])  # type: ignore[valid-type]
        self._dump = TypeAdapter(dict[str, dict[int, model]])  # type: ignore[valid-type]

    def decode(self, raw: bytes) -> tuple[dict[int, T], dict[str, Any], list[InvalidRecord]]:
        """Return (valid docs, raw invalid docs by key, problems). Raises CorruptFile."""
        if not raw.strip():
            raise CorruptFile("the file is empty")
        try:
            docs: dict[int, T] = self._fast.validate_json(raw)[self.name]
            if all(doc.id == key for key, doc in docs.items()):
                return docs, {}, []
        except (ValidationError, KeyError):
            pass
        return self._decode_slowly(raw)

    def _decode_slowly(self, raw: bytes) -> tuple[dict[int, T], dict[str, Any], list[InvalidRecord]]:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise CorruptFile(f"not JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get(self.name, {}), dict):
            raise CorruptFile(f"not a TinyDB database with a {self.name!r} table")
        return self.validate_raw(data.get(self.name, {}))

    def validate_raw(
        self, table: dict[str, Any]
    ) -> tuple[dict[int, T], dict[str, Any], list[InvalidRecord]]:
        docs: dict[int, T] = {}
        invalid: dict[str, Any] = {}
        problems: list[InvalidRecord] = []
        for key, value in table.items():
            try:
                doc = self.model.model_validate(value)
                if str(doc.id) != key:
                    raise ValueError(f"id {doc.id} does not match its document key {key}")
                docs[doc.id] = doc
            except ValidationError as exc:
                invalid[key] = value
                problems.append(InvalidRecord(self.name, key, _first_error(exc)))
            except ValueError as exc:
                invalid[key] = value
                problems.append(InvalidRecord(self.name, key, str(exc)))
        return docs, invalid, problems

    def encode(self, docs: dict[int, T], invalid: dict[str, Any]) -> bytes:
        if not invalid:
            return self._dump.dump_json({self.name: docs})
        merged: dict[str, Any] = {k: v for k, v in invalid.items()}
        for key, doc in docs.items():
            merged[str(key)] = doc.model_dump(mode="json")
        return json.dumps({self.name: merged}, ensure_ascii=False).encode()


class Table(Generic[T]):
    """One table held whole in memory. Reads are dict lookups; writes go through a transaction."""

    def __init__(self, codec: Codec[T]) -> None:
        self.codec = codec
        self.name = codec.name
        self.docs: dict[int, T] = {}
        self.invalid: dict[str, Any] = {}
        self.dirty = False

    def get(self, doc_id: int) -> T | None:
        return self.docs.get(doc_id)

    def all(self) -> list[T]:
        return list(self.docs.values())

    def find(self, predicate: Callable[[T], bool]) -> list[T]:
        return [doc for doc in self.docs.values() if predicate(doc)]

    def __iter__(self) -> Iterator[T]:
        return iter(list(self.docs.values()))

    def __len__(self) -> int:
        return len(self.docs)

    # applied by the store once a transaction is durable
    def _put(self, doc: T) -> None:
        self.docs[doc.id] = doc
        self.invalid.pop(str(doc.id), None)
        self.dirty = True

    def _delete(self, doc_id: int) -> None:
        self.docs.pop(doc_id, None)
        self.invalid.pop(str(doc_id), None)
        self.dirty = True
