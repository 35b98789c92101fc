"""Session exports parse back with independent readers (csv, icalendar)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import icalendar

from deskwork.domain.sessions import Interruption, InterruptionKind, Session, SessionKind
from deskwork.interop.sessions import sessions_csv, sessions_ics
from tests.helpers import T0, make_focus

TITLE = (
    'Attention, "Is" All; You Need\\ — a very long title that makes the line fold past 75 octets ✓'
)


def sessions() -> list[Session]:
    focus = make_focus(
        T0,
        id=1,
        item_id=7,
        interruptions=[Interruption(at=T0, kind=InterruptionKind.EXTERNAL, note="x")],
    )
    brk = Session(
        id=2,
        kind=SessionKind.SHORT_BREAK,
        start=focus.end,
        end=focus.end + timedelta(minutes=5),
        planned_s=300,
        actual_s=300,
        completed=True,
    )
    abandoned = focus.model_copy(
        update={
            "id": 3,
            "completed": False,
            "actual_s": 60,
            "note": "abandoned: tired",
            "item_id": None,
        }
    )
    return [focus, brk, abandoned]


def test_csv_round_trip() -> None:
    rows = list(csv.DictReader(io.StringIO(sessions_csv(sessions(), {7: TITLE}))))
    assert [r["kind"] for r in rows] == ["focus", "short_break", "focus"]
    assert rows[0]["item"] == TITLE and rows[0]["interruptions"] == "1"
    assert rows[0]["start"] == "2026-11-20T09:30:00+00:00" and rows[0]["completed"] == "true"
    assert rows[2]["note"] == "abandoned: tired" and rows[2]["item"] == ""


def test_ics_has_one_event_per_focus_session_and_parses() -> None:
    text = sessions_ics(sessions(), {7: TITLE}, T0)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2, "breaks are not calendar events"
    first = events[0]
    assert str(first["SUMMARY"]) == f"Focus: {TITLE}"
    assert first.decoded("DTSTART") == T0
    assert first.decoded("DTEND") == T0 + timedelta(minutes=25)
    assert str(events[1]["SUMMARY"]) == "Focus: unassigned"
    assert "abandoned: tired" in str(events[1]["DESCRIPTION"])
    assert first["UID"] != events[1]["UID"]


def test_csv_carries_the_interruption_notes_one_a_line_in_their_cell() -> None:
    """The notes the timer records of each interruption are a column: a note with commas,
    quotes, a line break or a terminal escape reads back as itself, one interruption a line."""
    focus = make_focus(
        T0,
        id=1,
        interruptions=[
            Interruption(at=T0, kind=InterruptionKind.EXTERNAL, note='Phone: "Mum", again'),
            Interruption(at=T0, kind=InterruptionKind.INTERNAL),
            Interruption(at=T0, kind=InterruptionKind.INTERNAL, note="e-mail\nthen \x1b[31mchat"),
        ],
    )
    text = sessions_csv([focus, *sessions()[1:]], {})
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3 and rows[0]["interruptions"] == "3"
    assert rows[0]["interruption_notes"].split("\n") == [
        'external: Phone: "Mum", again',
        "internal",
        "internal: e-mail then chat",
    ]
    assert rows[1]["interruption_notes"] == "" and rows[2]["note"] == "abandoned: tired"
    assert "\x1b" not in text
