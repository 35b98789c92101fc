"""The retention helper at the workload: `simulate_s` is one preset's coming 365 days simulated
at every retention of the screen's range (0.70–0.97, 28 runs) from its cards and review log, as
`deskwork cards simulate` does it; `simulate_per_retention_s` one of those runs. `simulate_ui_*`:
the same on the retention screen in a headless app, where it runs in a thread worker:
the time to the first paint (progress bar) and the longest gap between 20 ms ticks of the app's
event loop while the worker computes (what a keypress could wait at most)."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from workload import END

from deskwork.paths import Paths
from deskwork.services import Desk


def _desk(data_dir: Path) -> Desk:
    return Desk.open(
        Paths(data_dir, data_dir), clock=lambda: END + timedelta(hours=2), defer_backup=True
    )


def measure_simulate(data_dir: Path) -> dict[str, Any]:
    from deskwork.services import retention

    desk = _desk(data_dir)
    desk.store.cards.load_all()
    try:
        t = time.perf_counter()
        report = retention.simulate_preset(desk, "Default")
        elapsed = time.perf_counter() - t
    finally:
        desk.close()
    best = report.best
    result: dict[str, Any] = {
        "simulate_s": round(elapsed, 2),
        "simulate_per_retention_s": round(elapsed / len(report.rows), 3),
        "simulate_cards": report.studied + report.new_cards,
        "simulate_best_retention": report.rows[best].retention if best is not None else None,
    }
    result.update(measure_simulate_ui(data_dir))
    return result


def measure_simulate_ui(data_dir: Path) -> dict[str, float]:
    from deskwork.ui.app import DeskworkApp
    from deskwork.ui.screens.retention import RetentionScreen

    desk = _desk(data_dir)
    app = DeskworkApp(desk, show_clock=False)
    ticks: list[float] = []
    figures: dict[str, float] = {}

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            timer = app.set_interval(0.02, lambda: ticks.append(time.perf_counter()))
            t = time.perf_counter()
            screen = RetentionScreen()
            painted = asyncio.Event()
            await app.push_screen(screen)
            screen.call_after_refresh(painted.set)
            await painted.wait()
            figures["simulate_ui_first_paint_ms"] = round((time.perf_counter() - t) * 1000, 1)
            while screen.report is None:
                await asyncio.sleep(0.05)
            timer.stop()
            figures["simulate_ui_s"] = round(time.perf_counter() - t, 2)

    asyncio.run(run())
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    figures["simulate_ui_max_gap_ms"] = round(max(gaps, default=0.0) * 1000, 1)
    return figures
