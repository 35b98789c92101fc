"""`deskwork plan --json` stays JSON (RFC 8259 has no Infinity or NaN; jq and JSON.parse refuse
them): the program's figures are bounded at both ends (domain/plan.PLAN_BOUNDS), so no figure
taken makes a capacity of 0 points, and a ratio that is not a finite number is written null."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from deskwork.config import PlanConfig
from deskwork.domain.plan import PLAN_BOUNDS, PlanReport, Program
from deskwork.services.curriculum import report_json
from tests.test_cli import run


def _strict(text: str) -> object:
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in --json output"))


def test_figures_too_small_for_a_capacity_are_refused_naming_the_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "plan", "--json", "--hours-per-day", "5e-324")
    assert code != 0 and out == ""
    assert "--hours-per-day must be at least 0.01 (got " in err, err


def test_plan_json_is_json_at_the_least_figures_the_bounds_take(
    capsys: pytest.CaptureFixture[str],
) -> None:
    least = [str(PLAN_BOUNDS[n].least) for n in ("hours_per_day", "days_per_week", "weeks")]
    code, out, err = run(
        capsys, "plan", "--json", "--hours-per-day", least[0], "--days-per-week", least[1],
        "--weeks", least[2],
    )  # fmt: skip
    assert code == 0, err
    _strict(out)


@pytest.mark.parametrize("value", [math.inf, math.nan, 1e6, 0.0001])
def test_the_config_refuses_hours_per_point_out_of_bounds(value: float) -> None:
    with pytest.raises(ValueError, match="hours_per_point"):
        PlanConfig(hours_per_point=value)


def test_every_bound_is_finite_and_more_than_0() -> None:
    for bound in PLAN_BOUNDS.values():
        assert 0 < bound.least < bound.most < math.inf


def test_a_ratio_that_is_no_number_is_written_null() -> None:
    least = {name: bound.least for name, bound in PLAN_BOUNDS.items()}
    program = Program(start=date(2026, 11, 23), **least | {"hours_per_point": 10_000})
    report = PlanReport(program, 1e308, {}, {})  # planned points past what the capacity divides
    assert math.isinf(report.overcommit_ratio)
    data = report_json(report)
    assert data["overcommit_ratio"] is None
    _strict(json.dumps(data))
