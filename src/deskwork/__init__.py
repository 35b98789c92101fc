"""deskwork: a keyboard-first study desk in the terminal."""

__version__ = "0.1.0"
