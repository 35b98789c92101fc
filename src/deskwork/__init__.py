"""deskwork: a keyboard-first study desk in the terminal."""

from deskwork import pydantic_plugins, startup_gc

startup_gc.begin()  # first thing: see startup_gc (the collector while deskwork starts)
pydantic_plugins.skip_discovery()  # none are used: see pydantic_plugins

__version__ = "0.1.0"
