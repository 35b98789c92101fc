"""The stall meter (benchmarks/stall.py) drives the real app through every activity it reports:
run at a tiny scale, every activity must be there, measured, and none of them failed or gave up.
No timings are asserted (figures live in the benchmark, not in tests)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_stall_meter_reports_every_activity(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import stall
        from workload import Scale
    finally:
        sys.path.remove(str(BENCHMARKS))
    micro = Scale("micro", cards=60, reviews=400, items=6, sessions=20, drafts=2, draft_words=50)
    result = stall.measure_stalls(
        micro,
        tmp_path,
        typed=30,
        draft_bytes=5_000,
        paste_bytes=2_000,
        timeout_s=120,
        worker_s=0.3,
    )
    rows = result["activities"]
    assert list(rows) == list(stall.ACTIVITIES)
    assert "app_error" not in result
    assert result["before_loop_cpu_ms"] > 0  # opening the store, making the app: reported apart
    for name, row in rows.items():
        assert row["samples"] > 0, name  # the probe ran during every activity
        assert row["stall_max_ms"] >= row["lateness_p99_ms"] >= 0, name
        note = row.get("note", "")
        assert not note.startswith(("failed", "gave up")), (name, note)
        # The collector's pauses, per activity (the probe's gc.callbacks hook).
        assert row["gc_count"] >= row["gc_full_count"] >= 0, name
        assert row["gc_total_ms"] >= row["gc_max_ms"] >= 0, name
    assert rows["review"]["ops"] > 0  # cards were answered with the keys
    assert " 0 of them taken back" not in rows["review"]["note"]  # and some undone (u)
    assert rows["typing"]["ops"] == 30  # every keystroke timed to the screen
    assert rows["paste_card"]["ops"] == 2  # the paste and the save
    assert "dialog did not close" not in rows["paste_card"].get("note", "")
    assert rows["stats"]["ops"] == 2  # opened twice
    assert rows["export_cards"]["ops"] == 1  # Alt+X, a path, Enter: to the result's toast
    assert rows["export_cards"]["note"].startswith("Wrote "), rows["export_cards"]["note"]
    # The worker rows' baseline: a plain thread worked beside the bare loop, and they are read
    # against it.
    assert " 0 rounds" not in rows["worker_bare"]["note"], rows["worker_bare"]["note"]
    for name in stall.WORKER_ROWS:
        assert rows[name]["stall_max_vs_worker_bare"] > 0, name
    worst = result["stall_worst_activity"]
    assert worst in (*stall.ACTIVITIES, "pause") and "bare" not in worst, worst
    assert sum(row["gc_count"] for row in rows.values()) > 0  # the hook saw the collections
    assert result["gc_max_ms"] == max(
        row["gc_max_ms"]
        for name, row in rows.items()
        if name not in ("loop_alone", "idle") and "bare" not in name  # the app's rows only
    )


def test_work_before_the_app_runs_is_not_the_start_rows_stall() -> None:
    """The meter opens the store and makes the app inside its own loop, work `deskwork` does
    before any loop exists: re-armed after it, the probe does not count it as the next row's
    stall (`before_loop_cpu_ms` reports it). Without re-arming, the same block lands in the row."""
    import asyncio
    import time

    sys.path.insert(0, str(BENCHMARKS))
    try:
        import stall
    finally:
        sys.path.remove(str(BENCHMARKS))
    block_s = 0.15

    async def run() -> dict[str, float]:
        probe = stall.LatenessProbe()
        probe.start()
        await asyncio.sleep(0.02)
        time.sleep(block_s)  # as Desk.open + the TUI's import, on the loop's thread
        probe.rearm()
        with probe.activity("start"):
            await asyncio.sleep(0.05)
        time.sleep(block_s)  # the same, not re-armed
        with probe.activity("review"):
            await asyncio.sleep(0.05)
        probe.stop()
        return {name: max(probe.samples[name]) for name in ("start", "review")}

    worst = asyncio.run(run())
    assert worst["review"] >= block_s * 1000 * 0.9  # the control: a block before a row lands in it
    assert worst["start"] < block_s * 1000 * 0.9


def test_watch_names_what_held_the_loop_while_threads_run() -> None:
    """`--watch`: the loop held for 150 ms while another thread makes and frees frames; the
    stall is written once, with the holding function on the loop thread's stack (faulthandler's
    unlocked read of running threads crashed such runs)."""
    import asyncio
    import io
    import threading
    import time

    sys.path.insert(0, str(BENCHMARKS))
    try:
        import stall
    finally:
        sys.path.remove(str(BENCHMARKS))
    out = io.StringIO()
    done = threading.Event()

    def churn() -> None:  # frames made and freed all the time, as a worker's
        def leaf(n: int) -> int:
            return n + 1

        while not done.is_set():
            sum(leaf(n) for n in range(100))

    def hold_the_loop() -> None:
        until = time.perf_counter() + 0.15
        while time.perf_counter() < until:
            pass

    async def run() -> None:
        probe = stall.LatenessProbe()
        probe.watch_stalls(50, out)
        probe.start()
        try:
            await asyncio.sleep(0.05)
            hold_the_loop()
            await asyncio.sleep(0.05)
        finally:
            probe.stop()

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        asyncio.run(run())
    finally:
        done.set()
        worker.join()
    stalls = out.getvalue().split("[stall] ")[1:]
    held = [text for text in stalls if "hold_the_loop" in text]
    assert len(held) == 1, stalls  # once per stall (a busy box may add stalls of its own)
    assert "the event loop's thread" in held[0]
