"""Counts as the learner reads them: thousands separated ("12,345 cards") by one helper
(domain/wording `plural` / `figure`) in the import report, the day's summary and the stats; and
a card figure the day's summary did not count (the cards still loading, or not asked for) is
None, shown "—", never a 0 that looks counted."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from deskwork.cli import main, today_lines
from deskwork.domain.insight import DayEnd
from deskwork.domain.wording import figure, plural
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.import_report import ImportReport
from deskwork.services.insight import day_end_text
from tests.helpers import T0, Clock, make_card


def test_figures_separate_thousands() -> None:
    assert plural(12345, "card") == "12,345 cards" and plural(1, "card") == "1 card"
    assert plural(1234567.0, "review") == "1,234,567 reviews" and plural(2.5, "week") == "2.5 weeks"
    assert figure(1000) == "1,000" and figure(999) == "999" and figure(None) == "—"


def test_an_import_report_separates_thousands() -> None:
    report = ImportReport(
        notes=10234, cards=12345, reviews=1048576, decks={"ML": 12345}, duplicates=2000,
        notes_updated=1500, cards_rescheduled=3000, cards_state_changed=1200,
        skipped=Counter({"no such note type": 4321}),
    )  # fmt: skip
    text = "\n".join(report.lines())
    assert "imported 10,234 notes, 12,345 cards, 1,048,576 reviews" in text
    assert "  ML: 12,345" in text
    assert "1,500 updated" in text and "3,000 rescheduled, 1,200 suspended" in text
    assert "4,321 notes not updated" in text


def test_the_day_end_separates_thousands() -> None:
    end = DayEnd(
        day=T0.date(), pomodoros=0, focus_minutes=0.0, minutes_by_item={}, reviews=1234,
        cards_due_tomorrow=2345, cards_overdue=3456, drafts_touched=[], suggested=[],
    )  # fmt: skip
    assert "1,234 answers today; 2,345 due tomorrow, plus 3,456 overdue" in day_end_text(end)


def test_card_figures_not_counted_are_none_and_shown_as_a_dash(tmp_path: Path) -> None:
    clock = Clock()
    desk = Desk.open(Paths(tmp_path, tmp_path), clock=clock)
    with desk.store.transaction() as tx:
        tx.put("cards", make_card("due", when=clock.now))
    uncounted = desk.summary(card_counts=False)
    assert uncounted.cards_total is None and uncounted.cards_due is None
    assert uncounted.cards_due_parts is None and uncounted.due_without_limits is None
    data = uncounted.as_json()
    assert data["cards_total"] is None and data["cards_due"] is None
    assert "  cards due: — of —" in today_lines(uncounted)
    counted = desk.summary()
    assert (counted.cards_due, counted.cards_total) == (1, 1)
    assert "  cards due: 1 of 1 (1 new)" in today_lines(counted)
    desk.close()


def test_an_empty_collection_counts_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No cards at all is a count (0 of 0), not a figure left out."""
    assert main(["--data-dir", str(tmp_path), "today", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cards_total"] == 0 and data["cards_due"] == 0
