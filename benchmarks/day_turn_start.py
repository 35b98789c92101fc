"""The study day turning during start-up: the real app, headless, on a data dir, its clock ten
seconds before the day's start hour until the warm-up's worker has built the review queue, then
a minute past it (the queue reaches the desk after the turn, with yesterday's limits). Reports
the review queues built on the UI thread and their CPU time, and the stall meter's figures for
the start (the loop's worst lateness, the UI thread's CPU in it), until the desk shows today's
queue.

    PYTHONPATH=SNAP/src python SNAP/benchmarks/day_turn_start.py --data /tmp/s8/power [--json]

Run it on two trees from snapshots (the same data) and compare; `--runs N` repeats it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stall import LatenessProbe
from workload import END

from deskwork.domain.studyday import day_bounds, study_day
from deskwork.paths import Paths
from deskwork.services import Desk


async def run(data_dir: Path) -> dict[str, Any]:
    from deskwork.services.review_session import ReviewSession
    from deskwork.ui.app import DeskworkApp
    from deskwork.ui.panes.review_session import SessionPane

    start_hour = 4  # the default; read from the desk's config below
    probe_desk = Desk.open(Paths(data_dir, data_dir), readonly=True)
    start_hour = probe_desk.config.study.day_start_hour
    probe_desk.close()
    turn = day_bounds(study_day(END, start_hour), start_hour)[1]
    now = {"at": turn - timedelta(seconds=10)}

    def clock() -> datetime:
        return now["at"]

    main = threading.main_thread()
    builds: list[tuple[bool, float]] = []  # (on the UI thread, CPU ms)
    real_init, real_next = ReviewSession.__init__, SessionPane.next_session

    def timed_init(self: ReviewSession, *args: Any, **kwargs: Any) -> None:
        cpu = time.thread_time()
        real_init(self, *args, **kwargs)
        builds.append((threading.current_thread() is main, (time.thread_time() - cpu) * 1000))

    def turning(self: SessionPane) -> ReviewSession:
        session = real_next(self)
        if threading.current_thread() is not main:  # the warm-up's: the day turns now
            now["at"] = turn + timedelta(minutes=1)
        return session

    ReviewSession.__init__ = timed_init  # type: ignore[method-assign]
    SessionPane.next_session = turning  # type: ignore[method-assign]
    probe = LatenessProbe()
    desk = Desk.open(Paths(data_dir, data_dir), clock=clock, defer_backup=True)
    app = DeskworkApp(desk)
    probe.start()
    try:
        with probe.activity("start"):
            t = time.perf_counter()
            async with app.run_test(size=(120, 40)) as pilot:
                pane = app.review_pane
                today = study_day(turn + timedelta(minutes=1), start_hour)
                while not (
                    pane.session is not None
                    and pane.session.day == today
                    and not pane.building
                    and all(w.is_finished for w in app.workers)
                ):
                    await pilot.pause(0.02)
                    if time.perf_counter() - t > 300:
                        raise TimeoutError("today's queue never came")
                    if now["at"] > turn:
                        app._tick()  # as the ticker would (it may be paused by a busy loop)
                await pilot.pause()
                seconds = time.perf_counter() - t
    finally:
        probe.stop()
        desk.close()
        ReviewSession.__init__ = real_init  # type: ignore[method-assign]
        SessionPane.next_session = real_next  # type: ignore[method-assign]
    row = probe.report()["start"]
    ui = [ms for on_ui, ms in builds if on_ui]
    return {
        "queues_built": len(builds),
        "queues_built_on_ui": len(ui),
        "ui_queue_cpu_ms": round(sum(ui), 1),
        "stall_max_ms": row["stall_max_ms"],
        "stall_max_ui_cpu_ms": row.get("stall_max_ui_cpu_ms"),
        "lateness_p99_ms": row["lateness_p99_ms"],
        "seconds_to_todays_queue": round(seconds, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--data", required=True, metavar="DIR", help="copied, never changed")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for _ in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix="deskwork-turn-"))
        try:
            data_dir = work / "data"
            shutil.copytree(
                args.data, data_dir, ignore=shutil.ignore_patterns("*.sock", "deskwork.lock")
            )
            results.append(asyncio.run(run(data_dir)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            print("  ".join(f"{k}={v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
