"""How long a grade made during an import would wait for the store's write lock.

    python benchmarks/lock_wait.py --scale power --data DIR [--runs N]

The stall meter's import (a year's 250,000 answers, benchmarks/stall.py) runs on a thread while
the main thread takes the store's write lock every 5 ms, as a grade's commit does, and notes how
long it waited. `lock_wait_max_ms` is the longest wait: what an answer given at the worst moment
of the import would cost the UI thread (the lock is held for the import's journal append and the
copies that make its records visible; store/bulk.py). The data dir is copied, never changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stall import END, prepare
from workload import SCALES, generate

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import import_file


def measure(data: Path | None, scale: str) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="deskwork-lockwait-"))
    try:
        data_dir = work / "data"
        if data is not None:
            shutil.copytree(data, data_dir, ignore=shutil.ignore_patterns("*.sock"))
        else:
            generate(data_dir, SCALES[scale])
        package, _ = prepare(data_dir, work, SCALES[scale])
        desk = Desk.open(Paths(data_dir, data_dir), clock=lambda: END)
        try:
            desk.store.cards.load_all()  # as the app's warm-up does
            done = threading.Event()

            def run() -> None:
                try:
                    import_file(desk, package)
                finally:
                    done.set()

            waits: list[float] = []
            worker = threading.Thread(target=run)
            worker.start()
            while not done.is_set():
                time.sleep(0.005)
                t = time.perf_counter()
                with desk.store.write_lock:
                    waits.append((time.perf_counter() - t) * 1000)
            worker.join()
        finally:
            desk.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    waits.sort()
    return {
        "lock_wait_max_ms": round(waits[-1], 1),
        "lock_wait_p99_ms": round(waits[int(len(waits) * 0.99)], 1),
        "samples": len(waits),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="heavy")
    parser.add_argument("--data", metavar="DIR", help="a data dir generated before (copied)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    data = Path(args.data) if args.data else None
    for _ in range(args.runs):
        print(json.dumps(measure(data, args.scale)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
