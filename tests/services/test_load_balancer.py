"""The load balancer in a real review session: an answered card lands on the emptiest day of its
fuzz range, never outside it; easy days are kept; the per-day counts follow every answer and undo
without a rescan and match a count made from scratch; off, it is plain fuzz."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.domain import loadbalance as lb
from deskwork.domain.cards import Card, CardState
from deskwork.domain.presets import DeckOptions, Preset
from deskwork.domain.scheduling import Grade, _fuzz_bounds
from deskwork.domain.studyday import days_before
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from tests.helpers import T0, Clock, make_card


def open_desk(tmp_path: Path, clock: Clock, config: str = "") -> Desk:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "config.toml").write_text(config)
    return Desk.open(Paths(tmp_path, tmp_path), clock=clock)


def review_card(front: str, due_in_days: float, stability: float = 10.0) -> Card:
    return make_card(
        front,
        state=CardState.REVIEW,
        step=None,
        stability=stability,
        difficulty=5.0,
        last_review=T0 - timedelta(days=10),
        due=T0 + timedelta(days=due_in_days),
        reps=3,
    )


def fill(desk: Desk, per_day: dict[int, int]) -> None:
    with desk.store.transaction() as tx:
        for day, n in per_day.items():
            for i in range(n):
                tx.put("cards", review_card(f"day {day} #{i}", day, stability=50.0))


def due_today(desk: Desk, n: int = 1) -> None:
    with desk.store.transaction() as tx:
        for i in range(n):
            tx.put("cards", review_card(f"today {i}", -0.01))


def good_range(session: cs.ReviewSession) -> tuple[int, int]:
    card = session.current()
    assert card is not None
    days = session.intervals(card)[Grade.GOOD] / timedelta(days=1)
    return _fuzz_bounds(days, 1, 36500)


def landed(desk: Desk, card_id: int, clock: Clock) -> int:
    after = desk.store.cards.get(card_id)
    assert after is not None
    day_end = T0.replace(hour=4) + timedelta(days=1)
    return -days_before(day_end, after.due)


def answer_among(
    folder: Path,
    clock: Clock,
    load: Callable[[int, int], dict[int, int]],
    seed: int,
    config: str = "",
    preset: Preset | None = None,
) -> tuple[int, int, int]:
    """A review card due today answered Good (the fuzz draw seeded) in a fresh desk, among the
    reviews `load(lower, upper)` puts on the days around its fuzz range [lower, upper] (and on
    `preset` when given): (the day it lands on, lower, upper)."""
    desk = open_desk(folder, clock, config)
    try:
        if preset is not None:
            with desk.store.transaction() as tx:
                tx.put("presets", preset)
                tx.put("deck_options", DeckOptions(deck="Default", preset_id=preset.id))
        due_today(desk)
        lower, upper = good_range(cs.ReviewSession(desk))
        fill(desk, load(lower, upper))
        session = cs.ReviewSession(desk)
        card = session.current()
        assert card is not None and card.front == "today 0"
        random.seed(seed)
        session.answer(Grade.GOOD)
        return landed(desk, card.id, clock), lower, upper
    finally:
        desk.close()


def test_an_answer_lands_on_the_empty_day_of_its_fuzz_range(tmp_path: Path, clock: Clock) -> None:
    _, lower, upper = answer_among(tmp_path / "range", clock, lambda lo, hi: {}, 0)
    assert upper - lower >= 2, "a range worth balancing"
    for empty in range(lower, upper + 1):

        def all_but_empty(lo: int, hi: int, empty: int = empty) -> dict[int, int]:
            return {d: 40 for d in range(lo - 2, hi + 3) if d != empty}

        for seed in range(2):
            day, _, _ = answer_among(tmp_path / f"{empty}-{seed}", clock, all_but_empty, seed)
            assert day == empty


def test_plain_fuzz_when_the_balancer_is_off(tmp_path: Path, clock: Clock) -> None:
    picks = set()
    for seed in range(12):
        day, lower, upper = answer_among(
            tmp_path / str(seed),
            clock,
            lambda lo, hi: {d: 40 for d in range(lo, hi)},  # only the last day is empty
            seed,
            "[cards]\nload_balancer = false\n",
        )
        assert lower <= day <= upper
        picks.add(day)
    assert len(picks) > 1, "fuzz alone spreads over the range, loaded days included"


def even(lower: int, upper: int) -> dict[int, int]:
    return {d: 5 for d in range(lower - 1, upper + 2)}


def test_a_minimum_easy_day_is_avoided(tmp_path: Path, clock: Clock) -> None:
    # T0 is a Friday: day n from today is a Sunday when n % 7 == 2.
    for seed in range(10):
        day, lower, upper = answer_among(
            tmp_path / str(seed), clock, even, seed, "[easy_days]\nsunday = 0\n"
        )
        assert any(d % 7 == 2 for d in range(lower, upper + 1)), "a Sunday in the range"
        assert lower <= day <= upper and day % 7 != 2


def test_counts_follow_answers_and_undo_without_a_rescan(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    due_today(desk, 30)
    fill(desk, {d: 3 for d in range(1, 40)})
    session = cs.ReviewSession(desk)
    counts = session.due_days()
    for n in range(25):
        session.answer(random.choice([Grade.AGAIN, Grade.HARD, Grade.GOOD, Grade.EASY]))
        if n % 7 == 6:
            session.undo()
    assert session.due_days() is counts, "the same counts, moved answer by answer"
    today = T0.date()
    fresh = lb.DueDays.build(desk.store.cards.all(), today, session.day_end(), lambda deck: 0)
    first = today.toordinal()
    assert counts.forecast(0, first, 120) == fresh.forecast(0, first, 120)
    assert sum(counts.forecast(0, first + 1, 120)) > 3 * 39, "answered cards were added"
    desk.close()


def test_cli_sets_a_presets_review_order_and_the_config_checks_easy_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.services.test_presets import run

    assert run(capsys, "cards", "presets", "add", "Lang")[0] == 0
    code, _, err = run(
        capsys, "cards", "presets", "set", "Lang", "review_order=Ascending retrievability"
    )
    assert code == 0, err
    code, _, err = run(capsys, "cards", "presets", "set", "Lang", "review_order=by colour")
    assert code == 1 and "Review sort order: 'by colour' is not a review order" in err, err
    code, data, _ = run(capsys, "cards", "presets", "--json")
    lang = next(p for p in data["presets"] if p["name"] == "Lang")  # type: ignore[attr-defined]
    assert lang["review_order"] == "retrievability_ascending"

    from deskwork.config import load_config

    path = tmp_path / "config.toml"
    path.write_text(
        "[cards]\nload_balancer = false\nreview_order = 'sideways'\n"
        "[easy_days]\nsunday = 1.5\nsaturday = 'reduced'\nfunday = 1\nmonday = true\n"
        "tuesday = 'lots'\n"
    )
    config, problems = load_config(path)
    assert not config.cards.load_balancer
    assert config.easy_days.factors() == (1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 1.0)
    text = "\n".join(problems)
    assert "'easy_days.sunday' = 1.5: Input should be less than or equal to 1" in text, text
    assert "unknown key 'easy_days.funday'" in text
    assert "'easy_days.monday' = True" in text and "a number from 0 to 1" in text
    assert "'easy_days.tuesday' = 'lots': a load factor: a number from 0 to 1" in text
    assert "'cards.review_order' = 'sideways'" in text and "not a review order" in text


def test_the_counting_job_off_the_ui_thread_never_leaves_a_stale_count(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock)
    due_today(desk, 5)
    fill(desk, {d: 2 for d in range(1, 60)})
    first = T0.date().toordinal()

    def fresh() -> list[int]:
        counted = lb.DueDays.build(
            desk.store.cards.all(), T0.date(), session.day_end(), lambda d: 0
        )
        return counted.forecast(0, first, 120)

    session = cs.ReviewSession(desk)
    job = session.counting_job()
    assert job is not None
    job()  # as the review pane's worker runs it
    assert session.counting_job() is None, "counted once"
    session.answer(Grade.GOOD)
    assert session.due_days().forecast(0, first, 120) == fresh()

    session = cs.ReviewSession(desk)
    job = session.counting_job()
    assert job is not None
    session.answer(Grade.GOOD)  # an answer after the job read the cards, before it ran
    job()
    assert session.due_days().forecast(0, first, 120) == fresh(), "the stale count was dropped"

    cram = cs.ReviewSession(desk, cram=True)
    assert cram.counting_job() is None
    desk.close()
    off = open_desk(tmp_path / "off", clock, "[cards]\nload_balancer = false\n")
    assert cs.ReviewSession(off).counting_job() is None
    off.close()


def test_a_presets_own_easy_days_win_over_the_configs(tmp_path: Path, clock: Clock) -> None:
    from deskwork.domain import preset_text as pt

    week = lb.parse_easy_days("1 1 1 1 1 0.5 0")
    assert week == [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    assert lb.parse_easy_days("sun=minimum, Saturday=reduced") == week
    assert lb.parse_easy_days("config") == lb.parse_easy_days("") == []
    for bad, says in (
        ("1 1 1", "7 load factors, Monday first, or day=factor pairs (got 3 values)"),
        ("sun=2", "'2' is not from 0 to 1"),
        ("funday=0", "'funday' is not a weekday"),
        ("1 1 1 1 1 1 lots", "'lots' is not a load factor"),
    ):
        with pytest.raises(ValueError, match=re.escape(says)):
            lb.parse_easy_days(bad)
    preset = pt.edit(Preset(name="Weekdays"), "easy_days", "sun=0 sat=0.5")
    shown = pt.describe(preset)["easy_days"]
    assert shown == week
    again = pt.edit(preset, "easy_days", ", ".join(f"{v:.4g}" for v in shown))  # the form's text
    assert again == preset
    assert pt.describe(Preset(name="x"))["easy_days"] == "config"

    # T0 is a Friday: day n from today is a Sunday when n % 7 == 2. Config: every day normal.
    own = preset.model_copy(update={"id": 5})
    for seed in range(6):
        day, lower, upper = answer_among(tmp_path / str(seed), clock, even, seed, preset=own)
        assert lower <= day <= upper and day % 7 not in (1, 2), day  # no Saturday, no Sunday
