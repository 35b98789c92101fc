"""End to end in a real browser: `deskwork serve` on 127.0.0.1, the system's Chromium driven by
Playwright, the page's terminal read from xterm.js's buffer, the results checked through the CLI.

Skipped (with the reason) when Chromium or Playwright is missing; `.ci/run` installs Chromium.
On failure the message names the screenshot of each page, written under the test's tmp dir.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from deskwork.store.lock import LOCK_NAME, is_locked, read_holder
from deskwork.store.store import Store
from tests.browser import (
    FOUR_AREAS,
    Served,
    deskwork_cmd,
    keys_kept_from_the_browser,
    launch,
    missing_browser_reason,
    open_page,
    press,
    right_half,
    screen,
    squeezed,
    wait_for_screen,
)

pytestmark = [
    pytest.mark.timeout_e2e,
    pytest.mark.skipif(missing_browser_reason() is not None, reason=str(missing_browser_reason())),
]


def home_with_short_focus(tmp_path: Path) -> Path:
    """A data dir past the welcome whose focus lasts 6 s (so a whole pomodoro fits in the test)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        "[timer]\nfocus_minutes = 0.1\nauto_start_breaks = false\nbell = false\n"
    )
    store = Store.open(home)
    store.set_setting("welcome_done", True)
    store.close()
    return home


