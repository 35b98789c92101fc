"""The Anki import's fast paths against plain references (README "Import speed"):

- the reader builds review-log records itself (no pydantic call per row): each one must be the
  record pydantic validates from the same values, and the rows kept, their order and values those
  of a plain reading of the revlog — for random revlogs, odd SQLite values included;
- it builds cards itself when the values the file gives are plain integers: each card, and each
  refusal, must be what pydantic makes of the same values — for collections whose card and note
  rows hold random odd values;
- the import numbers a file's entries in time order straight from the reader's list: the store
  must hold what the slow way (entries gathered per card and sorted) gives, and the journal line
  must replay to the very same records.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.revieworder import describe_retrievability, retrievability
from deskwork.interop.anki import AnkiError, reader, schedule
from deskwork.interop.anki.days import AnkiDays
from deskwork.interop.anki.model import Deadline, ImportLimits
from deskwork.interop.anki.package import read_package, write_package
from deskwork.interop.anki.reader import _history
from deskwork.interop.anki.schedule import schedule_of
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import import_deck
from deskwork.store.logs import month_of
from tests.helpers import crash, make_card

MAX_ID = 253402300799999
STATES = (CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING) + (CardState.REVIEW,) * 3

ints = st.integers(-(2**40), 2**40)
# What SQLite may hold in a column without affinity: mostly integers, and now and then a float,
# a number as text, a word or NULL.
odd = st.one_of(
    *[ints] * 6,
    st.floats(-1e9, 1e9, allow_nan=False),
    ints.map(str),
    st.just("abc"),
    st.none(),
)
ids = st.one_of(*[st.integers(0, 2_000_000_000_000)] * 8, st.integers(-(2**40), -1), odd)


def _whole(value: Any) -> int:
    """A value as SQLite's cast(… as integer), 0 for NULL (coalesce)."""
    if value is None:
        return 0
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return 0
    return int(value)


def reference(rows: list[tuple[Any, ...]]) -> list[tuple[int, ReviewLog]]:
    """(Anki card id, entry) for the revlog rows, read the plain way: pydantic validates each."""
    out: list[tuple[int, ReviewLog]] = []
    answered: set[int] = set()
    kept = [r for r in rows if all(type(r[i]) is int for i in (0, 1, 2, 7)) and 0 <= r[0] <= MAX_ID]
    for rid, cid, ease, ivl, last_ivl, factor, rtime, rtype in sorted(kept, key=lambda r: r[0]):
        manual = rtype if rtype in (4, 5) else 0
        if not manual and not (1 <= ease <= 4 and rtype in (0, 1, 2, 3)):
            continue
        first = not manual and cid not in answered
        if not manual:
            answered.add(cid)
        entry = ReviewLog.model_validate(
            {
                "id": 0,
                "card_id": cid,
                "rating": 0 if manual else ease,
                "ts": datetime.fromtimestamp(rid / 1000, UTC),
                "duration_ms": max(0, min(_whole(rtime), 3_600_000)),
                "state": STATES[rtype],
                "was_new": first and rtype == 0,
                "manual": manual,
                "anki": (rid, _whole(ivl), _whole(last_ivl), _whole(factor)),
            }
        )
        out.append((cid, entry))
    return out


@st.composite
def revlogs(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    n = draw(st.integers(0, 40))
    if draw(st.booleans()):  # as Anki writes it: integers throughout (the reader's plain query)
        return _clean_rows(draw, n)
    rows = []
    used: set[Any] = set()
    for _ in range(n):
        rid = draw(ids)
        if rid in used:  # Anki's revlog id is its primary key
            continue
        used.add(rid)
        rows.append(
            (
                rid,
                draw(st.one_of(*[st.integers(1, 6)] * 8, odd)),  # a few cards, each answered often
                draw(st.one_of(*[st.integers(0, 5)] * 8, odd)),
                draw(odd),
                draw(odd),
                draw(odd),
                draw(odd),
                draw(st.one_of(*[st.integers(0, 6)] * 8, odd)),
            )
        )
    return rows


def _clean_rows(draw: st.DrawFn, n: int) -> list[tuple[Any, ...]]:
    rids = draw(st.lists(st.integers(0, 2_000_000_000_000), min_size=n, max_size=n, unique=True))
    small = st.integers(-(2**31), 2**31)
    return [
        (rid, draw(st.integers(1, 6)), draw(st.integers(0, 5)), draw(small), draw(small),
         draw(small), draw(small), draw(st.integers(0, 6)))
        for rid in rids
    ]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=revlogs())
