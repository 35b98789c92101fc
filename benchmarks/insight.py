"""The stats screen at the workload: `stats_open_ms` is the time from the key to the screen
mounted and painted with every figure (cards already loaded, as they are a moment after start-up),
in a headless app; `screen_open_baseline_ms` the same for a screen with one line of text, in the
same run (the harness's own cost); `stats_gather_ms` the figures alone (what `deskwork stats`
computes)."""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import timedelta
from pathlib import Path

from workload import END

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.insight import gather


def measure_stats(data_dir: Path, runs: int = 5) -> dict[str, float]:
    from deskwork.ui.app import DeskworkApp
    from deskwork.ui.screens.stats import StatsScreen

    desk = Desk.open(
        Paths(data_dir, data_dir), clock=lambda: END + timedelta(hours=2), defer_backup=True
    )
    app = DeskworkApp(desk, show_clock=False)
    opened: list[float] = []
    gathered: list[float] = []
    baseline: list[float] = []

    from textual.screen import Screen
    from textual.widgets import Static

    class OneLine(Screen[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("one line")

    async def run() -> None:
        async with app.run_test(size=(120, 50)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            for _ in range(runs):
                t = time.perf_counter()
                gather(desk, 12)
                gathered.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                await app.push_screen(StatsScreen())
                await pilot.pause()
                opened.append((time.perf_counter() - t) * 1000)
                app.pop_screen()
                await pilot.pause()
                t = time.perf_counter()
                await app.push_screen(OneLine())
                await pilot.pause()
                baseline.append((time.perf_counter() - t) * 1000)
                app.pop_screen()
                await pilot.pause()

    asyncio.run(run())
    return {
        "stats_open_ms": round(statistics.median(opened), 1),
        "stats_open_first_ms": round(opened[0], 1),
        "stats_gather_ms": round(statistics.median(gathered), 1),
        "screen_open_baseline_ms": round(statistics.median(baseline), 1),
        "stats_open_vs_baseline": round(statistics.median(opened) / statistics.median(baseline), 2),
    }
