"""Repeated keys in the store's JSON (a table file, a journal line): json keeps the last copy of a
repeated key and drops the others without a word; here each earlier copy is kept, under
`"<key> duplicate <n>"`, so that nothing is lost to a hand edit. A repeated record key (in a
table, or in a bulk op's records) keeps the last copy as the record and each earlier one as a
damaged record; a repeated field inside a record makes the record damaged (kept raw, the earlier
copies under their "duplicate" names); both are reported."""

from __future__ import annotations

import json
from typing import Any


class CorruptFile(Exception):
    """A table file that is not a readable TinyDB database of the expected table."""


DUPLICATE = " duplicate "  # the key an earlier copy of a repeated record key is kept under
REPEATED_FIELD = (
    "written more than once in the record (JSON keeps the last copy); the record is kept as "
    'read, each earlier copy beside it as "<field> duplicate <n>"'
)


class _Repeated(dict[str, Any]):
    """A JSON object with a repeated key: `pairs` holds every copy, in the file's order."""

    pairs: list[tuple[str, Any]]


def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads(…, object_pairs_hook=pairs_hook)`: an object with a repeated key keeps them all."""
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    repeated = _Repeated(out)
    repeated.pairs = pairs
    return repeated


def load_table_json(raw: bytes) -> Any:
    """A TinyDB file's JSON. A record key that appears twice (`{"1":{…},"1":{…}}`: json keeps
    the last and drops the other without a word) keeps the last copy under its key and each
    earlier one as `"<key> duplicate <n>"`, an invalid record (reported, written back unchanged)
    for the user to recover. A repeated table name makes the file corrupt. Raises CorruptFile."""
    try:
        data = json.loads(raw, object_pairs_hook=pairs_hook)
    except ValueError as exc:
        raise CorruptFile(f"not JSON ({exc})") from None
    if isinstance(data, _Repeated):
        names = sorted({k for k, _ in data.pairs if [p for p, _ in data.pairs].count(k) > 1})
        raise CorruptFile(f"the table name {names[0]!r} appears more than once")
    if isinstance(data, dict):
        for name, table in data.items():
            if isinstance(table, _Repeated):
                data[name] = set_aside(table)
    return data


def set_aside(table: dict[str, Any]) -> dict[str, Any]:
    """`table` (records by key) with each earlier copy of a repeated key as `"<key> duplicate <n>"`."""
    if not isinstance(table, _Repeated):
        return table
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    last = {key: i for i, (key, _) in enumerate(table.pairs)}
    for i, (key, value) in enumerate(table.pairs):
        if last[key] == i:
            out[key] = value
        else:
            seen[key] = seen.get(key, 0) + 1
            out[f"{key}{DUPLICATE}{seen[key]}"] = value
    return out


def record_number(key: object) -> int:
    """The record id a key stands for: `12`, `"12"`, or an earlier copy's `"12 duplicate 1"`."""
    return int(str(key).split(DUPLICATE, 1)[0])


def repeated_fields(value: Any, where: str = "") -> list[str]:
    """The keys repeated inside a record, at any depth, as dotted paths (`fields.0.front`)."""
    found: list[str] = []
    if isinstance(value, _Repeated):
        names = [k for k, _ in value.pairs]
        found += [f"{where}{k}" for k in dict.fromkeys(names) if names.count(k) > 1]
    if isinstance(value, dict):
        for key, item in value.items():
            found += repeated_fields(item, f"{where}{key}.")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += repeated_fields(item, f"{where}{i}.")
    return found


def spread(value: Any) -> Any:
    """A record as plain JSON data, each earlier copy of a repeated key kept beside the last one
    as `"<key> duplicate <n>"` (at any depth): written back, it loses nothing."""
    if isinstance(value, dict):
        return {k: spread(v) for k, v in set_aside(value).items()}
    if isinstance(value, list):
        return [spread(v) for v in value]
    return value
