"""End to end: the installed `deskwork` in a real pseudo-terminal (pexpect), its screen read back
through a terminal emulator (pyte), as a newcomer would see it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pyte
import pytest

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.store.manifest import read_manifest
from deskwork.store.store import Store
from tests.helpers import T0

ROWS, COLS = 40, 120
# An area's key and what the footer shows once the area has the focus.
AREA_KEYS = {
    "f2": ("\x1b[12~", " Start/pause "),
    "f3": ("\x1b[13~", " Timer here "),
    "f5": ("\x1b[15~", " New draft "),
}


def deskwork_cmd() -> list[str]:
    exe = shutil.which("deskwork")
    return [exe] if exe else [sys.executable, "-m", "deskwork"]


class Terminal:
    def __init__(self, home: Path, **extra_env: str) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        cmd = deskwork_cmd()
        env = {**os.environ, "DESKWORK_HOME": str(home), "TERM": "xterm-256color", **extra_env}
        env.pop("TEXTUAL", None)
        self.child = pexpect.spawn(cmd[0], cmd[1:], env=env, dimensions=(ROWS, COLS))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, *needles: str, timeout: float = 30, absent: str = "\x00") -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                break
            text = self.text()
            if all(n in text for n in needles) and absent not in text:
                return text
        raise AssertionError(f"never saw {needles!r} without {absent!r}; screen:\n{self.text()}")

    def focus(self, key: str) -> None:
        """Press an area's key (F2…F5) and wait until that area has the focus: the footer shows
        the focused widget's keys (a key sent before it would go to the area left)."""
        self.child.send(AREA_KEYS[key][0])
        self.wait_for(AREA_KEYS[key][1])

    def new_draft(self, title: str) -> None:
        """F5, n, the title: the editor is open on a new draft."""
        self.wait_for("Draft post")
        self.focus("f5")
        self.child.send("n")
        self.wait_for("New draft")
        self.child.send(f"{title}\r")
        self.wait_for(f"{title} ·")

    def quit(self, key: str = "q") -> int:
        self.child.send(key)
        self.child.expect(pexpect.EOF, timeout=20)
        self.child.close()
        return int(self.child.exitstatus or 0)


def saved_timer(home: Path) -> dict[str, object]:
    """The timer as the store holds it on disk now (a reader's snapshot: the TUI keeps the lock)."""
    reader = Store.open(home, readonly=True)
    try:
        return dict(reader.setting("timer") or {})
    finally:
        reader.close()


def welcomed_home(tmp_path: Path) -> Path:
    """A data dir past its first-run welcome."""
    home = tmp_path / "home"
    store = Store.open(home)
    store.set_setting("welcome_done", True)
    store.close()
    return home


