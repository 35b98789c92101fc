"""Reading one Anki collection (an open SQLite database) into a `Deck`: note types with their ids,
names, fields, templates and CSS; every note's ordered fields, tags, guid and modified time; every
card by its template `ord` with its schedule, Anki card id, flag, suspension and burial; the whole
revlog (answers, and manual / rescheduled entries) with Anki's revlog ids; every deck with its id.

Skipped, and counted: image-occlusion notes. Refused: a card whose note is missing, a note whose
note type is missing, a note type without card templates."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, tzinfo
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from deskwork.domain.cancel import Cancelled
from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.notetypes import fit_fields
from deskwork.domain.records import every_field
from deskwork.domain.text import all_clean, clean, clean_fields, clip
from deskwork.interop.anki.days import AnkiDays, day_zero, read_timing
from deskwork.interop.anki.decks import read_decks
from deskwork.interop.anki.model import AnkiError, Deadline, Deck, ImportLimits
from deskwork.interop.anki.notetypes import read_notetypes
from deskwork.interop.anki.schedule import NEW_KEYS, SCHEDULED_KEYS, schedule_of

Progress = Callable[[int, int], None]
_ROW_FIELDS = every_field(ReviewLog)  # every field given: the set the store shares too
# A revlog entry's type -> the card's state before it (0 learn, 1 review, 2 relearn, 3 filtered,
# 4 manual, 5 rescheduled).
_REVLOG_STATES = (CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING,
                  CardState.REVIEW, CardState.REVIEW, CardState.REVIEW)  # fmt: skip


@contextlib.contextmanager
def _part(path: Path, what: str) -> Iterator[None]:
    """Name the part of the collection a failure comes from."""
    try:
        yield
    except (AnkiError, sqlite3.DatabaseError, Cancelled):
        raise
    except Exception as exc:
        raise AnkiError(f"{path}: {what} cannot be read ({_why(exc)})") from None


def _why(exc: Exception) -> str:
    return clip(str(exc) or type(exc).__name__, 200)


def tables_of(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("select name from sqlite_master where type='table'")}


# The revlog as the reader takes it, in time order. When a column holds something other than an
# integer (SQLite keeps what it is given) the careful query is used: a row whose id, card, ease or
# type is not an integer is corrupt and left out, like a row Anki would not count as an answer, and
# the extras are whole numbers (0 when missing). A collection Anki wrote needs only the plain one.
_REVLOG_COLUMNS = ("id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type")
_REVLOG_ODD = " or ".join(f"typeof({c}) != 'integer'" for c in _REVLOG_COLUMNS)
_ROWS_AT_ONCE = 8192  # revlog rows fetched in one call (SQLite's loop, not Python's, per row)
_MAX_REVLOG_ID = 253402300799999  # 9999-12-31 in ms: later (or negative) ids are corrupt
_REVLOG_PLAIN = f"select {', '.join(_REVLOG_COLUMNS)} from revlog order by id"
_REVLOG_CAREFUL = (
    "select id, cid, ease, coalesce(cast(ivl as integer), 0), coalesce(cast(lastIvl as integer), 0),"
    " coalesce(cast(factor as integer), 0), coalesce(cast(time as integer), 0), type from revlog"
    " where typeof(id) = 'integer' and typeof(cid) = 'integer' and typeof(ease) = 'integer'"
    f" and typeof(type) = 'integer' and id between 0 and {_MAX_REVLOG_ID} order by id"
)


def _revlog_query(db: sqlite3.Connection) -> str:
    (odd,) = db.execute(
        f"select exists(select 1 from revlog where {_REVLOG_ODD}"
        f" or id not between 0 and {_MAX_REVLOG_ID})"
    ).fetchone()
    return _REVLOG_CAREFUL if odd else _REVLOG_PLAIN


def _plain_texts(notes: list[tuple[Any, ...]]) -> bool:
    """Are a block of note rows' tags and fields all text that needs no cleaning?"""
    try:
        return all_clean(n[4] for n in notes) and all_clean((n[5] for n in notes), fields=True)
    except TypeError:  # a value that is not text: the loop names the note
        return False


