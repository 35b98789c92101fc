"""Today's queue and the curriculum table's logic: picking, ordering, carrying over, a unit done,
filtering and sorting. Pure: no store, the day and the time are parameters."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from deskwork.domain.curriculum import Item, ItemKind, ItemStatus


def todays_queue(items: Iterable[Item], today: date) -> list[Item]:
    return sorted((i for i in items if i.queued_on == today), key=lambda i: (i.queue_rank, i.id))


def leftovers(items: Iterable[Item], today: date) -> list[Item]:
    """Items queued for an earlier day and not finished: what 'carry over' brings back."""
    return sorted(
        (i for i in items if i.queued_on is not None and i.queued_on < today and i.unfinished),
        key=lambda i: (i.queued_on or today, i.queue_rank, i.id),
    )


def candidates(items: Iterable[Item], today: date, limit: int | None = None) -> list[Item]:
    """What to offer for today when picking: leftovers first, then active, then planned items.
    All of them unless `limit` says otherwise (the queue lists every one: it scrolls)."""
    pool = [i for i in items if i.queued_on != today and i.unfinished]
    order = {ItemStatus.ACTIVE: 1, ItemStatus.PLANNED: 2, ItemStatus.PAUSED: 3}

    def key(i: Item) -> tuple[int, int, str]:
        left = i.queued_on is not None and i.queued_on < today
        return (0 if left else order.get(i.status, 4), -i.priority, i.title.casefold())

    return sorted(pool, key=key)[:limit]


def enqueue(queue: list[Item], item: Item, day: date) -> Item:
    """`item` at the end of `day`'s queue (already sorted `queue` is that day's)."""
    rank = max((i.queue_rank for i in queue), default=-1) + 1
    return item.model_copy(update={"queued_on": day, "queue_rank": rank})


def dequeue(item: Item) -> Item:
    return item.model_copy(update={"queued_on": None, "queue_rank": 0})


def move(queue: list[Item], item_id: int, delta: int) -> list[Item]:
    """The queue's items whose rank changed when `item_id` moves `delta` places (clamped)."""
    ids = [i.id for i in queue]
    if item_id not in ids:
        return []
    at = ids.index(item_id)
    to = max(0, min(len(ids) - 1, at + delta))
    if to == at:
        return []
    order = queue[:]
    order.insert(to, order.pop(at))
    return [
        i.model_copy(update={"queue_rank": r}) for r, i in enumerate(order) if i.queue_rank != r
    ]


def carry(items: list[Item], to_day: date, after: list[Item]) -> list[Item]:
    """`items` moved to the end of `to_day`'s queue (`after` = that day's queue now)."""
    start = max((i.queue_rank for i in after), default=-1) + 1
    return [
        i.model_copy(update={"queued_on": to_day, "queue_rank": start + n})
        for n, i in enumerate(items)
    ]


def tomorrow(today: date) -> date:
    return today + timedelta(days=1)


def unit_done(item: Item, now: datetime) -> Item:
    """One more lecture / chapter / assignment done: the item becomes active, and done when it was
    the last unit."""
    done = item.units_done + 1
    if item.units_total:
        done = min(done, item.units_total)
    update: dict[str, object] = {"units_done": done}
    if item.started is None:
        update["started"] = now
    if item.status in (ItemStatus.PLANNED, ItemStatus.PAUSED):
        update["status"] = ItemStatus.ACTIVE
    if item.units_total and done >= item.units_total:
        update |= {"status": ItemStatus.DONE, "finished": item.finished or now}
    return item.model_copy(update=update)


def with_status(item: Item, status: ItemStatus, now: datetime) -> Item:
    """The status changed, with the started / finished dates that go with it."""
    update: dict[str, object] = {"status": status}
    if status in (ItemStatus.ACTIVE, ItemStatus.DONE) and item.started is None:
        update["started"] = now
    if status is ItemStatus.DONE:
        update["finished"] = item.finished or now
    elif item.finished is not None:
        update["finished"] = None
    return item.model_copy(update=update)


# ---------------------------------------------------------------- the curriculum table
SORT_KEYS = ("priority", "title", "track", "kind", "status", "effort", "cost", "added")


class ItemFilter(NamedTuple):
    """A curriculum search (`parse`).
    A NamedTuple, not a frozen dataclass: the class is made at every start, and a
    dataclass's generated methods cost ~0.5 ms to compile (README, "Where a start goes")."""

    text: str = ""
    track: str = ""
    status: str = ""
    kind: str = ""
    tag: str = ""
    pending: bool = False

    @classmethod
    def parse(cls, query: str) -> ItemFilter:
        """`track:math status:active kind:paper tag:nlp is:pending words…` (values are prefixes)."""
        values: dict[str, str] = {}
        words: list[str] = []
        pending = False
        for token in query.split():
            name, sep, value = token.partition(":")
            name = name.lower()
            if sep and name in ("track", "status", "kind", "tag"):
                values[name] = value.casefold().replace("_", " ")
            elif sep and name == "is" and value.lower() == "pending":
                pending = True
            else:
                words.append(token.casefold())
        return cls(text=" ".join(words), pending=pending, **values)

    def matches(self, item: Item) -> bool:
        if self.track and not item.track.casefold().startswith(self.track):
            return False
        if self.status and not item.status.value.startswith(self.status):
            return False
        if self.kind and not item.kind.value.startswith(self.kind):
            return False
        if self.tag and not any(t.casefold().startswith(self.tag) for t in item.tags):
            return False
        if self.pending and not item.metadata_pending:
            return False
        if self.text:
            haystack = " ".join([item.title, item.authors, item.track, item.notes, *item.tags])
            return all(w in haystack.casefold() for w in self.text.split())
        return True


_STATUS_ORDER = {s: n for n, s in enumerate(ItemStatus)}
_WORKING_ORDER = {ItemStatus.ACTIVE: 0, ItemStatus.PLANNED: 1, ItemStatus.PAUSED: 2,
                  ItemStatus.DONE: 3, ItemStatus.DROPPED: 4}  # fmt: skip
_KIND_ORDER = {k: n for n, k in enumerate(ItemKind)}


def sort_items(items: Iterable[Item], key: str, reverse: bool = False) -> list[Item]:
    keys = {
        "priority": lambda i: (-i.priority, _WORKING_ORDER[i.status], i.title.casefold()),
        "title": lambda i: (i.title.casefold(),),
        "track": lambda i: (i.track.casefold(), i.title.casefold()),
        "kind": lambda i: (_KIND_ORDER[i.kind], i.title.casefold()),
        "status": lambda i: (_STATUS_ORDER[i.status], i.title.casefold()),
        "effort": lambda i: (-i.effort_points, i.title.casefold()),
        "cost": lambda i: (-i.cost, i.title.casefold()),
        "added": lambda i: (i.added, i.id),
    }
    return sorted(items, key=keys.get(key, keys["priority"]), reverse=reverse)
