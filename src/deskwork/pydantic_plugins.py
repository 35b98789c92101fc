"""pydantic's plugins, which deskwork does not use: not looked for, so not paid for at start-up.

pydantic looks for plugins (the `pydantic` entry-point group of every installed distribution) the
first time it builds a validator. Its loader module imports `importlib.metadata` (and with it
`email`, `zipfile`, `csv`…) and scans every distribution's entry points: ~10 ms of each start, for
plugins deskwork has none of. pydantic's own switch, `PYDANTIC_DISABLE_PLUGINS=__all__`, skips the
scan but not those imports, and an environment variable set here would reach the programs the
timer's hooks run.

`skip_discovery` (called when the `deskwork` package is first imported) stands in for pydantic's
loader module a small one whose `get_plugins` returns no plugins (what the real one returns with
`PYDANTIC_DISABLE_PLUGINS=__all__`). Anything else asked of that module loads the real one. A user
who sets `PYDANTIC_DISABLE_PLUGINS` (to anything, the empty string included: pydantic then loads
every plugin) gets pydantic's own behaviour, untouched.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable
from typing import Any

LOADER = "pydantic.plugin._loader"
SWITCH = "PYDANTIC_DISABLE_PLUGINS"


class _NoPlugins(types.ModuleType):
    """pydantic's plugin loader as it behaves with every plugin disabled."""

    @staticmethod
    def get_plugins() -> Iterable[Any]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asking whether this is a package
            raise AttributeError(name)
        # Something other than pydantic's validator factory wants the loader: the real one.
        if sys.modules.get(LOADER) is self:
            del sys.modules[LOADER]
        real = importlib.import_module(LOADER)
        return getattr(real, name)


def skip_discovery() -> bool:
    """Stand in for pydantic's plugin loader unless the user chose a plugin policy or pydantic
    loaded it already. Returns whether it did."""
    if SWITCH in os.environ or LOADER in sys.modules:
        return False
    sys.modules[LOADER] = _NoPlugins(LOADER, __doc__)
    return True
