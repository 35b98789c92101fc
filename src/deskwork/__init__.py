"""deskwork: a keyboard-first study desk in the terminal."""

from deskwork import startup_gc

startup_gc.begin()  # first thing: see startup_gc (the collector while deskwork starts)

__version__ = "0.1.0"
