"""The garbage collector while deskwork starts.

Start-up (importing Textual, pydantic and deskwork, building the models, composing the desk) makes
a few hundred thousand objects that nearly all live until the app quits. With Python's default
thresholds the collector runs about a hundred and fifty times meanwhile, a few full collections
among them, and finds next to nothing: 20-30 ms of every start at the heavy year, for nothing.

`begin` (called when the `deskwork` package is first imported) raises the first generation's
threshold so that few collections run; `end` (the app calls it once its first frame is drawn; a
short-lived command need not) puts the usual thresholds back, unless something set its own policy
meanwhile. The collector is never off: garbage in cycles is still found, only less often.
"""

from __future__ import annotations

import gc

START_THRESHOLD = 20_000  # allocations between two young collections while starting (usual: 700)

_usual: tuple[int, int, int] | None = None
_ours: tuple[int, int, int] | None = None


def begin() -> None:
    global _usual, _ours
    if _usual is not None:
        return
    _usual = gc.get_threshold()
    if _usual[0] < START_THRESHOLD:
        gc.set_threshold(START_THRESHOLD, *_usual[1:])
    _ours = gc.get_threshold()


def end() -> None:
    """Back to the usual thresholds (once; a policy set since `begin` is left alone)."""
    global _ours
    if _usual is not None and _ours is not None and gc.get_threshold() == _ours:
        gc.set_threshold(*_usual)
    _ours = None


def starting() -> bool:
    return _ours is not None
