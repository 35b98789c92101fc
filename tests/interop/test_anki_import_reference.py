"""The Anki reader's fast paths against the straightforward reading of the same file (README
"Import speed"): cards built from one tuple straight into the store's key-sharing __dict__, card
rows sorted by Python, the revlog fetched in blocks into records built without pydantic. The
straightforward reading is the same reader with pydantic building every card and every review
entry from the same values, and SQLite sorting the cards. Checked on a long-time user's collection
built by the real Anki (custom note type, cloze, image occlusion, media, presets, suspended /
buried / flagged cards, manual revlog entries, a filtered deck), in both of Anki's formats; then
through the import into a store. Also: the order of damaged card rows, and the store's `Lean`
keeping the reader's records as they are (and only those)."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.records import every_field
from deskwork.interop.anki import deckconfig, reader
from deskwork.interop.anki.model import Deadline, Deck, ImportLimits
from deskwork.interop.anki.package import COLLECTIONS
from deskwork.interop.anki.unpack import unpack
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import import_deck
from deskwork.store.lean import Lean
from tests.anki_rich import Rich, build_rich, export
from tests.helpers import make_card
from tests.interop.test_anki_import_fast import _base_collection, reference

NOW = datetime(2026, 3, 4, 5, 6, 7, 890_000, tzinfo=UTC)
REVLOG = "select id, cid, ease, ivl, lastIvl, factor, time, type from revlog"


def _sqlite_sorted(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return db.execute(f"{reader._CARDS} order by nid, ord").fetchall()


def _pydantic_history(
    db: sqlite3.Connection, between: Callable[[], None]
) -> tuple[dict[int, list[ReviewLog]], list[ReviewLog]]:
    """The revlog read row by row, each entry validated by pydantic (test_anki_import_fast.py's
    reference)."""
    by_card: dict[int, list[ReviewLog]] = {}
    ordered = []
    for cid, entry in reference(db.execute(REVLOG).fetchall()):
        by_card.setdefault(cid, []).append(entry)
        ordered.append(entry)
    return by_card, ordered


@contextlib.contextmanager
def straightforward() -> Iterator[None]:
    saved = reader.checked_card, reader._cards_by_note, reader._history, reader._plain_texts
    reader.checked_card = reader.plain_card
    reader._cards_by_note = _sqlite_sorted
    reader._history = _pydantic_history
    reader._plain_texts = lambda block: False  # every note's text through clean / clean_fields
    try:
        yield
    finally:
        reader.checked_card, reader._cards_by_note, reader._history, reader._plain_texts = saved


def _read(db_file: Path) -> Deck:
    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        deck = reader.read_collection(db, db_file, Deadline("x", 60), ImportLimits(), None, now=NOW)
        deckconfig.attach(db, deck)
    finally:
        db.close()
    return deck


def _records(records: list[Any]) -> list[tuple[type, dict[str, Any], list[str], set[str]]]:
    """Everything a record is made of: its type, values, field order and fields-set."""
    return [(type(r), dict(r.__dict__), list(r.__dict__), set(r.model_fields_set)) for r in records]


def _same_deck(fast: Deck, slow: Deck) -> None:
    assert _records(fast.cards) == _records(slow.cards)
    assert fast.cards == slow.cards
    assert _records(fast.revlog) == _records(slow.revlog)
    assert fast.history.keys() == slow.history.keys()
    for index, entries in fast.history.items():
        assert _records(entries) == _records(slow.history[index])
    for name in ("buried", "notetypes", "deck_ids", "filtered_decks", "notes_skipped",
                 "guids_renamed", "presets"):  # fmt: skip
        assert getattr(fast, name) == getattr(slow, name), name


# Its tests share a module-scoped fixture: under xdist they run on one worker, which builds it
# once (spread over two workers, each built its own).
pytestmark = pytest.mark.xdist_group("test_anki_import_reference")


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Rich:
    return build_rich(tmp_path_factory.mktemp("rich"))


@pytest.mark.parametrize("legacy", [False, True])
def test_a_long_time_users_collection_reads_as_the_straightforward_reading(
    rich: Rich, tmp_path: Path, legacy: bool
) -> None:
    package = export(rich.path, tmp_path / "rich.apkg", legacy=legacy)
    archive = zipfile.ZipFile(package)
    member = next(n for n in COLLECTIONS if n in archive.namelist())  # as read_package chooses
    assert member == ("collection.anki21" if legacy else "collection.anki21b")
    db_file = tmp_path / "collection.sqlite"
    unpack(package, archive, member, db_file, ImportLimits())
    fast = _read(db_file)
    with straightforward():
        slow = _read(db_file)
    _same_deck(fast, slow)
    # what the file holds is all there: the fixture's kinds of cards and entries
    assert any("{{c2::" in c.front for c in fast.cards) and fast.notes_skipped == 1
    assert any(c.suspended for c in fast.cards) and any(c.flag for c in fast.cards)
    assert fast.buried and fast.filtered_decks == ["Cram German"]
    assert any(e.manual for e in fast.revlog) and any(not e.manual for e in fast.revlog)
    assert fast.presets is not None and fast.presets.presets
    assert len({c.note_type for c in fast.cards}) >= 5  # the custom and stock types
    # built straight into the key-sharing __dict__ the store holds cards in
    assert all(sys.getsizeof(c.__dict__) < sys.getsizeof(s.__dict__) for c, s in
               zip(fast.cards, slow.cards, strict=True))  # fmt: skip


def test_the_imported_store_holds_what_the_straightforward_reading_gives(
    rich: Rich, tmp_path: Path
) -> None:
    package = export(rich.path, tmp_path / "rich.apkg", legacy=False)
    archive = zipfile.ZipFile(package)
    db_file = tmp_path / "collection.sqlite"
    unpack(package, archive, "collection.anki21b", db_file, ImportLimits())
    stores = []
    for name, way in (("fast", contextlib.nullcontext()), ("slow", straightforward())):
        with way:
            deck = _read(db_file)
        home = tmp_path / name
        desk = Desk.open(Paths(home, home), clock=lambda: NOW)
        report = import_deck(desk, deck)
        assert report.cards == len(deck.cards) > 0
        stores.append(desk)
    fast, slow = stores
    fast_cards = sorted(fast.store.cards.all(), key=lambda c: c.id)
    slow_cards = sorted(slow.store.cards.all(), key=lambda c: c.id)
    assert _records(fast_cards) == _records(slow_cards)
    # the store holds both the same lean way (the fast cards were not copied again)
    assert [sys.getsizeof(c.__dict__) for c in fast_cards] == [
        sys.getsizeof(c.__dict__) for c in slow_cards
    ]
    fast_logs = sorted(fast.store.reviews.iter_all(), key=lambda e: e.id)
    slow_logs = sorted(slow.store.reviews.iter_all(), key=lambda e: e.id)
    assert _records(fast_logs) == _records(slow_logs) and fast_logs
    for desk in stores:
        desk.close()


# Values a damaged card row's nid / ord may hold in a column without a type.
mixed = st.one_of(
    *[st.integers(0, 5)] * 4, st.integers(-(2**63), 2**63 - 1), st.floats(-3, 3),
    st.sampled_from(["1", "a", "b", "", "é", "\U0001f600", None, b"\x00", b"a"]),
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keys=st.lists(st.tuples(mixed, mixed), max_size=30), typed=st.booleans())
def test_card_rows_come_in_sqlites_order(keys: list[tuple[Any, Any]], typed: bool) -> None:
    """Sorted by Python, or by SQLite when Python cannot compare them: SQLite's order either way
    (rows of equal (nid, ord) in the table's order, as SQLite's sort through its note index)."""
    db = sqlite3.connect(":memory:")
    kind = " integer" if typed else ""
    names = ("nid", "did", "odid", "ord", "mod", "type", "queue", "due", "odue", "ivl", "reps",
             "lapses", "flags", "data")  # fmt: skip
    columns = ", ".join(f"{c}{kind}" for c in names)
    db.execute(f"create table cards (id integer primary key, {columns})")
    db.execute("create index ix_cards_nid on cards (nid)")
    for n, (nid, ord_) in enumerate(keys):
        db.execute(
            "insert into cards values (?, ?, 1, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, '')",
            (n + 1, nid, ord_),
        )
    expected = db.execute(
        f"{reader._CARDS} order by nid, ord, id"  # ties: the table's (and the index's) order
    ).fetchall()
    assert reader._cards_by_note(db) == expected


def test_lean_keeps_a_record_whose_dict_shares_keys_and_copies_the_others() -> None:
    lean: Lean[Card] = Lean(Card)
    built = make_card("front", id=1, anki_id=5)  # pydantic's own __dict__
    values = tuple(built.__dict__.values())
    direct = reader.checked_card(values, set(built.model_fields_set))
    assert direct == built and sys.getsizeof(direct.__dict__) < sys.getsizeof(built.__dict__)
    assert lean(direct) is direct  # kept: already as the store holds cards
    copied = lean(built)
    assert copied is not built and copied == built
    assert sys.getsizeof(copied.__dict__) == sys.getsizeof(direct.__dict__)
    # one fields-set shared by both, whatever set object each came with
    assert lean(direct).__pydantic_fields_set__ is copied.__pydantic_fields_set__


def test_lean_many_leaves_rows_that_share_the_every_field_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from deskwork.store import collector

    # the collector is armed once per process (the app arms it at its warm-up) and stays armed:
    # an earlier test in the same run may have armed it, and `many` then copies (its other path)
    monkeypatch.setattr(collector, "_armed", False)
    lean: Lean[ReviewLog] = Lean(ReviewLog)
    ts = datetime(2025, 1, 1, tzinfo=UTC)
    given = {"card_id": 1, "rating": 3, "ts": ts, "duration_ms": 5, "state": 1, "was_new": True,
             "manual": 0, "anki": (1, 2, 3, 4)}  # fmt: skip
    rows = {n: ReviewLog(id=n, **given) for n in (1, 2, 3)}  # every field given: equal sets
    assert len({id(r.__pydantic_fields_set__) for r in rows.values()}) == 3
    made = lean.many(rows)
    assert made is rows and all(made[n] == ReviewLog(id=n, **given) for n in rows)
    assert {id(r.__pydantic_fields_set__) for r in made.values()} == {id(every_field(ReviewLog))}
    some = {4: ReviewLog(id=4, card_id=1, rating=3, ts=ts)}  # a set of its own: shared too
    lean.many(some)
    assert some[4].__pydantic_fields_set__ == {"id", "card_id", "rating", "ts"}
    assert some[4].__pydantic_fields_set__ is lean.shared_set({"id", "card_id", "rating", "ts"})


# Note text as a hostile file may hold it: mostly plain, now and then a control character, an
# escape sequence, a bidi override or the unit separator (in tags: a control character there).
note_text = st.lists(
    st.one_of(
        *[st.sampled_from(["word", "Hund", "é", " ", "<b>x</b>", "\x1f", "::"])] * 6,
        st.sampled_from(["\x1b[31m", "\x07", "\x9b2J", "\u202e", "\x00", "\t", "\n", "\x7f"]),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(texts=st.lists(st.tuples(st.integers(0, 11), note_text, note_text), max_size=5))
def test_notes_cleaned_by_block_are_the_notes_cleaned_one_by_one(
    tmp_path: Path, texts: list[tuple[int, str, str]]
) -> None:
    db = sqlite3.connect(":memory:")
    db.deserialize(_base_collection(tmp_path))
    for row, tags, flds in texts:
        rowid = db.execute("select id from notes order by id").fetchall()[row][0]
        db.execute("update notes set tags = ?, flds = ? where id = ?", (tags, flds, rowid))
    db.commit()
    db_file = tmp_path / "notes.sqlite"
    db_file.unlink(missing_ok=True)
    db.execute("vacuum into ?", (str(db_file),))
    db.close()
    fast = _read(db_file)
    with straightforward():
        slow = _read(db_file)
    _same_deck(fast, slow)
    for card in fast.cards:  # cleaned: nothing a terminal would act on
        assert not any(
            c in text for text in [*card.fields, *card.tags] for c in "\x1b\x07\x00\u202e"
        )
