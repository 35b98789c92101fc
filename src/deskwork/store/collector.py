"""What the cyclic garbage collector walks: the store's records are taken out of its way.

CPython frees an object as soon as nothing refers to it (reference counting); the cyclic collector
is only for garbage in reference cycles. To find it, a full collection walks every object it
tracks — and a store holds hundreds of thousands of them: at the heavy-year workload 20k cards
and up to 100k resident review rows made ~300k tracked objects (a record, its `__dict__`, a card's
`fields` and `tags` lists), and each full collection walked them all: 50–60 ms (heavy) and
190–300 ms (power user) in which the event loop could not answer a key.

A stored record cannot be in a cycle: it is a frozen pydantic model validated from JSON (a tree)
or built by a service from plain values, holding ints, strings, times, enum members, and lists,
tuples or dicts of those. So once the collector is `arm`ed, every record made lean (`store/lean.py`:
loaded from a file, replayed from the journal, written) is *untracked* with its containers — the
collector no longer sees it, reference counting still frees it the moment its table or month
drops it. Exactly the records are exempted, one by one: unlike `gc.freeze()` (which exempts
everything alive at that instant, the screens and widgets of the moment included, and so keeps
the cycles they leave when they close), nothing that can be cyclic garbage is ever hidden from
the collector, and nothing needs undoing later.

A record is exempted only after a walk shows what it holds is a small tree of known kinds (a
value of any other type, more than `MAX_NODES` containers, or one container reached twice leaves
it tracked, as before). Untracking uses CPython's `PyObject_GC_UnTrack` (public C API, through
ctypes); on an interpreter without it, `arm` returns False and records stay tracked.
ctypes costs ~5 ms to import, so the TUI arms from its warm-up worker, not on the first frame's
path (records loaded before that are few and are frozen once by the warm-up: services/desk.py).
"""

from __future__ import annotations

import enum
import gc
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

MAX_NODES = 64  # containers walked in one record before it is left tracked

# Values that refer to nothing (the collector does not track them).
_LEAF: frozenset[type] = frozenset(
    {int, float, str, bytes, bool, type(None), datetime, date, time, timedelta, Decimal}
)

# Leaves, and the enum classes met so far (their members are shared and long-lived: not walked).
_flat: set[type] = set(_LEAF)

_untrack: Callable[[object], None] | None = None
_armed = False
_arming = threading.Lock()


def arm() -> bool:
    """From now on, records made lean are untracked (see the module docstring). True if this
    interpreter allows it. Idempotent and thread-safe."""
    global _untrack, _armed
    with _arming:
        if _armed:
            return _untrack is not None
        try:
            import ctypes

            untrack = ctypes.pythonapi.PyObject_GC_UnTrack
            untrack.argtypes = [ctypes.py_object]
            untrack.restype = None
            probe: list[int] = []
            untrack(probe)
            if gc.is_tracked(probe):
                raise OSError("PyObject_GC_UnTrack did not untrack")
            _untrack = untrack
        except (ImportError, AttributeError, OSError, ValueError):
            _untrack = None
        _armed = True
        return _untrack is not None


def disarm() -> None:
    """Records made lean from now on stay tracked (tests; records untracked so far stay so)."""
    global _armed, _untrack
    with _arming:
        _armed, _untrack = False, None


def armed() -> bool:
    return _armed and _untrack is not None


def exempt(record: BaseModel) -> bool:
    """Untrack `record` and the containers it holds, if they form a tree of known kinds (see the
    module docstring). True if it was untracked; a no-op unless `arm`ed."""
    untrack = _untrack
    if untrack is None:
        return False
    values = record.__dict__
    flat = _flat
    leaves: tuple[Any, ...] | None = None  # one tuple of leaves (an Anki review's own fields)
    for value in values.values():  # the common case: every value a leaf or an enum member
        if type(value) in flat:
            continue
        if leaves is None and type(value) is tuple and all(type(v) in flat for v in value):
            leaves = value
            continue
        break
    else:
        if record.__pydantic_extra__ is None and record.__pydantic_private__ is None:
            untrack(record)
            untrack(values)
            if leaves is not None and gc.is_tracked(leaves):
                untrack(leaves)
            return True
    found: list[object] = []
    if not _tree_of_model(record, found):
        return False
    for obj in found:
        untrack(obj)
    return True


