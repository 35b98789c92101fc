"""`deskwork cards optimize [--preset NAME] [--json]`: fit a preset's FSRS parameters to the review
history (every preset with cards, without --preset), as Anki's Optimize does."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from deskwork.clikit import CliError, emit, err, on_store, open_desk
from deskwork.paths import Paths


class _Progress:
    """One line on stderr per step, once the run has taken more than a second (a terminal only)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last = ""

    def __call__(self, what: str, done: int, total: int | None) -> None:
        if what == self.last or time.monotonic() - self.started < 1 or not sys.stderr.isatty():
            return
        self.last = what
        print(f"{what}…", file=err())


def cmd_optimize(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.presets import PresetError
    from deskwork.services import fsrs_train as ft
    from deskwork.services import optimize as op

    desk = open_desk(paths, readonly=False, what="deskwork cards optimize")
    try:
        results = op.optimize(desk, args.preset, _Progress(), on_store=on_store)
    except (PresetError, op.NotEnoughHistory, ft.TrainingFailed) as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    outcomes = [r for r in results if isinstance(r, op.Outcome)]
    data: dict[str, Any] = {
        "presets": [r.as_json() for r in outcomes],
        "skipped": [r for r in results if isinstance(r, str)],
    }
    lines = []
    for result in results:
        if isinstance(result, str):
            lines.append(result)
            continue
        lines.append(result.message)
        lines.append("  parameters: " + ", ".join(f"{v:.4f}" for v in result.parameters))
    emit(args, data, "\n".join(lines))
    return 0 if outcomes else 1


def register(add: Any, cards: Any) -> None:
    p = add(
        cards,
        "optimize",
        cmd_optimize,
        "fit FSRS parameters to your review history (adopted only if better)",
    )
    p.add_argument(
        "--preset", metavar="NAME", help="only this preset (default: every preset with cards)"
    )
    p.set_defaults(remote="thread")  # inside the running app, only the store steps use its thread
