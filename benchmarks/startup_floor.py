"""The floor under deskwork's start: five starts, each a process of its own exiting at its first
frame, in interleaved rounds, so what deskwork adds to Textual is split into what any app built
this way would pay and what is deskwork's own.

    python benchmarks/startup_floor.py --data DIR [--runs 7] [--json]
    python benchmarks/run.py --only startup_floor --data DIR [--runs 7] [--json]

DIR is a heavy-year data dir made before (`run.py --scale heavy --keep DIR`); it is copied. The
starts, in the order each adds something:

- `bare`: the bare four-pane Textual app (run.py's `startup_baseline_s`): every ratio is to it,
  measured in the same rounds;
- `pydantic_models`: the bare app after `import pydantic` and deskwork's config and the domain
  models the first frame reads (the classes made, their validators still to build, as at start);
- `widgets`: deskwork's desk (its modules all imported, as the real start has them: the four
  areas, the header and footer, app.tcss, the themes and keymap) composed and filled as an empty
  data dir fills it, with no store: no file read, no record validated, no TinyDB;
- `real_empty`: deskwork as `deskwork` starts it, on an empty data dir (the welcome seen);
- `real_heavy`: the same on the heavy-year data.

Each start's `s` / `cpu_s` is the median (over the rounds) of the wall time and of the process's
CPU time (the interpreter's start included) to its first frame, `imported_s` the wall time to the
end of its imports; `ratio` / `cpu_ratio` are those medians over the bare app's, `ratio_rounds`
each round's own wall ratio. The order of the starts turns every round (no start always follows
the same one). `importtime` is `python -X importtime` of three more `real_empty` starts: the
packages by their modules' own import time, and the slowest modules (medians of the three).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import report
from starts import APP_FIRST_FRAME_CHILD, BASELINE_CHILD, child_env, child_figures, compile_tree

_MARK = "from textual.app import App\n"
assert _MARK in BASELINE_CHILD

# The bare app, after pydantic and the models deskwork's first frame reads (config, curriculum,
# sessions, drafts, settings, timer; the cards load after it, but their module is imported too).
PYDANTIC_CHILD = BASELINE_CHILD.replace(
    _MARK,
    "import pydantic\n"
    "import deskwork.config\n"
    "from deskwork.domain import cards, curriculum, drafts, sessions, settings, timer\n" + _MARK,
)

# deskwork's desk with no store: the app's own layers (DeskAreas: its screen, its CSS at start),
# its stylesheet, themes, keymap and bindings; the four areas as the app composes them, filled
# as an empty data dir fills them (no items, no drafts, the cards loading, the timer idle).
WIDGETS_APP = r"""
import sys, time
T0 = time.perf_counter()
from datetime import UTC, datetime
from pathlib import Path
from deskwork import startup_gc
from deskwork.config import Config
from deskwork.domain.timer import TimerState
from deskwork.services import DaySummary  # (what deskwork.cli imports)
startup_gc.pause()  # as cli.build_tui, before the TUI's modules
from textual.containers import Container
from textual.widgets import Header
from deskwork.ui.app import DeskworkApp  # every module the real start imports
from deskwork.ui.commands import ALL_COMMANDS
from deskwork.ui.desk_areas import DeskAreas
from deskwork.ui.keymap import bound_keys, claim_alt_digits, resolve_keymap
from deskwork.ui.panes.draft import DraftPane
from deskwork.ui.panes.queue import QueuePane
from deskwork.ui.panes.review import ReviewPane
from deskwork.ui.panes.timer import TimerPane, state_classes
from deskwork.ui.themes import DEFAULT_THEME, desk_themes
from deskwork.ui.widgets.footer import DeskFooter

print("IMPORTED_S", time.perf_counter() - T0)


class NoDrafts:
    def listing(self, trash: bool = False) -> list[object]:
        return []


class NoStore:  # the desk the areas read: the default config, no store
    config = Config()


