"""How the app ends when nobody is there to ask: the terminal closed (SIGHUP, or its pty failing
under a read or write: see `ui/terminal_driver.py`) or a plain `kill` (SIGTERM). The desk is saved
and closed first, as Ctrl+Q does; a watchdog ends a teardown that hangs on the vanished terminal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from deskwork.ui.desk_areas import DeskAreas

if TYPE_CHECKING:
    import threading

    from textual.driver import Driver

    from deskwork.ui.terminal_driver import TerminalGone


class AppGone(RuntimeError):
    """A worker's call into the app came as the app ended: it will never run."""


class HangsUp(DeskAreas):
    """The part of the app that quits by itself when its terminal goes, and lets its workers'
    calls end with it."""

    # close_desk ran. Not `_closed`: that is Textual's own (MessagePump), set as the app's
    # message queue closes, before on_unmount; the app's close_desk, seeing it, skipped the
    # draft's flush, the remote channel's socket and the desk on every exit but Ctrl+Q's.
    _desk_closed: bool = False

    @property
    def quitting(self) -> bool:
        """The desk closed, or Textual closing the app's message queue (the desk closes next)."""
        return self._desk_closed or self._closed

    _watchdog: threading.Timer | None = None

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Textual's, with one difference: a worker's call made as the app ends does not wait for
        ever. Textual waits on the loop's answer without a limit; a call handed to the loop as it
        stops is never run, so the worker thread waited for ever, and so did the process's exit,
        which joins the workers' threads. Here the wait ends with AppGone once the loop is closed
        or no longer running."""
        import asyncio
        import concurrent.futures
        import threading
        from functools import partial

        from textual._callback import invoke

        loop = self._loop
        if loop is None or loop.is_closed():
            raise AppGone("the app has ended")
        if self._thread_id == threading.get_ident():
            raise RuntimeError("call_from_thread must run in a thread other than the app's")
        call = partial(callback, *args, **kwargs)

        async def run_callback() -> Any:
            with self._context():
                return await invoke(call)

        coroutine = run_callback()
        try:
            future = asyncio.run_coroutine_threadsafe(coroutine, loop=loop)
        except RuntimeError as exc:  # the loop closed in between
            coroutine.close()
            raise AppGone("the app has ended") from exc
        while True:
            try:
                return future.result(timeout=0.2)
            except concurrent.futures.TimeoutError:
                if loop.is_closed() or not loop.is_running():  # nothing runs it now
                    future.cancel()
                    coroutine.close()
                    raise AppGone("the app ended before the call could run") from None

    def quit_now(self) -> None:
        """Save, close the desk and exit (the app defines it)."""
        raise NotImplementedError

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice of driver; on a Unix terminal, the one that survives the terminal going
        away (see ui/terminal_driver.py)."""
        chosen = super().get_driver_class()
        try:
            from textual.drivers.linux_driver import LinuxDriver

            from deskwork.ui.terminal_driver import HangupSafeDriver
        except ImportError:  # not a Unix terminal
            return chosen
        return HangupSafeDriver if chosen is LinuxDriver else chosen

    def on_terminal_gone(self, _: TerminalGone) -> None:
        self._hung_up()  # the same, told by the driver's threads (a failed read or write)

    def _hung_up(self) -> None:
        """The terminal closed (SIGHUP, or its pty failed under a read or write) or a plain `kill`
        came: save and quit as Ctrl+Q does. The store is closed before anything else happens; if
        Textual's own teardown then hangs on the vanished terminal, a watchdog ends the process
        (nothing is left unsaved by then)."""
        if not self._desk_closed:
            self.quit_now()
        else:  # saved already (Ctrl+Q came first): the teardown is what may hang now
            self.exit(0)
        if self._watchdog is None:
            import os
            import threading

            self._watchdog = threading.Timer(15.0, os._exit, args=(0,))
            self._watchdog.daemon = True
            self._watchdog.start()

    def _on_hangup(self, handler: Callable[[], object] | None) -> None:
        """Closing the terminal (SIGHUP) or a plain `kill` (SIGTERM) quits as Ctrl+Q does: the
        draft, the timer and the store are saved first. `None` puts the defaults back."""
        import asyncio
        import signal

        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop = asyncio.get_running_loop()
                if handler is None:
                    loop.remove_signal_handler(sig)
                else:
                    loop.add_signal_handler(sig, handler)