def test_the_readers_entries_are_what_pydantic_makes_of_a_plain_reading(
    rows: list[tuple[Any, ...]],
) -> None:
    db = sqlite3.connect(":memory:")
    # no column types: SQLite keeps each value as given, as a hostile or damaged file may have it
    db.execute("create table revlog (id, cid, ease, ivl, lastIvl, factor, time, type)")
    db.executemany("insert into revlog values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    by_card, ordered = _history(db, lambda: None)
    expected = reference(rows)
    assert [(e.anki_id, e.__dict__) for e in ordered] == [
        (e.anki_id, e.__dict__) for _, e in expected
    ]
    for entry in ordered:  # each a record pydantic accepts as it is, every field given
        assert ReviewLog.model_validate(entry.model_dump()) == entry
        assert entry.model_fields_set == set(ReviewLog.model_fields)
    per_card: dict[int, list[ReviewLog]] = {}
    for cid, entry in expected:
        per_card.setdefault(cid, []).append(entry)
    assert {cid: [e.__dict__ for e in es] for cid, es in by_card.items()} == {
        cid: [e.__dict__ for e in es] for cid, es in per_card.items()
    }


def _package(tmp_path: Path, seed: int) -> Path:
    """A package of 40 cards whose history (answers and manual entries) is random, spread over
    several months, some of it in the same millisecond on different cards."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    cards, history = [], {}
    for n in range(1, 41):
        card = make_card(f"front {n}", id=n, note_guid=f"g{n}", anki_id=1_700_000_000_000 + n)
        cards.append(card)
        when = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 200))
        logs = []
        for _ in range(rng.randrange(0, 25)):
            when += timedelta(seconds=rng.choice([0, 1, 3600, 86400 * rng.randrange(1, 30)]))
            manual = rng.random() < 0.1
            logs.append(
                ReviewLog(
                    id=0,
                    card_id=n,
                    rating=0 if manual else rng.randrange(1, 5),
                    ts=when,
                    duration_ms=rng.randrange(0, 90_000),
                    state=rng.choice(list(CardState)),
                    manual=4 if manual else 0,
                )
            )
        history[n] = logs
    path = tmp_path / f"random-{seed}.apkg"
    write_package(path, cards, history, start + timedelta(days=400), data_dir=tmp_path)
    return path


def _entries(desk: Desk) -> list[dict[str, Any]]:
    return [e.model_dump() for e in sorted(desk.store.reviews.iter_all(), key=lambda e: e.id)]


def test_an_import_numbers_entries_in_time_order_as_the_slow_way_does(tmp_path: Path) -> None:
    for seed in range(4):
        package = _package(tmp_path, seed)
        fast_dir, slow_dir = tmp_path / f"fast{seed}", tmp_path / f"slow{seed}"
        fast = Desk.open(Paths(fast_dir, fast_dir))
        report = import_deck(fast, read_package(package, data_dir=fast_dir))
        slow = Desk.open(Paths(slow_dir, slow_dir))
        deck = read_package(package, data_dir=slow_dir)
        deck.revlog = []  # the way for entries that are not on the file's list: gathered, sorted
        import_deck(slow, deck)
        entries = _entries(fast)
        assert report.reviews == len(entries) > 0
        assert entries == _entries(slow)
        # numbered in time order: each month's entries are one range of ids
        assert [e["ts"] for e in entries] == sorted(e["ts"] for e in entries)
        months: dict[str, list[int]] = {}
        for e in entries:
            months.setdefault(month_of(e["ts"]), []).append(e["id"])
        for numbers in months.values():
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        # each card's entries are the file's, in the file's order
        by_anki = {c.anki_id: c.id for c in fast.store.cards.all()}
        theirs = _revlog_of(package, tmp_path / f"c{seed}.db")
        for cid, rows in theirs.items():
            ours = [e for e in entries if e["card_id"] == by_anki[cid]]
            assert [(e["anki"][0], e["rating"], e["manual"]) for e in ours] == rows
        slow.close()
        # the bulk journal line (orjson's bytes) replays to the very same records
        crash(fast.store)
        again = Desk.open(Paths(fast_dir, fast_dir))
        assert _entries(again) == entries
        again.close()


def _revlog_of(package: Path, db_file: Path) -> dict[int, list[tuple[int, int, int]]]:
    import zipfile

    db_file.write_bytes(zipfile.ZipFile(package).read("collection.anki2"))
    db = sqlite3.connect(db_file)
    out: dict[int, list[tuple[int, int, int]]] = {}
    for rid, cid, ease, rtype in db.execute("select id, cid, ease, type from revlog order by id"):
        manual = rtype if rtype in (4, 5) else 0
        out.setdefault(cid, []).append((rid, 0 if manual else ease, manual))
    db.close()
    return out


# A collection with cards of every kind (new, learning, review, relearning; suspended, buried,
# flagged; two note types), whose rows the test below damages at random.
_BASE: dict[str, bytes] = {}


def _base_collection(tmp_path: Path) -> bytes:
    if "db" not in _BASE:
        import zipfile

        t = datetime(2025, 6, 1, tzinfo=UTC)
        cards, history = [], {}
        for n in range(1, 13):
            state = list(CardState)[n % 3]
            done = n % 4 != 0
            card = make_card(
                f"front {n}", id=n, note_guid=f"g{n}", anki_id=1_700_000_000_000 + n,
                note_type="reversed" if n % 5 == 0 else "basic", ord=1 if n % 10 == 0 else 0,
                state=state, stability=3.5 if done else None, difficulty=5.0 if done else None,
                last_review=t if done else None, due=t + timedelta(days=n), reps=n, lapses=n % 2,
                suspended=n == 3, flag=n % 8, tags=["t1", "t2"][: n % 3],
            )  # fmt: skip
            cards.append(card)
            history[n] = [
                ReviewLog(id=0, card_id=n, rating=3, ts=t - timedelta(days=k)) for k in range(n % 3)
            ]
        path = tmp_path / "base.apkg"
        write_package(path, cards, history, t + timedelta(days=30), data_dir=tmp_path)
        _BASE["db"] = zipfile.ZipFile(path).read("collection.anki2")
    return _BASE["db"]


odd_value = st.one_of(
    st.integers(-3, 3), st.integers(-(2**63), 2**63 - 1), st.floats(-1e6, 1e6),
    st.sampled_from([1.0, 2.5, -1.5, "1", "2", "-1", "abc", "", None, b"\x01", 10**12, 2**62]),
)  # fmt: skip
CARD_COLUMNS = ["id", "ord", "mod", "type", "queue", "due", "odue", "ivl", "reps", "lapses",
                "flags", "data"]  # fmt: skip
NOTE_COLUMNS = ["mod", "tags", "flds"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    damage=st.lists(
        st.tuples(
            st.sampled_from(["cards", "notes"]),
            st.integers(0, 11),
            st.sampled_from(CARD_COLUMNS),
            st.sampled_from(NOTE_COLUMNS),
            odd_value,
        ),
        max_size=4,
    ),
    untyped=st.booleans(),
)
@example(damage=[("cards", 0, "ord", "", "1"), ("cards", 1, "reps", "", 2.0)], untyped=True)
@example(damage=[("cards", 2, "lapses", "", "3"), ("cards", 3, "ord", "", -1)], untyped=True)
@example(damage=[("cards", 4, "ord", "", 1.5)], untyped=False)
def test_cards_built_directly_are_the_cards_pydantic_builds(
    tmp_path: Path, damage: list[tuple[str, int, str, str, Any]], untyped: bool
) -> None:
    db = sqlite3.connect(":memory:")
    db.deserialize(_base_collection(tmp_path))
    if untyped:  # columns without types keep "1" as text and 2.0 as a float: pydantic's to convert
        for table in ("cards", "notes"):
            columns = [r[1] for r in db.execute(f"pragma table_info({table})")]
            db.execute(f"create table loose ({', '.join(columns)})")
            db.execute(f"insert into loose select * from {table}")
            db.execute(f"drop table {table}")
            db.execute(f"alter table loose rename to {table}")
    db_file = tmp_path / "damaged.apkg"  # named in messages
    for table, row, card_column, note_column, value in damage:
        column = card_column if table == "cards" else note_column
        if table == "cards" and column == "id" and not isinstance(value, int):
            continue  # the rowid: SQLite refuses anything else
        rowid = db.execute(f"select rowid from {table} order by rowid").fetchall()[row % 12][0]
        with contextlib.suppress(sqlite3.IntegrityError):  # NOT NULL, a card id taken
            db.execute(f"update {table} set {column} = ? where rowid = ?", (value, rowid))
    db.commit()
    now = datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)

    def read() -> list[Card] | str:
        try:
            deck = reader.read_collection(
                db, db_file, Deadline("x", 60), ImportLimits(), None, now=now
            )
        except AnkiError as exc:
            return str(exc)
        return deck.cards

    fast = read()
    original = reader.checked_card
    reader.checked_card = reader.plain_card  # pydantic builds every card
    try:
        slow = read()
    finally:
        reader.checked_card = original
        db.close()
    if isinstance(slow, str) or isinstance(fast, str):
        assert fast == slow
        return
    assert [type(c) for c in fast] == [Card] * len(slow)
    assert [c.__dict__ for c in fast] == [c.__dict__ for c in slow]
    assert [list(c.__dict__) for c in fast] == [list(c.__dict__) for c in slow]  # field order
    assert [c.model_fields_set for c in fast] == [c.model_fields_set for c in slow]
    assert fast == slow


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers(-(2**80), 2**80) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


def from_anki(
    ctype: int, due: int, ivl: int, data: str, days: AnkiDays, last: datetime | None,
    now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """`schedule_of` (what the import gives a card) as the card fields it sets."""
    keys = ("state", "step", "stability", "difficulty", "due", "last_review")
    return dict(zip(keys, schedule_of(ctype, due, ivl, data, days, last, now), strict=True))


memory_json = st.one_of(
    st.fixed_dictionaries(
        {}, optional={"s": json_values, "d": json_values, "dr": st.floats(0, 1)}
    ).map(json.dumps),  # NaN and Infinity too: Python's JSON writes and reads them, orjson not
    json_values.map(json.dumps),
    st.text(max_size=20),  # not JSON at all
    st.sampled_from(['{"s": 1e400}', '{"s": "\\ud800"}', '{"s":1,"s":2}', " {} ", "{", "[1]"]),
)


@settings(max_examples=300, deadline=None)
@given(data=memory_json, ctype=st.sampled_from([1, 2, 3]))
def test_a_cards_memory_state_reads_as_pythons_json_reads_it(data: str, ctype: int) -> None:
    """The `data` column is parsed by orjson first: the schedule must be what Python's JSON
    gives (its parse, or {} when it is not JSON)."""
    days = AnkiDays(date(2024, 1, 1), 4, UTC)
    now = datetime(2025, 1, 1, tzinfo=UTC)

    def outcome() -> Any:
        try:
            return from_anki(ctype, 30, 4, data, days, None, now)
        except Exception as exc:  # float() of a list, say: the card is refused, either way
            return type(exc)

    fast = outcome()
    original = schedule.memory_of

    def python_json(text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            return {}

    schedule.memory_of = python_json
    try:
        slow = outcome()
    finally:
        schedule.memory_of = original
    if isinstance(fast, dict):
        assert fast.keys() == slow.keys()
        for key, value in fast.items():  # NaN != NaN: compared as text
            assert repr(value) == repr(slow[key])
    else:
        assert fast == slow
    # A hostile memory state never refuses the card nor gives it one R cannot be worked out of
    # (a NaN stability crashed the browser's R column and the review pane): it counts as absent.
    assert isinstance(fast, dict), fast
    stability, difficulty = fast["stability"], fast["difficulty"]
    assert stability is None or (math.isfinite(stability) and stability > 0), stability
    assert difficulty is None or 1 <= difficulty <= 10, difficulty


@pytest.mark.parametrize(
    "data", ['{"s": NaN, "d": 5}', '{"s": -5, "d": NaN}', '{"s": Infinity, "d": 99}', '{"s": "9"}']
)
def test_a_card_with_a_broken_memory_state_shows_r_from_its_interval(data: str) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    fields = from_anki(2, 30, 4, data, AnkiDays(date(2024, 1, 1), 4, UTC), None, now)
    assert (fields["stability"], fields["difficulty"]) == (4.0, 5.0)  # the interval; the default
    card = make_card("q", **fields)
    assert describe_retrievability(retrievability(card, now)).endswith("%")
    broken = card.model_copy(update={"stability": float("nan")})  # one already stored that way
    assert retrievability(broken, now) is None and describe_retrievability(float("nan")) == "—"
