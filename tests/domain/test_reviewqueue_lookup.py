"""The review queue finds the card on screen and the card answered at a list's head before it
scans (domain/reviewqueue.py): what `next_card` shows and what `remove` leaves are the same as the
full scans they replace, for any queue and any sequence of answers, buries and undos."""

from __future__ import annotations

import copy
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card, CardState
from tests.helpers import T0, make_card


def scanned_next(queue: rq.ReviewQueue, now: object) -> Card | None:
    """`next_card` as it was: the card on screen found by scanning every list."""
    if queue.first is not None:
        for part in (queue.learning, queue.reviews, queue.new):
            for card in part:
                if card.id == queue.first:
                    ahead = part is queue.learning and card.due > now  # type: ignore[operator]
                    if not (ahead and (queue.reviews or queue.new)):
                        return card
        first, queue.first = queue.first, None
        try:
            return rq.next_card(queue, now)  # type: ignore[arg-type]
        finally:
            queue.first = first
    return rq.next_card(queue, now)  # type: ignore[arg-type]


def scanned_remove(queue: rq.ReviewQueue, card_id: int) -> None:
    """`remove` as it was: every list copied without the card."""
    if queue.first == card_id:
        queue.first = None
    for part in (queue.learning, queue.reviews, queue.new):
        kept = [c for c in part if c.id != card_id]
        if len(kept) != len(part):
            if part is queue.reviews:
                queue.main_taken += 1
            elif part is queue.new:
                queue.new_taken += 1
        part[:] = kept


def a_queue(sizes: tuple[int, int, int], mix: float) -> rq.ReviewQueue:
    ids = iter(range(1, 1 + sum(sizes)))
    learning = [
        make_card(f"l{n}", id=next(ids), last_review=T0, due=T0 + timedelta(minutes=5 * n - 10))
        for n in range(sizes[0])
    ]
    reviews = [
        make_card(f"r{n}", id=next(ids), state=CardState.REVIEW, step=None,
                  last_review=T0 - timedelta(days=9), due=T0 - timedelta(hours=1))
        for n in range(sizes[1])
    ]  # fmt: skip
    new = [make_card(f"n{n}", id=next(ids)) for n in range(sizes[2])]
    return rq.ReviewQueue(learning, reviews, new, mix=mix)


def state(queue: rq.ReviewQueue) -> tuple[object, ...]:
    return (
        [c.id for c in queue.learning],
        [c.id for c in queue.reviews],
        [c.id for c in queue.new],
        queue.first,
        queue.main_taken,
        queue.new_taken,
    )


steps = st.lists(
    st.tuples(
        st.sampled_from(["answer", "remove", "first", "nothing_first"]),
        st.integers(0, 40),  # a card id (some not queued)
        st.integers(-20, 40),  # minutes from T0
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.tuples(st.integers(0, 6), st.integers(0, 12), st.integers(0, 12)),
    mix=st.sampled_from([1.5, 3.0, float("inf")]),
    ops=steps,
)
def test_the_card_shown_and_the_queue_left_are_those_of_a_full_scan(
    sizes: tuple[int, int, int], mix: float, ops: list[tuple[str, int, int]]
) -> None:
    queue = a_queue(sizes, mix)
    reference = copy.deepcopy(queue)
    for op, card_id, minutes in ops:
        now = T0 + timedelta(minutes=minutes)
        if op == "answer":  # the card shown, answered: it leaves the queue (as `place` takes it)
            shown, expected = rq.next_card(queue, now), scanned_next(reference, now)
            assert (shown and shown.id) == (expected and expected.id)
            if shown is not None:
                queue.first = reference.first = shown.id
                rq.remove(queue, shown.id)
                scanned_remove(reference, shown.id)
        elif op == "remove":  # a sibling buried, a card suspended: anywhere in the queue
            rq.remove(queue, card_id)
            scanned_remove(reference, card_id)
        elif op == "first":  # an undo: the card brought back is shown first, wherever it is
            queue.first = reference.first = card_id
        else:
            queue.first = reference.first = None
        assert state(queue) == state(reference)
        shown, expected = rq.next_card(queue, now), scanned_next(reference, now)
        assert (shown and shown.id) == (expected and expected.id)


def test_a_card_found_at_a_head_leaves_only_its_list() -> None:
    """The head of the new cards answered: the reviews and the learning cards are untouched, and
    the mix counts a new card taken."""
    queue = a_queue((2, 3, 3), 1.5)
    head = queue.new[0].id
    rq.remove(queue, head)
    assert [c.id for c in queue.new] == [7, 8]
    assert [c.id for c in queue.reviews] == [3, 4, 5]
    assert (queue.main_taken, queue.new_taken) == (0, 1)
    rq.remove(queue, 4)  # in the middle of the reviews
    assert [c.id for c in queue.reviews] == [3, 5]
    assert (queue.main_taken, queue.new_taken) == (1, 1)
    rq.remove(queue, 99)  # not queued: nothing moves
    assert state(queue) == ([1, 2], [3, 5], [7, 8], None, 1, 1)


class Unscannable(list[Card]):
    """A list that fails if walked: the queue must find its heads without a scan."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("scanned")


def test_the_card_on_screen_is_shown_and_answered_without_a_scan() -> None:
    """At the power-user scale every scan of the queue was ~5 ms of the UI thread, several an
    answer: the card shown, a list's head, is found there."""
    plain = a_queue((0, 4, 4), 1.5)
    queue = rq.ReviewQueue(Unscannable(), Unscannable(plain.reviews), Unscannable(plain.new),
                           mix=1.5)  # fmt: skip
    for _ in range(8):
        shown = rq.next_card(queue, T0)
        assert shown is not None
        queue.first = shown.id  # on screen, as the session marks it
        assert rq.next_card(queue, T0) is shown
        rq.remove(queue, shown.id)  # answered
    assert rq.next_card(queue, T0) is None
