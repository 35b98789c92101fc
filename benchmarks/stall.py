"""The stall meter: the real app, headless, driven by its own keys at a workload, while a callback
scheduled every 5 ms on the event loop records how late it fires. A late callback is a frame that
could not be drawn and a key that could not be answered.

    python benchmarks/stall.py --scale heavy [--typed 2000] [--data DIR] [--json] [--pause S]

For each activity (start, review 100 cards (every tenth answer undone and given again), switch areas, stats, card browser with a search,
curriculum table, plan, typing into a 250 KB draft, pasting 100 KB into a card and saving it,
importing a year's history, exporting every card with its history, compaction, backup) it reports `stall_max_ms` (the longest time the
loop could not run anything) with `stall_max_ui_cpu_ms` (the UI thread's own CPU time in it:
the rest it waited for the GIL or a CPU) and `stall_max_cpu_ms` (every thread's CPU time in it:
far below the stall, the machine ran other processes), `lateness_p99_ms`, the activity's duration and, where it has one,
the time of each operation (`op_p95_ms`: a keystroke to the text on screen, a paste, a save)
and, for typing and the paste, the UI thread's CPU time of each (`op_cpu_p95_ms`).
Each row also has the cyclic garbage collector's pauses during the activity (`gc_count`
collections, `gc_full_count` of them full, `gc_max_ms` the longest, `gc_total_ms`;
`gc_max_cpu_ms` the longest in CPU time of the collecting thread, which a machine busy with other
work does not inflate; `gc_full_max_cpu_ms` the same for full ones), in any thread: a worker's
collection holds the GIL, so the loop waits for it too. After the last activity,
`gc_idle_full_ms` is what a full collection then costs (the one the app makes at its next pause:
ui/idle_collector.py), `gc_sweep_ms` what a sweep of the frozen set costs (everything walked),
with the objects the collector tracks and has frozen and the idle collections and sweeps the app
made during the run (`gc_idle_overdue`: of those collections, the ones made without a pause,
the objects not frozen having reached the app's bound; `gc_idle_sweeps_forced`: sweeps made
without a pause, the frozen set having doubled). `--pause S` leaves S seconds without input after each activity, as a user
stops between things; the row `pause` shows what the app does meanwhile.
`idle` is the baseline of the same run: the app sitting still with its timers running, so the
harness's own lateness on this machine is visible next to every figure. The typing row's baseline
is Textual's own TextArea holding the same draft, alone in an app, typed the same way
(`typing_bare_markdown` with the Markdown grammar the editor uses, `typing_bare_plain` without);
the typing row gives its op p50/p95 as ratios to both. The screen rows' baselines are Textual's own
screen switches in a bare four-pane app (stall_bare.py: `screen_bare_statics`, a screen of 20
Statics; `screen_bare_table`, a 24-row DataTable), opened and closed the same way, in a process of
their own started after the app's run (in the meter's process the app's heap, left behind, gave
those rows a full collection of ~80 ms that a bare app never makes). The rows whose work runs on
a worker thread (import, export, compaction, backup) have theirs in `worker_bare`, from that
process too: its loop with no app while a plain thread parses and writes JSON (what any Python
program's loop pays for one busy worker: the GIL comes back only every switch interval); they
give `stall_max_vs_worker_bare` and `p99_vs_worker_bare`. A keystroke's op time runs to the next
painted frame, so typing back to back it includes the wait for the 60 fps frame slot (16.7 ms).

Everything goes through what a user has: keys (as the command table binds them), a paste, a file
path typed into the import dialog. The store is touched directly only to make compaction due
(the journal limit) and to start a backup the way the app's hourly backup does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import pct
from workload import END, SCALES, Scale, generate

from deskwork.paths import Paths
from deskwork.services import Desk

INTERVAL_S = 0.005
BENCH_CONFIG = "[cards]\nnew_per_day = 100000\nreviews_per_day = 100000\n"
DRAFT_BYTES = 250_000
PASTE_BYTES = 100_000
# Textual alone, after the app: the typing row's baselines and the screen rows' (stall_bare.py)
BASELINES = (
    "typing_bare_markdown",
    "typing_bare_plain",
    "screen_bare_statics",
    "screen_bare_table",
    "worker_bare",
)
ACTIVITIES = (
    "loop_alone", "idle", "start", "review", "switch_areas", "stats", "browser", "curriculum", "plan",
    "typing", "preview", "paste_card", "import_history", "export_cards", "compact", "backup", *BASELINES,
)  # fmt: skip
APP_ACTIVITIES = ACTIVITIES[3 : -len(BASELINES)]  # what the app is driven through, in order
SCREEN_ROWS = ("stats", "browser", "curriculum", "plan")  # read against the bare screen rows
WORKER_ROWS = ("import_history", "export_cards", "compact", "backup")  # work on a worker thread
BARE_TYPED = 300  # characters typed into the bare TextAreas (Textual's own cost, the baseline)
WORKER_BARE_S = 3.0  # how long the bare worker thread works (the import/export rows' baseline)


class LatenessProbe:
    """A callback every INTERVAL_S on the running loop; how late each one fires, per activity."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}
        self.ops: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}  # the UI thread's CPU time of each timed op
        self.spans: dict[str, float] = {}
        self.notes: dict[str, str] = {}
        self.extra: dict[str, dict[str, Any]] = {}  # figures taken between activities
        self.current = "idle"
        self._handle: asyncio.TimerHandle | None = None
        self._due = 0.0
        self._cpu_at = 0.0  # the UI thread's CPU time when the last callback was scheduled
        self._proc_at = 0.0  # ... and the process's
        # the longest stall: (ms, UI thread's CPU ms, every thread's CPU ms)
        self.worst: dict[str, tuple[float, float, float]] = {}
        self._began = 0.0
        self.verbose = False
        # The collector's pauses, per activity: (generation, ms) of every collection, in any
        # thread (the GIL holds the loop still while a worker's collection runs).
        self.collections: dict[str, list[tuple[int, float, float]]] = {}
        self._gc_began = (0.0, 0.0)
        self.watch: tuple[float, Any] | None = None
        self._watching = threading.Event()  # set while the watchdog thread should run
        self._last_gc = (0.0, 0, 0.0)  # when the last collection ended, its generation, its ms

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._schedule()
        if self.watch is not None:
            self._watching.set()
            loop_thread = threading.get_ident()
            threading.Thread(target=self._watchdog, args=(loop_thread,), daemon=True).start()

    def rearm(self) -> None:
        """Forget the lateness of the callback now due: what ran since was outside any loop in
        the program measured (see run_app)."""
        if self._handle is not None:
            self._handle.cancel()
        self._schedule()

    def stop(self) -> None:
        with contextlib.suppress(ValueError):
            gc.callbacks.remove(self._on_gc)
        if self._handle is not None:
            self._handle.cancel()
        self._watching.clear()

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_began = (time.perf_counter(), time.thread_time())
            return
        wall, cpu = self._gc_began
        ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (time.thread_time() - cpu) * 1000
        self.collections.setdefault(self.current, []).append((info["generation"], ms, cpu_ms))
        self._last_gc = (time.perf_counter(), info["generation"], ms)

    def _schedule(self) -> None:
        self._due = time.perf_counter() + INTERVAL_S
        self._cpu_at = time.thread_time()
        self._proc_at = time.process_time()
        self._handle = asyncio.get_running_loop().call_later(INTERVAL_S, self._fire)

    def _fire(self) -> None:
        late = max(0.0, time.perf_counter() - self._due) * 1000
        self.samples.setdefault(self.current, []).append(late)
        if late > self.worst.get(self.current, (0.0, 0.0, 0.0))[0]:
            self.worst[self.current] = (
                late,
                (time.thread_time() - self._cpu_at) * 1000,
                (time.process_time() - self._proc_at) * 1000,
            )
        self._schedule()

    def watch_stalls(self, ms: float, out: Any) -> None:
        """Attribute stalls: when the loop has not run for `ms`, a watchdog thread writes the
        loop thread's stack (and where every other thread is) to `out`, once per stall.

        It holds the GIL to read them (`sys._current_frames`), so it sees a stall in Python
        code as it happens (the loop thread hands the GIL over every switch interval), and one
        in C code that keeps the GIL (a garbage collection) only once that returns: its
        `gc` line says so. (It was faulthandler's `dump_traceback_later`, whose C thread reads
        every thread's frames without the GIL: with workers creating and freeing frames
        meanwhile it read a freed frame, and the run died of a segfault, exit 139.)"""
        self.watch = (ms / 1000, out)

    def _watchdog(self, loop_thread: int) -> None:
        assert self.watch is not None
        limit, out = self.watch
        reported = 0.0  # the due time of the last stall written: once per stall
        while self._watching.is_set():
            time.sleep(min(limit / 4, 0.005))
            due = self._due
            late = time.perf_counter() - due
            if late < limit or due == reported:
                continue
            reported = due
            frames = sys._current_frames()
            names = {t.ident: t.name for t in threading.enumerate()}
            lines = [f"[stall] {late * 1000:.0f} ms late in {self.current}"]
            ended, gen, ms = self._last_gc
            if ended >= due:  # a collection ran inside this stall
                lines.append(f"  a generation-{gen} collection ran in it: {ms:.1f} ms")
            loop_frame = frames.pop(loop_thread, None)
            if loop_frame is not None:
                lines.append("  the event loop's thread:")
                lines += ["  " + line.rstrip() for line in traceback.format_stack(loop_frame)]
            for ident, frame in frames.items():
                if ident == threading.get_ident():
                    continue
                code = frame.f_code
                lines.append(
                    f"  {names.get(ident, ident)}: {code.co_filename}:{frame.f_lineno} "
                    f"{code.co_name}"
                )
            del frames
            print("\n".join(lines), file=out, flush=True)

    def begin(self, name: str) -> None:
        if self.verbose:
            print(f"[stall] {name}", file=sys.stderr, flush=True)
        if self.watch is not None:
            print(f"[stall] activity {name}", file=self.watch[1], flush=True)
        self.current = name
        self._began = time.perf_counter()

    def end(self) -> None:
        name = self.current
        self.spans[name] = self.spans.get(name, 0.0) + time.perf_counter() - self._began
        self.current = "between"

    @contextlib.contextmanager
    def activity(self, name: str) -> Iterator[None]:
        self.begin(name)
        try:
            yield
        finally:
            self.end()

    def op(self, seconds: float, cpu_seconds: float | None = None) -> None:
        self.ops.setdefault(self.current, []).append(seconds * 1000)
        if cpu_seconds is not None:
            self.cpu.setdefault(self.current, []).append(cpu_seconds * 1000)

    def report(self) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        extra = ("pause",) if "pause" in self.samples else ()
        for name in (*ACTIVITIES, *extra):
            samples = self.samples.get(name, [])
            row: dict[str, Any] = {
                "stall_max_ms": round(max(samples, default=0.0), 1),
                "lateness_p99_ms": round(pct(samples, 99), 1) if samples else 0.0,
                # what the UI thread itself ran meanwhile: near stall_max, the loop was busy with
                # its own work; far below it, it waited (for the GIL or for a CPU)
                "stall_max_ui_cpu_ms": round(self.worst.get(name, (0.0, 0.0, 0.0))[1], 1),
                # ... and every thread's: the rest of the process ran meanwhile (another thread
                # held the GIL) or, far below stall_max, the machine gave the CPUs to others
                "stall_max_cpu_ms": round(self.worst.get(name, (0.0, 0.0, 0.0))[2], 1),
                "samples": len(samples),
                "duration_s": round(self.spans.get(name, 0.0), 2),
            }
            collections = self.collections.get(name, [])
            row["gc_count"] = len(collections)
            row["gc_full_count"] = sum(1 for gen, _, _ in collections if gen == 2)
            row["gc_max_ms"] = round(max((ms for _, ms, _ in collections), default=0.0), 1)
            row["gc_total_ms"] = round(sum(ms for _, ms, _ in collections), 1)
            # CPU time of the collecting thread: the collector's own work, without the time
            # the machine gave to other processes meanwhile (this box is shared).
            row["gc_max_cpu_ms"] = round(max((c for _, _, c in collections), default=0.0), 1)
            row["gc_full_max_cpu_ms"] = round(
                max((c for gen, _, c in collections if gen == 2), default=0.0), 1
            )
            ops = self.ops.get(name)
            if ops:
                row["ops"] = len(ops)
                row["op_p50_ms"] = round(pct(ops, 50), 1)
                row["op_p95_ms"] = round(pct(ops, 95), 1)
                row["op_max_ms"] = round(max(ops), 1)
            cpu = self.cpu.get(name)
            if cpu:  # what the op cost the UI thread: steadier than the wall on a shared machine
                row["op_cpu_p50_ms"] = round(pct(cpu, 50), 2)
                row["op_cpu_p95_ms"] = round(pct(cpu, 95), 2)
            if name in self.notes:
                row["note"] = self.notes[name]
            row.update(self.extra.get(name, {}))
            result[name] = row
        return result


