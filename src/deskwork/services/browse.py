"""The card browser's work, split so the UI thread only takes a snapshot: a search (every card
matched, sorted, the first rows' questions rendered) and the browser's figures (due forecast,
answers per day, true retention, cards per state). Each `*_job` reads what it needs from the
store now, on the calling thread, and returns a function that may run on a worker thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple, TypeVar

from deskwork.domain import cardstats
from deskwork.domain.cards import Card
from deskwork.domain.cardsearch import compile_query
from deskwork.domain.studyday import day_bounds
from deskwork.services.desk import Desk
from deskwork.services.notes import Renderer, field_names, type_names
from deskwork.services.presets import load as load_presets

T = TypeVar("T")


class Figures(NamedTuple):
    """The browser's figures: due per day ahead, answers per day back, true retention (None:
    no answer on a card in review), cards per state, and how many answers it is of."""

    forecast: list[int]
    per_day: list[int]
    retention: float | None
    states: dict[str, int]
    in_review: int


@dataclass(frozen=True)
class Found:
    """A search's answer: every match in the browser's order, and the questions of the first
    `len(questions)` of them (the rows the browser shows)."""

    query: str
    cards: list[Card]
    questions: list[str]


SLICE = 1000  # cards matched (or questions rendered / 10) between two of a worker's pauses


def _nothing() -> None:
    pass


def search_job(
    desk: Desk, query: str, rows: int, pause: Callable[[], None] = _nothing
) -> Callable[[], Found]:
    """The cards and note types now; the returned function matches `query` (ValueError names a
    bad term), sorts the matches by deck, note and card, and renders the first `rows` questions.
    It calls `pause` between slices of that work (the UI's way to go first: ui/give_way.py)."""
    now = desk.clock()
    cards = desk.store.cards.all()
    render = Renderer(desk)
    names = type_names(render.types)  # unambiguous: beside Anki's Basic, "Basic (deskwork)"
    fields = field_names(render.types)  # front:word searches the field named Front
    decay = load_presets(desk).decay_for  # prop:r with each card's preset's decay
    start_hour = desk.config.study.day_start_hour  # rated:, added:, edited: count study days
    answers = answers_since(desk)  # rated:n:m reads the log (on the worker, only if asked)

    def run() -> Found:
        test = compile_query(query, now, names, decay, start_hour, answers, fields)
        found: list[Card] = []
        for start in range(0, len(cards), SLICE):
            pause()
            found += [c for c in cards[start : start + SLICE] if test(c)]
        found.sort(key=lambda c: (c.deck, c.note_guid, c.ord, c.id))
        questions: list[str] = []
        for start in range(0, min(rows, len(found)), SLICE // 10):
            pause()
            questions += [
                render(card).question for card in found[start : min(rows, start + SLICE // 10)]
            ]
        return Found(query, found, questions)

    return run


def answers_since(desk: Desk) -> Callable[[datetime], list[tuple[int, int]]]:
    """The review log's answers from a time up to now, as (card id, rating) pairs: what
    `rated:n:m` searches (only the months from that time are read)."""
    log, end = desk.store.reviews, desk.clock() + timedelta(seconds=1)

    def answers(since: datetime) -> list[tuple[int, int]]:
        return _retried(
            lambda: [(e.card_id, e.rating) for e in log.between(since, end) if e.is_answer]
        )

    return answers


def figures_job(
    desk: Desk, days: int = 30, pause: Callable[[], None] = _nothing
) -> Callable[[], Figures]:
    """The cards now; the returned function reads the log window and counts (due forecast for
    `days`, answers per day over the last `days`, true retention over that window, per state),
    calling `pause` between the parts."""
    now = desk.clock()
    today, start_hour = desk.today(), desk.config.study.day_start_hour
    # The last `days` study days (today and the ones before), as the stats screen counts its
    # 30 days: the same window gives the same true retention on both screens.
    since = day_bounds(today - timedelta(days=days - 1), start_hour)[0]
    cards = desk.store.cards.all()
    log = desk.store.reviews

    def run() -> Figures:
        pause()
        logs = _retried(lambda: list(log.between(since, now + timedelta(seconds=1))))
        pause()
        forecast = cardstats.due_forecast(cards, today, start_hour, days)
        pause()
        per_day = cardstats.reviews_per_day(logs, today, start_hour, days)
        pause()
        passed, in_review = cardstats.retention_counts(logs, since)
        pause()
        retention = passed / in_review if in_review else None
        return Figures(forecast, per_day, retention, cardstats.per_state(cards), in_review)

    return run


def _retried(read: Callable[[], T]) -> T:
    """A read of the log on a worker while the UI thread answers a card may see a month's dict
    change size: read again (as the stats screen's job does)."""
    for _ in range(3):
        with contextlib.suppress(RuntimeError):
            return read()
    return read()
