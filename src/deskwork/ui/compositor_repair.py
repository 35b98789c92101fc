"""One repair to Textual's compositor: what a layout removes or moves is always repainted.

Textual lays the screen out in two ways: a full reflow, which compares the new map of every
widget's place with the last one and repaints what changed (a toast that went, a pane that grew
when another was zoomed), and, after a scroll, a quick one over the visible widgets that leaves the
full map to be rebuilt on its next read. That lazy rebuild became the map the next full reflow
compared with. Reads come in between all the time (any widget's `region`; Textual's own clean-up
after a removal reads one), so a toast that expired after a scroll was already missing from the
map compared with: its cells were never repainted and stayed on screen (fragments of "End of the
study day" over the zoomed draft editor), and a zoom that came after a scroll sent the zoomed
area no resize (the draft area kept its narrow layout).

Here the full reflow compares with the map the last full reflow made (what was laid out and
painted), whatever was rebuilt lazily in between, and also repaints what changed against that lazy
map. It is installed only on a compositor that makes the private attributes it reads (Textual 8.2.x;
pyproject allows >=8.2,<9); elsewhere it is not (`installed()` says so) and the test that reads the screen after a
toast fails loudly.
"""

from __future__ import annotations

from typing import Any

_INSTALLED = False


def installed() -> bool:
    return _INSTALLED


def repair_compositor() -> bool:
    """Install the repair once (idempotent). False when this Textual lacks the parts it needs."""
    global _INSTALLED
    if _INSTALLED:
        return True
    from textual._compositor import Compositor

    # The parts patched here are private (the same in 8.2.0 to 8.2.8, compared by a review): a
    # compositor that does not make every attribute the repair reads is left alone. (Not
    # `textual.__version__`: it imports importlib.metadata, ~10 ms before the first frame.)
    made = set(Compositor.__init__.__code__.co_names)
    if not {"_full_map", "_full_map_invalidated", "root", "_dirty_regions"} <= made:
        return False
    lazy = getattr(Compositor, "full_map", None)
    reflow = getattr(Compositor, "reflow", None)
    clear = getattr(Compositor, "clear", None)
    if not isinstance(lazy, property) or lazy.fget is None or reflow is None or clear is None:
        return False
    rebuild = lazy.fget

    def full_map(self: Any) -> Any:
        if self._full_map_invalidated and self.root is not None and "_laid_out" not in vars(self):
            self._laid_out = self._full_map  # what the next reflow compares with
        return rebuild(self)

    def repaired_reflow(self: Any, parent: Any, size: Any) -> Any:
        laid_out = vars(self).pop("_laid_out", None)
        rebuilt = self._full_map
        if laid_out is not None:
            self._full_map = laid_out
        result = reflow(self, parent, size)
        if laid_out is not None:
            # What is on screen after a scroll matches the lazily rebuilt map, not the last full
            # layout's: what changed against it is repainted too (a container scrolled back in the
            # same frame as a layout change kept the scrolled-to rows on screen; a review found).
            for _, geometry in self._full_map.items() ^ rebuilt.items():
                region = geometry.clip.intersection(geometry.region)
                if region:
                    self._dirty_regions.add(region)
        return result

    def repaired_clear(self: Any) -> None:
        vars(self).pop("_laid_out", None)
        clear(self)

    Compositor.full_map = property(full_map)  # type: ignore[method-assign,assignment]
    Compositor.reflow = repaired_reflow  # type: ignore[method-assign]
    Compositor.clear = repaired_clear  # type: ignore[method-assign]
    _INSTALLED = True
    return True
