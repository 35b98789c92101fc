"""Textual's own cost of a screen switch, the baseline of the stall meter's screen rows (stats, the
card browser, the curriculum table, the plan): the bare four-pane app of the start-up benchmark
(run.py's `startup_baseline_s`) opening a full screen and closing it again, with the same
lateness probe, in the same run.

    python benchmarks/stall_bare.py [--switches 5] [--json]

Rows (also in every stall meter run, after the app's activities, from a process of their own):
- `screen_bare_statics`: a screen of a title, 20 Statics of a line each and a footer;
- `screen_bare_table`: a screen of a title, a DataTable of 7 columns and 24 rows (what the
  curriculum table shows in a 40-row terminal) and a footer;
- `worker_bare`: no app, the loop alone while a plain thread parses and writes JSON for a few
  seconds (stall.py `work_beside_bare_loop`): the baseline of the rows whose work runs on a
  worker thread (import, export, compaction, backup).
Each switch is the screen's key pressed and everything settled (the op, as the meter times
deskwork's screens: `op_p95_ms`, and the UI thread's CPU time of it, `op_cpu_p95_ms`), then
Escape. A new screen each time, as deskwork makes its screens. Nothing of deskwork is imported:
a deskwork row far above these is deskwork's own work; one near them is Textual's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SWITCHES = 5
BARE_SCREENS = ("screen_bare_statics", "screen_bare_table")
BARE_ROWS = (*BARE_SCREENS, "worker_bare")
TABLE_COLUMNS = ("Title", "Kind", "Track", "Status", "Progress", "Priority", "Planned")
TABLE_ROWS = 24
STATICS = 20


def bare_app() -> Any:
    """The bare four-pane app, with a key for each screen (s, t) and Escape to close it."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Grid
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header, Static

    class StaticsScreen(Screen[None]):
        BINDINGS = [Binding("escape", "app.pop_screen", "Close")]

        def compose(self) -> ComposeResult:
            yield Static("Twenty lines", classes="title")
            for n in range(STATICS):
                yield Static(f"{n + 1:>2}. a line of figures: {n * 37 % 101} of 101 done, {n} days")
            yield Footer()

    class TableScreen(Screen[None]):
        BINDINGS = [Binding("escape", "app.pop_screen", "Close")]

        def compose(self) -> ComposeResult:
            yield Static("A table", classes="title")
            yield DataTable(id="table")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for column in TABLE_COLUMNS:
                table.add_column(column, key=column.lower())
            for n in range(TABLE_ROWS):
                table.add_row(
                    f"Item {n + 1}: a paper on gradient descent",
                    "paper",
                    "math",
                    "active",
                    f"{n % 12} / 12",
                    str(n % 5),
                    f"2026-11-{n % 28 + 1:02d}",
                )
            table.focus()

    class Bare(App[None]):
        CSS = "Grid { grid-size: 2 2; } Grid Static { border: round $primary; height: 1fr; }"
        BINDINGS = [
            Binding("s", "push_screen('statics')", "Statics"),
            Binding("t", "push_screen('table')", "Table"),
        ]
        SCREENS = {"statics": StaticsScreen, "table": TableScreen}  # a new one each push

        def compose(self) -> ComposeResult:
            yield Header()
            with Grid():
                for name in ("timer", "queue", "review", "draft"):
                    yield Static(name)
            yield Footer()

    return Bare()


async def measure_bare_screens(
    probe: Any, driver: Any, switches: int = SWITCHES, size: tuple[int, int] = (120, 40)
) -> None:
    """Each of BARE_SCREENS opened and closed `switches` times, as rows of `probe` (the stall
    meter's LatenessProbe, running); `driver`: the meter's Driver class."""
    app = bare_app()
    async with app.run_test(size=size) as pilot:
        drive = driver(app, pilot, probe)
        await drive.settle()
        for name, key in zip(BARE_SCREENS, ("s", "t"), strict=True):
            with probe.activity(name):
                for _ in range(switches):
                    t, cpu = time.perf_counter(), time.thread_time()
                    await drive.press(key)
                    probe.op(time.perf_counter() - t, time.thread_time() - cpu)
                    if app.screen is app.screen_stack[0]:
                        raise RuntimeError(f"{key} opened no screen")
                    await drive.press("escape")
            probe.notes[name] = f"Textual alone, {switches} switches"


def measure(switches: int = SWITCHES, worker_s: float = 3.0) -> dict[str, dict[str, Any]]:
    """The bare rows alone, with the machine's own lateness (`loop_alone`) beside them."""
    from stall import Driver, LatenessProbe, work_beside_bare_loop

    async def run() -> dict[str, dict[str, Any]]:
        probe = LatenessProbe()
        probe.start()
        with probe.activity("loop_alone"):
            await asyncio.sleep(0.3)
        try:
            await measure_bare_screens(probe, Driver, switches)
            await work_beside_bare_loop(probe, worker_s)
        finally:
            probe.stop()
        rows = probe.report()
        return {k: rows[k] for k in ("loop_alone", *BARE_ROWS)}

    return asyncio.run(run())


def measure_apart(
    switches: int = SWITCHES, timeout_s: float = 300, worker_s: float = 3.0
) -> dict[str, dict[str, Any]]:
    """The BARE_ROWS measured in a process of their own (a fresh interpreter, as a bare
    app has it: no other program's heap for its collections to walk); a failure is its rows'
    note."""
    import subprocess

    try:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--json",
                "--switches",
                str(switches),
                "--worker-s",
                str(worker_s),
            ],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=True,
        )
        rows: dict[str, dict[str, Any]] = json.loads(done.stdout)
        return {name: rows[name] for name in BARE_ROWS}
    except Exception as exc:  # the meter's other figures are still worth reporting
        note = f"failed: {type(exc).__name__}: {exc}"[:200]
        empty = {"stall_max_ms": 0.0, "lateness_p99_ms": 0.0, "samples": 0, "duration_s": 0.0}
        empty |= {"gc_max_ms": 0.0, "gc_count": 0, "gc_full_count": 0, "note": note}
        return {name: dict(empty) for name in BARE_ROWS}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--switches", type=int, default=SWITCHES)
    parser.add_argument("--worker-s", type=float, default=3.0, help="the bare worker's seconds")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(args.switches, args.worker_s)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    keys = ("stall_max_ms", "stall_max_ui_cpu_ms", "lateness_p99_ms", "op_p95_ms", "op_cpu_p95_ms")
    print(f"{'row':>20} " + " ".join(f"{k:>20}" for k in keys))
    for name, row in rows.items():
        print(f"{name:>20} " + " ".join(f"{row.get(k, ''):>20}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
