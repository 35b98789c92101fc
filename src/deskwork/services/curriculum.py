"""Curriculum use-cases: import (CSV, a Markdown table, the starter curriculum), export (CSV,
Markdown, BibTeX) and the plan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from deskwork.domain.curriculum import Item
from deskwork.domain.plan import PlanReport, Program, plan
from deskwork.domain.sessions import Session, SessionKind
from deskwork.domain.wording import plural
from deskwork.interop import InteropError, importing, read_user_file
from deskwork.interop.bibtex import items_to_bibtex
from deskwork.interop.curriculum import (
    items_from_csv,
    items_to_csv,
    items_to_markdown,
    read_file,
    starter_csv,
)
from deskwork.interop.limits import CURRICULUM
from deskwork.services.desk import Desk


def import_items(desk: Desk, items: list[Item]) -> list[Item]:
    """Add items in one transaction; items whose title is already there are skipped."""
    known = {i.title.casefold() for i in desk.store.items.values()}
    fresh = [i for i in items if i.title.casefold() not in known]
    with desk.store.transaction() as tx:
        return [tx.put("items", item) for item in fresh]


def import_file(desk: Desk, path: Path) -> list[Item]:
    return import_file_noting(desk, path)[0]


def import_file_noting(desk: Desk, path: Path) -> tuple[list[Item], list[str]]:
    """All rows or none; raises InteropError naming the file and line. `.md` is a Markdown table,
    `.csv` CSV, any other file its Markdown table if it has one. The items added, and the notes
    on the file's rows not imported (a group heading, a Total row…), each naming its line."""
    with importing(path):
        text = read_user_file(path, CURRICULUM.max_bytes, CURRICULUM.what)
        items, notes = read_file(text, str(path), desk.clock())
    return import_items(desk, items), notes


EXPORTS = {".csv": items_to_csv, ".md": items_to_markdown, ".bib": items_to_bibtex}


def export_file(desk: Desk, path: Path) -> int:
    """Every item (papers only for .bib) written atomically to `path`; returns how many."""
    from deskwork.domain.queue import sort_items
    from deskwork.store.fsutil import atomic_write

    render = EXPORTS.get(path.suffix.lower())
    if render is None:
        raise InteropError(f"{path}: export to .csv, .md or .bib")
    items = sort_items(desk.store.items.values(), "track")
    if path.suffix.lower() == ".bib":
        items = [i for i in items if i.kind.value == "paper" or i.arxiv_id]
    try:
        atomic_write(path, render(items).encode("utf-8"))
    except OSError as exc:
        raise InteropError(f"{path}: cannot write ({exc.strerror})") from None
    return len(items)


def import_starter(desk: Desk) -> list[Item]:
    return load_starter(desk)[0]


def load_starter(desk: Desk) -> tuple[list[Item], str]:
    """Add the starter curriculum's items not already there; (added, what to tell the user)."""
    items = items_from_csv(starter_csv(), "starter curriculum", desk.clock())
    added = import_items(desk, items)
    there = len(items) - len(added)
    if not added:
        said = (
            f"The starter's {plural(len(items), 'course, book and project', 'courses, books and projects')}"
            " are already in your curriculum: nothing added."
        )
    elif there:
        said = (
            f"Added {plural(len(added), 'course, book or project', 'courses, books and projects')}"
            f" ({there} of the starter's were already in your curriculum)."
        )
    else:
        said = (
            f"Added {plural(len(added), 'course, book or project', 'courses, books and projects')}."
        )
    return added, said


def program_of(desk: Desk, **overrides: float | None) -> Program:
    cfg = desk.config.plan
    start = cfg.start or desk.today()
    values = {
        "weeks": cfg.weeks,
        "hours_per_day": cfg.hours_per_day,
        "days_per_week": cfg.days_per_week,
        "hours_per_point": cfg.hours_per_point,
    }
    values |= {k: v for k, v in overrides.items() if v is not None}
    return Program(start=start, **values)


def plan_report(desk: Desk, **overrides: float | None) -> PlanReport:
    return report_of(
        program_of(desk, **overrides),
        desk.store.sessions.values(),
        desk.store.items.values(),
        desk.today(),
    )


def report_of(
    program: Program, sessions: Iterable[Session], items: Iterable[Item], today: date
) -> PlanReport:
    """The plan's report from the records themselves (a snapshot a worker can use)."""
    hours: dict[int, float] = {}
    for session in sessions:
        if session.kind is SessionKind.FOCUS:
            for item_id, seconds in session.seconds_by_item().items():
                if item_id is not None:
                    hours[item_id] = hours.get(item_id, 0.0) + seconds / 3600
    return plan(program, items, hours, today)


def report_json(report: PlanReport) -> dict[str, object]:
    p = report.program
    return {
        "program": {
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "weeks": p.weeks,
            "hours_per_day": p.hours_per_day,
            "days_per_week": p.days_per_week,
            "hours_per_point": p.hours_per_point,
        },
        "planned_points": round(report.planned_points, 2),
        "capacity_points": round(p.capacity_points, 2),
        "overcommit_ratio": None if (r := report.finite_ratio) is None else round(r, 3),
        "total_cost": {k: round(v, 2) for k, v in report.total_cost.items()},
        "tracks": {k: round(v, 2) for k, v in sorted(report.tracks.items())},
        "items": [
            {
                "id": row.item.id,
                "title": row.item.title,
                "status": row.item.status.value,
                "effort_points": row.item.effort_points,
                "effort_hours": round(row.effort_hours, 1),
                "focus_hours": round(row.focus_hours, 2),
                "projected_finish": row.projected_finish.isoformat()
                if row.projected_finish
                else None,
            }
            for row in report.items
        ],
    }
