"""How the store holds records in memory: the same frozen pydantic objects, without the parts that
repeat per record.

Measured on the heavy-year workload (tracemalloc, benchmarks/memory.py): a card as pydantic builds it
costs ~4.0 KB and a review-log row ~1.3 KB; more than half of that is `__pydantic_fields_set__`, a
set of 25 (card) or 9 (row) field names, one per object though nearly every record has the same
one, and strings such as the deck name, the note type and tags repeated in every card. `Lean`
shares one fields-set object among every record that has an equal one and interns the repeated
strings, so a card costs ~1.6 KB and a row ~0.55 KB, with no change a caller can see: the values,
`==`, `repr`, `model_dump` (also `exclude_unset`) and `model_copy` are those of the record pydantic
built (records are frozen; `model_copy` copies the fields-set before it changes it).

Validation stays where it is: once, at the boundary (a file read after its checksum, a journal
line replayed, a record built by a service); `Lean` only rearranges a valid record.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

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
_intern = sys.intern


class Lean(Generic[M]):
    """Makes records of one model lean in memory (see the module docstring). One per table."""

    def __init__(self, model: type[BaseModel]) -> None:
        fields = set(model.model_fields)
        self._strings = tuple(sorted(fields & REPEATED_STRINGS))
        self._lists = tuple(sorted(fields & REPEATED_STRING_LISTS))
        self._same = tuple((a, b) for a, b in SAME_AS if a in fields and b in fields)
        # A fields-set holds only the model's field names (extra="forbid"): one as long as the
        # model has fields is all of them, the common case, found without comparing the names.
        self._every = set(fields)
        self._count = len(fields) if model.model_config.get("extra") == "forbid" else -1
        self._sets: dict[frozenset[str], set[str]] = {frozenset(fields): self._every}

    def shared_set(self, names: set[str]) -> set[str]:
        """The one set object shared by every record whose fields-set equals `names`."""
        if len(names) == self._count:
            return self._every
        key = frozenset(names)
        shared = self._sets.get(key)
        if shared is None:
            if len(self._sets) >= 256:  # records with unusual sets: do not grow without bound
                return names
            shared = self._sets[key] = set(key)
        return shared

    def __call__(self, doc: M) -> M:
        """`doc`, made lean in place (and returned)."""
        fields_set = doc.__pydantic_fields_set__
        shared = self._every if len(fields_set) == self._count else self.shared_set(fields_set)
        if shared is not fields_set:
            _set_object(doc, "__pydantic_fields_set__", shared)
        if self._strings or self._lists or self._same:
            self._share_values(doc.__dict__)
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

    def all(self, docs: dict[int, M]) -> dict[int, M]:
        """Every record of a decoded file made lean, keyed by its own `id` object (the key the
        JSON gave is a second int of the same value)."""
        lean = self.__call__
        return {doc.id: lean(doc) for doc in docs.values()}  # type: ignore[attr-defined]