def _history(
    db: sqlite3.Connection, between: Callable[[], None]
) -> tuple[dict[int, list[ReviewLog]], list[ReviewLog]]:
    """(Anki card id -> its entries, every entry in time order): review-log records built here,
    checked by construction (the values are typed by the query and bounded here), with id 0 and
    Anki's card id until the import gives them theirs. `between()` is called before each block of
    rows (a year's history is seconds on a loaded machine: a cancel or the deadline is heard)."""
    out: dict[int, list[ReviewLog]] = {}
    ordered: list[ReviewLog] = []
    answered: set[int] = set()  # cards with an answer so far (the first one is "new")
    states, from_ts, utc = _REVLOG_STATES, datetime.fromtimestamp, UTC
    new, put, keep, every, seen, entries_of = (
        object.__new__, object.__setattr__, ordered.append, _ROW_FIELDS, answered.add, out.get,
    )  # fmt: skip
    cursor = db.execute(_revlog_query(db))

    def block() -> list[Any]:
        between()
        return cursor.fetchmany(_ROWS_AT_ONCE)

    rows = chain.from_iterable(iter(block, []))
    for rid, cid, ease, ivl, last_ivl, factor, rtime, rtype in rows:
        if 0 <= rtype <= 3:
            if not 1 <= ease <= 4:
                continue  # not an answer Anki itself would count (a corrupt row)
            manual, rating, first = 0, ease, rtype == 0 and cid not in answered
            seen(cid)
        elif rtype == 4 or rtype == 5:
            manual, rating, first = rtype, 0, False
        else:
            continue
        row = new(ReviewLog)
        put(row, "__dict__", {
            "id": 0, "card_id": cid, "rating": rating, "ts": from_ts(rid / 1000, utc),
            "duration_ms": rtime if 0 <= rtime <= 3_600_000 else (0 if rtime < 0 else 3_600_000),
            "state": states[rtype], "was_new": first, "manual": manual,
            "anki": (rid, ivl, last_ivl, factor),
        })  # fmt: skip
        put(row, "__pydantic_fields_set__", every)
        put(row, "__pydantic_extra__", None)
        put(row, "__pydantic_private__", None)
        answers = entries_of(cid)
        if answers is None:
            out[cid] = [row]
        else:
            answers.append(row)
        keep(row)
    return out, ordered


# A card's values as the loop below builds them: a tuple of every field in its declared order
# (`CARD_FIELDS`), with the set of those the file gives (`GIVEN_NEW`, `GIVEN_SCHEDULED`: a new card
# leaves its stability, difficulty and last review unset). Text comes from the cleaned note, times
# from fromtimestamp(…, UTC), the schedule from `schedule_of`; the rest from the file as SQLite
# gives them, checked by `checked_card`. A card whose values are all of those exact types is the
# record pydantic would build from them, made without it (~3x faster) and straight into the
# key-sharing __dict__ the store keeps its cards in (store/lean.py: no second copy on the write).
CARD_FIELDS = tuple(Card.model_fields)
_CARD_KEYS = (
    "deck", "fields", "tags", "note_guid", "note_type", "ord", "html", "created", "modified",
    "note_modified", "anki_id", "suspended", "flag", "reps", "lapses",
)  # fmt: skip
GIVEN_NEW = {*_CARD_KEYS, *NEW_KEYS}
GIVEN_SCHEDULED = {*_CARD_KEYS, *SCHEDULED_KEYS}
_ORD, _ANKI_ID, _REPS, _LAPSES = (
    CARD_FIELDS.index(n) for n in ("ord", "anki_id", "reps", "lapses")
)
_new, _put = object.__new__, object.__setattr__
_BY_NOTE = itemgetter(1, 4)  # a card row's (nid, ord)


