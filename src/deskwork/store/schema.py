"""Which tables the store holds, the model that validates each, and the current schema version.

The models are named here and imported on first use (`TABLES[name]`), so a table with no file yet
(a learner who never imported an Anki collection has no presets, deck options, note types or media)
does not bring its model, and the module it lives in, into every start; the cards and revisions,
which load after the first frame, bring theirs then. A table with a file is read, and its model
imported, at opening. Naming a table (`in`, iteration, `set(TABLES)`) imports nothing."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deskwork.domain.records import Record

SCHEMA_VERSION = 2  # 2: notes (fields, note types)


class Models(Mapping[str, "type[Record]"]):
    """Table name -> its model class, each imported from "module:Class" the first time it is
    asked for (thread-safe: a loader worker and the UI thread may ask at once)."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = where
        self._models: dict[str, type[Record]] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> type[Record]:
        model = self._models.get(name)
        if model is None:
            module, _, attr = self._where[name].partition(":")  # KeyError: not a table
            with self._lock:
                model = self._models.get(name)
                if model is None:
                    model = self._models[name] = getattr(importlib.import_module(module), attr)
        return model

    def __contains__(self, name: object) -> bool:
        return name in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


# Tables held whole in memory: one TinyDB file each, rewritten only at compaction.
TABLES: Mapping[str, type[Record]] = Models(
    {
        "cards": "deskwork.domain.cards:Card",
        "items": "deskwork.domain.curriculum:Item",
        "sessions": "deskwork.domain.sessions:Session",
        "drafts": "deskwork.domain.drafts:Draft",
        "revisions": "deskwork.domain.drafts:Revision",
        "settings": "deskwork.domain.settings:Setting",
        # imported note types (the stock ones are built in)
        "notetypes": "deskwork.domain.notetypes:NoteTypeDef",
        # media names -> content hashes (the bytes: store/media.py)
        "media": "deskwork.domain.media:MediaFile",
        "presets": "deskwork.domain.presets:Preset",
        "deck_options": "deskwork.domain.presets:DeckOptions",
    }
)

# Tables whose shards load on first use (or from a background worker) instead of at open.
LAZY_TABLES = {"cards", "revisions"}

# Ever-growing logs: partitioned by month of `ts`, loaded on demand, appended in segments.
LOGS: Mapping[str, type[Record]] = Models({"reviews": "deskwork.domain.cards:ReviewLog"})
LOG_TIME_FIELD = "ts"