class Widgets(DeskAreas):
    CSS_PATH = DeskworkApp.CSS_PATH
    TITLE = DeskworkApp.TITLE
    SUB_TITLE = DeskworkApp.SUB_TITLE
    BINDINGS = DeskworkApp.BINDINGS
    ALLOW_IN_MAXIMIZED_VIEW = DeskworkApp.ALLOW_IN_MAXIMIZED_VIEW

    def __init__(self) -> None:
        super().__init__()
        claim_alt_digits()
        self.desk = NoStore()
        self.drafts = NoDrafts()
        self.state = TimerState()
        for theme in desk_themes(Path("/no-user-themes"))[0]:  # (the user has none)
            self.register_theme(theme)
        keymap, _ = resolve_keymap({}, ALL_COMMANDS, Path("config.toml"))
        self.set_keymap(keymap)
        self.bound = bound_keys(ALL_COMMANDS, keymap)
        self.theme = DEFAULT_THEME

    def compose(self):
        yield Header(show_clock=True)
        with Container(id="desk"):
            classes = " ".join(["-current", *sorted(state_classes(self.state))])
            yield TimerPane(id="timer", classes=classes)
            yield QueuePane(id="queue")
            yield ReviewPane(id="review")
            yield DraftPane(id="draft", classes="-narrow")
        yield DeskFooter()

    def on_mount(self) -> None:
        now = datetime.now(UTC)
        timer = self.desk.config.timer
        summary = DaySummary(
            day=now.date(), pomodoros=0, focus_minutes=0.0, goal=timer.daily_goal,
            goal_unit=timer.goal_unit,
            goal_met=False, streak_days=0, sessions=[], minutes_by_item={}, queue=[],
            candidates=[], leftover_count=0, cards_total=None, cards_due=None, next_due=None,
            drafts=[], cards_loading=True,
        )
        self.timer_pane.show_keys(self.bound)
        self.desk_screen.set_class(False, "-compact")
        self.timer_pane.show(summary)
        self.queue_pane.show(summary)
        self.review_pane.show(summary)
        self.draft_pane.show(summary)
        self.timer_pane.show_state(self.state, now, None, 4)
        self._set_current("timer")
        self.timer_pane.focus()
        self.notes_after_first_frame()
"""
WIDGETS_CHILD = (
    WIDGETS_APP
    + r"""

app = Widgets()

def first_frame() -> None:
    print("FIRST_FRAME_S", time.perf_counter() - T0)
    print("FIRST_FRAME_CPU_S", time.process_time())
    app.exit()

app.call_after_refresh(first_frame)
app.run(headless=True, size=(120, 40))
"""
)

STARTS = ("bare", "pydantic_models", "widgets", "real_empty", "real_heavy")


def programs(empty: Path, heavy: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each start's program and arguments."""
    return {
        "bare": (BASELINE_CHILD, ()),
        "pydantic_models": (PYDANTIC_CHILD, ()),
        "widgets": (WIDGETS_CHILD, ()),
        "real_empty": (APP_FIRST_FRAME_CHILD, (str(empty),)),
        "real_heavy": (APP_FIRST_FRAME_CHILD, (str(heavy),)),
    }


def summarise(rounds: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, Any]]:
    """Medians per start over the rounds, and ratios to the bare app's medians (and per round)."""
    names = [n for n in STARTS if all(n in r for r in rounds)]

    def median(name: str, figure: str) -> float:
        return statistics.median(r[name][figure] for r in rounds)

    base, base_cpu = median("bare", "FIRST_FRAME_S"), median("bare", "FIRST_FRAME_CPU_S")
    result: dict[str, dict[str, Any]] = {}
    for name in names:
        wall, cpu = median(name, "FIRST_FRAME_S"), median(name, "FIRST_FRAME_CPU_S")
        row: dict[str, Any] = {
            "s": round(wall, 3),
            "cpu_s": round(cpu, 3),
            "ratio": round(wall / base, 2),
            "cpu_ratio": round(cpu / base_cpu, 2),
            "ratio_rounds": [
                round(r[name]["FIRST_FRAME_S"] / r["bare"]["FIRST_FRAME_S"], 2) for r in rounds
            ],
        }
        if all("IMPORTED_S" in r[name] for r in rounds):
            row["imported_s"] = round(median(name, "IMPORTED_S"), 3)
        result[name] = row
    return result


def parse_importtime(*stderrs: str, top: int = 15) -> dict[str, Any]:
    """`-X importtime` lines of one or more runs of the same program: each module's own and
    cumulative time (ms, the median over the runs: one run's figures swing with the machine),
    summed per package (the slowest first), and the `top` slowest modules by their own time."""
    runs: list[dict[str, tuple[float, float]]] = []
    for stderr in stderrs:
        modules: dict[str, tuple[float, float]] = {}
        for line in stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = line[len("import time:") :].split("|", 2)
            modules.setdefault(name.strip(), (int(own) / 1000, int(cumulative) / 1000))
        runs.append(modules)
    every = {m for run in runs for m in run}
    median = {
        m: tuple(statistics.median(run.get(m, (0.0, 0.0))[i] for run in runs) for i in (0, 1))
        for m in every
    }
    by_package: dict[str, float] = {}
    for module, (own, _) in median.items():
        package = module.split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + own
    packages = sorted(by_package.items(), key=lambda kv: (-kv[1], kv[0]))
    slowest = sorted(median.items(), key=lambda kv: (-kv[1][0], kv[0]))[:top]
    return {
        "runs": len(runs),
        "total_ms": round(sum(by_package.values()), 1),
        "by_package_ms": {k: round(v, 1) for k, v in packages[:top]},
        "slowest_modules": [
            {"module": m, "self_ms": round(s, 1), "cumulative_ms": round(c, 1)}
            for m, (s, c) in slowest
        ],
    }


