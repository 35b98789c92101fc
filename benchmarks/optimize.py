"""Optimising FSRS parameters at scale, against Anki's own optimiser on the same history in the
same run (the real `anki` package, test-only):

- `optimize_s`: `deskwork cards optimize` on the workload's data dir (a copy: it adopts and
  writes), from the store already open to the parameters saved and every card's memory state
  recomputed; `optimize_peak_mb` the peak RSS of that process and `optimize_train_peak_mb` of the
  training child process (each run in a fresh process; Linux's VmHWM, the peak of that program
  alone — `ru_maxrss` would count what a forked child inherits from its parent).
- the same review log as an Anki collection (cards and revlog rows); Anki's `compute_fsrs_params`
  and `evaluate_params_legacy` on it: `anki_optimize_s`, both models' log loss and RMSE (bins) on
  that history, and `optimize_log_loss_vs_anki` = deskwork's / Anki's (goal: within 1 %).

Two histories: the workload's (`heavy`: 250,000 answers, ratings drawn at random) and a learner's
year (`year`: about 250,000 answers on cards introduced over a year, answers drawn from a
forgetting curve — tests/optimize_history.py), which is what optimising is for.

    python benchmarks/optimize.py [--scale heavy] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

CHILD = """
import json, resource, sys, time
from datetime import datetime
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import optimize as op
from deskwork.services.fsrs_train import peak_kb
from pathlib import Path
data, now = Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2])
desk = Desk.open(Paths(data, data), clock=lambda: now, defer_backup=True)
desk.store.reviews.all()  # loaded, as in the app a moment after start-up
desk.store.cards.all()
with open("/proc/self/statm") as f:
    before_kb = int(f.read().split()[1]) * resource.getpagesize() // 1024
saving = []
def progress(what, done, total):
    if what.endswith("Saving"):
        saving.append(time.perf_counter())
on_store_s = []  # each step run where the store lives (in the app: the event loop's time)
def on_store(work):
    t = time.perf_counter()
    try:
        return work()
    finally:
        on_store_s.append((bool(saving), time.perf_counter() - t))
t = time.perf_counter()
results = op.optimize(desk, None, progress, on_store=on_store)
elapsed = time.perf_counter() - t
save_s = time.perf_counter() - saving[-1] if saving else 0.0
save_loop_s = max((s for after, s in on_store_s if after), default=0.0)
desk.close()
out = [r.as_json() if isinstance(r, op.Outcome) else r for r in results]
print(json.dumps({
    "optimize_s": elapsed,
    "save_s": save_s,
    "save_loop_s": save_loop_s,
    "before_kb": before_kb,
    "peak_kb": peak_kb(),
    "train_peak_kb": max((r.training_peak_kb for r in results if isinstance(r, op.Outcome)), default=0),
    "results": out,
}))
"""

_TYPE = {1: 0, 2: 1, 3: 2}  # CardState → Anki's revlog type (learning, review, relearning)


def deskwork_optimize(data_dir: Path, now: datetime, work: Path) -> dict[str, object]:
    copy = work / "optimize-data"
    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("*.sock"))
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(copy), now.isoformat()],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"deskwork's optimiser failed:\n{done.stderr}")
        out = done.stdout
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    data: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return data


def anki_collection(data_dir: Path, folder: Path, now: datetime) -> Path:
    """The data dir's cards and review log as an Anki collection (raw rows, as Anki stores them)."""
    from anki.collection import Collection

    from deskwork.paths import Paths
    from deskwork.services import Desk

    desk = Desk.open(Paths(data_dir, data_dir), readonly=True, clock=lambda: now)
    try:
        cards = desk.store.cards.all()
        logs = desk.store.reviews.all()
    finally:
        desk.close()
    path = folder / "bench.anki2"
    col = Collection(str(path))
    try:
        col.set_config("fsrs", True)
        basic = col.models.by_name("Basic")
        assert basic is not None
        note = col.new_note(basic)
        note["Front"] = "bench"
        col.add_note(note, 1)
        base_nid = note.id
        col.db.execute("delete from cards")
        col.db.executemany(
            "insert into cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, "
            "reps, lapses, left, odue, odid, flags, data) "
            "values (?, ?, 1, 0, 0, -1, 2, 2, 0, 1, 2500, 0, 0, 0, 0, 0, 0, '{}')",
            [(c.id, base_nid) for c in cards],
        )
        seen: set[int] = set()
        rows = []
        for log in sorted(logs, key=lambda x: (x.ts, x.id)):
            if log.manual or not log.rating:
                continue
            rid = int(log.ts.timestamp() * 1000)
            while rid in seen:
                rid += 1
            seen.add(rid)
            kind = _TYPE[int(log.state)]
            factor = 0 if kind == 0 else 2500
            rows.append((rid, log.card_id, log.rating, 1, 0, factor, log.duration_ms, kind))
        col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "values (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    finally:
        col.close()
    return path


