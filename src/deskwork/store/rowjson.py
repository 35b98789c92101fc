"""Records as JSON with orjson: byte for byte what pydantic's serialiser writes, several times faster.

The store writes records by the hundred thousand (an import's year of reviews in its bulk journal
line, a compaction's months). Pydantic's serialiser walks each record's schema (~3 µs a review row);
orjson writes the record's values (its `__dict__`, the fields in their declared order) in well under
a microsecond, and for the values a stored record holds the two agree to the byte: strings and their
escapes, ints, floats (shortest round-trip form, NaN/inf as null), UTC times with `Z`, enums by value,
tuples and lists (tests/store/test_rowjson.py checks that on random records of every plain model).

Only models whose JSON is their plain values qualify (`plain`): no custom serialisers, computed
fields, aliases or excluded fields, and fields of JSON-native types only (no nested models, no
`Any`, dicts, sets, dates or decimals). Anything else, or a value orjson refuses (an int past 64
bits, a lone surrogate), goes to pydantic: `dump_rows` returns None and the caller uses its adapter.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Collection
from datetime import datetime
from typing import Any

import annotated_types
import orjson
from pydantic import BaseModel

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z
_ATOMS = (int, str, bool, float, datetime, type(None))
_PLAIN: dict[type[BaseModel], bool] = {}
# Field metadata that constrains or checks a value without changing how it is written.
_CHECKS = (
    annotated_types.Ge, annotated_types.Gt, annotated_types.Le, annotated_types.Lt,
    annotated_types.MinLen, annotated_types.MaxLen,
)  # fmt: skip


def _plain_type(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return all(_harmless(m) for m in meta) and _plain_type(base)
    if origin in (typing.Union, types.UnionType):
        return all(_plain_type(a) for a in typing.get_args(annotation))
    if origin in (list, tuple):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return all(_plain_type(a) for a in args)
    if origin is not None or not isinstance(annotation, type):
        return False
    if issubclass(annotation, enum.Enum):  # written by value: int or str values only
        return issubclass(annotation, int | str)
    return annotation in _ATOMS


def _harmless(meta: Any) -> bool:
    """Metadata that does not change the JSON: bounds, and validators (they run on the way in)."""
    from pydantic.functional_validators import AfterValidator, BeforeValidator, WrapValidator

    return isinstance(meta, (*_CHECKS, AfterValidator, BeforeValidator, WrapValidator))


def plain(model: type[BaseModel]) -> bool:
    """Is `model`'s JSON its fields' values as orjson writes them? (Decided once per class.)"""
    known = _PLAIN.get(model)
    if known is None:
        decorators = model.__pydantic_decorators__
        config = model.model_config
        known = (
            not decorators.field_serializers
            and not decorators.model_serializers
            and not model.model_computed_fields
            and not config.get("ser_json_timedelta")
            and config.get("ser_json_inf_nan", "null") == "null"
            and config.get("ser_json_bytes", "utf8") == "utf8"
            and not config.get("use_enum_values")
            and not model.__private_attributes__
            and all(
                f.alias is None
                and f.serialization_alias is None
                and not f.exclude
                and all(_harmless(m) for m in f.metadata)
                and _plain_type(f.annotation)
                for f in model.model_fields.values()
            )
        )
        _PLAIN[model] = known
    return known


def dump_rows(model: type[BaseModel], docs: dict[int, Any]) -> bytes | None:
    """`{"<id>":{…},…}` for records of `model`, or None when pydantic must write them."""
    return dump_items(model, docs.items())


def dump_items(model: type[BaseModel], items: Collection[tuple[int, Any]]) -> bytes | None:
    """The same for (id, record) pairs (a slice of a bulk op, without a dict of its own)."""
    if not plain(model):
        return None
    fields = len(model.model_fields)
    rows = {
        key: values
        for key, doc in items
        if type(doc) is model and len(values := doc.__dict__) == fields
    }  # one pass: a record of a subclass or built some other way is left out…
    if len(rows) != len(items):
        return None  # …and then pydantic writes them all
    try:
        return orjson.dumps(rows, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return None
