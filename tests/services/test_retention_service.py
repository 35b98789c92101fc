"""The retention helper on a real store: a preset's decks simulated from their cards and review
log, deterministic with a seed; applying a retention writes the preset (the default preset is
the config file's and says so); `deskwork cards simulate --json` gives the table."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.cards import CardState
from deskwork.domain.presets import PresetError
from deskwork.paths import Paths
from deskwork.services import Desk, retention
from deskwork.services import presets as ps
from tests.helpers import T0, Clock, make_card
from tests.retention_fixture import write_collection

VALUES = [0.75, 0.85, 0.95]


def open_desk(tmp_path: Path) -> Desk:
    home = tmp_path / "home"
    return Desk.open(Paths(home, home), clock=Clock(T0))


def test_a_presets_cards_and_history_seed_the_simulation(tmp_path: Path) -> None:
    desk = open_desk(tmp_path)
    write_collection(desk.store)
    report = retention.simulate_preset(desk, "Lang", days=90, values=VALUES)
    assert (report.studied, report.new_cards, report.decks) == (120, 40, ["Lang"])
    assert report.measured.timed_answers == 360
    assert report.measured.behaviour.costs[1][2] < 10, "6 s Good reviews pull the default down"
    assert [r.retention for r in report.rows] == VALUES
    assert report.rows[-1].minutes_per_day > report.rows[0].minutes_per_day
    assert all(r.learned == 40 for r in report.rows), "10 new a day: all 40 in four days"
    again = retention.simulate_preset(desk, "Lang", days=90, values=VALUES)
    assert again.rows == report.rows, "the same seed, the same table"
    data = report.as_json()
    assert [r["best"] for r in data["rows"]].count(True) == 1
    assert data["best_retention"] == report.rows[report.best or 0].retention
    assert report.runs == 8, "160 cards: eight runs averaged per retention"
    ps.set_deck_limits(desk, "Lang", desired_retention=0.8)
    noted = retention.simulate_preset(desk, "Lang", days=10, values=VALUES)
    assert "Lang has its own desired retention (0.80)" in " ".join(noted.notes())
    empty = retention.simulate_preset(desk, "Default", days=30, values=VALUES)
    assert empty.best is None and "hold no cards" in " ".join(empty.notes())
    desk.close()


def test_damaged_memory_states_are_left_out_and_counted() -> None:
    day_end = T0 + timedelta(hours=20)
    good = make_card("ok", state=CardState.REVIEW, step=None, stability=10.0, difficulty=5.0,
                     last_review=T0 - timedelta(days=3), due=T0 + timedelta(days=7))  # fmt: skip
    converted = retention.sim_card(good, day_end)
    assert converted is not None and (converted.last_day, converted.due_day) == (-3, 7)
    for bad in ({"stability": float("nan")}, {"difficulty": float("inf")}, {"stability": -1.0}):
        assert retention.sim_card(good.model_copy(update=bad), day_end) is None, bad
    clipped = retention.sim_card(good.model_copy(update={"difficulty": 42.0}), day_end)
    assert clipped is not None and clipped.difficulty == 10.0


def test_apply_writes_the_preset(tmp_path: Path) -> None:
    desk = open_desk(tmp_path)
    write_collection(desk.store)
    saved = retention.apply(desk, "Lang", 0.83)
    assert saved.desired_retention == 0.83
    assert ps.find(desk, "Lang").desired_retention == 0.83
    # a value between the simulation's rows is kept as given, not rounded to 0.95 without a word
    assert retention.apply(desk, "Lang", 0.955).desired_retention == 0.955
    retention.apply(desk, "Lang", 0.83)
    with pytest.raises(PresetError, match=r"\[cards\] in the config file"):
        retention.apply(desk, "Default", 0.8)
    desk.close()
    reopened = open_desk(tmp_path)
    assert ps.find(reopened, "Lang").desired_retention == 0.83, "durable"
    reopened.close()


def test_cli_json_and_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    desk = open_desk(tmp_path)
    write_collection(desk.store, studied=40, new=10)
    desk.close()
    home = str(tmp_path / "home")
    args = ["--data-dir", home, "cards", "simulate", "--preset", "Lang", "--days", "60"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["rows"]) == 28 and data["rows"][0]["retention"] == 0.7
    assert data["studied_cards"] == 40 and data["new_cards"] == 10
    assert {"minutes_per_day", "memorized", "minutes_per_card", "best"} <= set(data["rows"][0])
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "← least per card remembered" in text and f"{data['best_retention']:.2f}" in text
    assert main([*args, "--apply", "0.86"]) == 0
    assert "desired retention 0.86" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main([*args, "--apply", "1.5"])
    assert refused.value.code == 2
    assert "a retention is more than 0.5, less than 1" in capsys.readouterr().err
    assert main(["--data-dir", home, "cards", "simulate", "--preset", "Nope"]) == 1
    assert "no preset named 'Nope'" in capsys.readouterr().err


def test_while_the_app_holds_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table is read beside the running app; --apply is handed to the app, whose own desk
    then holds the new retention."""
    from tests.test_remote import FakeAppThread

    desk = open_desk(tmp_path)
    write_collection(desk.store, studied=30, new=5)
    desk.close()
    home = tmp_path / "home"
    app = FakeAppThread(home)
    try:
        base = ["--data-dir", str(home), "cards", "simulate", "--preset", "Lang", "--days", "30"]
        assert main([*base, "--json"]) == 0
        assert len(json.loads(capsys.readouterr().out)["rows"]) == 28
        assert main([*base, "--apply", "0.84"]) == 0
        assert "desired retention 0.84" in capsys.readouterr().out
        assert ps.find(app.desk, "Lang").desired_retention == 0.84
    finally:
        app.quit()


def test_an_empty_preset_gives_strict_json_and_no_best(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing remembered at any retention: no cost per card (null, never Infinity), no best."""
    home = str(tmp_path / "empty")
    assert main(["--data-dir", home, "cards", "simulate", "--days", "30", "--json"]) == 0
    out = capsys.readouterr().out

    def refuse(name: str) -> None:
        raise ValueError(name)

    data = json.loads(out, parse_constant=refuse)  # Infinity / NaN are not JSON
    assert {row["minutes_per_card"] for row in data["rows"]} == {None}
    assert data["best_retention"] is None and not any(row["best"] for row in data["rows"])
    assert main(["--data-dir", home, "cards", "simulate", "--days", "30"]) == 0
    text = capsys.readouterr().out
    assert "inf" not in text and "—" in text
