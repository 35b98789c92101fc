"""Writing an .apkg Anki takes back: a `collection.anki2` (schema 11) whose note types are the ones
the notes came with (imported types under their Anki ids, names, fields, templates and CSS; the
stock types under deskwork's fixed ids), decks under their Anki ids, notes under their guids and
cards under their Anki card ids, so importing into the collection they came from matches every note.
The review history goes along as revlog rows keyed by Anki's revlog ids where known, and the media
files the notes name as numbered members with the legacy `media` map."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.notetypes import STOCK, NoteTypeDef, fit_fields
from deskwork.domain.presets import Preset
from deskwork.domain.render import fallback_type, field_html
from deskwork.domain.studyday import day_bounds, study_day
from deskwork.interop.anki import presetexport
from deskwork.interop.anki.days import AnkiDays, minutes_west
from deskwork.interop.anki.notetypes import anki_id_of, model_json
from deskwork.interop.anki.schedule import to_anki

PROGRESS_EVERY = 500  # notes written between two progress reports

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


def _checksum(text: str) -> int:
    stripped = re.sub(r"<[^>]*>", "", text)
    return int(hashlib.sha1(stripped.encode()).hexdigest()[:8], 16)


_DCONF = {"1": {"id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": True, "timer": 0, "replayq": True,
                "new": {"bury": False, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1, "perDay": 20},
                "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2},
                "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0}, "dyn": False}}  # fmt: skip
_RTYPE = {CardState.LEARNING: 0, CardState.REVIEW: 1, CardState.RELEARNING: 2}


_PRESET = Preset(name="Default")  # its steps are _DCONF's


def _steps_left(card: Card, preset: Preset) -> int:
    """Anki's `left` for a learning or relearning card: the steps still to go, counting the one
    it is at (deskwork's `step` is an index into the preset's steps; the import maps it back).
    Anki takes 0 as the last step: every learning card went to Anki one Good from graduating."""
    if card.is_new or card.state is CardState.REVIEW:
        return 0
    steps = (
        preset.relearning_steps_minutes
        if card.state is CardState.RELEARNING
        else preset.learning_steps_minutes
    )
    if not steps:
        return 0
    return len(steps) - min(max(card.step or 0, 0), len(steps) - 1)


def _deck_ids(cards: list[Card], known: dict[str, int]) -> dict[str, int]:
    ids: dict[str, int] = {"Default": 1}
    ids.update(known)
    taken = set(ids.values())
    next_id = 1700000000100
    for name in sorted({c.deck for c in cards} | set(known)):
        parts = name.split("::")
        for n in range(1, len(parts) + 1):
            prefix = "::".join(parts[:n])
            if prefix not in ids:
                while next_id in taken:
                    next_id += 1
                ids[prefix] = next_id
                taken.add(next_id)
    return ids


def _decks_json(ids: dict[str, int], stamp: int) -> dict[str, object]:
    return {
        str(did): {
            "id": did, "name": name, "mod": stamp, "usn": -1, "lrnToday": [0, 0],
            "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": False,
            "browserCollapsed": False, "desc": "", "dyn": 0, "conf": 1, "extendNew": 0,
            "extendRev": 0,
        }
        for name, did in ids.items()
    }  # fmt: skip


def write_package(
    path: Path,
    cards: list[Card],
    reviews: dict[int, list[ReviewLog]],
    now: datetime,
    notetypes: dict[str, NoteTypeDef] | None = None,
    deck_ids: dict[str, int] | None = None,
    media: dict[str, Path] | None = None,
    data_dir: Path | None = None,
    presets: Any = None,
    start_hour: int = 4,
    tz: tzinfo | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Write `cards` (whole notes) as an .apkg; returns (notes, cards). Atomic: temp file, rename.
    The collection is built in the data dir's temp folder (the system's without a data dir).
    Days (due, ivl) are study days starting at `start_hour` in `tz` (default: local time).
    `progress(notes written, notes)` is called every PROGRESS_EVERY notes and before the file is
    zipped and renamed into place: an exception it raises (a cancel) leaves nothing written."""
    from deskwork.store.collector import untracked_list, untracked_set
    from deskwork.store.fsutil import atomic_write
    from deskwork.store.scratch import scratch

    types = {**STOCK, **(notetypes or {})}
    # The collection began ten years ago at the start of a study day. Anki counts days on dates:
    # day 0 is crt's date at `creationOffset` (minutes west at crt), day N the date N later, from
    # the rollover hour; so crt's local date must be `first_day`, the offset crt's own (without
    # it Anki takes today's offset, and across DST crt's date, hence every due, moved a day).
    first_day = study_day(now, start_hour, tz) - timedelta(days=3650)
    start = day_bounds(first_day, start_hour, tz)[0]
    crt = int(start.timestamp())
    days = AnkiDays(first_day, start_hour, tz)
    stamp = int(now.timestamp())
    decks = _deck_ids(cards, deck_ids or {})
    by_note: dict[tuple[str, str], list[Card]] = {}
    for card in cards:
        note = (card.note_guid or f"deskwork-{card.id}", card.note_type)
        of_note = by_note.get(note)
        if of_note is None:  # a list a note, out of the collector's walks (store/collector.py)
            of_note = by_note[note] = untracked_list()
        of_note.append(card)
    used_types: dict[str, NoteTypeDef] = {}
    for _, key in by_note:
        first = by_note[(_, key)][0]
        used_types[key] = types.get(key) or fallback_type(first)
    models = {str(anki_id_of(t)): model_json(t) for t in used_types.values()}
    decks_json = _decks_json(decks, stamp)
    dconf = json.loads(json.dumps(_DCONF))
    presetexport.export_into(dconf, decks_json, presets, now)  # the decks' presets
    conf = {"nextPos": len(cards) + 1, "schedVer": 2, "sched2021": True, "curDeck": 1,
            "activeDecks": [1], "rollover": start_hour,
            "creationOffset": minutes_west(start, tz)}  # fmt: skip
    if presets is not None:  # Anki keeps this one collection-wide; here it is the default's
        conf["newCardsIgnoreReviewLimit"] = presets.default.new_ignores_review_limit
    with scratch(data_dir, "anki-export-") as tmp, contextlib.ExitStack() as closing:
        db_path = tmp / "collection.anki2"  # its connection closed however it ends (a cancel)
        db = closing.enter_context(contextlib.closing(sqlite3.connect(db_path)))
        db.executescript(_SCHEMA)
        db.execute(
            "insert into col values (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
            (crt, stamp * 1000, stamp * 1000, json.dumps(conf), json.dumps(models),
             json.dumps(decks_json), json.dumps(dconf)),
        )  # fmt: skip
        taken_cids = untracked_set()  # ints, out of the collector's walks (store/collector.py)
        taken_cids.update(c.anki_id for c in cards if c.anki_id)
        next_id = stamp * 1000
        card_count = 0
        used_revlog_ids = untracked_set()
        used_revlog_ids.update(
            log.anki_id for logs in reviews.values() for log in logs if log.anki_id
        )
        total = len(by_note)
        # Rows gathered, then written with one executemany per table: an execute per row lets
        # go of the GIL per row, and on a worker beside the app's event loop each one then waits
        # to get it back (a 20,000-card export took twice its CPU time in wall time).
        # Out of the collector's walks too (rows of leaves: no cycle): a young collection that
        # met the list of a year's answers visited all 250,000 rows (14 ms of the GIL, twice).
        note_rows: list[tuple[Any, ...]] = untracked_list()
        card_rows: list[tuple[Any, ...]] = untracked_list()
        revlog_rows: list[tuple[Any, ...]] = untracked_list()
        for position, ((guid, key), group) in enumerate(by_note.items(), start=1):
            if progress and position % PROGRESS_EVERY == 1:
                progress(position - 1, total)
            notetype = used_types[key]
            first = group[0]
            next_id += 1
            nid = next_id
            values = [field_html(f, first.html) for f in fit_fields(notetype, first.fields)]
            tags = (
                " " + " ".join(t.replace(" ", "_") for t in first.tags) + " " if first.tags else ""
            )
            sort_value = values[min(notetype.sort_field, len(values) - 1)]
            note_mod = first.note_modified or first.modified
            note_rows.append(
                (nid, guid, anki_id_of(notetype), int(note_mod.timestamp()), tags,
                 "\x1f".join(values), sort_value, _checksum(values[0])),
            )  # fmt: skip
            for card in sorted(group, key=lambda c: c.ord):
                cid = card.anki_id
                if not cid:
                    next_id += 1
                    while next_id in taken_cids:
                        next_id += 1
                    cid = next_id
                ctype, queue, due, ivl = to_anki(card, days, now, position)
                left = _steps_left(card, presets.preset_of(card.deck) if presets else _PRESET)
                data = (
                    json.dumps({"s": card.stability, "d": card.difficulty})
                    if card.stability and card.difficulty
                    else "{}"
                )
                if card.suspended:
                    queue = -1
                elif card.buried_until and card.buried_until > now:
                    queue = -3
                card_rows.append(
                    (cid, nid, decks.get(card.deck, 1), card.ord, int(card.modified.timestamp()),
                     ctype, queue, due, ivl, card.reps, card.lapses, left, card.flag, data),
                )  # fmt: skip
                card_count += 1
                for log in reviews.get(card.id, []):
                    rid = log.anki_id
                    if not rid:
                        rid = int(log.ts.timestamp() * 1000)
                        while rid in used_revlog_ids:  # ids are times in ms and must be unique
                            rid += 1
                        used_revlog_ids.add(rid)
                    rtype = log.manual or _RTYPE[log.state]
                    revlog_rows.append(
                        (rid, cid, log.rating, *(log.anki[1:] if log.anki else (0, 0, 0)),
                         log.duration_ms, rtype),
                    )  # fmt: skip
        db.executemany("insert into notes values (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')", note_rows)
        db.executemany(
            "insert into cards values (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, 2500, ?, ?, ?, 0, 0, ?, ?)",
            card_rows,
        )
        db.executemany(
            "insert or ignore into revlog values (?, ?, -1, ?, ?, ?, ?, ?, ?)", revlog_rows
        )
        for rows in (note_rows, card_rows, revlog_rows):
            while rows:  # freed a row at a time: dropped at once, the rows of a year's history
                rows.pop()  # are one dealloc cascade holding the GIL (a stall of the app's loop)
        db.commit()
        db.close()
        if progress:
            progress(total, total)  # the last chance to give up before the file is there
        with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024, dir=str(tmp)) as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(db_path, "collection.anki2")
                names: dict[str, str] = {}
                for n, (name, source) in enumerate(sorted((media or {}).items())):
                    archive.write(source, str(n))
                    names[str(n)] = name
                archive.writestr("media", json.dumps(names))
            buffer.seek(0)
            atomic_write(path, buffer.read())
    return len(by_note), card_count