@pytest.mark.timeout_e2e
def test_newcomer_opens_sees_four_areas_and_quits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    term = Terminal(home)
    term.wait_for("Welcome to deskwork", "Start with an empty desk")
    term.child.send("\r")  # the focused button: load the starter curriculum
    term.wait_for(
        "Pomodoro", "Today's queue", "Review", "Draft post", "No cards yet", absent="Welcome to"
    )

    second = subprocess.run(
        deskwork_cmd(),
        env={**os.environ, "DESKWORK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 3
    assert f"in use by the deskwork TUI (pid {term.child.pid}" in second.stderr

    assert term.quit() == 0
    assert (home / "manifest.json").exists() and (home / "config.toml").parent == home


@pytest.mark.timeout_e2e
def test_truncated_store_file_recovers_with_a_clear_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = Store.open(home)
    store.set_setting("welcome_done", True)
    with store.transaction() as tx:
        tx.put("items", Item(title="Deep Learning book", status=ItemStatus.ACTIVE, added=T0))
    store.close()
    Store.open(home, backup_interval_s=0).close()  # a backup that holds the item
    manifest = read_manifest(home)
    assert manifest is not None
    victim = home / manifest.tables["items"][0]
    with open(victim, "r+b") as fh:
        fh.truncate(victim.stat().st_size // 2)

    term = Terminal(home)
    screen = term.wait_for("Deep Learning book", "damaged")
    assert "Today's queue" in screen
    assert term.quit() == 0
    assert list(home.glob(f"{victim.name}.corrupt-*"))


@pytest.mark.timeout_e2e
def test_short_focus_from_the_keyboard_then_sigkill_mid_focus_resumes(tmp_path: Path) -> None:
    import json
    import signal

    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        "[timer]\nfocus_minutes = 0.1\nauto_start_breaks = false\nbell = false\n"
    )
    store = Store.open(home)
    store.set_setting("welcome_done", True)
    with store.transaction() as tx:
        tx.put("items", Item(title="Deep Learning book", status=ItemStatus.ACTIVE, added=T0))
    store.close()
    env = {**os.environ, "DESKWORK_HOME": str(home)}

    term = Terminal(home)
    term.wait_for("Focus 1 of 4", "Deep Learning book")
    term.focus("f3")  # today's queue; its first item is selected
    term.focus("f2")  # back to the timer
    term.wait_for("Timer on: no item")  # selecting in the queue does not move the timer
    term.child.send(" ")  # a focus starts on the item selected in the queue
    term.wait_for("running", "Timer on: Deep Learning book")
    term.wait_for("Focus complete", timeout=20)
    assert term.quit() == 0
    today = json.loads(
        subprocess.run(
            [*deskwork_cmd(), "today", "--json"], env=env, capture_output=True, text=True
        ).stdout
    )
    [focus] = [s for s in today["sessions"] if s["kind"] == "focus"]
    assert focus["completed"] and focus["item"] == "Deep Learning book"

    (home / "config.toml").write_text("[timer]\nfocus_minutes = 1\nbell = false\n")
    term = Terminal(home)
    term.wait_for("Short break")
    term.focus("f2")
    term.child.send("s")  # skip the break
    term.wait_for("Focus 2 of 4")
    term.child.send(" ")
    term.wait_for("running")
    started = time.monotonic()
    deadline = started + 30
    running = {"status": "running", "phase": "focus"}
    while not running.items() <= saved_timer(home).items():  # durable before the kill, not shown
        assert time.monotonic() < deadline, (
            f"the running focus was never saved: {saved_timer(home)}"
        )
    os.kill(term.child.pid, signal.SIGKILL)
    term.child.close(force=True)
    killed_at = time.monotonic()

    def timer_status() -> dict[str, Any]:
        out = subprocess.run(
            [*deskwork_cmd(), "timer", "status", "--json"], env=env, capture_output=True, text=True
        ).stdout
        return dict(json.loads(out))

    # The focus runs on while deskwork is killed: asked until it shows (not a fixed wait first).
    status = timer_status()
    while status["remaining_s"] > 58.5 and time.monotonic() < started + 30:
        status = timer_status()
    assert status["running"] and status["phase"] == "focus"
    assert 50 <= status["remaining_s"] <= 58.5, status
    term = Terminal(home)
    term.wait_for("Focus 2 of 4 · running")
    elapsed = time.monotonic() - killed_at
    assert elapsed < 30
    again = json.loads(
        subprocess.run(
            [*deskwork_cmd(), "timer", "status", "--json"], env=env, capture_output=True, text=True
        ).stdout
    )
    assert again["running"] and again["remaining_s"] < status["remaining_s"]
    assert term.quit() == 0


@pytest.mark.timeout_e2e
def test_sigkill_while_typing_loses_at_most_the_last_two_seconds(tmp_path: Path) -> None:
    import signal

    home = welcomed_home(tmp_path)
    term = Terminal(home)
    term.new_draft("Crash test")
    typed = []
    for n in range(12):
        word = f"w{n:02d} "
        term.child.send(word)
        typed.append((time.monotonic(), word))
        time.sleep(0.25)
    term.wait_for("w11")
    killed = time.monotonic()
    os.kill(term.child.pid, signal.SIGKILL)
    term.child.close(force=True)

    reader = Store.open(home, readonly=True)
    [draft] = reader.drafts.all()
    must_have = "".join(w for t, w in typed if t < killed - 2.0)
    assert draft.body.startswith(must_have.strip()), (draft.body, must_have)
    assert "".join(w for _, w in typed).startswith(draft.body.strip())

    term = Terminal(home)
    term.wait_for("Crash test")
    assert term.quit("\x11") == 0


@pytest.mark.timeout_e2e
def test_external_editor_round_trip(tmp_path: Path) -> None:
    home = welcomed_home(tmp_path)
    editor = tmp_path / "fake-editor.sh"
    editor.write_text('#!/bin/sh\nprintf "written in EDITOR\\n" >> "$1"\n')
    editor.chmod(0o755)
    term = Terminal(home, EDITOR=str(editor), VISUAL="")
    term.new_draft("Ext")
    term.child.send("first line\r")
    term.child.send("\x1b[20~")  # F9: $EDITOR
    term.wait_for("written in EDITOR")
    assert term.quit("\x11") == 0  # Ctrl+Q: a plain q would be typed into the draft
    reader = Store.open(home, readonly=True)
    [draft] = reader.drafts.all()
    assert draft.body == "first line\nwritten in EDITOR\n"


@pytest.mark.timeout_e2e
def test_an_editor_that_cannot_run_is_told_and_the_desk_comes_back(tmp_path: Path) -> None:
    """$EDITOR names no program, or a script whose interpreter is missing (found, but exec fails
    after the app handed the terminal over): a message each time, the desk back and answering
    keys, the draft unchanged. Before, the second case left a blank terminal and a deaf app."""
    home = welcomed_home(tmp_path)
    broken = tmp_path / "broken-editor.sh"
    broken.write_text("#!/no/such/interpreter\n")
    broken.chmod(0o755)
    term = Terminal(home, EDITOR="no-such-editor", VISUAL="")
    term.new_draft("Kept")
    term.child.send("first line\r")
    term.child.send("\x1b[20~")  # F9
    term.wait_for("no-such-editor: not found")
    assert term.quit("\x11") == 0
    term = Terminal(home, EDITOR=str(broken), VISUAL="")
    term.wait_for("Kept")
    term.child.send("\x1b[15~")  # F5: the draft area
    term.child.send("\r")  # open the draft
    term.wait_for("first line")
    term.child.send("\x1b[20~")  # F9
    term.wait_for("Cannot run")
    term.child.send("more")
    term.wait_for("more")
    assert term.quit("\x11") == 0
    reader = Store.open(home, readonly=True)
    [draft] = reader.drafts.all()
    assert draft.body.startswith("first line")


@pytest.mark.timeout_e2e
def test_a_paste_with_escape_sequences_arrives_as_clean_text_in_order(tmp_path: Path) -> None:
    """A real terminal's bracketed paste of `ls` output with colours, a window title (ended by
    BEL) and two lines: the draft gets the text, in order, without the escapes; no escape became
    a key (before: the keys arrived first, `^[31m` stayed as text, BEL toggled the preview)."""
    home = welcomed_home(tmp_path)
    term = Terminal(home)
    term.new_draft("Pasted")
    pasted = "ls: \x1b[01;34mdir\x1b[0m and \x1b[31mred\x1b[0m done\x1b]0;title\x07\nsecond line\n"
    term.child.send("\x1b[200~" + pasted + "\x1b[201~")
    term.wait_for("second line")
    term.child.send("end")
    term.wait_for("end")
    assert term.quit("\x11") == 0
    reader = Store.open(home, readonly=True)
    [draft] = reader.drafts.all()
    assert draft.body == "ls: dir and red done\nsecond line\nend"


@pytest.mark.timeout_e2e
def test_closing_the_terminal_saves_like_ctrl_q(tmp_path: Path) -> None:
    """The terminal window closes (the pty's master side goes away: the kernel sends SIGHUP): the
    draft typed a moment ago is saved in full and the store is closed cleanly, as with Ctrl+Q."""
    home = welcomed_home(tmp_path)
    term = Terminal(home)
    term.new_draft("Hangup")
    term.child.send("typed just before the window closed")
    term.wait_for("window closed")
    term.child.ptyproc.fileobj.close()  # the window goes away (closed once: pexpect knows)
    deadline = time.monotonic() + 60  # a loaded 2-core box can take a while to save and exit
    while term.child.isalive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.child.isalive(), "deskwork kept running after its terminal closed\n" + _stuck(
        term.child.pid
    )
    reader = Store.open(home, readonly=True)
    [draft] = reader.drafts.all()
    assert draft.body == "typed just before the window closed"
    assert not (home / "deskwork.lock").exists() or not (home / "deskwork.lock").read_text()


def _stuck(pid: int) -> str:
    """What a process that should have exited is doing: its state, its signal masks and, where
    py-spy is installed, every thread's Python stack."""
    lines = []
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        lines += [
            ln
            for ln in status.splitlines()
            if ln.split(":")[0]
            in {"State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "Threads"}
        ]
    except OSError as exc:
        lines.append(f"/proc: {exc}")
    spy = shutil.which("py-spy")
    if spy:
        done = subprocess.run(
            [spy, "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=60
        )
        lines.append(done.stdout[-6000:] + done.stderr[-2000:])
    return "\n".join(lines)
