"""Reading and writing Anki packages.

Reading: the zip is checked first (member names that are plain file names, declared sizes and
compression ratios under caps), then the newest collection inside is used: `collection.anki21b`
(zstd-compressed SQLite, what current Anki writes), else `collection.anki21`, else
`collection.anki2`. Media files are not copied; their number is reported.

Scheduling: new cards stay new; learning cards keep their due time; review cards keep their due
day, interval-based stability, and Anki's FSRS memory state (stability, difficulty) when the card
has one. Review history comes along (revlog → review log). Suspended cards stay suspended, flags are
kept; buried cards stay buried until Anki's day ends (deckconfig.py).

Writing: a `collection.anki2` (schema 11) that every current Anki imports, with the three stock note
types deskwork uses (Basic, Basic (and reversed card), Cloze).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from deskwork.domain.cards import Card, CardState, NoteType, ReviewLog
from deskwork.domain.text import clean, clip
from deskwork.interop.anki import deckconfig
from deskwork.interop.anki.model import AnkiError, Answer, Deadline, Deck, ImportLimits
from deskwork.interop.anki.unpack import check_names, unpack

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
Progress = Callable[[int, int], None]


# ---------------------------------------------------------------------- reading
def read_package(
    path: Path,
    limits: ImportLimits | None = None,
    progress: Progress | None = None,
    data_dir: Path | None = None,
) -> Deck:
    """The package's cards. The collection is unpacked into the data dir's temp folder (swept at
    the next open if this process is killed), or the system's when no data dir is given."""
    from deskwork.store.scratch import scratch

    limits = limits or ImportLimits()
    deadline = Deadline(str(path), limits.max_seconds)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AnkiError(f"{path}: not an Anki package (a zip file): {exc}") from None
    with archive, scratch(data_dir, "anki-import-") as tmp:
        check_names(path, archive)
        names = set(archive.namelist())
        chosen = next((n for n in COLLECTIONS if n in names), None)
        if chosen is None:
            raise AnkiError(
                f"{path}: no collection inside (expected one of {', '.join(COLLECTIONS)})"
            )
        db_path = tmp / "collection.sqlite"
        unpack(path, archive, chosen, db_path, limits)
        media = [n for n in names if n not in COLLECTIONS and n not in ("media", "meta")]
        try:
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise AnkiError(f"{path}: {chosen} cannot be opened ({exc})") from None
        try:
            deck = _read_collection(db, path, deadline, limits, progress)
            deckconfig.attach(db, deck)  # presets, deck → preset, learning steps
        except sqlite3.DatabaseError as exc:
            raise AnkiError(
                f"{path}: {chosen} is damaged or not an Anki collection ({exc})"
            ) from None
        finally:
            db.close()
    deck.media_skipped = len(media)
    return deck


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("select name from sqlite_master where type='table'")}


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(data):
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
    raise ValueError("truncated varint")


def _proto_kind(config: bytes) -> int:
    """Field 1 (kind: 0 normal, 1 cloze) of a notetype's protobuf config; 0 when absent."""
    at = 0
    try:
        while at < len(config):
            key, at = _varint(config, at)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, at = _varint(config, at)
                if number == 1:
                    return value
            elif wire == 2:
                length, at = _varint(config, at)
                at += length
            elif wire == 1:
                at += 8
            elif wire == 5:
                at += 4
            else:
                return 0
    except ValueError:
        return 0
    return 0


def _note_types(db: sqlite3.Connection) -> dict[int, tuple[NoteType | None, int]]:
    """notetype id -> (our note type or None when we cannot show it, number of fields)."""
    out: dict[int, tuple[NoteType | None, int]] = {}
    if "notetypes" in _tables(db):
        templates: dict[int, int] = {}
        for ntid, count in db.execute("select ntid, count(*) from templates group by ntid"):
            templates[ntid] = count
        fields = dict(db.execute("select ntid, count(*) from fields group by ntid").fetchall())
        for ntid, name, config in db.execute("select id, name, config from notetypes"):
            kind = _proto_kind(bytes(config or b""))
            out[ntid] = (_our_type(kind, templates.get(ntid, 1), name), fields.get(ntid, 0))
    else:
        (models,) = db.execute("select models from col").fetchone()
        for key, model in json.loads(models).items():
            out[int(key)] = (
                _our_type(
                    int(model.get("type", 0)), len(model.get("tmpls", [])), model.get("name", "")
                ),
                len(model.get("flds", [])),
            )
    return out


def _our_type(kind: int, templates: int, name: str) -> NoteType | None:
    if kind == 1:
        return NoteType.CLOZE
    if "occlusion" in str(name).lower():
        return None
    return NoteType.REVERSED if templates >= 2 else NoteType.BASIC


