"""The garbage collector while deskwork starts.

Start-up (importing Textual, pydantic and deskwork, building the models, composing the desk) makes
a few hundred thousand objects that nearly all live until the app quits. With Python's default
thresholds the collector runs about a hundred and fifty times meanwhile, a few full collections
among them, and finds next to nothing: 20-30 ms of every start at the heavy year, for nothing.

`begin` (called when the `deskwork` package is first imported) raises the first generation's
threshold so that few collections run; `end` (the app calls it once its first frame is drawn; a
short-lived command need not) puts the usual thresholds back, unless something set its own policy
meanwhile. While importing, the collector is never off: garbage in cycles is still found, only
less often (the package is imported by tests and commands too).

`pause` (the TUI's start, `cli.build_tui`) switches it off from there to the first frame: the
app's modules (Textual's among them) and the records the store's opening makes for the desk
(4,000 sessions, the curriculum, the drafts at the heavy year) all live until the app quits, and
the young collections meanwhile walked them, ~10 ms of CPU before the first frame. The app
freezes what start-up made at its first frame (ui/warm_up.py) before `end` switches the collector
back on, so nothing walks those records afterwards either; cyclic garbage made in the window is frozen with them and freed by the
idle collector's sweeps of the frozen set (ui/idle_collector.py). An app that quits before its
first frame resumes it when unmounted; a start that fails before the app runs, at once (`resume`).
"""

from __future__ import annotations

import gc

START_THRESHOLD = 20_000  # allocations between two young collections while starting (usual: 700)

_usual: tuple[int, int, int] | None = None
_ours: tuple[int, int, int] | None = None
_paused = False  # switched off by `pause`, to be switched back on by `resume`


def begin() -> None:
    global _usual, _ours
    if _usual is not None:
        return
    _usual = gc.get_threshold()
    if _usual[0] < START_THRESHOLD:
        gc.set_threshold(START_THRESHOLD, *_usual[1:])
    _ours = gc.get_threshold()


def end() -> None:
    """Back to the usual thresholds (once; a policy set since `begin` is left alone), and the
    collector back on if `pause` switched it off."""
    global _ours
    if _usual is not None and _ours is not None and gc.get_threshold() == _ours:
        gc.set_threshold(*_usual)
    _ours = None
    resume()


def pause() -> None:
    """No collection until `resume` (or `end`); nothing if the collector is off already (someone
    else's switch, left to them)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """The collector back on, if `pause` switched it off."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def starting() -> bool:
    return _ours is not None
