"""Today's queue and the curriculum's items: pick, reorder, carry over, a unit done, add / edit /
delete. Each change is one durable transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from deskwork.domain import queue as q
from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.wording import human_error
from deskwork.services.desk import Desk
from deskwork.services.timer import TimerService


class ItemInvalid(ValueError):
    """A form's value that does not fit: the message names the field."""


def _items(desk: Desk) -> list[Item]:
    return list(desk.store.items.values())


def _save(desk: Desk, items: Iterable[Item]) -> list[Item]:
    items = list(items)
    if not items:
        return []
    with desk.store.transaction() as tx:
        return [tx.put("items", i) for i in items]


def today_queue(desk: Desk) -> list[Item]:
    return q.todays_queue(_items(desk), desk.today())


def candidates(desk: Desk, limit: int | None = None) -> list[Item]:
    return q.candidates(_items(desk), desk.today(), limit)


def leftovers(desk: Desk) -> list[Item]:
    return q.leftovers(_items(desk), desk.today())


def get(desk: Desk, item_id: int) -> Item:
    item = desk.store.items.get(item_id)
    if item is None:
        raise KeyError(f"no curriculum item {item_id}")
    return item


def toggle_today(desk: Desk, item_id: int) -> Item:
    """Queue the item for today, or take it off today's queue when it is on it."""
    item = get(desk, item_id)
    today = desk.today()
    if item.queued_on == today:
        return _save(desk, [q.dequeue(item)])[0]
    picked = q.enqueue(today_queue(desk), item, today)
    if picked.status in (ItemStatus.PLANNED, ItemStatus.PAUSED):
        picked = q.with_status(picked, ItemStatus.ACTIVE, desk.clock())
    return _save(desk, [picked])[0]


def move(desk: Desk, item_id: int, delta: int) -> bool:
    return bool(_save(desk, q.move(today_queue(desk), item_id, delta)))


def carry_to_tomorrow(desk: Desk, item_ids: list[int] | None = None) -> list[Item]:
    """The given items (default: today's unfinished ones) go to the end of tomorrow's queue."""
    today = desk.today()
    chosen = [i for i in today_queue(desk) if i.unfinished]
    if item_ids is not None:
        chosen = [i for i in chosen if i.id in item_ids]
    after = q.todays_queue(_items(desk), q.tomorrow(today))
    return _save(desk, q.carry(chosen, q.tomorrow(today), after))


def bring_leftovers(desk: Desk) -> list[Item]:
    """Unfinished items of earlier days' queues join the end of today's."""
    return _save(desk, q.carry(leftovers(desk), desk.today(), today_queue(desk)))


def unit_done(desk: Desk, item_id: int) -> Item:
    return _save(desk, [q.unit_done(get(desk, item_id), desk.clock())])[0]


def set_status(desk: Desk, item_id: int, status: ItemStatus) -> Item:
    return _save(desk, [q.with_status(get(desk, item_id), status, desk.clock())])[0]


def save_form(
    desk: Desk, item_id: int | None, values: dict[str, Any], labels: Mapping[str, str] | None = None
) -> Item:
    """Add (item_id None) or edit an item from a form's values; validated, or ItemInvalid with one
    sentence naming the field (by its label on the form, `labels`)."""
    base: dict[str, Any] = {"id": 0, "added": desk.clock()}
    if item_id is not None:
        base = get(desk, item_id).model_dump()
    data = {**base, **values}
    try:
        item = Item.model_validate(data)
    except ValidationError as exc:
        raise ItemInvalid(human_error(exc, labels)) from None
    if item_id is not None:
        old = get(desk, item_id)
        if old.status is not item.status:
            item = q.with_status(item, item.status, desk.clock())
    return _save(desk, [item])[0]


def timer_on(desk: Desk, item_id: int) -> bool:
    """Whether the timer is on this item (so deleting it takes the timer off it)."""
    return TimerService(desk).state.item_id == item_id


def delete(desk: Desk, item_id: int) -> bool:
    """Delete the item. A timer on it is taken off it in the same transaction (a running focus
    keeps the minutes spent on the item so far; from now on it is on no item): True if it was."""
    get(desk, item_id)
    timer = TimerService(desk)
    off = timer.off_item(item_id)
    with desk.store.transaction() as tx:
        tx.delete("items", item_id)
        if off is not None:
            timer.write(tx, off)
    return off is not None
