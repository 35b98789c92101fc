"""End to end: the TUI running in a real pseudo-terminal, `deskwork` commands typed elsewhere (a
window-manager hotkey, a bookmarklet) reach it; the state is checked from both sides."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.test_e2e_terminal import Terminal, deskwork_cmd, welcomed_home


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*deskwork_cmd(), *args],
        env={**os.environ, "DESKWORK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.timeout_e2e
def test_cli_commands_reach_the_running_tui(tmp_path: Path) -> None:
    home = welcomed_home(tmp_path)
    term = Terminal(home)
    term.wait_for("Focus 1 of 4", "Today's queue")

    started = cli(home, "timer", "start")
    assert (started.returncode, started.stderr) == (0, "")
    assert started.stdout.startswith("Focus 1 of 4 · running, ")
    term.wait_for("Focus 1 of 4 · running", "deskwork timer start")

    added = cli(home, "queue", "add", "--offline", "arXiv:1706.03762")
    assert (added.returncode, added.stderr) == (0, "")
    assert added.stdout == "added: 1  arXiv:1706.03762\n  metadata pending\n"
    term.wait_for("arXiv:1706.03762")

    paused = cli(home, "timer", "pause", "--json")
    assert paused.returncode == 0 and json.loads(paused.stdout)["paused"]
    term.wait_for("Focus 1 of 4 · paused")

    status = json.loads(cli(home, "timer", "--json").stdout)  # read-only: runs beside the TUI
    assert status["paused"] and status["phase"] == "focus"
    listed = json.loads(cli(home, "queue", "list", "--json").stdout)
    assert [i["title"] for i in listed] == ["arXiv:1706.03762"]

    # the app keeps working from the keyboard on the state the commands left
    term.child.send(" ")  # the timer area has the focus: space resumes
    term.wait_for("Focus 1 of 4 · running")
    assert term.quit() == 0

    # with the TUI gone, the same command runs on its own
    alone = cli(home, "timer", "pause")
    assert alone.returncode == 0 and alone.stdout.startswith("Focus 1 of 4 · paused, ")
