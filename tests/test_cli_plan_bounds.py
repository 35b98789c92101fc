"""`deskwork plan`'s what-if values are refused out of range, naming the option (negative hours,
more than 24 a day, no days, more than 7 days a week, a program of no weeks), with the bounds the
plan screen's fields and the config use: one table, domain/plan.PLAN_BOUNDS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskwork.domain.plan import PLAN_BOUNDS, PlanValueError, Program
from tests.helpers import Clock
from tests.test_cli import run


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--hours-per-day", "-2", "--hours-per-day must be more than 0 (got -2)"),
        ("--hours-per-day", "25", "--hours-per-day must be at most 24 (got 25)"),
        ("--days-per-week", "0", "--days-per-week must be more than 0 (got 0)"),
        ("--days-per-week", "8", "--days-per-week must be at most 7 (got 8)"),
        ("--weeks", "-1", "--weeks must be more than 0 (got -1)"),
        ("--weeks", "nan", "--weeks must be a number"),
        ("--weeks", "inf", "--weeks must be at most 520 (got inf)"),
    ],
)
def test_plan_refuses_a_what_if_out_of_range(
    capsys: pytest.CaptureFixture[str], option: str, value: str, said: str
) -> None:
    code, out, err = run(capsys, "plan", option, value)
    assert code != 0 and out == ""
    assert said in err, err


def test_plan_takes_the_bounds_themselves(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "plan", "--json", "--hours-per-day", "24", "--days-per-week", "7", "--weeks", "0.5"
    )
    assert code == 0, err
    program = json.loads(out)["program"]
    assert (program["hours_per_day"], program["days_per_week"], program["weeks"]) == (24, 7, 0.5)


def test_a_program_out_of_range_is_refused_wherever_it_is_made() -> None:
    from datetime import date

    with pytest.raises(PlanValueError, match="Hours a day must be at most 24"):
        Program(start=date(2026, 11, 23), hours_per_day=30)
    assert set(PLAN_BOUNDS) == {"weeks", "hours_per_day", "days_per_week", "hours_per_point"}


async def test_the_plan_screen_checks_the_same_table(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan screen's what-if fields are checked against PLAN_BOUNDS itself (it kept a table of
    its own): a bound changed there is the screen's, and each refusal names its field."""
    from textual.widgets import Input, Static

    from deskwork.domain.plan import Bound
    from deskwork.ui.screens.plan import PlanScreen
    from tests.ui.factory import desk_app, ready

    monkeypatch.setitem(PLAN_BOUNDS, "hours_per_day", Bound("Hours a day", 10))
    app = desk_app(tmp_path, clock, "[plan]\nhours_per_day = 8\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+y")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        problem = screen.query_one("#plan-whatif-problem", Static)
        for name, value, said in (
            ("hours_per_day", "12", "Hours a day must be at most 10 (got 12)"),
            ("hours_per_day", "-2", "Hours a day must be more than 0 (got -2)"),
            ("days_per_week", "0", "Days a week must be more than 0 (got 0)"),
            ("days_per_week", "7.5", "Days a week must be at most 7 (got 7.5)"),
        ):
            field = screen.query_one(f"#plan-{name}", Input)
            field.value = value
            await pilot.pause()
            assert said in str(problem.render()), (value, str(problem.render()))
            assert field.has_class("-invalid")
            field.value = "5"
            await pilot.pause()
        assert str(problem.render()) == ""