def heap_kinds(top: int = 25) -> dict[str, int]:
    """What a sweep of the frozen set walks: the objects the collector tracks or has frozen, by
    type (module-qualified for classes of a package), the most common first."""
    gc.unfreeze()
    try:
        kinds: dict[str, int] = {}
        for obj in gc.get_objects():
            kind = type(obj)
            name = f"{kind.__module__.split('.')[0]}.{kind.__qualname__}"
            kinds[name] = kinds.get(name, 0) + 1
    finally:
        gc.freeze()
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:top])


def _collector_counts(idle: Any) -> tuple[int, int, int, int]:
    return tuple(getattr(idle, k, 0) for k in ("collections", "overdue", "sweeps", "forced"))  # type: ignore[return-value]


def _collector_row(idle: Any, before: tuple[int, int, int, int]) -> dict[str, int]:
    """What the app's idle collector did during an activity (its collections, of them overdue,
    its sweeps, of them forced) and the frozen set's size after it (counted between activities:
    the count walks the frozen list)."""
    now = _collector_counts(idle)
    names = ("idle_collections", "idle_overdue", "idle_sweeps", "idle_sweeps_forced")
    row = {k: b - a for k, a, b in zip(names, before, now, strict=True)}
    row["frozen_after"] = gc.get_freeze_count()
    return row


