"""Running fsrs-rs (the Rust FSRS Anki uses, through `fsrs-rs-python`): training parameters,
evaluating them (log loss, RMSE in bins) and batch memory states.

Training holds Python's lock for its whole run (seconds on a year of reviews), so it runs in a
child process: the app stays responsive, and cancelling ends the child at once. The child gets the
items as plain (ratings, delta_ts) lists and answers with plain numbers.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork.domain.cancel import Cancelled

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

Sequences = list[tuple[list[int], list[int]]]
EPOCHS = 8  # Anki trains for 8 epochs (fsrs-rs's other training settings are its defaults)


class TrainingFailed(RuntimeError):
    """fsrs-rs refused the data, or the child process died."""


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse: float  # RMSE in bins, as Anki shows it

    def as_json(self) -> dict[str, float]:
        return {"log_loss": round(self.log_loss, 6), "rmse_bins": round(self.rmse, 6)}


@dataclass(frozen=True)
class Trained:
    parameters: list[float]
    before: Evaluation
    after: Evaluation
    keep_current: bool  # Anki's rule says the current parameters stay
    peak_kb: int = 0  # the training process's peak memory, where the system tells it


def peak_kb() -> int:
    """This process's peak resident memory in KB: Linux's VmHWM (the peak of this program
    alone; `ru_maxrss` also counts what a forked child inherited from its parent), else 0."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def default_parameters() -> list[float]:
    from fsrs_rs_python import DEFAULT_PARAMETERS

    return [float(v) for v in DEFAULT_PARAMETERS]


def items_of(sequences: Sequences, prefixes: list[tuple[int, int]] | None = None) -> list[FSRSItem]:
    """FSRS items: each sequence whole, or (`prefixes`) the first n answers of sequence h."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    reviews = [
        [FSRSReview(r, d) for r, d in zip(ratings, deltas, strict=True)]
        for ratings, deltas in sequences
    ]
    if prefixes is None:
        return [FSRSItem(r) for r in reviews]
    return [FSRSItem(reviews[h][:n]) for h, n in prefixes]


def evaluate(parameters: Sequence[float], items: list[FSRSItem]) -> Evaluation:
    from fsrs_rs_python import FSRS

    result = FSRS(list(parameters)).evaluate(items)
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


def _short_term_shrinks(parameters: Sequence[float], relearning_steps: int) -> bool:
    """Anki: with more than one relearning step, current parameters are kept only if a lapse
    followed by those steps leaves stability below where it started."""
    from fsrs_rs_python import FSRS, MemoryState

    model = FSRS(list(parameters))
    start = MemoryState(1.0, 1.0)
    state = model.next_states(start, 0.9, 2).again.memory
    for _ in range(relearning_steps):
        state = model.next_states(state, 0.9, 0).good.memory
    return float(state.stability) < 1.0


def train(
    sequences: Sequences,
    prefixes: list[tuple[int, int]],
    card_ids: list[int],
    current: Sequence[float],
    relearning_steps: int,
) -> Trained:
    """Anki's `compute_params` on the items (`prefixes` of the cards' `sequences`): train, then
    compare with the current parameters on the same items. Runs in the caller's process."""
    from fsrs_rs_python import FSRS, TrainingConfig

    items = items_of(sequences, prefixes)
    try:
        found = FSRS(list(current)).compute_parameters(
            items,
            card_ids=card_ids,
            enable_short_term=True,
            num_relearning_steps=relearning_steps,
            training_config=TrainingConfig(num_epochs=EPOCHS),
        )
    except (ValueError, RuntimeError) as exc:
        raise TrainingFailed(f"the optimiser refused the history: {exc}") from None
    parameters = [float(v) for v in found]
    before = evaluate(current, items)
    after = evaluate(parameters, items)
    keep = before.log_loss <= after.log_loss and (
        relearning_steps <= 1 or _short_term_shrinks(current, relearning_steps)
    )
    return Trained(parameters, before, after, keep)


