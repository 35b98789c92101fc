"""A table's TinyDB file format: `{"<table>": {"<doc id>": {...}}}`, so `tinydb.TinyDB(path)` opens
it. Documents are validated by the table's pydantic model in one pass over the raw bytes (a slice
at a time); when that fails, records are validated one by one so that a bad record is reported
(table + id) and kept as raw data (written back unchanged at compaction) instead of crashing the
app or being dropped. Writing: the store's compact layout, a few hundred records per call.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from itertools import islice
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import TypeAdapter, ValidationError

from deskwork.domain.records import Record
from deskwork.store import rowjson
from deskwork.store.lean import Lean
from deskwork.store.repeats import (
    DUPLICATE,
    REPEATED_FIELD,
    CorruptFile,
    load_table_json,
    repeated_fields,
    spread,
)

T = TypeVar("T", bound=Record)
ENCODE_CHUNK = 500  # records per serialiser call (~2 ms): another thread gets the GIL in between
SLICE_BYTES = 128 * 1024  # a file's text validated per pydantic call (~2 ms), see _validate_json


class InvalidRecord(NamedTuple):
    """A record its model refused (kept as raw data).
    A NamedTuple, not a frozen dataclass: the class is made at every start, and a
    dataclass's generated methods cost ~0.5 ms to compile (README, "Where a start goes")."""

    table: str
    doc_id: str
    error: str
    where: str = ""  # the file (or "journal-N.jsonl line L") it was read from

    def __str__(self) -> str:
        where = f" in {self.where}" if self.where else ""
        return f"{self.table} record {self.doc_id}{where}: {self.error}"

    def found_in(self, where: str) -> InvalidRecord:
        return self if self.where else self._replace(where=where)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{where}: {err['msg']}"


_NEXT_RECORD = re.compile(rb'\d{1,19}":\{"id":')  # after `},"`: the next record's key, its start


def _record_end(raw: bytes, after: int, end: int) -> int:
    """Where the slice that goes past `after` ends: just after the first `}` followed by the
    next record (`,"<id>":{"id":`), or `end`."""
    while after < end:
        cut = raw.find(b'},"', after, end)
        if cut < 0:
            return end
        if _NEXT_RECORD.match(raw, cut + 3, end):
            return cut + 1
        after = cut + 1
    return end


def _may_repeat(raw: bytes, docs: dict[int, Any]) -> bool:
    """Whether the file may hold more records than were read (a repeated key: the validator
    keeps the last copy). Each record starts `"<id>":{"id":` in the layout the store writes;
    one count in C (~1 ms a MB), and only a file where that count differs (a repeat, a nested
    object that begins with an "id", another layout: a hand edit) is read again, slowly, to tell."""
    return raw.count(b'":{"id":') != len(docs)


