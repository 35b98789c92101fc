"""A real browser on `deskwork serve`: the system's Chromium driven by Playwright's Python API, the
page's terminal read back from xterm.js's own buffer. Shared by the browser tests and
benchmarks/serve.py.

Playwright's own browser download is not available on these machines: the browser is the system's
(`DESKWORK_CHROMIUM`, else `chromium` on PATH, else /usr/bin/chromium), started with the flags that
keep it off the network (no background connections, no component updates, no sync).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# textual.js keeps its xterm.js Terminal in a local; it assigns `this.fitAddon` right after creating
# it. A setter on Object.prototype catches that assignment and publishes the object (and with it
# `.terminal`, the xterm.js Terminal) as window.__deskworkTerms, so the test reads the real buffer.
XTERM_HOOK = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
    (window.__deskworkTerms = window.__deskworkTerms || []).push(this);
  },
});
"""

# Every keydown the page sees, recorded before xterm.js handles it; `defaultPrevented` read later
# says whether the page kept the key from the browser (F5 would reload, Ctrl+F open find…).
KEY_PROBE = """
window.__deskworkKeys = [];
document.addEventListener("keydown", (event) => window.__deskworkKeys.push(event), true);
"""
KEYS_SEEN_JS = """() => (window.__deskworkKeys || []).map(
  (e) => [(e.ctrlKey ? "Control+" : "") + (e.altKey ? "Alt+" : "") + e.key, e.defaultPrevented])"""

SCREEN_JS = """() => {
  const session = (window.__deskworkTerms || [])[0];
  if (!session || !session.terminal) return null;
  const term = session.terminal, buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""

FOUR_AREAS = ("Pomodoro", "Today's queue", "Review", "Draft post")


def chromium_path() -> str | None:
    found = os.environ.get("DESKWORK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).is_file() and os.access(found, os.X_OK) else None


def missing_browser_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        return (
            "no Chromium at /usr/bin/chromium (or DESKWORK_CHROMIUM): "
            "install Debian's `chromium` package (.ci/run does)"
        )
    return None


def launch(playwright: Any) -> Browser:
    """Chromium on a fresh, empty profile (Playwright makes a new temporary one at each launch)."""
    browser: Browser = playwright.chromium.launch(
        executable_path=chromium_path(),
        args=CHROMIUM_FLAGS,
        headless=True,
        timeout=30_000,
    )
    return browser


def deskwork_cmd() -> list[str]:
    exe = shutil.which("deskwork")
    return [exe] if exe else [sys.executable, "-m", "deskwork"]


class Served:
    """`deskwork serve --port 0` on 127.0.0.1 for `home`; `url` once it listens."""

    def __init__(self, home: Path, *extra: str, cwd: Path | None = None) -> None:
        env = {**os.environ, "DESKWORK_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        env.pop("TEXTUAL", None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [*deskwork_cmd(), "serve", "--port", "0", *extra],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=cwd,
        )
        self.output: list[str] = []
        self.url = self._wait_for_url()

    def _wait_for_url(self, timeout: float = 30) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            found = re.search(r"at (http://\S+)", line)
            if found:
                return found.group(1)
        self.stop()
        raise AssertionError(f"deskwork serve printed no URL:\n{''.join(self.output)}")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        self.output.append(out or "")
        return self.proc.returncode


def open_page(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(XTERM_HOOK)
    page.add_init_script(KEY_PROBE)
    page.goto(url)
    return page


def screen(page: Page) -> str:
    """The terminal's rows; "" while there is none (the page loading, or reloading itself)."""
    from playwright.sync_api import Error

    try:
        text = page.evaluate(SCREEN_JS)
    except Error as exc:
        if "context was destroyed" in str(exc) or "navigat" in str(exc):
            return ""  # a navigation under way: the next poll reads the new page
        raise
    return text if isinstance(text, str) else ""


def flat(text: str) -> str:
    """The screen's words in reading order: box borders and blocks gone, wrapped lines joined."""
    return " ".join(re.sub(r"[\u2500-\u259f]", " ", text).split())


def squeezed(text: str) -> str:
    """The screen's characters without any space or border: a long path wrapped anywhere matches."""
    return "".join(flat(text).split())


def right_half(text: str) -> str:
    """The screen's right half, where Textual draws its notifications: a notification wrapped over
    several rows reads on without the left half's text on those rows (a long temp path, as under
    pytest-xdist, pushed 'on vm' onto the row of the review area's key hints)."""
    rows = text.splitlines()
    middle = max((len(row) for row in rows), default=0) // 2
    return "\n".join(row[middle:] for row in rows)


def wait_for_screen(page: Page, *needles: str, timeout: float = 30, absent: str = "\x00") -> str:
    """The screen (flattened) once it shows every needle and not `absent`."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen(page)
        words = flat(text)
        if all(n in words for n in needles) and absent not in words:
            return words
        page.wait_for_timeout(50)
    raise AssertionError(f"the page never showed {needles!r} without {absent!r}; it shows:\n{text}")


def keys_kept_from_the_browser(page: Page) -> dict[str, bool]:
    """{key as pressed: whether the page cancelled its default action} for every key so far."""
    seen = page.evaluate(KEYS_SEEN_JS)
    return {str(key): bool(prevented) for key, prevented in seen}


def press(page: Page, *keys: str) -> None:
    """Keys into the terminal (xterm.js listens on its hidden textarea)."""
    page.focus(".xterm-helper-textarea")
    for key in keys:
        page.keyboard.press(key)
