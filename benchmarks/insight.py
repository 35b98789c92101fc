"""The stats screen at the workload, in a headless app (cards loaded, as a moment after start-up).

Each open is timed from the command (the app's `stats` action, what Ctrl+D runs) to frames the app
hands to its terminal driver (`App._display`), with the UI thread's CPU time to the same frame:

- `stats_first_paint_ms`: the first frame of the stats screen (its skeleton);
- `stats_all_figures_ms`: the first frame with every figure in place (the screen no longer busy);
- `..._cpu_ms`: the UI thread's CPU time to the same frame (a shared machine does not inflate it;
  the figures' worker is not in it, `stats_gather_ms` is);
- `stats_first_open_...`: the first open after start, once start-up is done (the data as
  generated, no counts kept: the app counts the review log's months of the window on its warm-up
  worker once the cards are loaded and painted, so the screen finds them counted; a tree that
  counts ahead is waited for until that count ends); the others are medians of the reopens that
  follow;
- `stats_early_first_open_...`: the same data (a copy), the stats opened as soon as the app starts
  counting those months (`..._while_counting`: it still was): the screen's worker waits for that
  count instead of reading the months a second time;
- `stats_open_stall_max_ms`: the longest the event loop could not run anything while the screen
  opened and filled (median over reopens);
- `screen_first_paint_baseline_ms` / `..._cpu_ms`: the first frame of a screen holding one line
  of text, opened the same way in the same run: what any screen costs in this app and harness.

`stats_open_settled_ms` and `screen_open_settled_baseline_ms` are the figures this benchmark
reported before (as `stats_open_ms` / `screen_open_baseline_ms`): a push and one `pilot.pause()`.
That pause waits for the whole process to look idle (20 ms windows with under 1 ms of CPU, every
thread counted), so it mostly measures the harness (about 100 ms for the one-line screen whose
first frame comes within a few ms) and moves in 20 ms steps with whatever else runs meanwhile, the
app's idle garbage collections included. Kept for comparison only.

`stats_gather_ms` is the figures alone (what `deskwork stats` computes), warm.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from workload import END

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.insight import gather


@dataclass
class Frame:
    wall: float  # perf_counter when the frame was handed to the driver
    cpu: float  # the UI thread's thread_time then
    screen: Any
    busy: bool | None


@dataclass
class Frames:
    """Every frame the app hands to its driver, with the UI thread's clock."""

    log: list[Frame] = field(default_factory=list)

    def attach(self, app: Any) -> None:
        display = app._display

        def timed(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                busy = getattr(screen, "busy", None)
                self.log.append(Frame(time.perf_counter(), time.thread_time(), screen, busy))
            display(screen, renderable)

        app._display = timed

    def of(self, screen: Any) -> list[Frame]:
        return [f for f in self.log if f.screen is screen]


class Lateness:
    """A callback every 5 ms on the loop; the longest it waited since `reset`."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._handle: asyncio.TimerHandle | None = None

    def start(self) -> None:
        due = time.perf_counter() + 0.005

        def fire() -> None:
            self.worst = max(self.worst, (time.perf_counter() - due) * 1000)
            self.start()

        self._handle = asyncio.get_running_loop().call_later(0.005, fire)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()


async def _until(done: Any, timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the stats screen did not finish")
        await asyncio.sleep(0.002)


@dataclass
class Session:
    opens: list[dict[str, float]] = field(default_factory=list)
    baseline: list[tuple[float, float]] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)
    settled_baseline: list[float] = field(default_factory=list)
    gathered: list[float] = field(default_factory=list)
    had_kept_counts: bool = False
    counting_at_open: bool | None = None


def _session(data_dir: Path, runs: int, legacy: bool, early: bool = False) -> Session:
    """One app on the data: the first open, then `runs` reopens, each followed by the one-line
    screen; with `legacy`, the old settled figure and the gather alone after them. With `early`,
    the first open comes as soon as the cards are loaded, while the app may still be counting
    the stats' months ahead (the worker of group "stats-ahead")."""
    from textual.screen import Screen
    from textual.widgets import Static

    from deskwork.ui.app import DeskworkApp

    desk = Desk.open(
        Paths(data_dir, data_dir), clock=lambda: END + timedelta(hours=2), defer_backup=True
    )
    try:
        from deskwork.services.insight import SAVED_DAYS
    except ImportError:  # a tree before the counts were kept (comparisons with older trees)
        SAVED_DAYS = "stats.answers_per_day"
    session = Session(had_kept_counts=bool(desk.store.setting(SAVED_DAYS)))
    opens, baseline = session.opens, session.baseline
    settled, settled_baseline, gathered = (
        session.settled,
        session.settled_baseline,
        session.gathered,
    )
    app = DeskworkApp(desk, show_clock=False)
    frames = Frames()
    frames.attach(app)
    lateness = Lateness()

    class OneLine(Screen[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("one line")

    async def open_stats() -> dict[str, float]:
        frames.log.clear()
        t, cpu = time.perf_counter(), time.thread_time()
        lateness.worst = 0.0
        app.action_stats()  # what the key runs
        screen = app.screen_stack[-1]
        await _until(lambda: any(f.busy is False for f in frames.of(screen)))
        worst = lateness.worst
        mine = frames.of(screen)
        first = mine[0]
        done = next(f for f in mine if f.busy is False)
        app.pop_screen()
        return {
            "first": (first.wall - t) * 1000,
            "first_cpu": (first.cpu - cpu) * 1000,
            "all": (done.wall - t) * 1000,
            "all_cpu": (done.cpu - cpu) * 1000,
            "frames": len([f for f in mine if f.wall <= done.wall]),
            "stall": worst,
        }

    async def open_one_line() -> tuple[float, float]:
        frames.log.clear()
        t, cpu = time.perf_counter(), time.thread_time()
        screen = OneLine()
        app.push_screen(screen)
        await _until(lambda: bool(frames.of(screen)))
        first = frames.of(screen)[0]
        app.pop_screen()
        return (first.wall - t) * 1000, (first.cpu - cpu) * 1000

    # When the app starts counting the stats' months ahead (the cards are loaded then), and ends.
    counting: list[bool] = []
    ahead = getattr(app, "_count_stats_ahead", None)
    if ahead is not None:

        def count_ahead(*args: Any) -> None:
            counting.append(True)
            try:
                ahead(*args)
            finally:
                counting.append(False)

        app._count_stats_ahead = count_ahead  # type: ignore[method-assign]

    async def run() -> None:
        from deskwork.ui.screens.stats import StatsScreen

        async with app.run_test(size=(120, 50)) as pilot:
            if early and ahead is not None:  # a tree that counts ahead: open once it starts
                await _until(lambda: bool(counting))
            else:
                await app.workers.wait_for_complete()
                await pilot.pause()  # the process idle: the cards are loaded
                if ahead is not None:  # and the count ahead, which begins after their paint
                    await _until(lambda: counting[-1:] == [False])
            session.counting_at_open = counting == [True] if ahead is not None else None
            lateness.start()
            for _ in range(runs + 1):  # the first: the first open after start
                opens.append(await open_stats())
                await pilot.pause()
                baseline.append(await open_one_line())
                await pilot.pause()
            for _ in range(3 if legacy else 0):  # the old figure: a push and a pilot.pause()
                t = time.perf_counter()
                await app.push_screen(StatsScreen())
                await pilot.pause()
                settled.append((time.perf_counter() - t) * 1000)
                await _until(lambda: not getattr(app.screen, "busy", False))
                app.pop_screen()
                await pilot.pause()
                t = time.perf_counter()
                await app.push_screen(OneLine())
                await pilot.pause()
                settled_baseline.append((time.perf_counter() - t) * 1000)
                app.pop_screen()
                await pilot.pause()
            lateness.stop()
            for _ in range(3 if legacy else 0):
                t = time.perf_counter()
                gather(desk, 12)
                gathered.append((time.perf_counter() - t) * 1000)

    asyncio.run(run())
    if not desk.store.closed:
        desk.close()  # the restart that follows opens the same data
    return session


def measure_stats(data_dir: Path, runs: int = 7) -> dict[str, float]:
    """Two runs of the app on the data: the first (its first open reads the review log's months
    of the window unless an earlier run kept their counts), then a restart (the counts kept)."""
    with tempfile.TemporaryDirectory(prefix="deskwork-stats-") as scratch:
        copy = Path(scratch) / "data"  # as the data is before any run kept counts
        shutil.copytree(data_dir, copy)
        early = _session(copy, 1, legacy=False, early=True)
    first_run = _session(data_dir, runs, legacy=True)
    restart = _session(data_dir, 1, legacy=False)
    opens = first_run.opens

    def median(key: str) -> float:
        return round(statistics.median(o[key] for o in opens[1:]), 1)

    first_open, after_restart = opens[0], restart.opens[0]
    baseline = first_run.baseline
    return {
        "stats_first_paint_ms": median("first"),
        "stats_first_paint_cpu_ms": median("first_cpu"),
        "stats_all_figures_ms": median("all"),
        "stats_all_figures_cpu_ms": median("all_cpu"),
        "stats_frames_to_all_figures": median("frames"),
        "stats_open_stall_max_ms": median("stall"),
        "stats_first_open_first_paint_ms": round(first_open["first"], 1),
        "stats_first_open_all_figures_ms": round(first_open["all"], 1),
        "stats_first_open_all_figures_cpu_ms": round(first_open["all_cpu"], 1),
        "stats_first_open_stall_max_ms": round(first_open["stall"], 1),
        "stats_first_open_had_kept_counts": first_run.had_kept_counts,
        "stats_first_open_while_counting": first_run.counting_at_open,
        "stats_early_first_open_all_figures_ms": round(early.opens[0]["all"], 1),
        "stats_early_first_open_all_figures_cpu_ms": round(early.opens[0]["all_cpu"], 1),
        "stats_early_first_open_stall_max_ms": round(early.opens[0]["stall"], 1),
        "stats_early_first_open_while_counting": early.counting_at_open,
        "stats_restart_first_open_all_figures_ms": round(after_restart["all"], 1),
        "stats_restart_first_open_all_figures_cpu_ms": round(after_restart["all_cpu"], 1),
        "stats_restart_first_open_stall_max_ms": round(after_restart["stall"], 1),
        "screen_first_paint_baseline_ms": round(statistics.median(b[0] for b in baseline), 1),
        "screen_first_paint_baseline_cpu_ms": round(statistics.median(b[1] for b in baseline), 1),
        "stats_gather_ms": round(statistics.median(first_run.gathered), 1),
        "stats_open_settled_ms": round(statistics.median(first_run.settled), 1),
        "screen_open_settled_baseline_ms": round(statistics.median(first_run.settled_baseline), 1),
    }


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="a data dir made by run.py (--keep)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(measure_stats(args.data, args.runs), indent=2))