def importtime(code: str, *args: str, runs: int = 3) -> dict[str, Any]:
    """`python -X importtime` of the program, `runs` times (importtime's own bookkeeping makes
    every figure larger than in a start without it: read them against each other)."""
    return parse_importtime(
        *(
            subprocess.run(
                [sys.executable, "-X", "importtime", "-c", code, *args],
                check=True,
                capture_output=True,
                text=True,
                env=child_env(),
            ).stderr
            for _ in range(runs)
        )
    )


def empty_data(where: Path) -> Path:
    """A data dir with nothing in it but the welcome seen (a first run would show the welcome
    screen over the desk, a screen the other starts do not draw)."""
    from deskwork.paths import Paths
    from deskwork.services import Desk

    desk = Desk.open(Paths(where, where))
    try:
        desk.finish_welcome()
    finally:
        desk.close()
    return where


def measure_floor(
    heavy: Path, work: Path, runs: int = 7, starts: tuple[str, ...] = STARTS
) -> dict[str, Any]:
    """Copy the heavy data into `work`, make an empty data dir beside it; `runs` rounds of the
    `starts` (each round in a turned order). The figures."""
    import deskwork

    compile_tree(Path(deskwork.__file__).parent)
    empty = empty_data(work / "empty")
    data = work / "heavy"
    shutil.copytree(heavy, data, ignore=shutil.ignore_patterns("*.sock"))
    chosen = programs(empty, data)
    order = [n for n in STARTS if n in starts]
    if "bare" not in order:
        raise ValueError("the bare app is every ratio's baseline")
    load_before = os.getloadavg()
    rounds: list[dict[str, dict[str, float]]] = []
    for i in range(runs):
        turned = order[i % len(order) :] + order[: i % len(order)]
        rounds.append({name: child_figures(chosen[name][0], *chosen[name][1]) for name in turned})
    result: dict[str, Any] = {
        "floor_runs": runs,
        "floor_load": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "floor": summarise(rounds),
    }
    if "real_empty" in order:
        result["floor_importtime_real_empty"] = importtime(*_split(chosen["real_empty"]))
    return result


def _split(program: tuple[str, tuple[str, ...]]) -> tuple[str, ...]:
    return (program[0], *program[1])


def run_floor(heavy: Path, runs: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="deskwork-floor-"))
    try:
        return measure_floor(heavy, work, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_floor(result: dict[str, Any]) -> None:
    """The table a person reads (report() prints the rest)."""
    print(f"{'start':>16} {'s':>7} {'cpu_s':>7} {'ratio':>6} {'cpu_r':>6} {'import':>7}  rounds")
    for name, row in result["floor"].items():
        print(
            f"{name:>16} {row['s']:>7} {row['cpu_s']:>7} {row['ratio']:>6} {row['cpu_ratio']:>6}"
            f" {row.get('imported_s', ''):>7}  {row['ratio_rounds']}"
        )
    print("load (1, 5, 15 min) before and after:", result["floor_load"])
    imports = result.get("floor_importtime_real_empty")
    if imports:
        print(f"real_empty's imports: {imports['total_ms']} ms; by package:")
        print("  " + ", ".join(f"{k} {v}" for k, v in imports["by_package_ms"].items()))
        for m in imports["slowest_modules"]:
            print(f"  {m['self_ms']:>6} ms ({m['cumulative_ms']:>6}) {m['module']}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--data", metavar="DIR", required=True, help="heavy-year data (copied)")
    parser.add_argument("--runs", type=int, default=7, help="rounds (the median is reported)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    return measure_and_show(Path(args.data), args.runs, args.json)


def measure_and_show(data: Path, runs: int, as_json: bool) -> int:
    """The floor on `data`, printed as JSON or as a table (this script's and run.py's)."""
    result = run_floor(data, runs)
    if as_json:
        report(result, True)
    else:
        print_floor(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
