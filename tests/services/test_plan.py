"""Plan arithmetic: seed 004's table reproduced, projections, the starter curriculum, CSV errors."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.plan import Program, plan
from deskwork.interop.curriculum import CurriculumError, items_from_csv
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.curriculum import import_file, import_starter, plan_report
from tests.helpers import T0, Clock, make_focus

SEED004 = Path(__file__).parents[1] / "fixtures" / "seed004_plan.csv"


def open_desk(tmp_path: Path, clock: Clock, config: str = "") -> Desk:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "config.toml").write_text(config)
    return Desk.open(Paths(tmp_path, tmp_path), clock=clock)


def test_seed_004_is_about_1_85_times_over_twelve_weeks(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock, "[plan]\nweeks = 12\nhours_per_day = 8\ndays_per_week = 5\n")
    assert len(import_file(desk, SEED004)) == 13
    report = plan_report(desk)
    assert report.planned_points == pytest.approx(7.4)
    assert report.program.capacity_points == pytest.approx(4.0)
    assert report.overcommit_ratio == pytest.approx(1.85)
    assert report.total_cost == {"USD": 367}
    assert report.tracks["Math"] == pytest.approx(3.3)
    what_if = plan_report(desk, weeks=24)
    assert what_if.overcommit_ratio == pytest.approx(0.925)


def test_projected_finish_at_the_current_pace() -> None:
    program = Program(start=date(2026, 11, 2), weeks=12, hours_per_day=8, days_per_week=7)
    item = Item(id=1, title="18.06", effort_points=0.5, status=ItemStatus.ACTIVE, added=T0)
    # 60 h of effort; 10 study days elapsed with 20 h logged: 2 h a day, 40 h left = 20 more days
    report = plan(program, [item], {1: 20.0}, today=date(2026, 11, 12))
    [row] = report.items
    assert row.effort_hours == 60 and row.progress == pytest.approx(1 / 3)
    assert row.projected_finish == date(2026, 12, 2)
    idle = plan(program, [item], {}, today=date(2026, 11, 12))
    assert idle.items[0].projected_finish is None, "no pace yet: no guess"


def test_focus_hours_come_from_the_timer(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock, f"[plan]\nstart = {(T0 - timedelta(days=7)).date()}\n")
    [item] = import_file(desk, SEED004)[:1]
    with desk.store.transaction() as tx:
        tx.put("sessions", make_focus(T0 - timedelta(days=1), 60, item_id=item.id))
    [row] = [r for r in plan_report(desk).items if r.item.id == item.id]
    assert row.focus_hours == 1.0 and row.projected_finish is not None


def test_starter_curriculum_loads_once(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    added = import_starter(desk)
    titles = {i.title for i in added}
    assert {
        "MIT 18.06 Linear Algebra",
        "CS231n: Convolutional Neural Networks for Visual Recognition",
    } <= titles
    assert any(i.status is ItemStatus.ACTIVE for i in added)
    assert import_starter(desk) == [], "loading it again adds nothing"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label,kind\nx,course\n", "x.csv: line 1: the header needs a 'title' column"),
        (
            "title,colour\nx,red\n",
            "x.csv: line 1: unknown column 'colour'; known columns: title, kind, url,",
        ),
        ("title,colour,size\nx,red,2\n", "x.csv: line 1: unknown columns 'colour', 'size'; known"),
        ("label,kind\nx,course\n", "needs a 'title' column (it has 'label', 'kind')"),
        ("title,effort_points\nok,1\nbad,-2\n", "x.csv: line 3, column 'effort_points'"),
        ("title,kind\nok,course\nbad,lecture\n", "x.csv: line 3, column 'kind'"),
        ("title\nok,extra\n", "x.csv: line 2: more fields than columns"),
    ],
)
def test_bad_csv_names_file_line_and_column(text: str, message: str) -> None:
    with pytest.raises(CurriculumError, match=re.escape(message)) as caught:
        items_from_csv(text, "x.csv", T0)
    assert "[" not in str(caught.value), "said in words, not a Python list"


def test_a_bad_row_imports_nothing(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    bad = tmp_path / "bad.csv"
    bad.write_text("title,effort_points\ngood,1\nbad,lots\n")
    with pytest.raises(CurriculumError, match="line 3"):
        import_file(desk, bad)
    assert len(desk.store.items) == 0