class Codec(Generic[T]):
    """Reads and writes one table's TinyDB file format. `model`: the model class, or what gives
    it (store/schema.py's `TABLES` imports it on first use): a table the first frame never reads
    costs no import."""

    def __init__(self, name: str, model: type[T] | Callable[[], type[T]]) -> None:
        self.name = name
        self._model: type[T] | None = model if isinstance(model, type) else None
        self._get_model: Callable[[], type[T]] | None = None if isinstance(model, type) else model
        self._lean: Lean[T] | None = None
        self._made = threading.Lock()
        self._built: TypeAdapter[dict[str, dict[int, T]]] | None = None
        self._rows: TypeAdapter[dict[int, T]] | None = None

    @property
    def model(self) -> type[T]:
        model = self._model
        if model is None:
            assert self._get_model is not None
            model = self._model = self._get_model()
        return model

    @property
    def lean(self) -> Lean[T]:
        """How its records are held in memory (store/lean.py)."""
        made = self._lean
        if made is None:
            with self._made:
                made = self._lean
                if made is None:
                    made = self._lean = Lean(self.model)
        return made

    @property
    def _adapter(self) -> TypeAdapter[dict[str, dict[int, T]]]:
        """Built on first use: tables that load lazily cost nothing at start-up."""
        if self._built is None:
            self._built = TypeAdapter(dict[str, dict[int, self.model]])  # type: ignore[name-defined]
        return self._built

    @property
    def rows_adapter(self) -> TypeAdapter[dict[int, T]]:
        """Records by id without the table around them (a bulk journal op's payload)."""
        if self._rows is None:
            self._rows = TypeAdapter(dict[int, self.model])  # type: ignore[name-defined]
        return self._rows

    def dump_rows(self, docs: dict[int, T]) -> bytes:
        """`{"<id>":{…},…}`: orjson where it writes pydantic's bytes (store/rowjson.py), else
        pydantic."""
        fast = rowjson.dump_rows(self.model, docs)
        return fast if fast is not None else self.rows_adapter.dump_json(docs)

    def dump_items(self, items: list[tuple[int, T]]) -> bytes:
        """`dump_rows` of (id, record) pairs."""
        fast = rowjson.dump_items(self.model, items)
        return fast if fast is not None else self.rows_adapter.dump_json(dict(items))

    def decode(self, raw: bytes) -> tuple[dict[int, T], dict[str, Any], list[InvalidRecord]]:
        """Return (valid docs, raw invalid docs by key, problems). Raises CorruptFile."""
        if not raw.strip():
            raise CorruptFile("the file is empty")
        try:
            docs = self._validate_json(raw)
            if all(doc.id == key for key, doc in docs.items()) and not _may_repeat(raw, docs):
                return self.lean.all(docs), {}, []
        except (ValidationError, KeyError):
            pass
        return self._decode_slowly(raw)

    def _validate_json(self, raw: bytes) -> dict[int, T]:
        """The table's records, validated a slice of about SLICE_BYTES at a time when the file
        has the layout the store writes (`{"<table>":{"<id>":{…},…}}`, no spaces).

        pydantic-core holds the GIL through a call except where it calls back into Python (a
        Python validator, once a record): a month of 85,000 review entries is one 250–300 ms
        call, whose only turns for the event loop are its callbacks. Slices of 128 KB are ~2 ms
        each (the loop's longest wait for it while a worker reads a month: 16–18 -> 1–9 ms,
        benchmarks/decode_wait.py). A slice ends only between `}` and `,"<id>":{"id":`: in
        JSON text a quote inside a string is always escaped, so `},"` is structure, never
        text, and the `}` closes a record or an object nested in one. A cut inside a record
        leaves both slices unbalanced, so their validation fails, and the whole file is then
        validated in one call, as before: never a different result, at worst the old cost.
        A small file is one slice, through the same validator (a table whose last shard is
        small built a second one, for the whole document, ~0.7 ms of a start for sessions)."""
        head = b'{"%s":{' % self.name.encode()
        end = len(raw) - 2
        if not raw.startswith(head) or raw[end:] != b"}}":
            return self._adapter.validate_json(raw)[self.name]
        validate = self.rows_adapter.validate_json
        docs: dict[int, T] = {}
        start = len(head)
        try:
            while start < end:
                cut = _record_end(raw, start + SLICE_BYTES, end)
                docs.update(validate(b"{%s}" % raw[start:cut]))
                start = cut + 1  # past the comma between two records
        except ValidationError:
            return self._adapter.validate_json(raw)[self.name]
        return docs

    def _decode_slowly(
        self, raw: bytes
    ) -> tuple[dict[int, T], dict[str, Any], list[InvalidRecord]]:
        data = load_table_json(raw)
        if not isinstance(data, dict) or self.name not in data:
            raise CorruptFile(f"no {self.name!r} table in it (a TinyDB file of this table has one)")
        if not isinstance(data[self.name], dict):
            raise CorruptFile(f"its {self.name!r} table is not a JSON object")
        return self.validate_raw(data[self.name])

    def validate_raw(
        self, table: dict[str, Any]
    ) -> tuple[dict[int, T], dict[str, Any], list[InvalidRecord]]:
        docs: dict[int, T] = {}
        invalid: dict[str, Any] = {}
        problems: list[InvalidRecord] = []
        for key, value in table.items():
            if DUPLICATE in key:
                invalid[key] = value
                first = key.split(DUPLICATE, 1)[0]
                error = f"an earlier copy of record {first} under the same key (the last copy is used); kept as {key!r}"  # fmt: skip
                problems.append(InvalidRecord(self.name, key, error))
                continue
            repeated = repeated_fields(value)
            if repeated:  # json would keep the last copy of each and drop the others silently
                invalid[key] = spread(value)
                error = f"{repeated[0]}: {REPEATED_FIELD}"
                problems.append(InvalidRecord(self.name, key, error))
                continue
            try:
                doc = self.model.model_validate(value)
                if str(doc.id) != key:
                    raise ValueError(f"id {doc.id} does not match its document key {key}")
                docs[doc.id] = self.lean(doc)
            except ValidationError as exc:
                invalid[key] = value
                problems.append(InvalidRecord(self.name, key, _first_error(exc)))
            except ValueError as exc:
                invalid[key] = value
                problems.append(InvalidRecord(self.name, key, str(exc)))
        return docs, invalid, problems

    def encode(self, docs: dict[int, T], invalid: dict[str, Any]) -> bytes:
        if not invalid and len(docs) > ENCODE_CHUNK:
            return self._encode_in_chunks(docs)
        if not invalid:
            return b'{"%s":%s}' % (self.name.encode(), self.dump_rows(docs))
        merged: dict[str, Any] = {k: v for k, v in invalid.items()}
        for key, doc in docs.items():
            merged[str(key)] = doc.model_dump(mode="json")
        return json.dumps({self.name: merged}, ensure_ascii=False).encode()

    def _encode_in_chunks(self, docs: dict[int, T]) -> bytes:
        """The same bytes as one `dump_json` of the table, serialised a few hundred records
        per call: a month of 20,000 review entries is not one 60 ms hold of the GIL (a
        compaction on a background thread would stall the event loop that long). The pairs are
        taken a chunk at a time: a list of all of them (85,000 tuples, each tracked by the cyclic
        collector, all alive at once) set off full collections that walked them, ~20 ms each."""
        pairs = iter(docs.items())
        parts = []
        while chunk := list(islice(pairs, ENCODE_CHUNK)):
            parts.append(self.dump_items(chunk)[1:-1])
        return b'{"%s":{%s}}' % (self.name.encode(), b",".join(parts))
