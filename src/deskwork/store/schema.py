"""Which tables the store holds, the model that validates each, and the current schema version."""

from __future__ import annotations

from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.curriculum import Item
from deskwork.domain.drafts import Draft, Revision
from deskwork.domain.media import MediaFile
from deskwork.domain.notetypes import NoteTypeDef
from deskwork.domain.presets import DeckOptions, Preset
from deskwork.domain.records import Record
from deskwork.domain.sessions import Session
from deskwork.domain.settings import Setting

SCHEMA_VERSION = 2  # 2: notes (fields, note types)

# Tables held whole in memory: one TinyDB file each, rewritten only at compaction.
TABLES: dict[str, type[Record]] = {
    "cards": Card,
    "items": Item,
    "sessions": Session,
    "drafts": Draft,
    "revisions": Revision,
    "settings": Setting,
    "notetypes": NoteTypeDef,  # imported note types (the stock ones are built in)
    "media": MediaFile,  # media names -> content hashes (the bytes: store/media.py)
    "presets": Preset,
    "deck_options": DeckOptions,
}

# Tables whose shards load on first use (or from a background worker) instead of at open.
LAZY_TABLES = {"cards", "revisions"}

# Ever-growing logs: partitioned by month of `ts`, loaded on demand, appended in segments.
LOGS: dict[str, type[Record]] = {
    "reviews": ReviewLog,
}
LOG_TIME_FIELD = "ts"
