"""Pomodoro sessions as CSV (one row per session) and iCalendar (one event per focus session).

The CSV's `interruption_notes` holds what the timer recorded of each interruption, one line per
interruption in the cell ("external: phone call", "internal" when no note was typed): a note's own
line breaks and control characters are folded to spaces so that a reader splitting the cell on
line breaks gets one interruption a line; the csv module quotes the cell (commas, quotes, line
breaks)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from deskwork.domain.sessions import Interruption, Session, SessionKind
from deskwork.domain.text import clean
from deskwork.domain.wording import plural

CSV_FIELDS = [
    "id",
    "kind",
    "start",
    "end",
    "planned_s",
    "actual_s",
    "completed",
    "item_id",
    "item",
    "interruptions",
    "interruption_notes",
    "pauses",
    "note",
]


def session_record(s: Session, titles: Mapping[int, str]) -> dict[str, Any]:
    """One session as flat JSON-ready fields (`deskwork today --json` and the CSV share it)."""
    return {
        "id": s.id,
        "kind": s.kind.value,
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "planned_s": round(s.planned_s, 1),
        "actual_s": round(s.actual_s, 1),
        "completed": s.completed,
        "item_id": s.item_id,
        "item": titles.get(s.item_id) if s.item_id is not None else None,
        "interruptions": len(s.interruptions),
        "interruption_notes": [_said(i) for i in s.interruptions],
        "pauses": len(s.pauses),
        "note": s.note,
    }


def _said(interruption: Interruption) -> str:
    """One interruption on one line: its kind, and its note after a colon when one was typed."""
    note = clean(interruption.note, single_line=True)
    return f"{interruption.kind.value}: {note}" if note else interruption.kind.value


def sessions_csv(sessions: Iterable[Session], titles: Mapping[int, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for s in sessions:
        row = session_record(s, titles)
        row["completed"] = "true" if s.completed else "false"
        row["interruption_notes"] = "\n".join(row["interruption_notes"])
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 sequence."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        enc = ch.encode()
        if len(current) + len(enc) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += enc
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def sessions_ics(sessions: Iterable[Session], titles: Mapping[int, str], now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//deskwork//pomodoro sessions//EN",
        "CALSCALE:GREGORIAN",
    ]
    for s in sessions:
        if s.kind is not SessionKind.FOCUS:
            continue
        title = titles.get(s.item_id, "unassigned") if s.item_id is not None else "unassigned"
        state = "completed" if s.completed else (s.note or "not completed")
        description = (
            f"{s.actual_s / 60:.0f} of {s.planned_s / 60:.0f} minutes, {state}; "
            f"{plural(len(s.interruptions), 'interruption')}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{s.id}-{_stamp(s.start)}@deskwork",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(s.start)}",
            f"DTEND:{_stamp(s.end)}",
            f"SUMMARY:{_ics_text(f'Focus: {title}')}",
            f"DESCRIPTION:{_ics_text(description)}",
            "CATEGORIES:pomodoro",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
