"""A generated 12-week history whose figures are known by hand (see tests/services/test_insight.py).

Program: 12 weeks from 2026-08-29 (83 days before the study day of T0, Friday 2026-11-20), 5 days
a week, 8 h a day, 120 h a point. Items: A "Linear algebra" (Math, 0.5 points, active), B "Deep
learning" (DL, 1.0, active), C "Paper" (DL, 0.25, done). Every weekday of the window has three
completed 30-minute focus sessions at 10:00 UTC: on A on Mon/Wed/Fri, on B on Tue/Thu. Each of the
last 10 days has 10 answers to cards in review, one of them Again. Cards: 3 overdue, 5 due
tomorrow, 2 new. Drafts: 2 ready, 1 published, 1 draft.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from deskwork.domain.cards import CardState, ReviewLog
from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.drafts import Draft, DraftStatus
from deskwork.domain.sessions import Session, SessionKind
from deskwork.store.store import Store
from tests.helpers import T0, make_card

TODAY = date(2026, 11, 20)
START = TODAY - timedelta(days=83)
CONFIG = (
    f"[plan]\nstart = {START}\nweeks = 12\nhours_per_day = 8\ndays_per_week = 5\n"
    '[timer]\nfocus_minutes = 30\ndaily_goal = 3\nend_of_day = "08:00"\n'
)


def write_history(store: Store) -> None:
    with store.transaction() as tx:
        a = tx.put(
            "items",
            Item(
                title="Linear algebra",
                track="Math",
                effort_points=0.5,
                status=ItemStatus.ACTIVE,
                added=T0,
                queued_on=TODAY,
            ),
        )
        b = tx.put(
            "items",
            Item(
                title="Deep learning",
                track="DL",
                effort_points=1.0,
                status=ItemStatus.ACTIVE,
                added=T0,
                queued_on=TODAY,
                queue_rank=1,
            ),
        )
        tx.put(
            "items",
            Item(
                title="Paper",
                track="DL",
                effort_points=0.25,
                status=ItemStatus.DONE,
                added=T0,
                finished=T0 - timedelta(days=40),
            ),
        )
        for n in range(84):
            day = START + timedelta(days=n)
            if day.weekday() >= 5:
                continue
            item = a if day.weekday() in (0, 2, 4) else b
            for k in range(3):
                begin = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) + timedelta(
                    minutes=35 * k
                )
                tx.put("sessions", Session(kind=SessionKind.FOCUS, start=begin, end=begin + timedelta(minutes=30),
                                           planned_s=1800, actual_s=1800, completed=True, item_id=item.id))  # fmt: skip
        for n in range(10):
            when = T0 - timedelta(days=n)
            for k in range(10):
                tx.append(
                    "reviews",
                    ReviewLog(
                        card_id=1,
                        rating=1 if k == 0 else 3,
                        ts=when - timedelta(minutes=k + 1),
                        state=CardState.REVIEW,
                    ),
                )
        for n in range(3):
            tx.put(
                "cards",
                make_card(
                    f"overdue {n}",
                    state=CardState.REVIEW,
                    last_review=T0 - timedelta(days=9),
                    due=T0 - timedelta(days=1),
                ),
            )
        for n in range(5):
            tx.put(
                "cards",
                make_card(
                    f"tomorrow {n}",
                    state=CardState.REVIEW,
                    last_review=T0 - timedelta(days=3),
                    due=T0 + timedelta(days=1),
                ),
            )
        for n in range(2):
            tx.put("cards", make_card(f"new {n}"))
        for title, status in (("Ready one", DraftStatus.READY), ("Ready two", DraftStatus.READY),
                              ("Out", DraftStatus.PUBLISHED), ("Idea", DraftStatus.DRAFT)):  # fmt: skip
            tx.put(
                "drafts",
                Draft(title=title, status=status, created=T0, updated=T0 - timedelta(days=2)),
            )
