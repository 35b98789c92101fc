"""A long session without pauses: the stall meter's browser, curriculum, area switching and paste
rows repeated, and what the garbage collector and the process's memory do over the rounds.

    python benchmarks/long_session.py --data DIR [--rounds 20] [--pause S] [--json]

Each round opens the card browser and searches, opens the curriculum, switches areas, pastes
100 KB into a new card and saves it: what a learner does all day, back to back, with no pause
(`--pause S`: S seconds without input after each round, when the app's idle sweeps may run).
Per round: the process's resident memory (`rss_mb`), the objects the collector tracks and has
frozen, the full collections in the round and the longest one's CPU, the app's sweeps so far.
Without pauses only the app's bound (ui/idle_collector.py, `OVERDUE_OBJECTS`) collects cyclic
garbage: rss must level off, not climb round after round. For a before/after run
it with PYTHONPATH=<other tree>/src too.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stall import END, PASTE_BYTES, Activities, Driver, LatenessProbe, prepare
from workload import SCALES

from deskwork.paths import Paths
from deskwork.services import Desk

ROW_NAMES = ("browser", "curriculum", "switch_areas", "paste_card")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return round(pages * 4096 / 2**20, 1)


async def run(data_dir: Path, package: Path, draft_id: int, rounds: int, pause_s: float) -> Any:
    probe = LatenessProbe()
    probe.start()
    began = time.monotonic()
    desk = Desk.open(
        Paths(data_dir, data_dir),
        clock=lambda: END + timedelta(hours=2, seconds=time.monotonic() - began),
        defer_backup=True,
    )
    from deskwork.ui import idle_collector
    from deskwork.ui.app import DeskworkApp

    app = DeskworkApp(desk)
    figures: list[dict[str, Any]] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            drive = Driver(app, pilot, probe)
            await drive.settle()
            steps = Activities(drive, package, draft_id, 0, PASTE_BYTES)
            for number in range(1, rounds + 1):
                seen = {name: len(probe.collections.get(name, [])) for name in ROW_NAMES}
                t = time.perf_counter()
                for name in ROW_NAMES:
                    await steps.run(name, 300)
                collections = [
                    c for name in ROW_NAMES for c in probe.collections.get(name, [])[seen[name] :]
                ]
                full = [cpu for generation, _, cpu in collections if generation == 2]
                idle = getattr(app, "idle_collector", None)
                figures.append(
                    {
                        "round": number,
                        "seconds": round(time.perf_counter() - t, 1),
                        "rss_mb": rss_mb(),
                        "tracked": idle_collector.tracked(),
                        "frozen": gc.get_freeze_count(),
                        "full_collections": len(full),
                        "full_max_cpu_ms": round(max(full, default=0.0), 1),
                        "sweeps": getattr(idle, "sweeps", None),
                        "collections": getattr(idle, "collections", None),
                        "overdue": getattr(idle, "overdue", None),
                        "forced": getattr(idle, "forced", None),
                        "notes": {k: v for k, v in probe.notes.items() if "failed" in v},
                    }
                )
                print(json.dumps(figures[-1]), file=sys.stderr, flush=True)
                if pause_s:
                    await asyncio.sleep(pause_s)
            # What of it was garbage: a sweep now (everything unfrozen and collected).
            t = time.thread_time()
            gc.unfreeze()
            found = gc.collect()
            gc.freeze()
            figures.append(
                {
                    "round": "sweep at the end",
                    "garbage_found": found,
                    "sweep_cpu_ms": round((time.thread_time() - t) * 1000, 1),
                    "rss_mb": rss_mb(),
                    "frozen": gc.get_freeze_count(),
                }
            )
    finally:
        desk.close()
        probe.stop()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--data", metavar="DIR", required=True, help="copied, never changed")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.0, metavar="S")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deskwork-long-"))
    try:
        data_dir = work / "data"
        shutil.copytree(args.data, data_dir, ignore=shutil.ignore_patterns("*.sock"))
        package, draft_id = prepare(data_dir, work, SCALES["heavy"], draft_bytes=1000)
        gc.collect()
        figures = asyncio.run(run(data_dir, package, draft_id, args.rounds, args.pause))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps({"rounds": figures}, indent=2))
        return 0
    for row in figures:
        print(" ".join(f"{k}={v}" for k, v in row.items() if k != "notes"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
