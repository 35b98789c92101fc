"""store/rowjson.py writes records with orjson instead of pydantic's serialiser: the bytes must be
pydantic's own, for random records of every model that qualifies, however the record was made
(validated, made lean, copied, built in place by a reader); the models that do not qualify, and the
values orjson refuses, go to pydantic."""

from __future__ import annotations

import enum
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import annotated_types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, field_serializer
from pydantic_core import PydanticSerializationError

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.records import Record
from deskwork.store import rowjson
from deskwork.store.codec import Codec
from deskwork.store.lean import Lean
from deskwork.store.schema import LOGS, TABLES

MODELS = {**TABLES, **LOGS}
PLAIN = sorted((m for m in MODELS.values() if rowjson.plain(m)), key=lambda m: m.__name__)

# Any character; now and then a lone surrogate (pydantic refuses those, and so must we).
text = st.one_of(*[st.text(max_size=12)] * 9, st.text(st.characters(), max_size=12))
moment = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(0)), timezone(timedelta(hours=-7))]),
)  # fmt: skip


def _bounds(meta: list[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in meta:
        if isinstance(m, annotated_types.Ge):
            out["min_value"] = int(m.ge)
        elif isinstance(m, annotated_types.Le):
            out["max_value"] = int(m.le)
    return out


def strategy(annotation: Any, meta: list[Any]) -> st.SearchStrategy[Any]:
    """Values of any kind a field of this type may hold, edges included (ints past 64 bits,
    NaN and infinities, times at the ends of the calendar and in other zones)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *more = typing.get_args(annotation)
        return strategy(base, [*meta, *more])
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy(a, meta) for a in typing.get_args(annotation)))
    if origin is list:
        (item,) = typing.get_args(annotation)
        return st.lists(strategy(item, []), max_size=4)
    if origin is tuple:
        return st.tuples(*(strategy(a, []) for a in typing.get_args(annotation)))
    if annotation is type(None):
        return st.none()
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        limits = _bounds(meta)
        if limits:
            return st.integers(**limits)
        # now and then past 64 bits (orjson refuses those: pydantic writes them)
        return st.one_of(*[st.integers(-(2**63), 2**63 - 1)] * 19, st.integers(-(2**70), 2**70))
    if annotation is float:
        return st.floats(allow_nan=True, allow_infinity=True)
    if annotation is str:
        return text
    if annotation is datetime:
        return moment
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from(list(annotation))
    raise AssertionError(f"no strategy for {annotation!r}")


@st.composite
def record(draw: st.DrawFn, model: type[Record]) -> Record:
    values = {
        name: draw(strategy(f.annotation, list(f.metadata)))
        for name, f in model.model_fields.items()
        if f.is_required() or draw(st.booleans())  # defaults left out too
    }
    try:
        return model.model_validate(values)
    except ValidationError:  # values no record may hold together (a preset's rules): written
        return model.model_construct(**values)  # all the same, as the types they are


def pydantic_bytes(model: type[BaseModel], docs: dict[int, Any]) -> bytes:
    return TypeAdapter(dict[int, model]).dump_json(docs)  # type: ignore[valid-type]


def test_the_big_tables_qualify_and_the_others_are_decided_by_their_fields() -> None:
    assert Card in PLAIN and ReviewLog in PLAIN  # the ones an import writes by the 100,000
    for model in MODELS.values():
        if model not in PLAIN:  # a nested model, a dict, `Any`, a date, a pattern…
            assert any(
                not rowjson._plain_type(f.annotation)
                or not all(rowjson._harmless(m) for m in f.metadata)
                for f in model.model_fields.values()
            ), model


@pytest.mark.parametrize("model", PLAIN, ids=lambda m: m.__name__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rows_are_pydantics_bytes(model: type[Record], data: st.DataObject) -> None:
    docs = {n: data.draw(record(model)) for n in range(data.draw(st.integers(1, 4)))}
    codec = Codec("t", model)
    try:
        expected = pydantic_bytes(model, docs)
    except PydanticSerializationError:  # a lone surrogate: pydantic refuses it, and so do we
        assert rowjson.dump_rows(model, docs) is None
        with pytest.raises(PydanticSerializationError):
            codec.dump_rows(docs)
        return
    fast = rowjson.dump_rows(model, docs)
    if any(_past_64_bits(doc) for doc in docs.values()):
        assert fast is None  # orjson refuses them: pydantic writes them
    else:
        assert fast == expected
    assert codec.dump_rows(docs) == expected  # whichever writes, the bytes are pydantic's
    lean = Lean(model)
    made_lean = {n: lean(doc.model_copy()) for n, doc in docs.items()}
    assert codec.dump_rows(made_lean) == expected
    table = TypeAdapter(dict[str, dict[int, model]])  # type: ignore[valid-type]
    assert codec.encode(docs, {}) == table.dump_json({"t": docs})


def _past_64_bits(doc: BaseModel) -> bool:
    def big(value: Any) -> bool:
        if isinstance(value, list | tuple):
            return any(big(v) for v in value)
        return type(value) is int and not -(2**63) <= value < 2**64

    return any(big(v) for v in doc.__dict__.values())


def test_copies_and_records_built_in_place_are_written_the_same() -> None:
    t = datetime(2025, 3, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    card = Card(id=4, created=t, modified=t, due=t, fields=["a\x1fb", "é"], tags=["x"])
    copied = card.model_copy(update={"deck": "ML::Deep", "state": CardState.REVIEW})
    row = ReviewLog.model_construct(id=9, card_id=4, rating=3, ts=t, anki=(1, 2, 3, 4))
    for model, docs in ((Card, {4: card, 5: copied}), (ReviewLog, {9: row})):
        assert rowjson.dump_rows(model, docs) == pydantic_bytes(model, docs)


def test_models_whose_json_is_not_their_values_go_to_pydantic() -> None:
    class Aliased(Record):
        name: str = Field(default="", serialization_alias="n")

    class Serialised(Record):
        when: datetime

        @field_serializer("when")
        def _day(self, value: datetime) -> str:
            return value.date().isoformat()

    class Nested(Record):
        inner: Aliased

    class Dated(Record):
        day: date

    class Excluded(Record):
        secret: str = Field(default="", exclude=True)

    for model in (Aliased, Serialised, Nested, Dated, Excluded):
        assert not rowjson.plain(model), model
    doc = Serialised(id=1, when=datetime(2025, 1, 1, tzinfo=UTC))
    assert rowjson.dump_rows(Serialised, {1: doc}) is None
    assert Codec("t", Serialised).dump_rows({1: doc}) == b'{"1":{"id":1,"when":"2025-01-01"}}'


def test_a_subclass_record_goes_to_pydantic() -> None:
    class Special(ReviewLog):
        pass

    t = datetime(2025, 1, 1, tzinfo=UTC)
    docs: dict[int, Any] = {1: Special(id=1, card_id=2, rating=3, ts=t)}
    assert rowjson.dump_rows(ReviewLog, docs) is None
