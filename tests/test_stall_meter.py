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
        micro, tmp_path, typed=30, draft_bytes=5_000, paste_bytes=2_000, timeout_s=120
    )
    rows = result["activities"]
    assert list(rows) == list(stall.ACTIVITIES)
    assert "app_error" not in result
    for name, row in rows.items():
        assert row["samples"] > 0, name  # the probe ran during every activity
        assert row["stall_max_ms"] >= row["lateness_p99_ms"] >= 0, name
        note = row.get("note", "")
        assert not note.startswith(("failed", "gave up")), (name, note)
        # The collector's pauses, per activity (the probe's gc.callbacks hook).
        assert row["gc_count"] >= row["gc_full_count"] >= 0, name
        assert row["gc_total_ms"] >= row["gc_max_ms"] >= 0, name
    assert rows["review"]["ops"] > 0  # cards were answered with the keys
    assert rows["typing"]["ops"] == 30  # every keystroke timed to the screen
    assert rows["paste_card"]["ops"] == 2  # the paste and the save
    assert "dialog did not close" not in rows["paste_card"].get("note", "")
    assert rows["stats"]["ops"] == 2  # opened twice
    assert result["stall_worst_activity"] in stall.ACTIVITIES
    assert sum(row["gc_count"] for row in rows.values()) > 0  # the hook saw the collections
    assert result["gc_max_ms"] == max(
        row["gc_max_ms"]
        for name, row in rows.items()
        if name not in ("loop_alone", "idle") and "bare" not in name  # the app's rows only
    )
