"""A table file is validated a slice at a time (store/codec.py `Codec._validate_json`), so that a
worker reading a month of reviews gives the event loop the GIL back every few ms. The slices must
give exactly what one validation of the whole file gives, whatever the records hold: nested objects
with digit keys and text with `},"1` in it (where a careless cut would fall), invalid records
(reported by id, as before) and files not in the store's own layout."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from deskwork.domain.cards import ReviewLog
from deskwork.domain.settings import Setting
from deskwork.store import codec as tables
from deskwork.store.codec import Codec

# Text that looks like the boundary between two records, and keys that look like record ids.
tricky_text = st.sampled_from(['},"1":{', '}},"2', "},", '"', "\\", '},"', "x"]) | st.text(
    max_size=6
)
keys = st.sampled_from(["1", "22", "id", "a"]) | st.text(max_size=3)
json_values = st.recursive(
    st.none() | st.integers(-5, 10**6) | st.booleans() | tricky_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=12,
)


def _whole(codec: Codec[Any], raw: bytes) -> dict[int, Any]:
    adapter: TypeAdapter[Any] = TypeAdapter(dict[str, dict[int, codec.model]])  # type: ignore[name-defined]
    return adapter.validate_json(raw)[codec.name]  # type: ignore[no-any-return]


class CountingRows:
    """The codec's rows adapter, counting its calls (each call is one hold of the GIL)."""

    def __init__(self, codec: Codec[Any]) -> None:
        self.inner = codec.rows_adapter
        self.calls = 0

    def validate_json(self, raw: bytes) -> Any:
        self.calls += 1
        return self.inner.validate_json(raw)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(json_values, min_size=1, max_size=12), st.integers(8, 200))
def test_slices_give_what_the_whole_file_gives(values: list[Any], slice_bytes: int) -> None:
    codec: Codec[Setting] = Codec("settings", Setting)
    docs = {i: Setting(id=i, key=f"k{i}", value=v) for i, v in enumerate(values, start=1)}
    raw = codec.encode(docs, {})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tables, "SLICE_BYTES", slice_bytes)
        got, invalid, problems = codec.decode(raw)
    assert (invalid, problems) == ({}, [])
    assert got == _whole(codec, raw) == docs
    assert [d.model_dump_json() for d in got.values()] == [
        d.model_dump_json() for d in docs.values()
    ]


def _month(n: int) -> dict[int, ReviewLog]:
    t0 = datetime(2026, 7, 1, tzinfo=UTC)
    return {
        i: ReviewLog(
            id=i, card_id=i % 97 + 1, rating=3, ts=t0 + timedelta(seconds=i), duration_ms=900
        )
        for i in range(1, n + 1)
    }


def test_a_month_is_validated_in_many_short_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    codec: Codec[ReviewLog] = Codec("reviews", ReviewLog)
    docs = _month(6000)
    raw = codec.encode(docs, {})
    monkeypatch.setattr(tables, "SLICE_BYTES", 16 * 1024)
    counting = CountingRows(codec)
    monkeypatch.setattr(codec, "_rows", counting)
    got, _, problems = codec.decode(raw)
    assert got == docs and not problems
    assert counting.calls >= len(raw) // (16 * 1024) - 1  # every slice about SLICE_BYTES


def test_an_invalid_record_in_a_sliced_file_is_reported_and_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codec: Codec[ReviewLog] = Codec("reviews", ReviewLog)
    docs = _month(3000)
    data = json.loads(codec.encode(docs, {}))
    data["reviews"]["1500"]["rating"] = "loud"
    raw = json.dumps(data, separators=(",", ":")).encode()
    monkeypatch.setattr(tables, "SLICE_BYTES", 8 * 1024)
    got, invalid, problems = codec.decode(raw)
    assert set(invalid) == {"1500"} and len(got) == 2999
    assert [(p.table, p.doc_id) for p in problems] == [("reviews", "1500")]
    assert "rating" in problems[0].error


def test_a_file_in_another_layout_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """TinyDB's own writer puts spaces in; such a file is validated in one call, as before."""
    codec: Codec[ReviewLog] = Codec("reviews", ReviewLog)
    docs = _month(800)
    raw = json.dumps(json.loads(codec.encode(docs, {}))).encode()  # ", " and ": "
    monkeypatch.setattr(tables, "SLICE_BYTES", 1024)
    counting = CountingRows(codec)
    monkeypatch.setattr(codec, "_rows", counting)
    got, _, problems = codec.decode(raw)
    assert got == docs and not problems and counting.calls == 0


def test_a_cut_inside_a_record_falls_back_to_the_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A value nested in a record that looks like records (`},"2":{"id":…`): a slice cut there
    is unbalanced, fails, and the file is validated whole: the same records, nothing reported."""
    codec: Codec[Setting] = Codec("settings", Setting)
    nested = {"1": {"id": 1, "v": '},"9":{"id":9'}, "2": {"id": 2}, "3": {"id": 3}}
    docs = {i: Setting(id=i, key=f"k{i}", value=nested) for i in range(1, 40)}
    raw = codec.encode(docs, {})
    monkeypatch.setattr(tables, "SLICE_BYTES", 24)
    counting = CountingRows(codec)
    monkeypatch.setattr(codec, "_rows", counting)
    got, invalid, problems = codec.decode(raw)
    assert got == docs and not invalid and not problems
    assert counting.calls == 1  # the first slice, cut inside a record, failed


def test_a_small_file_builds_only_the_rows_validator() -> None:
    """A table's small last shard goes through the validator its big ones use: no second one
    built for the whole document (one fewer schema built for the sessions at every start)."""
    codec: Codec[Setting] = Codec("settings", Setting)
    raw = codec.encode({1: Setting(id=1, key="a", value=1), 2: Setting(id=2, key="b", value=2)}, {})
    assert len(raw) < tables.SLICE_BYTES
    got, invalid, problems = codec.decode(raw)
    assert [s.key for s in got.values()] == ["a", "b"] and not invalid and not problems
    assert codec._built is None and codec._rows is not None
    assert codec.decode(b'{"settings":{}}') == ({}, {}, [])
