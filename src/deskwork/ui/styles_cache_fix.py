"""A fix for a memory leak in Textual: every closed screen's rendered lines kept alive.

Textual's `StylesCache.get_inner_outer` is an instance method under `functools.lru_cache(1024)`
(Textualize/textual#6665, open): each widget's StylesCache, with every line it rendered (Strips,
seven FIFOCaches each, their Segments), is a key of that cache and outlives its widget, up to
1,024 of them. A round of the card browser and the stats left ~26 of them (~3,000 objects) for
good; on the heavy data rss grew in steps round after round (116 -> 198 MB in 150 rounds).
The answer depends on the two colours alone, so `install` puts in its place a method whose cache
is keyed by them (the same function, the same bound), and empties the old cache.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color


def install() -> None:
    """Once per process (a second call changes nothing)."""
    current: Any = StylesCache.get_inner_outer
    if getattr(current, "deskwork_fix", False):
        return
    compute: Callable[..., Any] = getattr(current, "__wrapped__", current)

    @lru_cache(1024)
    def by_colours(base_background: Color, background: Color) -> Any:
        return compute(None, base_background, background)  # (it never reads its first argument)

    def get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> Any:
        return by_colours(base_background, background)

    get_inner_outer.deskwork_fix = True  # type: ignore[attr-defined]
    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign,assignment]
    clear = getattr(current, "cache_clear", None)
    if clear is not None:
        clear()  # what the old cache held goes
