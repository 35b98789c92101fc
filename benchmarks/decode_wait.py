"""How late a loop's 5 ms tick runs while a worker thread reads a month of the review log.

    python benchmarks/decode_wait.py DATA_DIR/reviews-2026-07-8.json [--runs N]

The worker decodes the file three times as the store reads it (store/codec.py `Codec.decode`,
with the collector off as `store/loading.py` reads); the main thread sleeps 5 ms again and again
and notes how late it wakes: what the event loop would wait for the GIL. `held_max_ms` counts
only the waits in which the process kept the CPU (its CPU time at least 80% of the wait): on a
shared machine the rest is other processes, not the GIL. The switch interval is the app's (1 ms).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from deskwork.store.codec import Codec
from deskwork.store.schema import LOGS


def measure(raw: bytes) -> dict[str, Any]:
    codec = Codec("reviews", LOGS["reviews"])
    codec.decode(raw)  # the adapters built, as in a running app
    done = threading.Event()

    def work() -> None:
        for _ in range(3):
            codec.decode(raw)
        done.set()

    waits: list[tuple[float, float]] = []
    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        t, cpu = time.perf_counter(), time.process_time()
        time.sleep(0.005)
        waits.append(((time.perf_counter() - t) * 1000 - 5, (time.process_time() - cpu) * 1000))
    worker.join()
    late = sorted(w for w, _ in waits)
    held = [w for w, c in waits if c >= 0.8 * (w + 5)]
    return {
        "late_max_ms": round(late[-1], 1),
        "late_p99_ms": round(late[int(len(late) * 0.99)], 1),
        "held_max_ms": round(max(held, default=0.0), 1),
        "samples": len(late),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("segment", help="a review-log segment file of a data dir")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    raw = Path(args.segment).read_bytes()
    sys.setswitchinterval(0.001)  # as the app sets it (ui/warm_up.py)
    gc.disable()
    for _ in range(args.runs):
        print(json.dumps(measure(raw)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
