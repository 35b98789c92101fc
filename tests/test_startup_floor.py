"""The start-up floor (benchmarks/startup_floor.py) and the bare screen rows of the stall meter
(benchmarks/stall_bare.py): each program starts and exits at its first frame, the figures have the
shape the note reads, the importtime lines are read right. No timings are asserted."""

from __future__ import annotations

import asyncio
import html
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _benchmark(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_every_start_reaches_its_first_frame_and_the_figures_have_their_shape(
    tmp_path: Path,
) -> None:
    floor = _benchmark("startup_floor")
    from workload import Scale, generate

    heavy = tmp_path / "heavy"
    generate(heavy, Scale("micro", cards=30, reviews=200, items=5, sessions=10, drafts=2))
    work = tmp_path / "work"
    work.mkdir()
    result = floor.measure_floor(heavy, work, runs=2)
    assert list(result["floor"]) == list(floor.STARTS)
    assert result["floor_runs"] == 2 and len(result["floor_load"]) == 6
    for name, row in result["floor"].items():
        assert row["s"] > 0 and row["cpu_s"] > 0, name
        assert len(row["ratio_rounds"]) == 2, name
    bare = result["floor"]["bare"]
    assert bare["ratio"] == bare["cpu_ratio"] == 1.0 and bare["ratio_rounds"] == [1.0, 1.0]
    assert "imported_s" in result["floor"]["widgets"]  # where the imports all come first
    assert "imported_s" not in result["floor"]["real_empty"]  # deskwork imports its TUI later
    imports = result["floor_importtime_real_empty"]
    assert {"textual", "pydantic", "deskwork"} <= set(imports["by_package_ms"])
    assert len(imports["slowest_modules"]) == 15
    assert (tmp_path / "heavy").is_dir()  # the data given is copied, not used


def _screen_text(svg: str, rows: int, columns: int) -> list[str]:
    """The characters of a Textual screenshot (SVG), row by row."""
    grid = [[" "] * columns for _ in range(rows)]
    for x, row, text in re.findall(
        r'<text[^>]* x="([\d.]+)"[^>]*clip-path="url\(#[^)]*-line-(\d+)\)">([^<]*)</text>', svg
    ):
        column = round(float(x) / 12.2) - 1
        for i, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            if 0 <= column + i < columns:
                grid[int(row)][column + i] = char
    return ["".join(line) for line in grid]


def test_the_desk_without_a_store_draws_what_an_empty_data_dir_draws(tmp_path: Path) -> None:
    """The `widgets` start composes deskwork's areas with no store: its first frame is what the
    real app draws on an empty data dir (the same text in the same places; the review area aside,
    which the real app fills once its cards have loaded), so the two starts differ by the store
    and the app object, not by what is drawn."""
    floor = _benchmark("startup_floor")
    from deskwork import startup_gc
    from deskwork.cli import build_tui
    from deskwork.paths import Paths

    empty = floor.empty_data(tmp_path / "empty")
    made: dict[str, Any] = {}
    try:
        exec(floor.WIDGETS_APP, made)  # the start's own app, as its process makes it
    finally:
        startup_gc.resume()  # (its process exits at the first frame; this one goes on)

    async def drawn(app: Any) -> list[str]:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return _screen_text(app.export_screenshot(), 40, 120)

    widgets = asyncio.run(drawn(made["Widgets"]()))
    real_app = build_tui(Paths(empty, empty))
    try:
        real = asyncio.run(drawn(real_app))
    finally:
        real_app.desk.close()
    assert "Nothing in the curriculum yet" in "".join(widgets)
    assert widgets[1:21] == real[1:21]  # the timer and the queue (row 0: the header's clock)
    assert [line[60:] for line in widgets[21:]] == [line[60:] for line in real[21:]]  # drafts
    assert widgets[39] == real[39]  # the footer's keys


def test_importtime_lines_are_summed_per_package_medians_over_runs() -> None:
    floor = _benchmark("startup_floor")

    def run(color: int, app: int, models: int) -> str:
        return "\n".join(
            [
                "import time: self [us] | cumulative | imported package",
                f"import time: {color:>9} | {color:>10} |     textual.color",
                f"import time: {app:>9} | {app + color:>10} |   textual",
                f"import time: {models:>9} | {models:>10} | pydantic",
                "some other line",
            ]
        )

    got = floor.parse_importtime(
        run(100, 2000, 1500), run(300, 2200, 9000), run(200, 1800, 1400), top=2
    )
    assert got["runs"] == 3
    assert got["total_ms"] == 3.7  # 0.2 + 2.0 + 1.5: each module's median
    assert got["by_package_ms"] == {"textual": 2.2, "pydantic": 1.5}
    assert got["slowest_modules"] == [
        {"module": "textual", "self_ms": 2.0, "cumulative_ms": 2.1},
        {"module": "pydantic", "self_ms": 1.5, "cumulative_ms": 1.5},
    ]


def test_bare_screen_rows_open_and_close_each_screen() -> None:
    """In a process of their own, as the stall meter measures them."""
    bare = _benchmark("stall_bare")
    rows = bare.measure_apart(switches=2, worker_s=0.3)
    assert list(rows) == list(bare.BARE_ROWS)
    worker = rows["worker_bare"]  # the loop beside a plain busy thread, no app
    assert worker["samples"] > 0 and " 0 rounds" not in worker["note"], worker
    for name in bare.BARE_SCREENS:
        row = rows[name]
        assert row["ops"] == 2, name  # each switch timed, to the screen drawn
        assert row["samples"] > 0 and row["op_cpu_p95_ms"] > 0, name
        assert row["stall_max_ms"] >= row["lateness_p99_ms"] >= 0, name