def anki_optimize(path: Path) -> dict[str, float]:
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        backend = col._backend
        t = time.perf_counter()
        response = backend.compute_fsrs_params(
            search="", current_params=[], ignore_revlogs_before_ms=0,
            num_of_relearning_steps=1, health_check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - t
        params = list(response.params)
        before = backend.evaluate_params_legacy(params=[], search="", ignore_revlogs_before_ms=0)
        after = backend.evaluate_params_legacy(params=params, search="", ignore_revlogs_before_ms=0)
        return {
            "anki_optimize_s": round(elapsed, 2),
            "anki_items": response.fsrs_items,
            "anki_log_loss_before": round(before.log_loss, 6),
            "anki_rmse_before": round(before.rmse_bins, 6),
            "anki_log_loss": round(after.log_loss, 6),
            "anki_rmse": round(after.rmse_bins, 6),
        }
    finally:
        col.close()


ANKI_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[2])
from optimize import anki_optimize
out = anki_optimize(__import__("pathlib").Path(sys.argv[1]))
from deskwork.services.fsrs_train import peak_kb
out["anki_optimize_peak_mb"] = round(peak_kb() / 1024, 1)
print(json.dumps(out))
"""


def anki_optimize_in_child(path: Path) -> dict[str, float]:
    """`anki_optimize` in a fresh process, so its peak memory is its own."""
    done = subprocess.run(
        [sys.executable, "-c", ANKI_CHILD, str(path), str(ROOT / "benchmarks")],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"Anki's optimiser failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_optimize(data_dir: Path, now: datetime, prefix: str = "") -> dict[str, object]:
    """The figures for one data dir (`now` is the clock both sides use)."""
    work = Path(tempfile.mkdtemp(prefix="deskwork-optimize-"))
    try:
        ours = deskwork_optimize(data_dir, now, work)
        (result,) = ours["results"]  # type: ignore[misc]
        out: dict[str, object] = {
            "optimize_s": round(float(ours["optimize_s"]), 2),  # type: ignore[arg-type]
            # the one step on the store's thread (in the TUI: the app's) that grows with cards
            "optimize_save_s": round(float(ours["save_s"]), 2),  # type: ignore[arg-type]
            # the longest step of the save on the store's thread: in the app, the event loop's
            # stall (the rest runs in the optimiser's worker)
            "optimize_save_loop_ms": round(float(ours.get("save_loop_s", 0)) * 1000, 1),  # type: ignore[arg-type]
            "optimize_rss_before_mb": round(int(ours["before_kb"]) / 1024, 1),  # type: ignore[call-overload]
            "optimize_peak_mb": round(int(ours["peak_kb"]) / 1024, 1),  # type: ignore[call-overload]
            "optimize_train_peak_mb": round(int(ours["train_peak_kb"]) / 1024, 1),  # type: ignore[call-overload]
        }
        if isinstance(result, str):
            out["optimize_note"] = result
            return {prefix + k: v for k, v in out.items()}
        out |= {
            "optimize_items": result["training_items"],
            "optimize_adopted": result["adopted"],
            "optimize_log_loss_before": result["before"]["log_loss"],
            "optimize_rmse_before": result["before"]["rmse_bins"],
            "optimize_log_loss": result["after"]["log_loss"],
            "optimize_rmse": result["after"]["rmse_bins"],
        }
        anki = anki_optimize_in_child(anki_collection(data_dir, work, now))
        out |= anki
        out["optimize_log_loss_vs_anki"] = round(
            float(result["after"]["log_loss"]) / anki["anki_log_loss"], 5
        )
        out["optimize_rmse_vs_anki"] = round(
            float(result["after"]["rmse_bins"]) / anki["anki_rmse"], 5
        )
        return {prefix + k: v for k, v in out.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def generate_year(data_dir: Path, now: datetime, reviews: int = 250_000) -> int:
    """A learner's year of about `reviews` answers in a fresh data dir; returns the answers."""
    from deskwork.store.store import Store
    from tests.optimize_history import history, store_history

    cards = max(50, reviews * 38_000 // 250_000)
    rows = history(cards, now, seed=2026)
    store = Store.open(data_dir)
    try:
        store_history(store, rows, cards)
        store.compact(force=True)
    finally:
        store.close()
    return len(rows)


def measure_all(data_dir: Path, reviews: int) -> dict[str, object]:
    """The workload's figures, then a learner's year of about `reviews` answers (`year_…`)."""
    now = datetime.now(UTC).replace(microsecond=0)  # Anki counts days back from the real now
    result = measure_optimize(data_dir, now)
    work = Path(tempfile.mkdtemp(prefix="deskwork-bench-year-"))
    try:
        result["year_reviews"] = generate_year(work / "year", now, reviews)
        result |= measure_optimize(work / "year", now, prefix="year_")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="heavy")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from figures import report
    from workload import SCALES, generate

    work = Path(tempfile.mkdtemp(prefix="deskwork-bench-opt-"))
    try:
        generate(work / "data", SCALES[args.scale])
        result = measure_all(work / "data", SCALES[args.scale].reviews)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
