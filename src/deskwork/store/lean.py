"""How the store holds records in memory: the same frozen pydantic objects, without the parts that
repeat per record.

Measured on the heavy-year workload (tracemalloc; `python benchmarks/memory.py`): a card as pydantic
builds it costs ~4.0 KB and a review-log row ~1.3 KB. Most of it repeats from record to record:
`__pydantic_fields_set__` (a set of the 25 or 9 field names, one per object: 2.3 KB a card), the
instance dict's own table of keys (~830 bytes for a card's 25 fields), strings such as the deck's
name, the note type and tags. `Lean` shares one fields-set among every record with an equal one,
interns the repeated strings, gives equal times one object, and rebuilds records of wide models
(cards) with a key-sharing instance dict (CPython keeps one table of keys per class, each record
only its values). A card then costs ~1.15 KB and a row ~0.52 KB, with no change a caller can see:
the values, `==`, `repr`, `model_dump` (also `exclude_unset`) and `model_copy` are those of the
record pydantic built (records are frozen; `model_copy` copies the fields-set before changing it).
Where the interpreter does not share keys, records keep pydantic's dict (found on the first one).

Once the collector is armed (store/collector.py), each record made lean is also untracked by the
cyclic garbage collector: full collections no longer walk the store's records.

Validation stays where it is: once, at the boundary (a file read after its checksum, a journal
line replayed, a record built by a service); `Lean` only rearranges a valid record.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from deskwork.domain.records import every_field, on_record_model
from deskwork.store.collector import armed, exempt, exempt_dict

M = TypeVar("M", bound=BaseModel)

# Fields whose string values repeat across records (a deck's name in each of its cards): interned.
REPEATED_STRINGS = frozenset({"deck", "note_type", "track", "kind", "status", "key"})
# Fields holding lists of repeated strings (tags): their items are interned (the list is not
# shared: it is a mutable object of its own record).
REPEATED_STRING_LISTS = frozenset({"tags"})
# (field, earlier field): equal values (a card never edited: modified == created) share one object.
SAME_AS = (
    ("modified", "created"),
    ("note_modified", "modified"),
    ("due", "created"),  # a new card is due when it is made
    ("updated", "created"),
)

_set_object = object.__setattr__
_new = object.__new__
_sizeof = sys.getsizeof
_intern = sys.intern


# Records are rebuilt with a key-sharing __dict__ only for models this wide: a card (25 fields) saves
# ~560 bytes for ~1 µs; a review row (9 fields) would save ~130 bytes for as much time, and a month
# of rows is read again whenever it is needed (store/logs.py), so rows keep pydantic's dict.
REBUILD_FROM_FIELDS = 16

_SHARES_KEYS: dict[type[BaseModel], bool] = {}


def _enum(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def shares_keys(model: type[BaseModel]) -> bool:
    """Can instances of `model` hold their fields in a key-sharing __dict__? Decided once per class,
    by filling the class's shared key table with the field names in order: CPython (3.11+) takes
    that table's order from the first instance that fills it, and gives up sharing when many
    instances are made before it is filled (pydantic's own instances never fill it: it assigns
    each one a dict of its own). So call this before records of the class are loaded."""
    known = _SHARES_KEYS.get(model)
    if known is None:
        probe = _new(model)
        values = probe.__dict__
        for name in model.model_fields:
            values[name] = None
        for _ in range(32):  # each new instance takes one spare slot off the table, down to one:
            _new(model)  # spare slots sized every instance's values; use them up now
        values = _new(model).__dict__
        known = _sizeof(values) < _sizeof(dict.fromkeys(model.model_fields))
        _SHARES_KEYS[model] = known
    return known


def prime(models: list[type[BaseModel]]) -> None:
    """Settle the shared key tables of the wide models among `models`, before records are made.
    Every record model is primed as its class is made (or, made before this module, as it is
    imported): see `on_record_model` below."""
    for model in models:
        if len(model.model_fields) >= REBUILD_FROM_FIELDS:
            shares_keys(model)


# Each record model primed before its first instance: as its class is made, wherever it is
# imported (the store names its tables' models without importing them: store/schema.py).
on_record_model(lambda model: prime([model]))


class Lean(Generic[M]):
    """Makes records of one model lean in memory (see the module docstring). One per table."""

    def __init__(self, model: type[BaseModel]) -> None:
        fields = set(model.model_fields)
        # An enum's values are its members, one object each already: nothing to intern (a
        # session's kind: 4,000 sessions at every start looked at it for nothing).
        self._strings = tuple(
            sorted(
                n for n in fields & REPEATED_STRINGS if not _enum(model.model_fields[n].annotation)
            )
        )
        self._lists = tuple(sorted(fields & REPEATED_STRING_LISTS))
        self._same = tuple((a, b) for a, b in SAME_AS if a in fields and b in fields)
        # A fields-set holds only the model's field names (extra="forbid"): one as long as the
        # model has fields is all of them, the common case, found without comparing the names.
        self._every = every_field(model)  # the one set (domain/records.py)
        self._count = len(fields) if model.model_config.get("extra") == "forbid" else -1
        self._sets: dict[frozenset[str], set[str]] = {frozenset(fields): self._every}
        # Sets met before, by identity, with their shared one: a frozen record's set is never
        # changed in place (pydantic copies it for `model_copy`), so one seen is known by its id.
        self._frozen = bool(model.model_config.get("frozen"))
        self._met: dict[int, tuple[set[str], set[str]]] = {}
        # Rebuilt with a key-sharing __dict__ (see `_rebuilt`): records of a frozen model without
        # extras or private attributes, until the interpreter gives no smaller dict.
        config = model.model_config
        self._split = (
            bool(config.get("frozen") and config.get("extra") == "forbid")
            and not model.__private_attributes__
            and len(fields) >= REBUILD_FROM_FIELDS
            and shares_keys(model)
        )
        self._model = model
        # the size of a key-sharing __dict__ (a fresh instance's): a dict of its own is bigger
        self._shared = _sizeof(_new(model).__dict__) if self._split else 0
        self._made = 0
        self._shares_values = bool(self._strings or self._lists or self._same)

    def shared_set(self, names: set[str]) -> set[str]:
        """The one set object shared by every record whose fields-set equals `names`."""
        if len(names) == self._count:
            return self._every
        met = self._met.get(id(names))
        if met is not None and met[0] is names:  # a set many records share already (a reader's)
            return met[1]
        key = frozenset(names)
        shared = self._sets.get(key)
        if shared is None:
            if len(self._sets) >= 256:  # records with unusual sets: do not grow without bound
                return names
            shared = self._sets[key] = set(key)
        if self._frozen and len(self._met) < 256:
            self._met[id(names)] = (names, shared)  # held: its id stays its own
        return shared

    def __call__(self, doc: M) -> M:
        """`doc` made lean: the same record, rebuilt (see `shares_keys`) or changed in place."""
        fields_set = doc.__pydantic_fields_set__
        shared = self._every if len(fields_set) == self._count else self.shared_set(fields_set)
        if self._split and type(doc) is self._model and _sizeof(doc.__dict__) > self._shared:
            # A copy whose __dict__ shares its keys with every other record of the class:
            # ~270 bytes for a card's 25 fields against ~830 for the dict pydantic builds. (A
            # record whose __dict__ shares them already, one built straight into a fresh
            # instance's as the Anki reader does, or copied from a lean one, is kept as it is.)
            new = _new(self._model)
            values = new.__dict__  # empty, key-sharing: any fresh instance's
            for name, value in doc.__dict__.items():
                values[name] = value
            self._made += 1
            if self._made & 4095 == 1 and _sizeof(values) >= _sizeof(doc.__dict__):
                self._split = False  # the interpreter stopped sharing: keep pydantic's records
            else:
                _set_object(new, "__pydantic_fields_set__", shared)
                _set_object(new, "__pydantic_extra__", None)
                _set_object(new, "__pydantic_private__", None)
                doc = new
        elif shared is not fields_set:
            _set_object(doc, "__pydantic_fields_set__", shared)
        if self._shares_values:
            self._share_values(doc.__dict__)
        exempt(doc)  # out of the cyclic collector's way, once armed (store/collector.py)
        return doc

    def _share_values(self, values: dict[str, Any]) -> None:
        for name in self._strings:
            value = values[name]
            if type(value) is str:
                values[name] = _intern(value)
        for name in self._lists:
            items = values[name]
            if type(items) is list and items:
                items[:] = [_intern(v) if type(v) is str else v for v in items]
        for name, earlier in self._same:
            value, other = values[name], values[earlier]
            if (
                type(value) is datetime
                and type(other) is datetime
                and value == other
                and value.tzinfo is other.tzinfo
            ):
                values[name] = other

    def many(self, docs: dict[int, M]) -> dict[int, M]:
        """`docs` (id -> record) made lean, as `__call__` makes each. Records of a narrow model
        with nothing to share are changed in place (`__call__` returns them): while the collector
        is not armed, those that share the fields-set already (the Anki reader's review rows) are
        as the store holds them, and `docs` itself is returned."""
        if self._split or self._shares_values or armed():
            lean = self.__call__
            return exempt_dict({doc_id: lean(doc) for doc_id, doc in docs.items()})
        every = self._every
        for doc in docs.values():
            if doc.__pydantic_fields_set__ is not every:
                self(doc)
        return docs

    def all(self, docs: dict[int, M]) -> dict[int, M]:
        """Every record of a decoded file made lean, keyed by its own `id` object (the key the
        JSON gave is a second int of the same value)."""
        lean = self.__call__
        return exempt_dict({doc.id: lean(doc) for doc in docs.values()})  # type: ignore[attr-defined]
