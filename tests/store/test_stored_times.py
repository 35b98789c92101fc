"""A time as the store writes it (`…T12:58:00Z`, `…:00.123456Z`) is read by `datetime.fromisoformat`
instead of pydantic's parser and `astimezone` (domain/records.py `_utc`, one call out of
pydantic-core instead of two). Both readers must give the very same records: the same values, the
same types and the one `UTC` tzinfo, for every table of a generated store; and a damaged time must
be refused exactly as before, with pydantic's own error, reported and kept raw."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import AfterValidator, BaseModel, TypeAdapter, ValidationError

from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.drafts import Draft, Revision
from deskwork.domain.records import UTCDateTime, _to_utc
from deskwork.domain.sessions import Interruption, ItemChange, Pause, Session, SessionKind
from deskwork.store.manifest import read_manifest
from deskwork.store.schema import LOGS, TABLES
from deskwork.store.store import Store
from deskwork.store.tables import Codec
from tests.helpers import Clock

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "benchmarks"

# What UTCDateTime was before the fast path: pydantic's datetime, then made UTC.
OLD = Annotated[datetime, AfterValidator(_to_utc)]

STORED_TIME = re.compile(rb'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?)Z"')


def _as_offset(raw: bytes) -> bytes:
    """The same file with every stored time written `+00:00`: a shape the fast path leaves to
    pydantic, so these records are read the old way (pydantic's parser, then `astimezone`)."""
    return STORED_TIME.sub(rb'"\1+00:00"', raw)


def _same(a: Any, b: Any, where: str) -> None:
    """`a` and `b` equal, of the same types all the way down, datetimes with the same tzinfo."""
    assert type(a) is type(b), where
    if isinstance(a, BaseModel):
        assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__, where
        for name in type(a).model_fields:
            _same(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, datetime):
        assert a == b and a.tzinfo is b.tzinfo is UTC, where
        assert (a.year, a.microsecond, a.fold) == (b.year, b.microsecond, b.fold), where
    elif isinstance(a, Enum):
        assert a is b, where
    else:
        assert a == b, where


def _generated(data_dir: Path) -> None:
    """The benchmarks' store at a tiny scale, plus records with every kind of stored time: nested
    ones (a session's pauses, interruptions, changes of item), optional ones, microseconds."""
    import sys

    sys.path.insert(0, str(BENCHMARKS))
    try:
        from workload import Scale, generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    generate(
        data_dir,
        Scale("micro", cards=60, reviews=400, items=6, sessions=20, drafts=2, draft_words=50),
    )
    t = datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)
    store = Store.open(data_dir, clock=Clock(), backup_interval_s=10**9)
    with store.transaction() as tx:
        tx.put(
            "sessions",
            Session(
                kind=SessionKind.FOCUS,
                start=t,
                end=t + timedelta(minutes=25),
                planned_s=1500,
                actual_s=1400,
                completed=True,
                pauses=[Pause(start=t + timedelta(minutes=3), end=t + timedelta(minutes=4))],
                interruptions=[Interruption(at=t + timedelta(minutes=5), kind="external")],
                item_changes=[ItemChange(at=t + timedelta(minutes=6), from_item=1, to_item=2)],
            ),
        )
        tx.put("drafts", Draft(title="Dated", date=t, created=t, updated=t, deleted=t))
        tx.put("revisions", Revision(draft_id=1, ts=t, title="Dated", body="text"))
    store.close()  # compacts: every table and month in files


