"""deskwork's load balancer against the real Anki's (test-only oracle, tests/anki_balance_oracle.py in
a subprocess, with Anki's fuzz on): the same review card, answered Good, among the same reviews
already due. With every day around the fuzz range loaded (4 reviews) but one, both pick that day when it is
inside the range and neither leaves the range when it is just outside (so the ranges are the same);
with easy days (Saturday reduced, Sunday minimum) and every day equally loaded, neither picks a
Saturday or a Sunday."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from deskwork.domain import loadbalance as lb
from deskwork.domain.cards import Card, CardState
from deskwork.domain.scheduling import Grade, SchedulerSettings, outcomes
from deskwork.domain.studyday import day_bounds, study_day

ROOT = Path(__file__).resolve().parents[2]
CARD = {"interval": 10, "stability": 10.0, "difficulty": 5.0, "days_ago": 10}


def anki(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if k != "ANKI_TEST_MODE"} | {"TZ": "UTC"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "anki_balance_oracle.py")],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out: list[dict[str, Any]] = json.loads(done.stdout)
    return out


def deskwork_picks(
    counts: dict[int, int], weekday_of: dict[int, int], easy: tuple[float, ...]
) -> tuple[tuple[int, int], set[int]]:
    """deskwork's Good for the same card: its fuzz range, and the day each draw u picks."""
    now = datetime.now(UTC)
    card = Card(
        state=CardState.REVIEW, step=None, stability=CARD["stability"],
        difficulty=CARD["difficulty"], last_review=now - timedelta(days=CARD["days_ago"]),
        due=now - timedelta(minutes=1), created=now, modified=now, reps=3,
    )  # fmt: skip
    settings = SchedulerSettings()
    day_end = day_bounds(study_day(now, 4), 4)[1]
    ranges: list[tuple[int, int]] = []
    picks: set[int] = set()
    for n in range(200):
        u = (n + 0.5) / 200

        def balance(interval: float, minimum: int, maximum: int, u: float) -> int | None:
            found = lb.choice(
                interval, minimum, maximum, lambda d: counts.get(d, 0), weekday_of.__getitem__,
                easy,
            )  # fmt: skip
            assert found is not None
            ranges.append((found.lower, found.upper))
            return found.pick(u)

        result = outcomes(settings.scheduler(), settings, card, now, day_end, u, balance)
        picks.add(round(result[Grade.GOOD].due_in / timedelta(days=1)))
    return ranges[1], picks  # the calls go Hard, Good, Easy


def test_the_same_day_as_ankis_load_balancer() -> None:
    today = study_day(datetime.now(UTC), 4)
    weekday_of = {d: (today + timedelta(days=d)).weekday() for d in range(100)}
    (lower, upper), _ = deskwork_picks({}, weekday_of, lb.NORMAL_WEEK)
    assert upper - lower >= 4
    empties = list(range(lower - 1, upper + 2))
    crowded = [{d: 4 for d in range(lower - 3, upper + 4) if d != empty} for empty in empties]
    easy = (1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0)
    even = {d: 5 for d in range(lower - 3, upper + 4)}
    cases = [{**CARD, "easy_days": [1.0] * 7, "counts": c} for c in crowded]
    cases.append({**CARD, "easy_days": list(easy), "counts": even})
    results = anki(cases)
    anki_weekday = {int(d): w for d, w in results[0]["weekdays"].items()}
    for empty, counts, result in zip(empties, crowded, results, strict=False):
        (lo, hi), ours = deskwork_picks(counts, weekday_of, lb.NORMAL_WEEK)
        assert (lo, hi) == (lower, upper)
        pick = result["pick"]
        if lower <= empty <= upper:
            assert pick == empty, f"Anki picked {pick}, the empty day is {empty}"
            assert ours == {empty}, f"deskwork picked {ours}, the empty day is {empty}"
        else:
            assert lower <= pick <= upper and pick != empty, (pick, empty)
            assert all(lower <= p <= upper for p in ours)
    # Easy days: Anki's weekdays (the study day n days on) are deskwork's.
    assert all(anki_weekday[d] == weekday_of[d] for d in range(1, 99))
    pick = results[-1]["pick"]
    assert lower <= pick <= upper and anki_weekday[pick] not in (5, 6), anki_weekday[pick]
    _, ours = deskwork_picks(even, weekday_of, easy)
    assert ours and all(weekday_of[p] not in (5, 6) for p in ours), ours
