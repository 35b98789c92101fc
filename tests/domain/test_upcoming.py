"""When the next card comes up, kept over a session (domain/upcoming.py): its answer equals the old
pass over every card (`reviewqueue.next_up` before it was kept in heaps, copied here as it was)
after any mix of writes and time passing, including reviews beyond the kept window, burials
that end, and a clock set back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import Card, CardState
from deskwork.domain.decklimits import available, is_interday
from deskwork.domain.studyday import day_bounds, study_day
from deskwork.domain.upcoming import Upcoming
from tests.helpers import T0, make_card


def old_next_up(
    cards: Iterable[Card], now: datetime, start_hour: int
) -> tuple[datetime, bool] | None:
    """reviewqueue.next_up as it was (session 8), the reference."""
    earliest_review: datetime | None = None
    others: list[Card] = []
    for card in cards:
        if card.due <= now or not available(card, now):
            continue
        if card.state is CardState.REVIEW:
            if earliest_review is None or card.due < earliest_review:
                earliest_review = card.due
        else:
            others.append(card)
    found: list[tuple[datetime, bool]] = []
    if earliest_review is not None:
        found.append((_day_start(earliest_review, start_hour), True))
    for card in others:
        day_end = day_bounds(study_day(card.due, start_hour), start_hour)[1]
        if is_interday(card, day_end):
            found.append((_day_start(card.due, start_hour), True))
        else:
            found.append((card.due, False))
    return min(found, key=lambda up: up[0]) if found else None


def _day_start(moment: datetime, start_hour: int) -> datetime:
    return day_bounds(study_day(moment, start_hour), start_hour)[0]


MINUTES = st.integers(min_value=-3 * 24 * 60, max_value=6 * 24 * 60)  # due around now, in minutes


@st.composite
def cards_as(draw: st.DrawFn, card_id: int) -> Card:
    """A card of any state, due from three days ago to six days ahead (tomorrow's end, where
    the kept reviews stop, in the middle), sometimes suspended or buried for a while; a learning
    step answered some minutes to days before its due."""
    kind = draw(st.sampled_from(["new", "learning", "review", "relearning"]))
    state = {"review": CardState.REVIEW, "relearning": CardState.RELEARNING}.get(
        kind, CardState.LEARNING
    )
    due = T0 + timedelta(minutes=draw(MINUTES))
    kw: dict[str, object] = {"id": card_id, "state": state, "due": due}
    if kind != "new":
        kw["last_review"] = due - timedelta(minutes=draw(st.integers(1, 3 * 24 * 60)))
    kw["suspended"] = draw(st.booleans()) and draw(st.booleans())
    if draw(st.booleans()) and draw(st.booleans()):
        kw["buried_until"] = T0 + timedelta(minutes=draw(MINUTES))
    return make_card(f"card {card_id}", **kw)


# a step: ("write", card index, the card now) | ("wait", minutes) | ("ask",)
STEPS = st.one_of(
    st.tuples(st.just("write"), st.integers(0, 29), st.integers(0, 10**6)),
    st.tuples(st.just("wait"), st.integers(-30, 36 * 60)),
    st.tuples(st.just("ask")),
)


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    n=st.integers(0, 30),
    hour=st.sampled_from([0, 4, 23]),
    steps=st.lists(STEPS, max_size=25),
)
def test_the_kept_answer_equals_a_pass_over_every_card(
    data: st.DataObject, n: int, hour: int, steps: list[tuple[object, ...]]
) -> None:
    cards = {i: data.draw(cards_as(i)) for i in range(n)}
    now = T0
    upcoming = Upcoming(list(cards.values()), now, hour)
    for step in steps:
        if step[0] == "write" and cards:
            card_id = int(str(step[1])) % len(cards)
            cards[card_id] = data.draw(cards_as(card_id))
            upcoming.written(card_id, cards[card_id], now)
        elif step[0] == "wait":
            now += timedelta(minutes=int(str(step[1])))
        if not upcoming.fits(now, hour):  # what the session does: a new pass
            upcoming = Upcoming(list(cards.values()), now, hour)
        assert upcoming.next_up() == old_next_up(cards.values(), now, hour)


def test_time_going_on_and_writes_need_no_new_pass() -> None:
    """Reviews falling due one after another, an answer pushing one out, a suspension: the heaps
    answer each time (no new pass), as the pass over every card would."""
    hour = 4
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    reviews = [
        make_card(
            f"r{i}",
            id=i,
            state=CardState.REVIEW,
            last_review=now - timedelta(days=3),
            due=now + timedelta(hours=6 * i + 1),
        )
        for i in range(12)
    ]
    step = make_card("l", id=99, state=CardState.LEARNING, last_review=now,
                     due=now + timedelta(minutes=90))  # fmt: skip
    cards = {c.id: c for c in [*reviews, step]}
    upcoming = Upcoming(list(cards.values()), now, hour)
    for minutes in (0, 60, 100, 400, 700, 1500, 2000):
        at = now + timedelta(minutes=minutes)
        assert upcoming.fits(at, hour)
        assert upcoming.next_up() == old_next_up(cards.values(), at, hour)
    answered = cards[3].model_copy(update={"due": at + timedelta(days=30)})
    cards[3] = answered
    upcoming.written(3, answered, at)
    cards[5] = cards[5].model_copy(update={"suspended": True})
    upcoming.written(5, cards[5], at)
    assert upcoming.fits(at, hour)
    assert upcoming.next_up() == old_next_up(cards.values(), at, hour)


def test_a_clock_set_back_or_a_burial_ending_asks_for_a_new_pass() -> None:
    now = T0
    buried = make_card("b", id=1, state=CardState.REVIEW, last_review=now,
                       due=now + timedelta(days=1), buried_until=now + timedelta(hours=3))  # fmt: skip
    upcoming = Upcoming([buried], now, 4)
    assert upcoming.fits(now + timedelta(hours=1), 4) and upcoming.next_up() is None
    assert not upcoming.fits(now, 4), "the clock went back"
    upcoming = Upcoming([buried], now, 4)
    assert not upcoming.fits(now + timedelta(hours=3), 4), "the burial ended"
    assert not upcoming.fits(now, 5), "another day start hour"
