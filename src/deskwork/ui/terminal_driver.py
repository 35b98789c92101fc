"""The terminal driver: Textual's own Linux driver, plus one guarantee for a terminal that goes away.

When the terminal window closes, the pty's master side vanishes: every later write to it fails with
EIO and every read returns EIO. Textual's writer thread dies on the first failed write, after which
its bounded queue (30 writes) fills and the next `write` blocks the event loop for ever — before the
hang-up handler (which saves and quits) gets to run. Its input thread turns the failed read into a
`panic`. Here a failed write marks the terminal gone and every later write is dropped (the queue
keeps draining), and a failed read asks the app to save and quit as a hang-up does.

And one repair: the input loop passes the terminal's text through a `PasteFilter`, so that escape
sequences inside a bracketed paste never reach the parser (which made them key presses).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import IO, Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from deskwork.ui.paste_filter import PasteFilter


class TerminalGone(Message):
    """Posted to the app (from the writer or input thread) when its terminal has gone away."""


class _GoneTolerantOutput:
    """The terminal's output stream; the first failed write or flush makes it a sink."""

    def __init__(self, stream: IO[str], gone: Callable[[], None]) -> None:
        self._stream = stream
        self._gone = gone
        self.broken = False

    def _fail(self) -> None:
        if not self.broken:
            self.broken = True
            self._gone()

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._stream.write(text)
            except (OSError, ValueError):
                self._fail()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._fail()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class HangupSafeDriver(LinuxDriver):
    """Textual's Linux driver that never blocks or panics once its terminal has gone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gone_once = threading.Event()
        if self._file is not None:
            self._file = _GoneTolerantOutput(self._file, self._terminal_gone)  # type: ignore[assignment]

    def _terminal_gone(self) -> None:
        """Called from the writer or input thread, once: quit as closing the window does."""
        if self._gone_once.is_set():
            return
        self._gone_once.set()
        self._app.post_message(TerminalGone())  # thread-safe; never waits for the loop

    def run_input_thread(self) -> None:
        """Textual's input loop (LinuxDriver.run_input_thread, textual 8.2), with the terminal's
        text passed through a `PasteFilter` before the parser: escape sequences inside a paste
        are dropped instead of turning into key presses (ui/paste_filter.py)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode
        pasted = PasteFilter()

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for last, (_key, mask) in loop_last(ready):
                if mask & selectors.EVENT_READ:
                    text = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not text:
                        break
                    for event in feed(pasted(text)):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in feed(""):
                    pass

    def _run_input_thread(self) -> None:
        try:
            self.run_input_thread()
        except OSError:  # EIO: the terminal went away under the read
            self._terminal_gone()
        except BaseException:  # a real bug: reported as Textual reports it
            import rich.traceback

            self._app.call_later(self._app.panic, rich.traceback.Traceback())
