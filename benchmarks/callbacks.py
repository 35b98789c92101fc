"""The stall meter's activities with the UI thread's CPU time of every event-loop callback: what
one frozen stretch costs, steadier than the meter's wall-clock lateness on a busy machine (the
wall time of a callback includes waiting for the CPU and for the GIL; its CPU time does not).

    python benchmarks/callbacks.py switch_areas browser --scale heavy --data DIR [--runs 3]
        [--pause 1.5] [--top 5] [--profile ACTIVITY]

For each activity: `cb_max_cpu_ms` (the largest callback's CPU time), `cpu_ms` (all callbacks),
the meter's own `stall_max_ms` and `lateness_p99_ms`, medians over the runs, and the largest
callbacks of the last run named by their task (a widget's message pump, the screen's update
timer). `--profile ACTIVITY` profiles every callback of that activity and prints the three
largest (profiling slows them: compare callbacks with each other, not with unprofiled figures).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stall
from workload import SCALES

_probe: list[stall.LatenessProbe] = []
_seen: dict[str, dict[str, Any]] = {}  # activity -> callbacks, CPU, the largest
_profiled: list[tuple[float, int, cProfile.Profile]] = []
_profile_activity: str | None = None
_run = asyncio.events.Handle._run


def _timed_run(self: asyncio.Handle) -> None:
    activity = _probe[-1].current if _probe else "?"
    profile = cProfile.Profile() if activity == _profile_activity else None
    cpu = time.thread_time()
    if profile is not None:
        profile.enable()
    try:
        _run(self)
    finally:
        if profile is not None:
            profile.disable()
        ms = (time.thread_time() - cpu) * 1000
        seen = _seen.setdefault(activity, {"n": 0, "cpu": 0.0, "top": []})
        seen["n"] += 1
        seen["cpu"] += ms
        owner = getattr(getattr(self, "_callback", None), "__self__", None)
        name = repr(self)[:100]
        if isinstance(owner, asyncio.Task):
            name = f"{owner.get_name()} {getattr(owner.get_coro(), '__qualname__', '?')}"
        seen["top"].append((ms, name))
        if len(seen["top"]) > 200:
            seen["top"].sort(reverse=True)
            del seen["top"][20:]
        if profile is not None:
            _profiled.append((ms, id(profile), profile))
            _profiled.sort(key=lambda p: -p[0])
            del _profiled[3:]


class _Probe(stall.LatenessProbe):
    def __init__(self) -> None:
        super().__init__()
        _probe.append(self)


def main() -> int:
    global _profile_activity
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("activities", nargs="+", choices=stall.APP_ACTIVITIES)
    parser.add_argument("--scale", choices=sorted(SCALES), default="heavy")
    parser.add_argument("--data", metavar="DIR", help="a data dir generated before (copied)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds after each activity")
    parser.add_argument("--top", type=int, default=5, help="largest callbacks listed")
    parser.add_argument("--profile", metavar="ACTIVITY", help="profile this activity's callbacks")
    args = parser.parse_args()
    _profile_activity = args.profile
    asyncio.events.Handle._run = _timed_run  # type: ignore[method-assign]
    stall.LatenessProbe = _Probe  # type: ignore[misc]
    figures: dict[str, dict[str, list[float]]] = {a: {} for a in args.activities}
    for run in range(args.runs):
        _seen.clear()
        _probe.clear()
        work = Path(tempfile.mkdtemp(prefix="deskwork-callbacks-"))
        try:
            result = stall.measure_stalls(
                SCALES[args.scale],
                work,
                data=Path(args.data) if args.data else None,
                only=tuple(args.activities),
                typed=50,
                pause_s=args.pause,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for activity in args.activities:
            seen = _seen.get(activity, {"n": 0, "cpu": 0.0, "top": [(0.0, "")]})
            top = sorted(seen["top"], reverse=True)
            row = result["activities"][activity]
            for key, value in (
                ("cb_max_cpu_ms", top[0][0]),
                ("cpu_ms", seen["cpu"]),
                ("stall_max_ms", row["stall_max_ms"]),
                ("lateness_p99_ms", row["lateness_p99_ms"]),
            ):
                figures[activity].setdefault(key, []).append(value)
            if run == args.runs - 1:
                print(f"{activity}: {seen['n']} callbacks; the largest (CPU ms):")
                for ms, name in top[: args.top]:
                    print(f"  {ms:7.1f}  {name}")
    print(f"medians of {args.runs} run(s):")
    for activity, values in figures.items():
        shown = "  ".join(f"{k} {statistics.median(v):.1f}" for k, v in values.items())
        print(f"  {activity:14} {shown}")
    for rank, (ms, _, profile) in enumerate(_profiled):
        print(f"\n#### {args.profile}: callback {rank + 1}, {ms:.1f} ms CPU (profiled)")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
