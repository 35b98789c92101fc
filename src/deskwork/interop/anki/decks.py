"""Anki's decks as a collection holds them (schema 18's `decks` table, or the legacy `col.decks`
JSON): id, name, whether it is a filtered deck, and the options group (deck config) it uses.
Filtered decks are not kept: their cards go back to their home deck (`odid`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from deskwork.domain.decknames import normalize_or
from deskwork.domain.text import clean
from deskwork.interop.anki.protobuf import fields_before_damage


@dataclass(frozen=True)
class AnkiDeck:
    id: int
    name: str  # "Parent::Child"
    filtered: bool = False
    config_id: int = 1  # the deck's options group (a preset); 0 for a filtered deck


def _name(name: str) -> str:
    """A package's deck name as stored here: normalised as Anki does (an empty part "blank"),
    a name of nothing "Default"."""
    return normalize_or(clean(name, single_line=True))


def read_decks(db: sqlite3.Connection, tables: set[str]) -> dict[int, AnkiDeck]:
    if "decks" in tables and "notetypes" in tables:
        out: dict[int, AnkiDeck] = {}
        for did, name, kind in db.execute("select id, name, kind from decks"):
            # a damaged kind reads as a normal deck (its preset is deckconfig.py's to report)
            parsed = fields_before_damage(
                bytes(kind) if isinstance(kind, (bytes, memoryview)) else b""
            )
            filtered = 2 in parsed
            config_id = 0
            normal = parsed.get(1)
            if normal and isinstance(normal[-1], bytes):
                value = fields_before_damage(normal[-1]).get(1, [1])[-1]
                config_id = value if isinstance(value, int) else 1
            out[did] = AnkiDeck(did, _name(str(name).replace("\x1f", "::")), filtered, config_id)
        return out
    (decks,) = db.execute("select decks from col").fetchone()
    return {
        int(k): AnkiDeck(
            int(k),
            _name(str(v.get("name", "Default"))),
            bool(v.get("dyn")),
            0 if v.get("dyn") else int(v.get("conf", 1) or 1),
        )
        for k, v in json.loads(decks or "{}").items()
    }