def cli(home: Path, *args: str) -> Any:
    done = subprocess.run(
        [*deskwork_cmd(), *args],
        env={**os.environ, "DESKWORK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"deskwork {' '.join(args)}: {done.stderr}"
    return json.loads(done.stdout) if "--json" in args else done.stdout


def eventually(check: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"never: {what}")


def pid_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # exited, waiting to be reaped: gone for our purposes


@contextmanager
def screenshots_on_failure(tmp_path: Path, pages: dict[str, Any]) -> Iterator[None]:
    """Any failure inside names the screenshots (one per page still open) taken at that moment."""
    try:
        yield
    except BaseException as exc:
        shots = []
        for name, page in pages.items():
            path = tmp_path / f"{name}.png"
            try:
                page.screenshot(path=str(path))
                shots.append(str(path))
            except Exception as shot_error:
                shots.append(f"{name}: no screenshot ({shot_error})")
        raise AssertionError(f"{exc}\nscreenshots: {', '.join(shots) or 'none'}") from exc


def test_the_desk_in_a_browser_tab(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    home = home_with_short_focus(tmp_path)
    exports = home / "exports"  # with DESKWORK_HOME, the exports folder is inside it
    served = Served(home, cwd=tmp_path)
    assert served.url.startswith("http://127.0.0.1:")
    pages: dict[str, Any] = {}
    try:
        with sync_playwright() as playwright, screenshots_on_failure(tmp_path, pages):
            browser = launch(playwright)
            page = pages["first-tab"] = open_page(browser, served.url)
            wait_for_screen(page, *FOUR_AREAS, "Focus 1 of 4")
            holder = read_holder(home / LOCK_NAME)
            assert holder["what"] == "deskwork in a browser tab"
            app_pid = int(str(holder["pid"]))

            # A focus from the keyboard (F6 works from any area); the timer keeps time in the page.
            press(page, "F6")
            wait_for_screen(page, "running")
            wait_for_screen(page, "1 of 8 pomodoros", "Focus complete", timeout=25)  # the toast
            eventually(
                lambda: cli(home, "today", "--json")["pomodoros"] == 1,
                "`deskwork today` counts the pomodoro",
            )

            # Quick capture (Ctrl+K): front, Tab to the back, Ctrl+S; the notification is in the page.
            press(page, "Control+k")
            wait_for_screen(page, "Front")
            page.keyboard.type("What does backprop compute?")
            press(page, "Tab")
            page.keyboard.type("The gradient of the loss")
            press(page, "Control+s")
            wait_for_screen(page, "Added 1 card")
            stats = cli(home, "cards", "stats", "--json")
            assert stats["cards"] == 1 and stats["new"] == 1, stats
            # A writing command from a terminal while the tab holds the store: the tab's app runs it.
            assert "created draft" in cli(home, "drafts", "new", "Started from a terminal")

            # The second keys for what a browser keeps for itself (Ctrl+N new window, Ctrl+T new tab).
            press(page, "Alt+n")
            wait_for_screen(page, "Add to the curriculum")
            press(page, "Escape")
            wait_for_screen(page, "Pomodoro", absent="Add to the curriculum")
            press(page, "Control+f")  # arXiv search: the page keeps Ctrl+F (find) for deskwork
            wait_for_screen(page, "search arXiv, then Enter")
            press(page, "Alt+w")  # the watch list (Ctrl+W would close the tab)
            wait_for_screen(page, "No watch list")
            press(page, "Escape")
            wait_for_screen(page, *FOUR_AREAS)
            # The palette (Ctrl+P, which would print the page): a command by name, its dialog.
            press(page, "Control+p")
            wait_for_screen(page, "Search for commands")
            page.keyboard.type("Help")
            wait_for_screen(page, "Show every key and command")
            press(page, "Enter")
            wait_for_screen(page, "deskwork keys", "Ctrl+N / Alt+N Add link")
            press(page, "Escape")
            wait_for_screen(page, *FOUR_AREAS, absent="deskwork keys")
            press(page, "F5")  # the draft area here, not a reload: the page keeps F5
            wait_for_screen(page, "n New draft")  # the draft list has the focus (its footer keys)
            press(page, "n")
            wait_for_screen(page, "New draft: what is the post about?")
            page.keyboard.type("Notes from a browser tab")
            press(page, "Enter")
            wait_for_screen(page, "Notes from a browser tab ·")
            page.keyboard.type("Typed in the page, never saved by hand. scratch")
            press(page, "Alt+Backspace")  # a word back (Ctrl+W would close the tab)
            wait_for_screen(page, "never saved by hand.", absent="scratch")
            press(page, "F9")  # $EDITOR needs a terminal: said in the page, nothing lost
            wait_for_screen(page, "F9 ($EDITOR) needs a terminal")
            press(page, "Alt+m")  # metadata from inside the editor, where `m` types
            wait_for_screen(page, "Post metadata")
            press(page, "Escape")
            wait_for_screen(page, "never saved by hand.", absent="Post metadata")

            # Export (Ctrl+O, which the page keeps from the browser): written on the serving
            # machine, and the notification in the page says exactly where.
            press(page, "Control+o")
            eventually(lambda: len(list(exports.glob("*.md"))) == 1, "the export is written")
            exported = next(exports.glob("*.md"))
            assert "never saved by hand." in exported.read_text()
            said = f"Exported to {exported} on {socket.gethostname()}"
            eventually(
                lambda: squeezed(said) in squeezed(right_half(screen(page))),
                f"the page says {said!r}",
                10,
            )

            # A second tab while the first holds the store: the refusal, in the page.
            second = pages["second-tab"] = open_page(browser, served.url)
            text = wait_for_screen(second, "deskwork is already open", "in use by")
            assert f"deskwork in a browser tab (pid {app_pid}" in text
            # Keys a browser would act on (reload, find, print, save, address bar, bookmark…) are
            # kept by the page's terminal: they reach deskwork, not the browser.
            browser_keys = ["F5", "F11", "F12", "Control+r", "Control+f", "Control+p"]
            browser_keys += ["Control+s", "Control+l", "Control+d", "Control+o", "Alt+n"]
            press(second, *browser_keys)
            kept = keys_kept_from_the_browser(second)
            assert all(kept.get(k) for k in browser_keys), kept
            press(second, "Enter")  # try again: still held, it says so and stays
            wait_for_screen(second, f"Still in use by deskwork in a browser tab (pid {app_pid})")
            assert pid_alive(app_pid) and is_locked(home) is not None  # the first tab is untouched

            # Closing the first tab ends its app, which saves and releases the store.
            page.screenshot(path=str(tmp_path / "first-tab.png"))
            page.close()
            del pages["first-tab"]
            eventually(lambda: not pid_alive(app_pid), "the tab's app process ends")
            eventually(lambda: is_locked(home) is None, "the store lock is released")

            # Enter in the second tab now opens the desk there, as it was left. `q` quits as in a
            # terminal, and the page says so (the app's exit closes the session).
            press(second, "Enter")
            wait_for_screen(second, *FOUR_AREAS, "1 of 8 pomodoros", "What does backprop compute?")
            press(second, "q")
            second.wait_for_selector("body.-closed .closed-dialog", state="visible", timeout=20_000)
            assert "deskwork closed: everything is saved." in second.inner_text(".closed-dialog")
            eventually(lambda: is_locked(home) is None, "q released the store")
            second.close()
            del pages["second-tab"]
            browser.close()
    finally:
        code = served.stop()
    log = "".join(served.output)
    assert code == 0, log
    assert f"a tab closed: deskwork pid {app_pid} exited (0)" in log
    report = cli(home, "doctor", "--json")
    assert not report["problems"], report
    assert cli(home, "today", "--json")["pomodoros"] == 1
    assert cli(home, "cards", "stats", "--json")["cards"] == 1
    drafts = {d["title"]: d for d in cli(home, "drafts", "list", "--json")}
    assert set(drafts) == {"Notes from a browser tab", "Started from a terminal"}
    body = cli(home, "drafts", "show", str(drafts["Notes from a browser tab"]["id"]))
    assert "never saved by hand." in body and "scratch" not in body


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_stopping_the_server_leaves_no_app_holding_the_store(tmp_path: Path, sig: int) -> None:
    """Ctrl+C on the server: each open tab's app gets "quit", saves and exits, and the page says
    so. SIGKILL: no "quit" reaches the app, but its input closes and it exits through the same
    path; either way the data dir is free for the next `deskwork`."""
    from playwright.sync_api import sync_playwright

    home = home_with_short_focus(tmp_path)
    served = Served(home)
    pages: dict[str, Any] = {}
    try:
        with sync_playwright() as playwright, screenshots_on_failure(tmp_path, pages):
            browser = launch(playwright)
            page = pages["tab"] = open_page(browser, served.url)
            wait_for_screen(page, *FOUR_AREAS)
            app_pid = int(str(read_holder(home / LOCK_NAME)["pid"]))
            code = served.stop(sig)
            eventually(lambda: is_locked(home) is None, "the app releases the store")
            eventually(lambda: not pid_alive(app_pid), "the app exits")
            if sig == signal.SIGINT:
                assert code == 0
                assert f"a tab closed: deskwork pid {app_pid} exited (0)" in "".join(served.output)
                page.wait_for_selector(
                    "body.-closed .closed-dialog", state="visible", timeout=10_000
                )
            browser.close()
    finally:
        if served.proc.poll() is None:  # the test failed before stopping it
            served.stop()
    assert not cli(home, "doctor", "--json")["problems"]
