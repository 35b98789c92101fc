"""The Anki import's fast paths against plain references (README "Import speed"):

- the reader builds review-log records itself (no pydantic call per row): each one must be the
  record pydantic validates from the same values, and the rows kept, their order and values those
  of a plain reading of the revlog — for random revlogs, odd SQLite values included;
- the import numbers a file's entries in time order straight from the reader's list: the store
  must hold what the slow way (entries gathered per card and sorted) gives, and the journal line
  must replay to the very same records.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import CardState, ReviewLog
from deskwork.interop.anki.package import read_package, write_package
from deskwork.interop.anki.reader import _history
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
                "card_id": 0,
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
    by_card, ordered = _history(db)
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