def checked_card(values: tuple[Any, ...], given: set[str]) -> Card:
    """The card whose fields are `values` (every one, in declared order), `given` those the file
    set: built directly when the values from the file are integers (and the template number not
    negative), else by pydantic from the given ones (which converts or refuses them)."""
    ord_ = values[_ORD]
    if not (
        type(ord_) is int and ord_ >= 0 and type(values[_REPS]) is int
        and type(values[_LAPSES]) is int and type(values[_ANKI_ID]) is int
    ):  # fmt: skip
        return plain_card(values, given)
    card = _new(Card)
    card.__dict__.update(zip(CARD_FIELDS, values, strict=True))  # keeps the class's shared keys
    _put(card, "__pydantic_fields_set__", given)  # one set shared by the cards (as store/lean.py)
    _put(card, "__pydantic_extra__", None)
    _put(card, "__pydantic_private__", None)
    return card


def plain_card(values: tuple[Any, ...], given: set[str]) -> Card:
    """The card pydantic validates from the given ones of `values` (the reference the fast path
    must match: tests/interop/test_anki_import_fast.py)."""
    return Card(**{name: v for name, v in zip(CARD_FIELDS, values, strict=True) if name in given})


_CARDS = (
    "select id, nid, did, odid, ord, mod, type, queue, due, odue, ivl, reps, lapses, flags, data "
    "from cards"
)