def _child_main() -> None:
    """The child: arguments pickled on stdin, ("ok", Trained) or ("error", text) on stdout."""
    args = pickle.load(sys.stdin.buffer)
    try:
        t = train(*args)  # sent as plain values: this module is __main__ here
        answer: tuple[str, Any] = (
            "ok",
            (t.parameters, t.before.log_loss, t.before.rmse, t.after.log_loss, t.after.rmse,
             t.keep_current, peak_kb()),
        )  # fmt: skip
    except Exception as exc:  # reported to the parent, which raises it
        answer = ("error", f"{type(exc).__name__}: {exc}")
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.buffer.flush()


def _child_env() -> dict[str, str]:
    """This environment, with the folder deskwork is imported from first on the path (so the
    child finds the same deskwork, installed or not)."""
    import deskwork

    root = str(Path(deskwork.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


def train_in_child(
    sequences: Sequences,
    prefixes: list[tuple[int, int]],
    card_ids: list[int],
    current: Sequence[float],
    relearning_steps: int,
    cancelled: Callable[[], bool] = lambda: False,
    poll_s: float = 0.1,
) -> Trained:
    """`train` in a child process (`python -m deskwork.services.fsrs_train`); `cancelled` is
    polled, and ends the child when it says so (the app stays responsive: training holds
    Python's lock for its whole run)."""
    # The arguments go through a temporary file: a pipe would need a writer thread (a retried
    # `communicate` does not go on sending its input).
    with tempfile.TemporaryFile() as args:
        pickle.dump((sequences, prefixes, card_ids, list(current), relearning_steps), args)
        args.seek(0)
        process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_child_env(),
        )
    try:
        while True:
            try:
                out, err = process.communicate(timeout=poll_s)
                break
            except subprocess.TimeoutExpired:
                if cancelled():
                    raise Cancelled() from None
        if process.returncode != 0 or not out:
            why = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no answer"]
            raise TrainingFailed(f"the optimiser stopped (exit {process.returncode}): {why[0]}")
        kind, value = pickle.loads(out)  # our own child's answer
        if kind != "ok":
            raise TrainingFailed(str(value))
        params, loss0, rmse0, loss1, rmse1, keep, peak = value
        return Trained(params, Evaluation(loss0, rmse0), Evaluation(loss1, rmse1), keep, peak)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def memory_states(
    parameters: Sequence[float],
    histories: Sequence[tuple[list[int], list[int], tuple[float, float] | None]],
    retention: float = 0.9,
) -> list[tuple[float, float]]:
    """(stability, difficulty) after each history, as Anki recomputes them: from the first answer
    when the history is complete, else from SM-2's ease and interval of the first answer kept
    (`historical retention` 0.9, Anki's default), the remaining answers applied after it."""
    from fsrs_rs_python import FSRS, FSRSItem, FSRSReview, MemoryState

    model = FSRS(list(parameters))
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(histories)
    batch_items: list[FSRSItem] = []
    batch_starts: list[MemoryState | None] = []
    batch_index: list[int] = []
    for index, (ratings, deltas, sm2) in enumerate(histories):
        reviews = [FSRSReview(r, d) for r, d in zip(ratings, deltas, strict=True)]
        start: MemoryState | None = None
        if sm2 is not None:
            ease, interval = sm2
            start = model.memory_state_from_sm2(ease, interval, retention)
            if ease <= 1.1:
                start = MemoryState(float(start.stability), (ease - 0.1) * 9.0 + 1.0)
            reviews = reviews[1:]
            if not reviews:
                out[index] = (float(start.stability), float(start.difficulty))
                continue
        batch_items.append(FSRSItem(reviews))
        batch_starts.append(start)
        batch_index.append(index)
    if batch_items:
        for index, state in zip(
            batch_index, model.memory_state_batch(batch_items, batch_starts), strict=True
        ):
            out[index] = (float(state.stability), float(state.difficulty))
    return out


if __name__ == "__main__":
    _child_main()
