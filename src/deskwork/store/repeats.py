"""Repeated keys in a table file's JSON: json keeps the last copy of a repeated key and drops the
others without a word; here each earlier copy is kept, under `"<key> duplicate <n>"`, so that a
record is never lost to a hand edit (the records so kept are reported as damaged)."""

from __future__ import annotations

import json
from typing import Any


class CorruptFile(Exception):
    """A table file that is not a readable TinyDB database of the expected table."""


DUPLICATE = " duplicate "  # the key an earlier copy of a repeated record key is kept under


class _Repeated(dict[str, Any]):
    """A JSON object with a repeated key: `pairs` holds every copy, in the file's order."""

    pairs: list[tuple[str, Any]]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
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
        data = json.loads(raw, object_pairs_hook=_pairs)
    except ValueError as exc:
        raise CorruptFile(f"not JSON ({exc})") from None
    if isinstance(data, _Repeated):
        names = sorted({k for k, _ in data.pairs if [p for p, _ in data.pairs].count(k) > 1})
        raise CorruptFile(f"the table name {names[0]!r} appears more than once")
    if isinstance(data, dict):
        for name, table in data.items():
            if isinstance(table, _Repeated):
                data[name] = _set_aside(table)
    return data


def _set_aside(table: _Repeated) -> dict[str, Any]:
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