# ---------------------------------------------------------------------- preparing the data
def prepare(
    data_dir: Path, work: Path, scale: Scale, draft_bytes: int = DRAFT_BYTES
) -> tuple[Path, int]:
    """The config for a heavy day, a 250 KB draft, and an .apkg holding a year's history of notes
    the desk does not have yet (the import). Returns (package, draft id)."""
    from deskwork.services.anki import export_file
    from deskwork.services.drafts import DraftService

    (data_dir / "config.toml").write_text(BENCH_CONFIG)
    source = work / "import-source"
    history = SCALES["heavy"] if scale.name in ("heavy", "power") else scale  # a year's history
    generate(
        source,
        dataclasses.replace(history, items=1, sessions=0, drafts=0),
        seed=11,
        guid_prefix="imp",
    )
    package = work / "year-of-history.apkg"
    desk = Desk.open(Paths(source, source), clock=lambda: END)
    try:
        desk.store.cards.load_all()
        export_file(desk, package)
    finally:
        desk.close()
    desk = Desk.open(Paths(data_dir, data_dir), clock=lambda: END)
    try:
        words = "gradient descent on a loss surface, TODO: check the bound ?? "
        paragraph = (words * 12).strip() + "\n\n"
        body = "# A long post with notes\n\n" + paragraph * (draft_bytes // len(paragraph) + 1)
        draft = DraftService(desk).create("A long post (250 KB)", body[:draft_bytes])
    finally:
        desk.close()
    return package, draft.id


# ---------------------------------------------------------------------- driving the app
class Driver:
    """Keys, text and pastes into the running app, each awaited until the app has handled it and
    repainted (that wait is the operation's time)."""

    def __init__(self, app: Any, pilot: Any, probe: LatenessProbe) -> None:
        self.app = app
        self.pilot = pilot
        self.probe = probe
        self.last_cpu = 0.0

    async def settle(self) -> None:
        """Until every worker is done and the screen has caught up."""
        await self.pilot.pause()
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def _delivered(self, post: Callable[[], None], timeout: float = 60.0) -> float:
        """Post an event as the terminal driver would; wait until the focused widget has handled
        it and the screen has been refreshed. Returns the seconds that took."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def finished() -> None:
            if not done.done():
                done.set_result(None)

        def reached_app() -> None:  # runs after the app has forwarded the event
            target = self.app.focused or self.app.screen
            target.call_later(lambda: target.call_after_refresh(finished))

        t = time.perf_counter()
        post()
        self.app.call_later(reached_app)
        await asyncio.wait_for(done, timeout)
        return time.perf_counter() - t

    async def key(self, key: str, char: str | None = None) -> float:
        from textual import events

        event = events.Key(key, char if char is not None else (key if len(key) == 1 else None))
        return await self._delivered(lambda: self.app.post_message(event))

    async def press(self, *keys: str) -> None:
        """Keys that open or close screens: through the Pilot, then everything settled."""
        await self.pilot.press(*keys)
        await self.settle()

    async def type_text(self, text: str, *, gap_s: float = 0.0, timed: bool = False) -> None:
        for char in text:
            cpu = time.thread_time()
            if char == "\n":
                elapsed = await self.key("enter", "\r")
            elif char == " ":
                elapsed = await self.key("space", " ")
            else:
                elapsed = await self.key(char, char)
            if timed:
                self.probe.op(elapsed, time.thread_time() - cpu)
            if gap_s:
                await asyncio.sleep(gap_s)

    async def paste(self, text: str) -> float:
        from textual import events

        cpu = time.thread_time()
        elapsed = await self._delivered(lambda: self.app.post_message(events.Paste(text)))
        self.last_cpu = time.thread_time() - cpu
        return elapsed

    async def dialog_open(self, timeout_s: float = 60.0) -> None:
        """Until a screen is over the desk: on a loaded box a dialog can open a frame or more
        after its key settled, and text typed before would go to the desk's own keys."""
        deadline = time.monotonic() + timeout_s
        while self.app.screen is self.app.screen_stack[0]:
            if time.monotonic() > deadline:
                raise TimeoutError("no dialog opened")
            await asyncio.sleep(0.01)

    async def back_to_desk(self, limit: int = 4) -> None:
        for _ in range(limit):
            if self.app.screen is self.app.screen_stack[0]:
                return
            await self.press("escape")


class Activities:
    """Each activity a method named after it; run in ACTIVITIES order, each one guarded (a failure
    or a hang is reported in its row and the next activity starts from the desk)."""

    def __init__(
        self, drive: Driver, package: Path, draft_id: int, typed: int, paste_bytes: int
    ) -> None:
        self.paste_bytes = paste_bytes
        self.drive = drive
        self.app = drive.app
        self.probe = drive.probe
        self.package = package
        self.draft_id = draft_id
        self.typed = typed

    async def run(self, name: str, timeout_s: float) -> None:
        step: Callable[[], Awaitable[None]] = getattr(self, name)
        with self.probe.activity(name):
            try:
                await asyncio.wait_for(step(), timeout_s)
            except TimeoutError:
                self.probe.notes[name] = f"gave up after {timeout_s:.0f} s"
            except Exception as exc:
                self.probe.notes[name] = f"failed: {type(exc).__name__}: {exc}"[:200]
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.drive.back_to_desk(), 60)

    async def _answer(self, n: int, undo_every: int = 0) -> tuple[int, int]:
        """`n` cards answered Good; every `undo_every`th answer taken back at once (u) and the
        card answered again, as a learner who pressed the wrong grade. (answered, undone)"""
        app, drive = self.app, self.drive
        await drive.press("f4")
        answered = undone = 0
        for _ in range(n):
            if app.review_pane.current() is None:
                break
            self.probe.op(await drive.key("space", " "))  # show the answer
            self.probe.op(await drive.key("3", "3"))  # Good
            answered += 1
            if undo_every and answered % undo_every == 0:
                self.probe.op(await drive.key("u", "u"))
                undone += 1
        await drive.settle()
        return answered, undone

    async def review(self) -> None:
        answered, undone = await self._answer(100, undo_every=10)
        self.probe.notes["review"] = (
            f"{answered} answers (Space, 3), {undone} of them taken back (u) and answered again"
        )

    async def switch_areas(self) -> None:
        for _ in range(5):
            for key in ("f2", "f3", "f4", "f5", "tab", "shift+tab"):
                self.probe.op(await self.drive.key(key))
        await self.drive.settle()

    async def _open_close(self, key: str) -> None:
        t = time.perf_counter()
        await self.drive.press(key)
        self.probe.op(time.perf_counter() - t)
        await self.drive.back_to_desk()

    async def stats(self) -> None:
        """Ctrl+D twice (the second: what a second look costs); each op runs from the key to the
        frame with every figure (the screen paints its skeleton, a worker computes)."""
        app = self.app
        for _ in range(2):
            t = time.perf_counter()
            await self.drive.key("ctrl+d")
            screen = app.screen
            while getattr(screen, "busy", False) and screen is app.screen:
                await asyncio.sleep(0.002)
            painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            screen.call_after_refresh(lambda f=painted: f.done() or f.set_result(None))
            await asyncio.wait_for(painted, 30)
            self.probe.op(time.perf_counter() - t)
            await self.drive.settle()
            await self.drive.back_to_desk()

    async def curriculum(self) -> None:
        await self._open_close("f7")

    async def plan(self) -> None:
        await self._open_close("ctrl+y")

    async def browser(self) -> None:
        drive = self.drive
        t = time.perf_counter()
        await drive.press("ctrl+e")
        self.probe.op(time.perf_counter() - t)
        await drive.press("slash")
        await drive.type_text("gradient")
        t = time.perf_counter()
        await drive.press("enter")
        self.probe.op(time.perf_counter() - t)

    async def typing(self) -> None:
        drive = self.drive
        await drive.press("f5")
        await self.app.draft_pane.open_draft(self.draft_id)
        await drive.settle()
        await drive.type_text(typed_text(self.typed), timed=True)
        await drive.press("escape")  # close the editor: saves
        await drive.press("f2")

    async def _preview_drawn(self) -> float:
        """Until the draft's Markdown preview has mounted what it was given (Textual parses it
        on a thread, then mounts its blocks in batches): the seconds that took."""
        app, t = self.app, time.perf_counter()
        preview = app.query_one("#draft-preview")
        await asyncio.sleep(0.02)  # the update's coroutine takes its lock a tick later
        while preview.lock.is_locked or not preview.children:
            await asyncio.sleep(0.005)
        await self.drive.settle()
        return time.perf_counter() - t

    async def preview(self) -> None:
        """The 250 KB draft: Ctrl+G shows the preview beside the text (the op: to its blocks
        drawn), 200 characters typed with it open and saved (the preview follows the save: an
        op), Ctrl+G: the preview instead of the text, the whole post (an op), Ctrl+G: the text
        alone again."""
        drive, app = self.drive, self.app
        await drive.press("f5")
        await app.draft_pane.open_draft(self.draft_id)
        await drive.settle()
        t = time.perf_counter()
        await drive.press("ctrl+g")
        self.probe.op(time.perf_counter() - t + await self._preview_drawn())
        await drive.type_text(typed_text(200))
        t = time.perf_counter()
        app.draft_pane.flush()  # as autosave does after a pause
        self.probe.op(time.perf_counter() - t + await self._preview_drawn())
        t = time.perf_counter()
        await drive.press("ctrl+g")  # the preview instead of the text: the whole post, to read
        self.probe.op(time.perf_counter() - t + await self._preview_drawn())
        await drive.press("ctrl+g")
        await drive.press("escape")
        await drive.press("f2")
        ops = ", ".join(f"{ms:.0f}" for ms in self.probe.ops["preview"])
        self.probe.notes["preview"] = (
            "Ctrl+G beside the 250 KB draft, 200 characters typed, saved; Ctrl+G: the whole "
            f"post instead of the text (ms: {ops})"
        )

    async def paste_card(self) -> None:
        drive, app = self.drive, self.app
        await drive.press("ctrl+k")
        self.probe.op(await drive.paste("pasted notes " * (self.paste_bytes // 13)), drive.last_cpu)
        cpu = time.thread_time()
        saved = await drive.key("ctrl+s")  # save: to the dialog gone and the desk painted
        self.probe.op(saved, time.thread_time() - cpu)
        await drive.settle()
        if app.screen is not app.screen_stack[0]:
            self.probe.notes["paste_card"] = "the dialog did not close on save"

    async def import_history(self) -> None:
        drive, app = self.drive, self.app
        await drive.press("ctrl+e")
        await drive.press("i")
        await drive.dialog_open()  # or the path's "/" goes to the desk (the card browser's key)
        await drive.type_text(str(self.package))
        t = time.perf_counter()
        await drive.press("enter")
        while any(w.group == "cards-import" for w in app.workers) or type(app.screen).__name__ in (
            "ProgressScreen",
            "TransferScreen",
        ):  # the import's own screens
            await asyncio.sleep(0.05)
            await drive.settle()
        self.probe.op(time.perf_counter() - t)
        background = getattr(app.desk.store, "background", None)
        while background is not None and background.busy:  # the compaction that follows it
            await asyncio.sleep(0.02)

    async def export_cards(self) -> None:
        """Alt+X, a path typed, Enter: every card with its history written to an .apkg (on a
        worker under a progress bar); the op runs from Enter to the result's toast."""
        drive, app = self.drive, self.app
        target = self.package.with_name("stall-export.apkg")
        await drive.press("alt+x")
        await drive.dialog_open()
        await drive.press("end", "ctrl+u")  # the proposed path cleared, as a user would
        await drive.type_text(str(target))
        shown = {id(n) for n in app._notifications}  # (an older toast may expire meanwhile)

        def result() -> list[object]:
            return [n for n in app._notifications if id(n) not in shown]

        t = time.perf_counter()
        await drive.press("enter")
        found: list[object] = []
        while not found or type(app.screen).__name__ in ("ProgressScreen", "TransferScreen"):
            found = found or result()
            await asyncio.sleep(0.05)
        self.probe.op(time.perf_counter() - t)
        self.probe.notes["export_cards"] = str(found[-1].message)[:120]  # type: ignore[attr-defined]

    async def compact(self) -> None:
        store = self.app.desk.store
        limit = getattr(store, "journal_limit", None)
        if limit is not None:
            store.journal_limit = 1  # the next answers each cross it, as every ~2 MB of journal
        try:
            answered, _ = await self._answer(5)
        finally:
            if limit is not None:
                store.journal_limit = limit
        background = getattr(store, "background", None)
        while background is not None and background.busy:  # its compactions count here
            await asyncio.sleep(0.02)
        self.probe.notes["compact"] = f"{answered} answers, each crossing the journal limit"

    async def backup(self) -> None:
        t = time.perf_counter()
        job = self.app.desk.store.prepare_backup()  # as the app's hourly backup does
        self.app.run_worker(job, thread=True, group="backup", name="stall-meter backup")
        await self.drive.settle()
        self.probe.op(time.perf_counter() - t)


def typed_text(n: int) -> str:
    sentence = "the gradient of the loss TODO: why ?? with respect to the weights\n"
    return (sentence * (n // len(sentence) + 1))[:n]


async def type_into_bare_textarea(
    probe: LatenessProbe, body: str, language: str | None, name: str, typed: int
) -> None:
    """The baseline of the typing row, in the same run: Textual's own TextArea (soft wrap, the
    Markdown grammar or none) alone in an app of the same size, holding the same draft, the
    cursor at its end, typed the first BARE_TYPED (at most `typed`) characters of the same text
    the same way."""
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(body, language=language, soft_wrap=True, id="bare")

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        area = app.query_one("#bare", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        drive = Driver(app, pilot, probe)
        await drive.settle()
        count = min(BARE_TYPED, typed)
        with probe.activity(name):
            await drive.type_text(typed_text(count), timed=True)
        probe.notes[name] = f"Textual's TextArea alone, first {count} characters"


def _bare_work(stop: threading.Event) -> int:
    """What a worker thread of any Python program does to its event loop: the shape of an
    import's or export's work (JSON documents of 2,000 review-like rows parsed, summed and
    written again: short C calls between Python bytecode), nothing of deskwork. Rounds done."""
    rows = [
        {"id": i, "cid": i * 7, "ease": 3, "ivl": i % 90, "factor": 2500, "time": 5000, "type": 1}
        for i in range(2000)
    ]
    text, rounds = json.dumps(rows), 0
    while not stop.is_set():
        parsed = json.loads(text)
        total = sum(row["ivl"] * row["ease"] for row in parsed)
        text = json.dumps(parsed) if total >= 0 else text
        rounds += 1
    return rounds


async def work_beside_bare_loop(probe: LatenessProbe, seconds: float = WORKER_BARE_S) -> None:
    """The baseline of the rows whose work runs on a worker thread (import_history,
    export_cards, compact, backup), in the same run: the event loop with no app at all while a
    plain thread works (`_bare_work`) for `seconds`. The loop must win the GIL back from a thread
    that does not wait for anything: CPython hands it over only every switch interval
    (`sys.getswitchinterval()`, 5 ms), and on a loaded box the thread that gets it is the one
    the OS schedules. Its lateness is what any Python program's loop pays for one busy worker."""
    stop = threading.Event()
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(_bare_work(stop)), name="bare-worker")
    with probe.activity("worker_bare"):
        worker.start()
        await asyncio.sleep(seconds)
        stop.set()
        while worker.is_alive():
            await asyncio.sleep(0.01)
    probe.notes["worker_bare"] = (
        f"a plain thread parsing and writing JSON ({done[0] if done else 0} rounds of 2,000 "
        f"rows) beside the loop alone, no app; switch interval {sys.getswitchinterval() * 1000:g} ms"
    )


async def run_app(
    data_dir: Path,
    package: Path,
    draft_id: int,
    *,
    typed: int,
    paste_bytes: int,
    timeout_s: float,
    verbose: bool,
    only: tuple[str, ...] = (),
    pause_s: float = 0.0,
    watch_ms: float = 0.0,
    heap: bool = False,
) -> dict[str, Any]:
    probe = LatenessProbe()
    probe.verbose = verbose
    if watch_ms:
        probe.watch_stalls(watch_ms, sys.stderr)
    probe.start()
    with probe.activity("loop_alone"):
        await asyncio.sleep(0.3)  # no app yet: this machine's own lateness
    began = time.monotonic()

    def clock() -> datetime:  # the workload's day, two hours in; time passes as it does
        return END + timedelta(hours=2, seconds=time.monotonic() - began)

    # What `deskwork` does before its event loop exists (cli.build_tui: open the store, import
    # the TUI, make the app): no frame or key can be late then, so it is start-up time (the
    # startup benchmark's), not a stall. Here it runs inside the meter's loop, so it is timed on
    # its own (`before_loop_cpu_ms`) and the probe is re-armed after it; the `start` row is
    # from `app.run` on, as in the real program.
    t, cpu = time.perf_counter(), time.thread_time()
    desk = Desk.open(Paths(data_dir, data_dir), clock=clock, defer_backup=True)
    open_ms = (time.perf_counter() - t) * 1000
    from deskwork.ui import idle_collector
    from deskwork.ui.app import DeskworkApp

    app = DeskworkApp(desk)
    before_loop_cpu_ms = (time.thread_time() - cpu) * 1000
    probe.rearm()
    shutdown = ""
    collector_figures: dict[str, Any] = {}
    try:
        probe.begin("start")
        t = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            await Driver(app, pilot, probe).settle()  # first frame, cards loaded in the background
            probe.op(time.perf_counter() - t)
            probe.end()
            with probe.activity("idle"):
                await asyncio.sleep(0.5)  # the app idle: its clock and timers ticking
            steps = Activities(Driver(app, pilot, probe), package, draft_id, typed, paste_bytes)
            idle = getattr(app, "idle_collector", None)
            for name in APP_ACTIVITIES:
                if not only or name in only:
                    made = _collector_counts(idle)
                    await steps.run(name, timeout_s)
                    probe.extra[name] = _collector_row(idle, made)
                    if pause_s:  # the user stops a moment: the app's idle work runs here
                        with probe.activity("pause"):
                            await asyncio.sleep(pause_s)
            # What a full collection costs now, after every activity: the one the app makes at
            # its next idle moment (ui/idle_collector.py); and how many it made during the run.
            t, cpu = time.perf_counter(), time.thread_time()
            gc.collect()
            idle_ms = (time.perf_counter() - t) * 1000
            idle_cpu_ms = (time.thread_time() - cpu) * 1000
            tracked, frozen = idle_collector.tracked(), gc.get_freeze_count()
            kinds = heap_kinds() if heap else None
            # ... and a sweep of the frozen set (unfreeze, collect, freeze): everything walked.
            t, cpu = time.perf_counter(), time.thread_time()
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            idle = getattr(app, "idle_collector", None)
            collector_figures = {
                "gc_idle_full_ms": round(idle_ms, 1),
                "gc_idle_full_cpu_ms": round(idle_cpu_ms, 1),
                "gc_sweep_ms": round((time.perf_counter() - t) * 1000, 1),
                "gc_sweep_cpu_ms": round((time.thread_time() - cpu) * 1000, 1),
                "gc_tracked_objects": tracked,
                "gc_frozen_objects": frozen,
                "gc_idle_collections": getattr(idle, "collections", None),
                "gc_idle_overdue": getattr(idle, "overdue", None),
                "gc_idle_sweeps": getattr(idle, "sweeps", None),
                "gc_idle_sweeps_forced": getattr(idle, "forced", None),
            }
            if kinds is not None:
                collector_figures["gc_heap"] = kinds
            flusher = getattr(desk.store, "flusher", None)  # group commit (a tree without: none)
            if flusher is not None:  # (read before the app's close stops it)
                collector_figures["group_commit_writes"] = flusher.kicks
                collector_figures["group_commit_syncs"] = flusher.syncs
    except Exception as exc:  # the figures so far are still worth reporting
        shutdown = f"{type(exc).__name__}: {exc}"[:200]
    finally:
        body = desk.store.drafts.get(draft_id).body if "typing" in (only or ACTIVITIES) else ""
        desk.close()
    try:
        for language, name in (("markdown", "typing_bare_markdown"), (None, "typing_bare_plain")):
            if body:
                await type_into_bare_textarea(probe, body, language, name, typed)
    except Exception as exc:
        probe.notes["typing_bare_plain"] = f"failed: {type(exc).__name__}: {exc}"[:200]
    finally:
        probe.stop()
    result = {
        "desk_open_ms": round(open_ms, 1),
        "before_loop_cpu_ms": round(before_loop_cpu_ms, 1),
        **collector_figures,
        "activities": probe.report(),
    }
    if shutdown:
        result["app_error"] = shutdown
    return result


def measure_stalls(
    scale: Scale,
    work: Path,
    *,
    data: Path | None = None,
    typed: int = 2000,
    draft_bytes: int = DRAFT_BYTES,
    paste_bytes: int = PASTE_BYTES,
    timeout_s: float = 900,
    verbose: bool = False,
    only: tuple[str, ...] = (),
    pause_s: float = 0.0,
    watch_ms: float = 0.0,
    heap: bool = False,
    worker_s: float = WORKER_BARE_S,
) -> dict[str, Any]:
    """Generate (or copy) the workload into `work`, prepare, run the app; the figures.
    `timeout_s`: an activity that takes longer is given up (and said so in its row)."""
    data_dir = work / "stall-data"
    if data is not None:
        shutil.copytree(
            data, data_dir, ignore=shutil.ignore_patterns("*.sock")
        )  # a socket left by an app that was killed cannot be copied
    else:
        generate(data_dir, scale)
    package, draft_id = prepare(data_dir, work, scale, draft_bytes)
    gc.collect()  # what preparing left (desks closed, a whole store read): gone, as in a new process
    result = asyncio.run(
        run_app(
            data_dir,
            package,
            draft_id,
            typed=typed,
            paste_bytes=paste_bytes,
            timeout_s=timeout_s,
            verbose=verbose,
            only=only,
            pause_s=pause_s,
            watch_ms=watch_ms,
            heap=heap,
        )
    )
    rows = result["activities"]
    if not only or set(only) & {*SCREEN_ROWS, *WORKER_ROWS}:
        from stall_bare import measure_apart

        rows.update(measure_apart(worker_s=worker_s))
    typing = rows["typing"]
    for bare in ("typing_bare_markdown", "typing_bare_plain"):
        if typing.get("op_p95_ms") and rows[bare].get("op_p95_ms"):
            typing[f"op_p95_vs_{bare[7:]}"] = round(
                typing["op_p95_ms"] / rows[bare]["op_p95_ms"], 2
            )
            typing[f"op_p50_vs_{bare[7:]}"] = round(
                typing["op_p50_ms"] / rows[bare]["op_p50_ms"], 2
            )
    bare = rows["worker_bare"]
    for name in WORKER_ROWS:  # read against a plain worker thread's cost to the loop
        row = rows[name]
        if row.get("samples") and bare.get("samples") and bare["stall_max_ms"]:
            row["stall_max_vs_worker_bare"] = round(row["stall_max_ms"] / bare["stall_max_ms"], 2)
            if bare["lateness_p99_ms"]:
                row["p99_vs_worker_bare"] = round(
                    row["lateness_p99_ms"] / bare["lateness_p99_ms"], 2
                )
    table = rows["screen_bare_table"]
    for name in SCREEN_ROWS:  # deskwork's screens against Textual's own screen of a table
        row = rows[name]
        if row["samples"] and table["samples"] and table["stall_max_ms"]:
            row["stall_max_vs_bare_table"] = round(row["stall_max_ms"] / table["stall_max_ms"], 2)
        if row.get("op_p95_ms") and table.get("op_p95_ms"):
            row["op_p95_vs_bare_table"] = round(row["op_p95_ms"] / table["op_p95_ms"], 2)
    worst = {  # the pause row counts; the bare baselines do not
        k: v for k, v in rows.items() if k not in ("loop_alone", "idle") and "bare" not in k
    }
    return {
        "scale": scale.name,
        "typed_chars": typed,
        "draft_bytes": draft_bytes,
        "paste_bytes": paste_bytes,
        **{k: v for k, v in result.items() if k != "activities"},
        "stall_max_ms": max(r["stall_max_ms"] for r in worst.values()),
        "stall_worst_activity": max(worst, key=lambda k: worst[k]["stall_max_ms"]),
        "gc_max_ms": max(r["gc_max_ms"] for r in worst.values()),
        "activities": rows,
    }


def slow_disk(seconds: float) -> None:
    """Make every fdatasync in this process `seconds` slower (os.fdatasync is looked up at each
    call by the store of any tree, so both sides of a before/after pair get the same disk)."""
    real = os.fdatasync

    def fdatasync(fd: int) -> None:
        time.sleep(seconds)
        real(fd)

    os.fdatasync = fdatasync


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="heavy")
    parser.add_argument("--typed", type=int, default=2000, help="characters typed into the draft")
    parser.add_argument(
        "--data", metavar="DIR", help="a data dir generated before (copied, never changed)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="name each activity as it starts")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        metavar="S",
        help="seconds of no input after each activity, as a user stops (its row: pause)",
    )
    parser.add_argument(
        "--heap",
        action="store_true",
        help="after the last activity, what a sweep of the frozen set walks, by type (gc_heap)",
    )
    parser.add_argument(
        "--watch",
        type=float,
        default=0.0,
        metavar="MS",
        help="write every thread's stack to stderr when the loop has not run for MS ms",
    )
    parser.add_argument(
        "--only", nargs="+", choices=APP_ACTIVITIES, default=(), help="run just these activities"
    )
    parser.add_argument(
        "--slow-sync",
        type=float,
        default=0.0,
        metavar="MS",
        help="every fdatasync takes MS ms longer (a slow disk, as a sleep that lets go of the "
        "GIL as the real call does): the same for any tree measured",
    )
    args = parser.parse_args()
    if args.slow_sync:
        slow_disk(args.slow_sync / 1000)
    work = Path(tempfile.mkdtemp(prefix="deskwork-stall-"))
    try:
        result = measure_stalls(
            SCALES[args.scale],
            work,
            data=Path(args.data) if args.data else None,
            typed=args.typed,
            verbose=args.verbose,
            only=tuple(args.only),
            pause_s=args.pause,
            watch_ms=args.watch,
            heap=args.heap,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    rows = result.pop("activities")
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    print(
        f"{'activity':>16} {'stall_max':>10} {'p99':>8} {'op_p95':>8} {'secs':>7}"
        f" {'gc_max':>7} {'gc_n':>5} {'full':>4}"
    )
    for name, row in rows.items():
        print(
            f"{name:>16} {row['stall_max_ms']:>10} {row['lateness_p99_ms']:>8} "
            f"{row.get('op_p95_ms', ''):>8} {row['duration_s']:>7} {row['gc_max_ms']:>7}"
            f" {row['gc_count']:>5} {row['gc_full_count']:>4}  {row.get('note', '')}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
