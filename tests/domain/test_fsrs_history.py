"""Training items and memory-state histories from the review log, by Anki's rules: delta_t in
study days back from the end of today, same-day answers kept in the sequence but not predicted,
manual / rescheduled / cram entries left out, a Forget starts the history again, a card whose
learning answers are missing gives no training item (its memory state starts from SM-2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskwork.domain import fsrs_history as fh
from deskwork.domain.cards import CardState, ReviewLog

END = datetime(2026, 11, 20, 4, tzinfo=UTC)  # the end of today's study day (start hour 4)
_ids = iter(range(1, 10_000))


def log(
    card: int,
    ts: datetime,
    rating: int,
    state: CardState = CardState.REVIEW,
    manual: int = 0,
    anki: tuple[int, int, int, int] | None = None,
) -> ReviewLog:
    return ReviewLog(
        id=next(_ids), card_id=card, rating=rating, ts=ts, state=state, manual=manual, anki=anki
    )


def day(n: int, hour: float = 10) -> datetime:
    """`n` study days before today, at `hour` o'clock."""
    return END - timedelta(days=n + 1) + timedelta(hours=hour - 4)


L = CardState.LEARNING


def test_delta_t_counts_study_days_not_24_hours() -> None:
    logs = [log(1, day(10, 23.9), 3, L), log(1, day(10, 27.9), 3)]  # 03:54 next morning
    logs.append(log(1, day(9, 4.1), 3))  # 04:06 the same morning: the next study day
    h = fh.card_history(logs, int(END.timestamp()), training=True)
    assert h is not None
    assert h.deltas == [0, 0, 1]


def test_same_day_answers_stay_in_the_sequence_but_are_not_items() -> None:
    logs = [log(1, day(30), 1, L), log(1, day(30, 10.2), 3, L), log(1, day(27), 3)]
    logs += [log(1, day(20), 1), log(1, day(20, 10.3), 3, CardState.RELEARNING), log(1, day(12), 3)]
    ts = fh.training_set({1: logs}, END)
    assert ts.sequences() == [
        ([1, 3, 3], [0, 0, 3]),
        ([1, 3, 3, 1], [0, 0, 3, 7]),
        ([1, 3, 3, 1, 3, 3], [0, 0, 3, 7, 0, 8]),
    ]
    assert ts.reviews == 6 and ts.card_ids == [1, 1, 1]


def test_manual_rescheduled_and_cram_entries_are_left_out() -> None:
    logs = [
        log(1, day(30), 3, L),
        log(1, day(25), 3),
        log(1, day(24), 0, manual=4, anki=(1, 9, 3, 2500)),  # set due date
        log(1, day(23), 3, anki=(2, 0, 0, 0)),  # crammed in a filtered deck (Anki type 3)
        log(1, day(22), 0, manual=5, anki=(3, 12, 9, 2500)),  # rescheduled
        log(1, day(15), 4, anki=(4, 20, 10, 2500)),  # an imported review
    ]
    ts = fh.training_set({1: logs}, END)
    assert ts.sequences()[-1] == ([3, 3, 4], [0, 5, 10])
    assert ts.reviews == 3


def test_a_card_without_its_learning_answers_gives_no_item_but_a_memory_state_start() -> None:
    logs = [log(1, day(40), 3, anki=(1, 12, 5, 2300)), log(1, day(28), 3, anki=(2, 30, 12, 2300))]
    assert fh.card_history(logs, int(END.timestamp()), training=True) is None
    assert fh.training_set({1: logs}, END).items == []
    h = fh.memory_histories({1: logs}, END)[1]
    assert not h.complete and h.deltas == [0, 12]
    assert h.sm2_start == (2.3, 12.0)


def test_forget_starts_the_history_again() -> None:
    before = [log(1, day(60), 3, L), log(1, day(50), 3), log(1, day(40), 1)]
    reset = log(1, day(35), 0, manual=4, anki=(9, 0, 10, 0))
    after = [log(1, day(30), 4, L), log(1, day(20), 3)]
    h = fh.card_history([*before, reset, *after], int(END.timestamp()), training=True)
    assert h is not None and h.ratings == [4, 3] and h.complete
    # forgotten and never answered since: nothing to learn from
    assert fh.card_history([*before, reset], int(END.timestamp()), training=False) is None


def test_items_are_in_answer_order_across_cards() -> None:
    a = [log(1, day(30), 3, L), log(1, day(20), 3), log(1, day(5), 3)]
    b = [log(2, day(25), 3, L), log(2, day(10), 2)]
    ts = fh.training_set(fh.group_by_card([*b, *a]), END)
    assert ts.card_ids == [1, 2, 1]
    assert [len(seq[0]) for seq in ts.sequences()] == [2, 2, 3]


def test_relearning_steps_within_a_day_as_anki_counts_them() -> None:
    assert fh.relearning_steps_in_day([10.0]) == 1
    assert fh.relearning_steps_in_day([10.0, 60.0, 1440.0]) == 2
    assert fh.relearning_steps_in_day([1440.0]) == 0
    assert fh.relearning_steps_in_day([]) == 0
