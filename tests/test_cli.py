"""The `deskwork` command: reports, --json, config, doctor, restore, errors without tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deskwork import __version__
from deskwork.cli import main, split_query
from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.drafts import Draft
from deskwork.domain.records import utcnow
from deskwork.domain.studyday import study_day
from deskwork.store.backups import list_backups
from deskwork.store.manifest import read_manifest
from deskwork.store.store import Store
from tests.helpers import T0, make_card


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def seed(home: Path) -> None:
    store = Store.open(home)
    with store.transaction() as tx:
        tx.put(
            "items",
            Item(
                title="Statistical Rethinking",
                status=ItemStatus.ACTIVE,
                added=T0,
                queued_on=study_day(utcnow(), 4),  # picked for today (the default day start)
            ),
        )
        tx.put("cards", make_card("due", deck="Math::Bayes"))
        tx.put("drafts", Draft(title="Week 1", body="one two three", created=T0, updated=T0))
    store.close()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"deskwork {__version__}"


def test_data_dir_keeps_everything_under_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "elsewhere"
    seed(home)
    code, out, _ = run(capsys, "--data-dir", str(home), "today", "--json")
    data = json.loads(out)
    assert code == 0 and data["queue"][0]["title"] == "Statistical Rethinking"
    assert data["cards_total"] == 1 and data["cards_due"] == 1
    code, out, _ = run(capsys, "--data-dir", str(home), "config", "path")
    assert out.strip() == str(home / "config.toml")


def test_lists_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    seed(home)
    _, out, _ = run(capsys, "queue", "list", "--json")
    assert [i["title"] for i in json.loads(out)] == ["Statistical Rethinking"]
    _, out, _ = run(capsys, "drafts", "list", "--json")
    assert json.loads(out)[0] | {"updated": None} == {
        "id": 1,
        "title": "Week 1",
        "slug": "",
        "status": "idea",
        "words": 3,
        "updated": None,
    }
    _, out, _ = run(capsys, "cards", "stats", "--json")
    stats = json.loads(out)
    assert stats["cards"] == 1 and stats["decks"] == {"Math::Bayes": 1} and stats["new"] == 1
    # One "due" figure: today's review queue (the new card), in `today` and `cards stats` alike.
    assert stats["due_today"] == 1 and stats["due_today_parts"] == {
        "new": 1, "learning": 0, "review": 0,
    }  # fmt: skip
    _, out, _ = run(capsys, "today", "--json")
    assert json.loads(out)["cards_due"] == stats["due_today"]
    _, out, _ = run(capsys, "today")
    assert "cards due: 1 of 1 (1 new)" in out, out
    _, out, _ = run(capsys, "cards", "stats")
    assert "due_today: 1\ndue_today_parts: 1 new, 0 learning, 0 review\n" in out, out


def test_config_show_reports_problems_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[study]\nday_start_hour = 99\n")
    code, out, err = run(capsys, "config", "show", "--json")
    assert code == 0 and json.loads(out)["study"]["day_start_hour"] == 4
    assert "config.toml" in err and "day_start_hour" in err


def test_doctor_healthy_then_damaged(capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    seed(home)
    Store.open(home, backup_interval_s=0).close()  # a backup holding the seeded data
    code, out, _ = run(capsys, "doctor", "--json")
    report = json.loads(out)
    assert code == 0 and report["healthy"], report
    assert report["counts"] == {"cards": 1, "drafts": 1, "items": 1}
    manifest = read_manifest(home)
    assert manifest is not None
    (home / manifest.tables["items"][0]).write_text("{")
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "PROBLEM" in out and manifest.tables["items"][0] in out
    code, out, err = run(capsys, "doctor", "--repair")
    assert "restored from backup" in err
    assert code == 0, out


def test_restore_lists_confirms_and_restores(capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    seed(home)
    Store.open(home, backup_interval_s=0).close()
    backup = list_backups(home)[0]
    store = Store.open(home)
    with store.transaction() as tx:
        tx.delete("items", 1)
    store.close()
    code, out, _ = run(capsys, "restore")
    assert code == 0 and backup.name in out
    code, _, err = run(capsys, "restore", backup.name)  # stdin is not a terminal here
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "restore", backup.name, "--yes")
    assert code == 0 and "restored" in out
    _, out, _ = run(capsys, "queue", "list", "--json")
    assert [i["title"] for i in json.loads(out)] == ["Statistical Rethinking"]
    code, _, err = run(capsys, "restore", "nonsense", "--yes")
    assert code == 1 and "not a backup" in err


def _deskwork() -> list[str]:
    exe = shutil.which("deskwork")
    return [exe] if exe else [sys.executable, "-m", "deskwork"]


def test_writers_refuse_clearly_while_another_process_holds_the_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seed(home)
    holder = Store.open(home, what="the deskwork TUI")
    try:
        env = {**os.environ, "DESKWORK_HOME": str(home)}
        backup = list_backups(home)[0].name
        refused = subprocess.run(
            [*_deskwork(), "restore", backup, "--yes"], env=env, capture_output=True, text=True
        )
        assert refused.returncode == 3
        assert f"in use by the deskwork TUI (pid {os.getpid()}" in refused.stderr
        assert "Traceback" not in refused.stderr
        reader = subprocess.run(
            [*_deskwork(), "today", "--json"], env=env, capture_output=True, text=True
        )
        assert reader.returncode == 0, reader.stderr
        assert json.loads(reader.stdout)["queue"][0]["title"] == "Statistical Rethinking"
    finally:
        holder.close()


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store.open(home).close()
    from deskwork.store.manifest import read_manifest, write_manifest

    manifest = read_manifest(home)
    assert manifest is not None
    write_manifest(home, manifest.model_copy(update={"schema_version": 9}))  # intact, newer
    env = {**os.environ, "DESKWORK_HOME": str(home)}
    result = subprocess.run([*_deskwork(), "today"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "newer deskwork" in result.stderr and "Traceback" not in result.stderr
    debug = subprocess.run(
        [*_deskwork(), "--debug", "today"], env=env, capture_output=True, text=True
    )
    assert "Traceback" in debug.stderr


def test_timer_commands_status_and_today_sessions(capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    seed(home)
    # A 3 s focus: long enough that the second start meets it running on a loaded machine (a
    # 0.6 s one had ended before it under load), then waited for as the CLI sees it end.
    (home / "config.toml").write_text("[timer]\nfocus_minutes = 0.05\nauto_start_breaks = false\n")
    code, out, _ = run(capsys, "timer", "status", "--json")
    status = json.loads(out)
    assert code == 0 and {"phase", "running", "paused", "remaining_s", "item"} <= set(status)
    assert (status["phase"], status["running"], status["remaining_s"]) == ("focus", False, 3.0)
    code, out, _ = run(capsys, "timer", "start", "--json")
    assert json.loads(out)["running"] is True
    code, _, err = run(capsys, "timer", "start")
    assert code == 1 and "already running" in err
    import time as _time

    deadline = _time.monotonic() + 60
    while True:
        _time.sleep(0.25)
        _, out, _ = run(capsys, "today", "--json")
        today = json.loads(out)
        if today["sessions"] or _time.monotonic() > deadline:
            break
    [session] = today["sessions"]
    assert session["kind"] == "focus" and session["completed"] is True
    assert {"start", "end", "planned_s", "actual_s", "item", "interruptions"} <= set(session)
    assert today["pomodoros"] == 1 and today["goal"]["value"] == 8
    assert "streak_days" in today and today["queue"]


def test_timer_reset_refuses_to_abandon_a_focus_without_yes_and_speaks_as_the_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from deskwork.domain.timer import Status

    home = Path(os.environ["DESKWORK_HOME"])
    seed(home)
    code, out, _ = run(capsys, "timer")
    assert (code, out) == (0, "Focus 1 of 4 · ready, 25:00 left, on no item\n")
    code, _, err = run(capsys, "timer", "reset")  # nothing under way: nothing to confirm
    assert (code, err) == (0, "")
    run(capsys, "timer", "start")
    code, out, err = run(capsys, "timer", "reset")
    assert code == 2 and out == ""
    assert "focus is running" in err and "abandoned" in err and "--yes" in err
    code, out, _ = run(capsys, "timer", "--json")
    status = json.loads(out)
    assert (status["phase"], status["status"], status["running"]) == ("focus", "running", True)
    store = Store.open(home)
    assert store.sessions.all() == [], "refused: nothing recorded"
    store.close()
    run(capsys, "timer", "pause")
    code, _, err = run(capsys, "timer", "reset")
    assert code == 2 and "focus is paused" in err
    code, out, err = run(capsys, "timer", "reset", "--yes")
    assert (code, err) == (0, "") and out.startswith("Focus 1 of 4 · ready, 25:00 left")
    store = Store.open(home)
    [session] = store.sessions.all()
    assert session.note == "reset" and not session.completed
    store.close()
    assert json.loads(run(capsys, "timer", "--json")[1])["status"] == Status.IDLE.value
    run(capsys, "timer", "start")
    code, out, _ = run(capsys, "timer", "skip")  # breaks start on their own (the default)
    assert out.startswith("Short break · running, 05:00 left")
    code, _, err = run(capsys, "timer", "reset")  # a break: nothing of value lost, as in the app
    assert (code, err) == (0, "")


def test_sessions_export_csv_and_ics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import timedelta

    from tests.helpers import make_focus

    home = Path(os.environ["DESKWORK_HOME"])
    store = Store.open(home)
    with store.transaction() as tx:
        for day in range(3):
            tx.put("sessions", make_focus(T0 + timedelta(days=day)))
    store.close()
    code, out, _ = run(
        capsys, "sessions", "export", str(tmp_path / "s.csv"), "--from", "2026-11-21"
    )
    assert code == 0 and "wrote 2 sessions" in out
    assert (tmp_path / "s.csv").read_text().count("\n") == 3
    code, out, _ = run(capsys, "sessions", "export", str(tmp_path / "s.ics"), "--to", "2026-11-20")
    assert code == 0 and (tmp_path / "s.ics").read_text().count("BEGIN:VEVENT") == 1
    code, _, err = run(capsys, "sessions", "export", str(tmp_path / "s.txt"))
    assert code == 2 and ".csv or .ics" in err
    code, _, err = run(  # a range with no day in it is a mistake, not an empty file
        capsys,
        "sessions",
        "export",
        str(tmp_path / "e.csv"),
        "--from",
        "2026-12-01",
        "--to",
        "2026-11-01",
    )
    assert code == 2 and "--from 2026-12-01 is after --to 2026-11-01" in err
    assert not (tmp_path / "e.csv").exists()


def test_config_show_reports_what_the_tui_would_refuse(capsys: pytest.CaptureFixture[str]) -> None:
    """Bad `[keys]` entries, a theme file that does not load and an unknown theme name are named
    with their file (and line) by `config show`, not only at the TUI's start."""
    home = Path(os.environ["DESKWORK_HOME"])
    (home / "themes").mkdir(parents=True)
    (home / "themes" / "broken.toml").write_text("name = 'broken'\nprimary = 'not a colour'\n")
    (home / "config.toml").write_text(
        "[ui]\ntheme = 'no-such-theme'\n\n[keys]\n'timer.skip' = 'ctrl+shift+alt+nonsense'\n"
        "'no.such.binding' = 'x'\n"
    )
    code, out, err = run(capsys, "config", "show", "--json")
    assert code == 0 and json.loads(out)["keys"]["timer.skip"] == "ctrl+shift+alt+nonsense"
    assert "config.toml, line 5: [keys] 'timer.skip'" in err, err
    assert "config.toml, line 6: [keys] 'no.such.binding' is not a binding id" in err, err
    assert "broken.toml" in err, err
    assert "config.toml, line 2: [ui] theme 'no-such-theme' is not available" in err, err
    assert "deskwork-dusk" in err