def _decks(db: sqlite3.Connection) -> dict[int, str]:
    if "decks" in _tables(db) and "notetypes" in _tables(db):
        return {
            did: name.replace("\x1f", "::")
            for did, name in db.execute("select id, name from decks")
        }
    (decks,) = db.execute("select decks from col").fetchone()
    return {int(k): v.get("name", "Default") for k, v in json.loads(decks).items()}


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


_REVLOG_STATE = {0: CardState.LEARNING, 1: CardState.REVIEW, 2: CardState.RELEARNING}


def _ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def _read_collection(
    db: sqlite3.Connection,
    path: Path,
    deadline: Deadline,
    limits: ImportLimits,
    progress: Progress | None,
) -> Deck:
    deck = Deck(str(path))
    with _part(path, "the collection's creation time (col.crt)"):
        (crt,) = db.execute("select crt from col").fetchone()
        day_zero = datetime.fromtimestamp(crt, UTC)
    with _part(path, "the note types"):
        types = _note_types(db)
    with _part(path, "the deck list"):
        decks = {k: clean(str(v), single_line=True) or "Default" for k, v in _decks(db).items()}
    for table, cap in (("notes", limits.max_notes), ("cards", limits.max_cards)):
        (count,) = db.execute(f"select count(*) from {table}").fetchone()
        if count > cap:
            raise AnkiError(f"{path}: refused: {count:,} {table}, more than {cap:,}")
    notes: dict[int, tuple[str, int, str, list[str]]] = {}
    for nid, guid, mid, tags, flds in db.execute("select id, guid, mid, tags, flds from notes"):
        if not isinstance(flds, str) or not isinstance(tags, str):
            raise AnkiError(f"{path}: note {nid}: its fields or tags are not text")
        if len(flds) > limits.max_note_chars:
            raise AnkiError(
                f"{path}: note {nid}: refused: its fields hold {len(flds):,} characters "
                f"(the limit is {limits.max_note_chars:,})"
            )
        notes[nid] = (str(guid), mid, tags, flds.split("\x1f"))
        if len(notes) > limits.max_notes:
            raise AnkiError(f"{path}: refused: more than {limits.max_notes} notes")
    deadline.check()
    history: dict[int, list[tuple[int, int, int, int]]] = {}
    for rid, cid, ease, rtime, rtype in db.execute(
        "select id, cid, ease, time, type from revlog order by id"
    ):
        if 1 <= ease <= 4 and rtype in (0, 1, 2, 3):
            history.setdefault(cid, []).append((rid, ease, rtime, rtype))
    deadline.check()
    skipped: set[int] = set()
    rows = db.execute(
        "select id, nid, did, odid, ord, mod, type, queue, due, ivl, factor, reps, lapses, flags, data "
        "from cards order by nid, ord"
    ).fetchall()
    total = len(rows)
    now = datetime.now(UTC)
    for n, (
        cid,
        nid,
        did,
        odid,
        ord_,
        mod,
        ctype,
        queue,
        due,
        ivl,
        _factor,
        reps,
        lapses,
        flags,
        data,
    ) in enumerate(rows):
        if n % 2000 == 0:
            deadline.check()
            if progress:
                progress(n, total)
        if nid not in notes:
            raise AnkiError(f"{path}: card {cid} belongs to a note that is not there")
        try:
            guid, mid, tags, fields = notes[nid]
            note_type, _ = types.get(mid, (NoteType.BASIC, 2))
            if note_type is None:
                skipped.add(nid)
                continue
            fields = [clean(f) for f in fields]
            front = fields[0] if fields else ""
            back = (
                "<br>".join(f for f in fields[1:] if f.strip())
                if note_type is not NoteType.CLOZE
                else (fields[1] if len(fields) > 1 else "")
            )
            modified = datetime.fromtimestamp(mod, UTC) if mod else now
            card_fields: dict[str, Any] = dict(
                deck=decks.get(odid or did, "Default"), front=front, back=back,
                tags=clean(tags).split(), note_guid=guid, note_type=note_type,
                ord=ord_ if note_type is not NoteType.BASIC else 0, html=True,
                created=_ms(nid), modified=modified, suspended=queue == -1, flag=flags & 7,
                reps=reps, lapses=lapses,
            )  # fmt: skip
            card_fields |= _schedule(ctype, due, ivl, data, day_zero, history.get(cid, []), now)
            deck.cards.append(Card(**card_fields))
            answers = history.get(cid)
            if answers:
                deck.history[len(deck.cards) - 1] = [
                    Answer(
                        ts=_ms(rid),
                        rating=ease,
                        duration_ms=max(0, min(rtime, 3_600_000)),
                        state=_REVLOG_STATE.get(rtype, CardState.LEARNING),
                        was_new=i == 0 and rtype == 0,
                    )
                    for i, (rid, ease, rtime, rtype) in enumerate(answers)
                ]
        except AnkiError:
            raise
        except Exception as exc:  # a value out of range or of the wrong type in this card
            raise AnkiError(f"{path}: card {cid} (note {nid}): {_why(exc)}") from None
    deck.notes_skipped = len(skipped)
    if progress:
        progress(total, total)
    return deck


