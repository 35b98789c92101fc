"""Today's queue (pick, reorder, carry over), a unit done, the curriculum table's filter and sort."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from deskwork.domain import queue as q
from deskwork.domain.curriculum import Item, ItemKind, ItemStatus
from tests.helpers import T0

DAY = date(2026, 11, 20)


def item(n: int, **kw: object) -> Item:
    return Item(id=n, title=kw.pop("title", f"item {n}"), added=T0, **kw)  # type: ignore[arg-type]


def test_todays_queue_is_ordered_by_rank_and_ignores_other_days() -> None:
    items = [
        item(1, queued_on=DAY, queue_rank=2),
        item(2, queued_on=DAY, queue_rank=0),
        item(3, queued_on=DAY - timedelta(days=1)),
        item(4),
    ]
    assert [i.id for i in q.todays_queue(items, DAY)] == [2, 1]


def test_leftovers_are_earlier_days_unfinished_items() -> None:
    yesterday = DAY - timedelta(days=1)
    items = [
        item(1, queued_on=yesterday),
        item(2, queued_on=yesterday, status=ItemStatus.DONE),
        item(3, queued_on=DAY),
        item(4, queued_on=DAY - timedelta(days=3)),
    ]
    assert [i.id for i in q.leftovers(items, DAY)] == [4, 1]


def test_candidates_offer_leftovers_then_active_then_planned() -> None:
    items = [
        item(1, title="b planned", status=ItemStatus.PLANNED),
        item(2, title="a planned", status=ItemStatus.PLANNED, priority=5),
        item(3, title="active", status=ItemStatus.ACTIVE),
        item(4, title="left", status=ItemStatus.PLANNED, queued_on=DAY - timedelta(days=1)),
        item(5, title="today", status=ItemStatus.ACTIVE, queued_on=DAY),
        item(6, title="done", status=ItemStatus.DONE),
    ]
    assert [i.id for i in q.candidates(items, DAY)] == [4, 3, 2, 1]
    assert len(q.candidates(items, DAY, limit=2)) == 2


def test_enqueue_appends_and_move_swaps_neighbours() -> None:
    queue = [item(n, queued_on=DAY, queue_rank=n) for n in range(3)]
    added = q.enqueue(queue, item(9), DAY)
    assert (added.queued_on, added.queue_rank) == (DAY, 3)
    queue.append(added)
    changed = q.move(queue, 9, -2)
    ranks = {i.id: i.queue_rank for i in changed}
    assert ranks == {9: 1, 1: 2, 2: 3}
    assert q.move(queue, 0, -1) == [], "the first cannot go higher"
    assert q.move(queue, 42, 1) == [], "not in the queue"


@given(st.integers(2, 8), st.data())
def test_moving_keeps_every_item_once_with_distinct_ranks(size: int, data: st.DataObject) -> None:
    queue = [item(n, queued_on=DAY, queue_rank=n) for n in range(size)]
    for _ in range(data.draw(st.integers(1, 6))):
        target = data.draw(st.integers(0, size - 1))
        delta = data.draw(st.integers(-size, size))
        changed = {i.id: i for i in q.move(queue, target, delta)}
        queue = q.todays_queue([changed.get(i.id, i) for i in queue], DAY)
    assert sorted(i.id for i in queue) == list(range(size))
    assert sorted(i.queue_rank for i in queue) == list(range(size))


def test_carry_to_tomorrow_appends_after_tomorrows_queue() -> None:
    tomorrow = q.tomorrow(DAY)
    already = [item(7, queued_on=tomorrow, queue_rank=0)]
    moved = q.carry([item(1, queued_on=DAY), item(2, queued_on=DAY)], tomorrow, already)
    assert [(i.id, i.queued_on, i.queue_rank) for i in moved] == [
        (1, tomorrow, 1),
        (2, tomorrow, 2),
    ]


def test_unit_done_starts_and_finishes_items() -> None:
    course = item(1, units_total=2, unit_name="lectures")
    one = q.unit_done(course, T0)
    assert (one.units_done, one.status, one.started) == (1, ItemStatus.ACTIVE, T0)
    assert one.progress_text() == "1/2 lectures"
    later = T0 + timedelta(days=3)
    two = q.unit_done(one, later)
    assert (two.units_done, two.status, two.finished, two.started) == (
        2,
        ItemStatus.DONE,
        later,
        T0,
    )
    assert q.unit_done(two, later).units_done == 2, "never past the total"
    open_ended = q.unit_done(item(2), T0)
    assert (open_ended.units_done, open_ended.status) == (1, ItemStatus.ACTIVE)


def test_status_changes_keep_dates_consistent() -> None:
    done = q.with_status(item(1), ItemStatus.DONE, T0)
    assert done.started == T0 and done.finished == T0
    reopened = q.with_status(done, ItemStatus.ACTIVE, T0 + timedelta(days=1))
    assert reopened.finished is None and reopened.started == T0


def test_filter_tokens_and_words() -> None:
    items = [
        item(1, title="MIT 18.06 Linear Algebra", track="Math", kind=ItemKind.COURSE, tags=["mit"]),
        item(
            2,
            title="Attention Is All You Need",
            track="Deep learning",
            kind=ItemKind.PAPER,
            metadata_pending=True,
        ),
        item(
            3,
            title="Deep Learning book",
            track="Deep learning",
            kind=ItemKind.BOOK,
            status=ItemStatus.ACTIVE,
        ),
    ]

    def ids(query: str) -> list[int]:
        f = q.ItemFilter.parse(query)
        return [i.id for i in items if f.matches(i)]

    assert ids("") == [1, 2, 3]
    assert ids("track:deep") == [2, 3]
    assert ids("track:deep_learning kind:book") == [3]
    assert ids("status:act") == [3]
    assert ids("tag:mit") == [1]
    assert ids("is:pending") == [2]
    assert ids("linear algebra") == [1]
    assert ids("LEARNING book") == [3]
    assert ids("nothing-matches") == []


def test_sorting() -> None:
    items = [
        item(1, title="b", effort_points=0.5, cost=10, priority=1),
        item(2, title="a", effort_points=1.5, status=ItemStatus.ACTIVE),
        item(3, title="c", effort_points=1.0, cost=45),
    ]
    assert [i.id for i in q.sort_items(items, "title")] == [2, 1, 3]
    assert [i.id for i in q.sort_items(items, "effort")] == [2, 3, 1]
    assert [i.id for i in q.sort_items(items, "cost")] == [3, 1, 2]
    assert [i.id for i in q.sort_items(items, "priority")] == [1, 2, 3]
    assert [i.id for i in q.sort_items(items, "title", reverse=True)] == [3, 1, 2]