def test_config_show_is_quiet_about_a_good_config(capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    home.mkdir(parents=True)
    (home / "config.toml").write_text(
        "[ui]\ntheme = 'textual-light'\n\n[keys]\n'timer.skip' = 'f9'\n"
    )
    code, _, err = run(capsys, "config", "show")
    assert code == 0 and err == "", err


def test_cards_list_takes_a_negated_term_as_a_query_not_an_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    seed(home)  # one card, in Math::Bayes
    code, out, _ = run(capsys, "cards", "list", "-deck:Math::Bayes", "--json")
    assert code == 0 and json.loads(out)["cards"] == []
    code, out, _ = run(capsys, "--data-dir", str(home), "cards", "list", "--json", "-deck:Other")
    assert code == 0 and [c["deck"] for c in json.loads(out)["cards"]] == ["Math::Bayes"]
    code, out, _ = run(capsys, "cards", "list", "--", "-deck:Other", "or", "deck:Math*")
    assert code == 0 and "Math::Bayes" in out
    assert split_query(["queue", "list", "-x"]) == (["queue", "list", "-x"], None)
    words = ["--data-dir=/d", "--debug", "cards", "list", "-tag:x"]  # global options in any order
    assert split_query(words) == (words[:4], ["-tag:x"])


def test_config_show_gives_the_theme_chosen_in_the_app_over_the_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """F10 keeps the chosen theme in the store, where the app reads it before the file's: that is
    the effective one `config show` prints, saying where it comes from."""
    from deskwork.services.desk import THEME

    home = Path(os.environ["DESKWORK_HOME"])
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[ui]\ntheme = 'textual-light'\n")
    with Store.open(home) as store:
        store.set_setting(THEME, "nord")
    code, out, err = run(capsys, "config", "show", "--json")
    assert code == 0 and json.loads(out)["ui"]["theme"] == "nord"
    assert "'nord', chosen in the app (F10)" in err and "'textual-light'" in err, err
    code, out, err = run(capsys, "config", "show")
    assert 'theme = "nord"' in out or "theme = 'nord'" in out, out
    (home / "config.toml").unlink()  # no file: the app's choice is kept over the default
    code, out, err = run(capsys, "config", "show")
    assert "over the default 'deskwork-dusk' (the file sets none)" in err, err
    (home / "config.toml").write_text("[ui]\ntheme = 'textual-light'\n")
    with Store.open(home) as store:
        store.set_setting(THEME, "textual-light")  # the same as the file's: nothing to say
    code, out, err = run(capsys, "config", "show")
    assert code == 0 and err == "", err
    for name in ("manifest.json", "manifest.copy.json"):  # a store that cannot be opened
        (home / name).write_text("{")
    code, out, err = run(capsys, "config", "show", "--json")
    assert code == 0 and json.loads(out)["ui"]["theme"] == "textual-light", out
    assert "the theme chosen in the app could not be read" in err, err