def _schedule(
    ctype: int,
    due: int,
    ivl: int,
    data: str,
    day_zero: datetime,
    history: list[tuple[int, int, int, int]],
    now: datetime,
) -> dict[str, Any]:
    if ctype == 0:  # new
        return {"state": CardState.LEARNING, "step": 0, "due": now}
    try:
        memory = json.loads(data) if data else {}
    except ValueError:
        memory = {}
    last = _ms(history[-1][0]) if history else None
    stability = memory.get("s") if isinstance(memory, dict) else None
    difficulty = memory.get("d") if isinstance(memory, dict) else None
    if ctype == 2:  # review: due is a day number counted from the collection's creation
        due_at = day_zero + timedelta(days=due)
        return {
            "state": CardState.REVIEW,
            "step": None,
            "due": due_at,
            "stability": float(stability) if stability else float(max(ivl, 1)),
            "difficulty": float(difficulty) if difficulty else 5.0,
            "last_review": last or due_at - timedelta(days=max(ivl, 1)),
        }
    # learning (1) or relearning (3): due is a time (seconds) or, for interday steps, a day number
    due_at = (
        datetime.fromtimestamp(due, UTC) if due > 1_000_000_000 else day_zero + timedelta(days=due)
    )
    return {
        "state": CardState.RELEARNING if ctype == 3 else CardState.LEARNING,
        "step": 0,
        "due": due_at,
        "stability": float(stability)
        if stability
        else (float(max(ivl, 1)) if ctype == 3 else None),
        "difficulty": float(difficulty) if difficulty else (5.0 if ctype == 3 else None),
        "last_review": last or now,
    }


# ---------------------------------------------------------------------- writing
_CSS = ".card { font-family: arial; font-size: 20px; text-align: center; color: black; background-color: white; }\n.cloze { font-weight: bold; color: blue; }\n"


def _model(
    mid: int, name: str, kind: int, fields: list[str], templates: list[tuple[str, str, str]]
) -> dict[str, Any]:
    return {
        "id": mid, "name": name, "type": kind, "mod": int(time.time()), "usn": -1, "sortf": 0,
        "did": None, "tags": [], "vers": [], "css": _CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}", "latexsvg": False,
        "req": [[n, "any", [0]] for n in range(len(templates))],
        "flds": [
            {"name": f, "ord": n, "sticky": False, "rtl": False, "font": "Arial", "size": 20, "media": []}
            for n, f in enumerate(fields)
        ],
        "tmpls": [
            {"name": t, "ord": n, "qfmt": q, "afmt": a, "did": None, "bqfmt": "", "bafmt": ""}
            for n, (t, q, a) in enumerate(templates)
        ],
    }  # fmt: skip


_ANSWER = "{{FrontSide}}<hr id=answer>{{Back}}"
MODELS: dict[NoteType, tuple[int, dict[str, Any]]] = {
    NoteType.BASIC: (1700000000001, _model(1700000000001, "Basic (deskwork)", 0, ["Front", "Back"], [("Card 1", "{{Front}}", _ANSWER)])),
    NoteType.REVERSED: (1700000000002, _model(1700000000002, "Basic (and reversed card) (deskwork)", 0, ["Front", "Back"], [("Card 1", "{{Front}}", _ANSWER), ("Card 2", "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}")])),
    NoteType.CLOZE: (1700000000003, _model(1700000000003, "Cloze (deskwork)", 1, ["Text", "Back Extra"], [("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}")])),
}  # fmt: skip

_SCHEMA = """
create table col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
create table notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
create table cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
create table revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
create table graves (usn integer not null, oid integer not null, type integer not null);
create index ix_notes_usn on notes (usn);
create index ix_cards_usn on cards (usn);
create index ix_revlog_usn on revlog (usn);
create index ix_cards_nid on cards (nid);
create index ix_cards_sched on cards (did, queue, due);
create index ix_revlog_cid on revlog (cid);
create index ix_notes_csum on notes (csum);
"""


def field_html(text: str, is_html: bool) -> str:
    if is_html:
        return text
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br>")


def _checksum(text: str) -> int:
    import hashlib
    import re

    stripped = re.sub(r"<[^>]*>", "", text)
    return int(hashlib.sha1(stripped.encode()).hexdigest()[:8], 16)


