"""`serve_first_paint_s`: from starting `deskwork serve` to the four areas painted in a browser tab,
against the same app on the same data started in a terminal (`terminal_first_paint_s`), interleaved
in the same run (these machines are noisy).

    python benchmarks/serve.py [--scale tiny|heavy|power] [--runs 5] [--json]

The browser is the system's Chromium (as in tests/test_e2e_browser.py), launched once before the
runs, as a learner's browser is already open; one unmeasured warm-up of each comes first. The
terminal is a pseudo-terminal read through pyte (as in tests/test_e2e_terminal.py). Both clocks stop
when the four area titles are on the screen: pyte's for the terminal, xterm.js's buffer for the page.
`serve_listen_s` is the part of the served figure spent before the server printed its URL.
Needs the test extras (playwright, pexpect, pyte).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' browser and terminal

from figures import report
from workload import SCALES, generate

from deskwork.store.lock import is_locked
from tests.browser import FOUR_AREAS, Served, launch, missing_browser_reason, open_page
from tests.browser import wait_for_screen as wait_in_page
from tests.test_e2e_terminal import Terminal


def wait_until_free(data_dir: Path, timeout: float = 30) -> None:
    """The previous run's app has saved and let go of the store."""
    deadline = time.monotonic() + timeout
    while is_locked(data_dir) is not None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{data_dir} is still locked after {timeout} s")
        time.sleep(0.05)


def terminal_run(data_dir: Path) -> float:
    t = time.perf_counter()
    term = Terminal(data_dir)
    term.wait_for(*FOUR_AREAS)
    elapsed = time.perf_counter() - t
    term.quit()
    wait_until_free(data_dir)
    return elapsed


def serve_run(data_dir: Path, browser: Any) -> tuple[float, float]:
    t = time.perf_counter()
    served = Served(data_dir)
    try:
        listening = time.perf_counter() - t
        page = open_page(browser, served.url)
        wait_in_page(page, *FOUR_AREAS, timeout=60)
        elapsed = time.perf_counter() - t
        page.close()
        wait_until_free(data_dir)
    finally:
        served.stop()
    return elapsed, listening


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="heavy")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    reason = missing_browser_reason()
    if reason:
        print(f"serve benchmark: {reason}", file=sys.stderr)
        return 2

    import compileall

    from playwright.sync_api import sync_playwright

    import deskwork

    # As an install would (see run.py): measure the app, not the bytecode compiler.
    compileall.compile_dir(Path(deskwork.__file__).parent, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="deskwork-bench-serve-"))
    data_dir = work / "data"
    try:
        generate(data_dir, SCALES[args.scale])
        terminal, served, listen = [], [], []
        with sync_playwright() as playwright:
            browser = launch(playwright)
            terminal_run(data_dir)  # warm-ups: page cache, Chromium's first navigation
            serve_run(data_dir, browser)
            for _ in range(args.runs):  # interleaved, so both see the same machine load
                terminal.append(terminal_run(data_dir))
                paint, listening = serve_run(data_dir, browser)
                served.append(paint)
                listen.append(listening)
            chromium = browser.version
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    serve_s, terminal_s = statistics.median(served), statistics.median(terminal)
    result = {
        "scale": args.scale,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "chromium": chromium,
        "serve_first_paint_s": round(serve_s, 3),
        "serve_first_paint_max_s": round(max(served), 3),
        "serve_listen_s": round(statistics.median(listen), 3),
        "terminal_first_paint_s": round(terminal_s, 3),
        "terminal_first_paint_max_s": round(max(terminal), 3),
        "serve_vs_terminal": round(serve_s / terminal_s, 2),
    }
    report(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
