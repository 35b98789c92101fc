"""FSRS training items and memory-state histories from deskwork's review log, built exactly the way
Anki builds them from its revlog (rslib/src/scheduler/fsrs/params.rs `reviews_for_fsrs`,
`fsrs_items_for_training`; memory_state.rs `fsrs_item_for_memory_state`).

Per card, oldest first: entries made while cramming are skipped; the history starts at the first
answer of the card's last run of learning answers (an entry made by "Forget" ends the search: what
came before it is ignored); a card whose learning answers are missing (history imported from
its middle) gives no training item at all. What remains are the answers (manual entries, i.e. set
due date / forget / rescheduled, are dropped); each answer's `delta_t` is the number of study days
since the previous answer, counted as Anki does, back from the end of today's study day (`day_end`,
Anki's `next_day_at`). Training gets one item per answer after the first whose `delta_t` is above
0, carrying every answer of the card up to it (same-day answers stay in the sequence as short-term
reviews, but are not predicted); items are in the order the answers were made.

How a deskwork log entry reads as an Anki revlog entry: a learning answer is one given in the
learning state (Anki's revlog type 0); a manual entry (`manual` 4) with an ease factor of 0 (or
none) is a reset; an answer imported from Anki in the review state with an ease factor of 0 is
cramming (Anki's filtered-deck type 3 with factor 0; deskwork's own cram writes no log entry).
Pure: no I/O, no fsrs import; the clock is `day_end`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from deskwork.domain.cards import CardState, ReviewLog

DAY_S = 86_400
RESET = 4  # Anki's revlog kind for a manual entry (set due date, forget)
DEFAULT_EASE = 2500  # Anki: an ease factor of 0 in the revlog reads as 250 %
_REVIEW = CardState.REVIEW  # enum members looked up once: this runs per log entry
_LEARNING = CardState.LEARNING


def _rated(log: ReviewLog) -> bool:
    return log.rating > 0 and not log.manual


def _cramming(log: ReviewLog) -> bool:
    return (
        _rated(log) and log.state is CardState.REVIEW and log.anki is not None and log.anki[3] == 0
    )


def _reset(log: ReviewLog) -> bool:
    return log.manual == RESET and (log.anki is None or log.anki[3] == 0)


def _learning(log: ReviewLog) -> bool:
    return _rated(log) and log.state is _LEARNING


def _interday(log: ReviewLog) -> bool:
    """Anki: the answer scheduled a day or more (its ivl ≥ 1, or ≤ -1 day in seconds). deskwork's
    own answers do not record it; they come after learning answers anyway, so count them in."""
    if log.anki is None:
        return True
    ivl = log.anki[1]
    return ivl >= 1 or ivl <= -DAY_S


def relearning_steps_in_day(steps_minutes: Sequence[float]) -> int:
    """How many relearning steps fall within a day, counted as Anki's Optimize does (the steps'
    cumulative time under 1440 minutes): what the optimiser models as same-day relearning."""
    count, total = 0, 0.0
    for step in steps_minutes:
        total += step
        if total >= 1440:
            break
        count += 1
    return count


def days_elapsed(ts: datetime, day_end_s: int) -> int:
    """Anki's `RevlogEntry::days_elapsed`: whole days from the answer to the end of today."""
    return max(0, (day_end_s - int(ts.timestamp())) // DAY_S)


def ordered(logs: Iterable[ReviewLog]) -> list[ReviewLog]:
    """A card's log in the order the entries were made (Anki: by revlog id)."""
    return sorted(logs, key=lambda log: (log.ts, log.id))


@dataclass(frozen=True)
class CardHistory:
    """A card's answers as FSRS sees them, and whether its history is complete (starts with
    learning) — if not, Anki starts the memory state from the first answer's SM-2 figures."""

    card_id: int
    logs: list[ReviewLog]  # the answers kept, oldest first
    ratings: list[int]
    deltas: list[int]  # delta_t in days; the first is 0
    complete: bool
    learned: bool = True  # starts at a learning answer (else: no training items, Anki's rule)

    @property
    def sm2_start(self) -> tuple[float, float]:
        """(ease factor, interval in days) of the first answer kept, as Anki reads them for
        `memory_state_from_sm2` (factor 0 or unknown reads 2.5, the interval at least 1)."""
        first = self.logs[0]
        ivl = first.anki[1] if first.anki else 1
        factor = first.anki[3] if first.anki and first.anki[3] else DEFAULT_EASE
        return factor / 1000.0, float(max(ivl, 1))


def card_history(
    logs: Sequence[ReviewLog], day_end_s: int, *, training: bool
) -> CardHistory | None:
    """Anki's `reviews_for_fsrs` for one card (`logs` oldest first); None when the card gives
    nothing (no learning answers while training, no answer since a reset)."""
    first_learn: int | None = None
    first_grade: int | None = None
    complete = False
    for index in range(len(logs) - 1, -1, -1):  # working back from the latest entry
        log = logs[index]
        if _cramming(log):
            continue
        graded = _rated(log)
        if graded and _interday(log):
            first_grade = index
        if graded and _learning(log):
            first_learn = index
            complete = True
        elif _reset(log):
            if first_learn is not None:
                complete = True
                break
            if first_grade is not None:
                complete = False
                break
            return None
        elif first_learn is not None:
            break
    if first_learn is not None:
        start = first_learn
    elif training or first_grade is None:
        return None  # training needs the first learning answer; memory states any answer
    else:
        start = first_grade
    kept = [log for log in logs[start:] if _rated(log) and not _cramming(log)]
    if not kept:
        return None
    days = [days_elapsed(log.ts, day_end_s) for log in kept]
    deltas = [0] + [days[i - 1] - days[i] for i in range(1, len(days))]
    return CardHistory(
        card_id=kept[0].card_id,
        logs=kept,
        ratings=[log.rating for log in kept],
        deltas=deltas,
        complete=complete,
        learned=first_learn is not None,
    )


@dataclass
class TrainingSet:
    """Anki's training items, compactly: each item is a prefix of one card's answers."""

    histories: list[CardHistory] = field(default_factory=list)
    items: list[tuple[int, int]] = field(default_factory=list)  # (history index, length)
    reviews: int = 0  # answers the items are built from (Anki's review count)

    @property
    def card_ids(self) -> list[int]:
        """The card of each item, aligned with `items` (fsrs-rs weighs recent cards more)."""
        return [self.histories[h].card_id for h, _ in self.items]

    def sequences(self) -> list[tuple[list[int], list[int]]]:
        """Every item as (ratings, delta_ts)."""
        out = []
        for h, n in self.items:
            history = self.histories[h]
            out.append((history.ratings[:n], history.deltas[:n]))
        return out

    def cards(self) -> list[tuple[list[int], list[int]]]:
        """Every card's whole (ratings, delta_ts): with `items`, all the items (compactly)."""
        return [(h.ratings, h.deltas) for h in self.histories]


def training_set(
    logs_by_card: dict[int, list[ReviewLog]],
    day_end: datetime,
    histories: dict[int, CardHistory] | None = None,
) -> TrainingSet:
    """Anki's `fsrs_items_for_training` over every card's log (each oldest first). `histories`:
    the cards' `memory_histories` if already made (a training history is the same one, for a
    card whose learning answers are in the log)."""
    if histories is None:
        histories = memory_histories(logs_by_card, day_end)
    out = TrainingSet()
    keyed: list[tuple[tuple[datetime, int], int, int]] = []
    for card_id in sorted(logs_by_card):
        history = histories.get(card_id)
        if history is None or not history.learned:
            continue
        index = len(out.histories)
        made = 0
        for n in range(2, len(history.deltas) + 1):
            if history.deltas[n - 1] > 0:
                log = history.logs[n - 1]
                keyed.append(((log.ts, log.id), index, n))
                made += 1
        if made:
            out.histories.append(history)
            out.reviews += len(history.logs)
    keyed.sort(key=lambda k: k[0])
    out.items = [(index, n) for _, index, n in keyed]
    return out


def memory_histories(
    logs_by_card: dict[int, list[ReviewLog]], day_end: datetime
) -> dict[int, CardHistory]:
    """Each card's full history for its memory state (Anki's `fsrs_item_for_memory_state`)."""
    day_end_s = int(day_end.timestamp())
    out = {}
    for card_id, logs in logs_by_card.items():
        history = card_history(logs, day_end_s, training=False)
        if history is not None:
            out[card_id] = history
    return out


def group_by_card(
    logs: Iterable[ReviewLog], cards: set[int] | None = None
) -> dict[int, list[ReviewLog]]:
    """The log split per card (only `cards`, if given), each oldest first."""
    out: dict[int, list[ReviewLog]] = {}
    for log in logs:
        if cards is None or log.card_id in cards:
            out.setdefault(log.card_id, []).append(log)
    for card_id, entries in out.items():
        out[card_id] = ordered(entries)
    return out