def test_every_table_reads_the_same_records_by_either_reader(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _generated(data_dir)
    manifest = read_manifest(data_dir)
    assert manifest is not None
    files = [(name, f) for name, shards in manifest.tables.items() for f in shards.values()]
    files += [
        (name, f) for name, months in manifest.logs.items() for m in months.values() for f in m
    ]
    assert {"cards", "reviews", "items", "sessions", "drafts", "revisions"} <= {n for n, _ in files}
    times = 0
    for name, file_name in files:
        codec: Codec[Any] = Codec(name, TABLES[name] if name in TABLES else LOGS[name])
        raw = (data_dir / file_name).read_bytes()
        times += len(STORED_TIME.findall(raw))
        new, invalid, problems = codec.decode(raw)
        old, old_invalid, old_problems = codec.decode(_as_offset(raw))
        assert (invalid, problems, old_invalid, old_problems) == ({}, [], {}, []), file_name
        assert new and list(new) == list(old), file_name
        _same(new, old, file_name)
    assert times > 500  # the fast path was taken (and compared) that many times


ODD_TIMES = [
    "2026-10-19T12:58:00Z",
    "2026-10-19T12:58:00.123456Z",
    "2026-02-30T12:00:00Z",  # the shape, out of range: pydantic's error
    "2026-13-01T12:00:00Z",
    "2026-10-19T24:00:00Z",
    "2026-10-19T12:60:00Z",
    "0000-10-19T12:58:00Z",
    "2026-W42-1T12:58:00Z",  # a week date: fromisoformat reads it, pydantic does not
    "2026-10-19T125800.1Z",  # basic time format, 20 characters
    "2026-10-19T12:58:00,123456Z",
    "2026-10-19T12:58:00.12345xZ",
    "2026-10-19T12:58:00.123Z",
    "2026-10-19 12:58:00Z",
    "2026-10-19T12:58:00",  # naive: refused by our own check
    "2026-10-19T12:58:00+02:00",
    "2026-10-19T12:58:00z",
    "２０２６-10-19T12:58:00Z",
    "2026-1০-19T12:58:00Z",
    "",
    "Z" * 20,
    1_760_000_000,
    None,
]


@pytest.mark.parametrize("value", ODD_TIMES)
def test_any_time_is_read_or_refused_as_pydantic_alone_does(value: Any) -> None:
    for mode in ("json", "python"):
        outcomes = []
        for annotation in (UTCDateTime, OLD):
            adapter: TypeAdapter[Any] = TypeAdapter(annotation)
            try:
                if mode == "json":
                    got = adapter.validate_json(TypeAdapter(Any).dump_json(value))
                else:
                    got = adapter.validate_python(value)
                outcomes.append(("ok", got, type(got), got.tzinfo))
            except ValidationError as exc:
                outcomes.append(("refused", exc.errors(include_url=False, include_context=False)))
        assert outcomes[0] == outcomes[1], (mode, value)
        if outcomes[0][0] == "ok":
            assert outcomes[0][3] is UTC


def test_a_damaged_stored_time_is_reported_and_kept_raw_as_before(tmp_path: Path) -> None:
    """Through the store: a session whose start has the stored shape but no such day is refused
    with pydantic's own words, named, kept raw and written back unchanged."""
    data_dir = tmp_path / "data"
    t = datetime(2026, 2, 27, 9, 0, tzinfo=UTC)
    store = Store.open(data_dir, clock=Clock(), backup_interval_s=10**9)
    with store.transaction() as tx:
        for i in range(3):
            tx.put("cards", Card(fields=["q", "a"], created=t, modified=t, due=t))
            tx.put(
                "sessions",
                Session(
                    kind=SessionKind.FOCUS,
                    start=t + timedelta(days=i),
                    end=t + timedelta(days=i, minutes=25),
                    planned_s=1500,
                    actual_s=1500,
                    completed=True,
                ),
            )
        tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=t, duration_ms=900))
    store.close()
    from tests.store.test_damaged_records import _rewrite

    name = _rewrite(
        data_dir,
        "sessions",
        lambda raw: raw.replace(
            b'"start":"2026-02-28T09:00:00Z"', b'"start":"2026-02-30T09:00:00Z"'
        ),
    )
    store = Store.open(data_dir, clock=Clock(), backup_interval_s=10**9)
    assert store.report.problems == [
        f"sessions record 2 in {name}: start: Input should be a valid datetime or date, "
        "day value is outside expected range"
    ]
    assert sorted(s.id for s in store.sessions.all()) == [1, 3]
    store.close()  # written back unchanged, in whichever file holds the table now
    assert any(
        b'"start":"2026-02-30T09:00:00Z"' in p.read_bytes()
        for p in data_dir.glob("sessions-*.json")
    )