def exempt_all(records: Iterable[BaseModel]) -> int:
    """`exempt` each record (a file's cards and answers read for an import, in a worker thread:
    pure Python, so the UI thread gets the GIL back every switch interval); how many were
    untracked. A no-op unless `arm`ed."""
    if _untrack is None:
        return 0
    return sum(map(exempt, records))


def exempt_lists(lists: Iterable[list[Any]]) -> int:
    """Untrack each list that holds only untracked objects (records `exempt`ed, leaves): a list
    of records cannot be in a cycle, and a collection walking it visits every record in it —
    a file read for an import holds 250,000 answers in 20,000 lists of each card's history and
    one of them all, and the first young collection after the read walked them: 30 ms holding
    the GIL. Records appended later keep it safe (see `untracked_list`). How many were
    untracked; a no-op unless `arm`ed."""
    untrack = _untrack
    if untrack is None:
        return 0
    tracked = gc.is_tracked
    done = 0
    for found in lists:
        if not any(map(tracked, found)):
            untrack(found)
            done += 1
    return done


def exempt_dict(docs: dict[Any, Any]) -> dict[Any, Any]:
    """`docs` untracked if no key or value in it is tracked (records `exempt`ed, ints); the
    same dict. CPython tracks a dict as soon as it holds any object of a kind that may be
    tracked — a record, untracked or not — and never untracks it again, so every dict of
    records is walked by each collection that meets it, with every record in it: a store's
    table shards and log months (21,000 answers a month at the heavy year), and the copies a
    bulk write makes of them — an import's 29 such dicts cost the young collection after it
    27 ms holding the GIL. Safe whatever comes later: inserting a tracked object tracks the
    dict again (unlike a list). A no-op unless `arm`ed."""
    untrack = _untrack
    if untrack is not None and gc.is_tracked(docs):
        tracked = gc.is_tracked
        if not any(map(tracked, docs.values())) and not any(map(tracked, docs)):
            untrack(docs)
    return docs


def _tree_of_model(record: BaseModel, found: list[object]) -> bool:
    values = record.__dict__
    found.append(record)
    found.append(values)
    for value in values.values():
        if type(value) not in _flat and not _tree(value, found):
            return False
    extra = record.__pydantic_extra__
    private = record.__pydantic_private__
    return (extra is None or _tree(extra, found)) and (private is None or _tree(private, found))


def _tree(value: Any, found: list[object]) -> bool:
    """`value` holds only leaves, enum members, and containers met once: collect the containers."""
    kind = type(value)
    if kind in _flat:
        return True
    if isinstance(value, enum.Enum):  # shared and long-lived: left as it is, not walked
        _flat.add(kind)
        return True
    if kind is list or kind is tuple or kind is dict:
        if len(found) >= MAX_NODES or any(obj is value for obj in found):
            return False  # big or shared within the record: leave the record tracked
        found.append(value)
        items = value.values() if kind is dict else value
        for item in items:
            if type(item) not in _flat and not _tree(item, found):
                return False
        if kind is dict:
            return all(type(key) in _LEAF for key in value)
        return True
    if isinstance(value, BaseModel) and value.model_config.get("frozen"):
        if len(found) >= MAX_NODES or any(obj is value for obj in found):
            return False
        return _tree_of_model(value, found)
    return False


def untracked_list() -> list[Any]:
    """A new list the collector does not walk (once `arm`ed), for a list that holds only
    records: a record refers to no list, so no cycle can pass through it, and reference counting
    frees it as before. An export holds one per card for its review history and one per note for
    its cards — 200,000 lists at the power-user scale, which a full collection while it ran (the
    app's, on the UI thread: ui/idle_collector.py) walked with every record in them (166 ms of
    CPU). What it holds still counts as referred to, so nothing in it is collected while it
    lives; appending keeps it untracked."""
    found: list[Any] = []
    untrack = _untrack
    if untrack is not None:
        untrack(found)
    return found


def untracked_set() -> set[Any]:
    """A new set the collector does not walk (once `arm`ed), for ints or strings only: nothing in
    it can refer back. A collection that meets a set visits every member — an export's set of
    the 250,000 review ids it has written cost two young collections 14 ms each."""
    found: set[Any] = set()
    untrack = _untrack
    if untrack is not None:
        untrack(found)
    return found