def _cards_by_note(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Every card row by (note id, template ord): read in the table's order and sorted here (a
    quarter faster than SQLite's sort through the note index); by SQLite when the columns hold
    values Python does not compare (text beside numbers, NULL: a damaged file). Python's order
    of ints, floats, text (code points: UTF-8's byte order) and blobs is SQLite's."""
    rows = db.execute(_CARDS).fetchall()
    try:
        rows.sort(key=_BY_NOTE)
    except TypeError:
        rows = db.execute(f"{_CARDS} order by nid, ord").fetchall()
    return rows


def read_collection(
    db: sqlite3.Connection,
    path: Path,
    deadline: Deadline,
    limits: ImportLimits,
    progress: Progress | None,
    now: datetime | None = None,
    start_hour: int = 4,
    tz: tzinfo | None = None,
) -> Deck:
    """The collection's cards, note types, decks and history; `now` (the clock, by default the
    real one) is the due time of new cards and the time of what the file leaves undated. A due
    day becomes the start of that study day (`start_hour` in `tz`, default local time)."""
    deck = Deck(str(path))
    tables = tables_of(db)
    now = now or datetime.now(UTC)
    with _part(path, "the collection's creation time (col.crt)"):
        (crt,) = db.execute("select crt from col").fetchone()
        datetime.fromtimestamp(crt, UTC)  # a number of seconds in range, or a clear error
        timing = read_timing(db, int(crt), tables)
        days = AnkiDays(day_zero(timing, now, tz), start_hour, tz)
    with _part(path, "the note types"):
        types = read_notetypes(db, path, tables)
    with _part(path, "the deck list"):
        decks = read_decks(db, tables)
    for table, cap in (("notes", limits.max_notes), ("cards", limits.max_cards)):
        (count,) = db.execute(f"select count(*) from {table}").fetchone()
        if count > cap:
            raise AnkiError(f"{path}: refused: {count:,} {table}, more than {cap:,}")
    deck.deck_ids = {d.name: d.id for d in decks.values() if not d.filtered}
    deck.filtered_decks = sorted(d.name for d in decks.values() if d.filtered)
    deck.notetypes = {
        t.notetype.key: t.notetype
        for t in types.values()
        if not t.image_occlusion and t.notetype.anki_id is not None
    }
    notes: dict[int, tuple[str, int, int, list[str], list[str]]] = {}
    seen_guids: dict[str, int] = {}
    cursor = db.execute("select id, guid, mid, mod, tags, flds from notes order by id")
    while block := cursor.fetchmany(_ROWS_AT_ONCE):
        plain = _plain_texts(block)
        for nid, guid, mid, mod, tags, flds in block:
            if not isinstance(flds, str) or not isinstance(tags, str):
                raise AnkiError(f"{path}: note {nid}: its fields or tags are not text")
            if len(flds) > limits.max_note_chars:
                raise AnkiError(
                    f"{path}: note {nid}: refused: its fields hold {len(flds):,} characters "
                    f"(the limit is {limits.max_note_chars:,})"
                )
            guid = str(guid)
            if mid not in types:
                raise AnkiError(f"{path}: note {nid} uses a note type ({mid}) that is not there")
            if guid in seen_guids:  # Anki would match both with one note; keep them apart
                guid = f"{guid}~{nid}"
                deck.guids_renamed += 1
            seen_guids[guid] = nid
            if plain:  # nothing in the block to clean: split as clean / clean_fields would
                notes[nid] = (guid, mid, mod, tags.split(), flds.split("\x1f"))
            else:
                notes[nid] = (guid, mid, mod, clean(tags).split(), clean_fields(flds))
            if len(notes) > limits.max_notes:
                raise AnkiError(f"{path}: refused: more than {limits.max_notes} notes")

    def between() -> None:  # the cards' progress at 0 of them: the history comes first
        deadline.check()
        if progress:
            progress(0, count)

    history, deck.revlog = _history(db, between)
    deadline.check()
    skipped: set[int] = set()
    rows = _cards_by_note(db)
    total = len(rows)
    cards: list[Card] = []
    from_ts, utc, build = datetime.fromtimestamp, UTC, checked_card
    given_new, given_scheduled = GIVEN_NEW, GIVEN_SCHEDULED
    # once per note type and deck, not per card: (image occlusion, type, key, field count) and
    # the name a card there is kept in (a filtered deck's cards: their home deck, else Default)
    kinds = {
        mid: (kind.image_occlusion, kind.notetype, kind.notetype.key, len(kind.notetype.fields))
        for mid, kind in types.items()
    }
    names = {deck_id: "Default" if d.filtered else d.name for deck_id, d in decks.items()}
    buried, by_index = deck.buried, deck.history
    for n, row in enumerate(rows):
        if n % 2000 == 0:
            deadline.check()
            if progress:
                progress(n, total)
        cid, nid, did, odid, ord_, mod, ctype, queue, due, odue, ivl, reps, lapses, flags, data = (
            row
        )
        note = notes.get(nid)
        if note is None:
            raise AnkiError(f"{path}: card {cid} belongs to a note that is not there")
        try:
            guid, mid, note_mod, tags, fields = note
            occlusion, notetype, type_key, count = kinds[mid]
            if occlusion:
                skipped.add(nid)
                continue
            deck_name = names.get(odid) if odid else None  # its home deck, when it is there
            if deck_name is None:
                deck_name = names.get(did, "Default")
            answers = history.get(cid)
            last = (
                next((a.ts for a in reversed(answers) if not a.manual), None) if answers else None
            )
            created, modified = from_ts(nid / 1000, utc), from_ts(mod, utc) if mod else now
            note_modified, flag = from_ts(note_mod, utc) if note_mod else now, flags & 7
            state, step, stability, difficulty, due_at, last_review = schedule_of(
                ctype, odue if odid and odue else due, ivl, data, days, last, now
            )
            values = (  # in CARD_FIELDS' order
                0, deck_name,
                fields.copy() if len(fields) == count else fit_fields(notetype, fields),
                tags.copy(), guid, type_key, ord_, True, None, None, created, modified,
                note_modified, cid, state, step, stability, difficulty, due_at, last_review, reps,
                lapses, queue == -1, None, flag,
            )  # fmt: skip
            cards.append(build(values, given_new if ctype == 0 else given_scheduled))
            if queue == -2 or queue == -3:
                buried.add(len(cards) - 1)
            if answers:
                by_index[len(cards) - 1] = answers
        except AnkiError:
            raise
        except Exception as exc:  # a value out of range or of the wrong type in this card
            raise AnkiError(f"{path}: card {cid} (note {nid}): {_why(exc)}") from None
    deck.cards = cards
    deck.notes_skipped = len(skipped)
    if progress:
        progress(total, total)
    return deck
