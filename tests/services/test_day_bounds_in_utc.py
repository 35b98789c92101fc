"""Today's sessions (`Desk.summary`), today's reviews (`reviews.between`) and today's due cards
(`due_today`) compare stored UTC times against the study day's bounds turned to UTC once, not
against local-time bounds (a time-zone offset looked up at every comparison). The same records
must come out as a reading in local time gives: here in a zone with a DST change on the day, with
records every few minutes on both sides of both bounds and a pending session in a local zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deskwork.domain.cards import CardState, ReviewLog
from deskwork.domain.studyday import day_bounds, study_day
from deskwork.paths import Paths
from deskwork.services import Desk
from tests.helpers import Clock, make_card, make_focus

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # the study day Berlin's clocks went back in
FIRST = datetime(2026, 10, 23, 12, tzinfo=UTC)
STEP = timedelta(minutes=23)  # lands on many minutes of the hour over two days and a half
COUNT = 60 * 60 // 23  # ~2.6 days of records


@pytest.fixture
def in_berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def test_todays_records_are_those_of_the_local_study_day(in_berlin: None, tmp_path: Path) -> None:
    data = tmp_path / "data"
    desk = Desk.open(Paths(data, data), clock=Clock(NOW))
    try:
        times = [FIRST + STEP * n for n in range(COUNT)]
        with desk.store.transaction() as tx:
            for n, at in enumerate(times):
                tx.put("sessions", make_focus(at, minutes=10, id=n + 1))
                tx.put(
                    "cards",
                    make_card(
                        f"q{n}",
                        when=FIRST - timedelta(days=30),
                        id=n + 1,
                        state=CardState.REVIEW,
                        stability=10.0,
                        difficulty=5.0,
                        due=at,
                        last_review=FIRST - timedelta(days=10),
                        reps=3,
                    ),
                )
                tx.append("reviews", ReviewLog(card_id=n + 1, rating=3, ts=at))
        desk.store.cards.load_all()
        day = desk.today()
        start_hour = desk.config.study.day_start_hour
        start, end = day_bounds(day, start_hour)  # local bounds, as the user's clock reads them
        assert start.utcoffset() != end.utcoffset()  # the day has the DST change in it
        on_the_day = {n + 1 for n, at in enumerate(times) if study_day(at, start_hour) == day}
        assert 0 < len(on_the_day) < COUNT

        # a pending session (the timer's, not saved yet) in a zone of its own, at the day's end
        pending = make_focus((end - timedelta(minutes=1)).astimezone(BERLIN), id=10_000)
        summary = desk.summary(wait_for_cards=False, card_counts=False, pending=[pending])
        assert [s.id for s in summary.sessions] == sorted(on_the_day | {10_000})
        assert summary.sessions == sorted(summary.sessions, key=lambda s: s.start)

        reviews = desk.store.reviews.between(start, end)
        assert sorted(r.card_id for r in reviews) == sorted(on_the_day)
        local = desk.store.reviews.between(start.astimezone(BERLIN), end.astimezone(BERLIN))
        assert sorted(r.card_id for r in local) == sorted(on_the_day)

        due = desk.due_today()
        assert due.without_limits == sum(1 for at in times if at < end)  # due by the day's end
        assert due.next_due == min(at for at in times if at > NOW)
    finally:
        desk.close()
