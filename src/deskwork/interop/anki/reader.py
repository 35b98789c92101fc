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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from deskwork.domain.cards import Card, CardState
from deskwork.domain.notetypes import fit_fields
from deskwork.domain.text import clean, clip
from deskwork.interop.anki.decks import read_decks
from deskwork.interop.anki.model import AnkiError, Answer, Deadline, Deck, ImportLimits
from deskwork.interop.anki.notetypes import read_notetypes
from deskwork.interop.anki.schedule import from_anki, ms

Progress = Callable[[int, int], None]
_REVLOG_STATE = {0: CardState.LEARNING, 1: CardState.REVIEW, 2: CardState.RELEARNING,
                 3: CardState.REVIEW, 4: CardState.REVIEW, 5: CardState.REVIEW}  # fmt: skip


@contextlib.contextmanager
def _part(path: Path, what: str) -> Iterator[None]:
    """Name the part of the collection a failure comes from."""
    try:
        yield
    except (AnkiError, sqlite3.DatabaseError):
        raise
    except Exception as exc:
        raise AnkiError(f"{path}: {what} cannot be read ({_why(exc)})") from None


def _why(exc: Exception) -> str:
    return clip(str(exc) or type(exc).__name__, 200)


def tables_of(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("select name from sqlite_master where type='table'")}


def _history(db: sqlite3.Connection) -> dict[int, list[Answer]]:
    out: dict[int, list[Answer]] = {}
    answered: set[int] = set()  # cards with an answer so far (the first one is "new")
    state_of, learning, from_ts = _REVLOG_STATE.get, CardState.LEARNING, datetime.fromtimestamp
    for rid, cid, ease, ivl, last_ivl, factor, rtime, rtype in db.execute(
        "select id, cid, ease, ivl, lastIvl, factor, time, type from revlog order by id"
    ):
        manual = rtype if rtype in (4, 5) else 0
        if not manual and not (1 <= ease <= 4 and rtype in (0, 1, 2, 3)):
            continue  # not an answer Anki itself would count (a corrupt row)
        answers = out.get(cid)
        if answers is None:
            out[cid] = answers = []
        first = not manual and cid not in answered
        if not manual:
            answered.add(cid)
        answers.append(
            Answer(
                from_ts(rid / 1000, UTC), ease if not manual else 0,
                max(0, min(int(rtime or 0), 3_600_000)), state_of(rtype, learning),
                first and rtype == 0, rid, manual, ivl, last_ivl, factor,
            )
        )  # fmt: skip
    return out


_CARDS: list[TypeAdapter[list[Card]]] = []


def _validated(path: Path, pending: list[tuple[int, int, dict[str, Any]]]) -> list[Card]:
    """Every card checked by its model in one call (cheaper than one call per card); when one
    is wrong, it is found and named."""
    if not _CARDS:
        _CARDS.append(TypeAdapter(list[Card]))
    try:
        return _CARDS[0].validate_python([fields for _, _, fields in pending])
    except ValidationError:
        pass
    for cid, nid, fields in pending:
        try:
            Card(**fields)
        except Exception as exc:  # a value out of range or of the wrong type in this card
            raise AnkiError(f"{path}: card {cid} (note {nid}): {_why(exc)}") from None
    raise AnkiError(f"{path}: the cards cannot be read")


def read_collection(
    db: sqlite3.Connection,
    path: Path,
    deadline: Deadline,
    limits: ImportLimits,
    progress: Progress | None,
) -> Deck:
    deck = Deck(str(path))
    tables = tables_of(db)
    with _part(path, "the collection's creation time (col.crt)"):
        (crt,) = db.execute("select crt from col").fetchone()
        day_zero = datetime.fromtimestamp(crt, UTC)
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
    notes: dict[int, tuple[str, int, int, str, list[str]]] = {}
    seen_guids: dict[str, int] = {}
    for nid, guid, mid, mod, tags, flds in db.execute(
        "select id, guid, mid, mod, tags, flds from notes order by id"
    ):
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
        notes[nid] = (guid, mid, mod, tags, [clean(f) for f in flds.split("\x1f")])
        if len(notes) > limits.max_notes:
            raise AnkiError(f"{path}: refused: more than {limits.max_notes} notes")
    deadline.check()
    history = _history(db)
    deadline.check()
    skipped: set[int] = set()
    rows = db.execute(
        "select id, nid, did, odid, ord, mod, type, queue, due, odue, ivl, reps, lapses, flags, data "
        "from cards order by nid, ord"
    ).fetchall()
    total = len(rows)
    now = datetime.now(UTC)
    pending: list[tuple[int, int, dict[str, Any]]] = []  # (card id, note id, its fields)
    for n, row in enumerate(rows):
        if n % 2000 == 0:
            deadline.check()
            if progress:
                progress(n, total)
        cid, nid, did, odid, ord_, mod, ctype, queue, due, odue, ivl = row[:11]
        reps, lapses, flags, data = row[11:]
        if nid not in notes:
            raise AnkiError(f"{path}: card {cid} belongs to a note that is not there")
        try:
            guid, mid, note_mod, tags, fields = notes[nid]
            kind = types[mid]
            if kind.image_occlusion:
                skipped.add(nid)
                continue
            notetype = kind.notetype
            home = decks.get(odid) if odid else decks.get(did)
            if odid and home is None:
                home = decks.get(did)
            answers = history.get(cid, [])
            last = next((a.ts for a in reversed(answers) if not a.manual), None)
            card_fields: dict[str, Any] = dict(
                deck=home.name if home and not home.filtered else "Default",
                fields=fit_fields(notetype, fields), tags=clean(tags).split(),
                note_guid=guid, note_type=notetype.key, ord=ord_, html=True, created=ms(nid),
                modified=datetime.fromtimestamp(mod, UTC) if mod else now,
                note_modified=datetime.fromtimestamp(note_mod, UTC) if note_mod else now,
                anki_id=cid, suspended=queue == -1, flag=flags & 7, reps=reps, lapses=lapses,
            )  # fmt: skip
            card_fields |= from_anki(
                ctype, odue if odid and odue else due, ivl, data, day_zero, last, now
            )
            pending.append((cid, nid, card_fields))
            if queue in (-2, -3):
                deck.buried.add(len(pending) - 1)
            if answers:
                deck.history[len(pending) - 1] = answers
        except AnkiError:
            raise
        except Exception as exc:  # a value out of range or of the wrong type in this card
            raise AnkiError(f"{path}: card {cid} (note {nid}): {_why(exc)}") from None
    deck.cards = _validated(path, pending)
    deck.notes_skipped = len(skipped)
    if progress:
        progress(total, total)
    return deck
