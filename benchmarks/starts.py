"""Whole starts, each in a process of its own: the programs the start-up benchmarks run (deskwork as
`deskwork` starts it, a bare four-pane Textual app) and how a start's figures are read back.

Each program prints `NAME value` lines: `FIRST_FRAME_S` (seconds from its first line to its first
frame), `FIRST_FRAME_CPU_S` (the CPU time the process had used by then, the interpreter's own
start included), `IMPORTED_S` (seconds to the end of its imports, where they all come first: not deskwork, which
imports its TUI inside `build_tui`) and,
from the suffix every program gets, `RSS_KB` (its peak memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_APP_CHILD = r"""
import sys, time
T0 = time.perf_counter()
from pathlib import Path
from deskwork.cli import build_tui
from deskwork.paths import Paths

app = build_tui(Paths(Path(sys.argv[1]), Path(sys.argv[1])))  # as `deskwork` starts it

def first_frame() -> None:
    print("FIRST_FRAME_S", time.perf_counter() - T0)
    print("FIRST_FRAME_CPU_S", time.process_time())
    WARM_UP
    app.exit()

app.call_after_refresh(first_frame)
app.run(headless=True, size=(120, 40))
"""

# deskwork on the data dir given, exiting at its first frame after loading every card (RSS is
# measured with every card in memory)...
APP_CHILD = _APP_CHILD.replace("WARM_UP", "app.desk.warm_up()")
# ... and exiting at its first frame: a start and nothing else.
APP_FIRST_FRAME_CHILD = _APP_CHILD.replace("WARM_UP", "pass")

BASELINE_CHILD = r"""
import sys, time
T0 = time.perf_counter()
from textual.app import App
from textual.containers import Grid
from textual.widgets import Footer, Header, Static

print("IMPORTED_S", time.perf_counter() - T0)

class Bare(App):
    CSS = "Grid { grid-size: 2 2; } Static { border: round $primary; height: 1fr; }"
    def compose(self):
        yield Header()
        with Grid():
            for name in ("timer", "queue", "review", "draft"):
                yield Static(name)
        yield Footer()
    def on_mount(self) -> None:
        self.call_after_refresh(self.first_frame)

    def first_frame(self) -> None:
        print("FIRST_FRAME_S", time.perf_counter() - T0)
        print("FIRST_FRAME_CPU_S", time.process_time())
        self.exit()

Bare().run(headless=True, size=(120, 40))
"""

RSS_SUFFIX = r"""
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print("RSS_KB", line.split()[1])
"""


def child_env(src: str | None = None) -> dict[str, str]:
    """The environment of a measured start: bytecode written and read as an install has it, no
    Textual dev options; `src`: import deskwork from that tree (another checkout's src/)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"TEXTUAL": ""}
    if src is not None:
        env["PYTHONPATH"] = src
    return env


def child_figures(code: str, *args: str, src: str | None = None) -> dict[str, float]:
    """Run `code` (one of the programs above) in a process of its own; every figure it printed."""
    out = subprocess.run(
        [sys.executable, "-c", code + RSS_SUFFIX, *args],
        check=True,
        capture_output=True,
        text=True,
        env=child_env(src),
    ).stdout
    figures: dict[str, float] = {}
    for line in out.splitlines():
        name, _, value = line.partition(" ")
        if name.isupper() and name not in figures:
            try:
                figures[name] = float(value)
            except ValueError:
                continue
    if "FIRST_FRAME_S" not in figures:
        raise RuntimeError(f"the child printed no FIRST_FRAME_S: {out!r}")
    return figures


def run_child(code: str, *args: str, src: str | None = None) -> tuple[float, float, float]:
    """(seconds from the script's first line to the first frame, the CPU seconds the process had
    used by then, its interpreter's start included; peak RSS in MB). `src`: import deskwork from
    that tree (another checkout's src/) instead of this one."""
    figures = child_figures(code, *args, src=src)
    return (
        figures["FIRST_FRAME_S"],
        figures["FIRST_FRAME_CPU_S"],
        figures.get("RSS_KB", 0.0) / 1024,
    )


def compile_tree(src: Path) -> None:
    """A pip install compiles every module to bytecode; a source checkout run with
    PYTHONDONTWRITEBYTECODE (as on these machines) would recompile deskwork at every start and
    measure the compiler, not the app. Compile once, as an install would."""
    import compileall

    compileall.compile_dir(src, quiet=1)