def write_package(
    path: Path,
    cards: list[Card],
    reviews: dict[int, list[ReviewLog]],
    now: datetime,
    data_dir: Path | None = None,
    presets: Any = None,
) -> tuple[int, int]:
    """Write `cards` (whole notes) as an .apkg; returns (notes, cards). Atomic: temp file, rename.
    The collection is built in the data dir's temp folder (the system's without a data dir)."""
    from deskwork.store.fsutil import atomic_write
    from deskwork.store.scratch import scratch

    crt = int(datetime(now.year, now.month, now.day, tzinfo=UTC).timestamp()) - 86400 * 3650
    deck_ids: dict[str, int] = {"Default": 1}
    for card in cards:
        parts = card.deck.split("::")
        for n in range(1, len(parts) + 1):
            deck_ids.setdefault("::".join(parts[:n]), 1700000000100 + len(deck_ids))
    decks_json = {
        str(did): {
            "id": did, "name": name, "mod": int(now.timestamp()), "usn": -1, "lrnToday": [0, 0],
            "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": False,
            "browserCollapsed": False, "desc": "", "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0,
        }
        for name, did in deck_ids.items()
    }  # fmt: skip
    dconf = {"1": {"id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": True, "timer": 0, "replayq": True,
                   "new": {"bury": False, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1, "perDay": 20},
                   "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2},
                   "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0}, "dyn": False}}  # fmt: skip
    deckconfig.export_into(dconf, decks_json, presets, now)  # the decks' presets
    conf = {"nextPos": 1, "schedVer": 2, "sched2021": True, "curDeck": 1, "activeDecks": [1]}
    models = {str(mid): model for mid, model in MODELS.values()}
    with scratch(data_dir, "anki-export-") as tmp:
        db_path = tmp / "collection.anki2"
        db = sqlite3.connect(db_path)
        db.executescript(_SCHEMA)
        stamp = int(now.timestamp())
        db.execute(
            "insert into col values (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
            (
                crt,
                stamp * 1000,
                stamp * 1000,
                json.dumps(conf),
                json.dumps(models),
                json.dumps(decks_json),
                json.dumps(dconf),
            ),
        )
        by_note: dict[str, list[Card]] = {}
        for card in cards:
            by_note.setdefault(card.note_guid or f"deskwork-{card.id}", []).append(card)
        next_id = int(now.timestamp() * 1000)
        card_count = 0
        used_revlog_ids: set[int] = set()
        for guid, group in by_note.items():
            first = group[0]
            nid = next_id = next_id + 1
            mid = MODELS[first.note_type][0]
            fields = [field_html(first.front, first.html), field_html(first.back, first.html)]
            tags = (
                " " + " ".join(t.replace(" ", "_") for t in first.tags) + " " if first.tags else ""
            )
            db.execute(
                "insert into notes values (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')",
                (
                    nid,
                    guid,
                    mid,
                    int(first.modified.timestamp()),
                    tags,
                    "\x1f".join(fields),
                    fields[0],
                    _checksum(fields[0]),
                ),
            )
            for card in group:
                cid = next_id = next_id + 1
                ctype, queue, due, ivl = _anki_schedule(card, crt, now)
                data = (
                    json.dumps({"s": card.stability, "d": card.difficulty})
                    if card.stability and card.difficulty
                    else "{}"
                )
                db.execute(
                    "insert into cards values (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, 2500, ?, ?, 0, 0, 0, ?, ?)",
                    (cid, nid, deck_ids[card.deck], card.ord, int(card.modified.timestamp()), ctype,
                     -1 if card.suspended else queue, due, ivl, card.reps, card.lapses, card.flag, data),
                )  # fmt: skip
                card_count += 1
                for log in reviews.get(card.id, []):
                    rid = int(log.ts.timestamp() * 1000)
                    while rid in used_revlog_ids:  # ids are times in ms and must be unique
                        rid += 1
                    used_revlog_ids.add(rid)
                    rtype = {CardState.LEARNING: 0, CardState.REVIEW: 1, CardState.RELEARNING: 2}[
                        log.state
                    ]
                    db.execute(
                        "insert into revlog values (?, ?, -1, ?, 0, 0, 0, ?, ?)",
                        (rid, cid, log.rating, log.duration_ms, rtype),
                    )
        db.commit()
        db.close()
        with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024, dir=str(tmp)) as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(db_path, "collection.anki2")
                archive.writestr("media", "{}")
            buffer.seek(0)
            atomic_write(path, buffer.read())
    return len(by_note), card_count


def _anki_schedule(card: Card, crt: int, now: datetime) -> tuple[int, int, int, int]:
    """(type, queue, due, ivl) in Anki's terms."""
    if card.is_new:
        return 0, 0, card.id or 0, 0
    if card.state is CardState.REVIEW:
        day = (card.due - datetime.fromtimestamp(crt, UTC)).days
        ivl = max(1, (card.due - (card.last_review or now)).days)
        return 2, 2, day, ivl
    ctype = 3 if card.state is CardState.RELEARNING else 1
    return ctype, 1, int(card.due.timestamp()), 0
