"""Textual's StylesCache leak (ui/styles_cache_fix.py): a widget's StylesCache, with the lines it
rendered, is no longer kept by `get_inner_outer`'s cache once the widget is gone."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color

from deskwork.ui.styles_cache_fix import install


def test_a_styles_cache_is_freed_after_get_inner_outer_and_the_answer_is_the_same() -> None:
    base, background = Color(28, 27, 34), Color(48, 46, 58, 0.5)
    expected = StylesCache().get_inner_outer(base, background)
    install()
    install()  # a second call changes nothing
    cache = StylesCache()
    assert cache.get_inner_outer(base, background) == expected
    dead = weakref.ref(cache)
    del cache
    gc.collect()
    assert dead() is None  # Textual's lru_cache held it (and every line it rendered)
