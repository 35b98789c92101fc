"""Telling the user a phase ended: desktop notifications (plyer) and hook commands.

On a headless Linux box plyer raises NotImplementedError (or fails to reach a notification daemon):
that is detected once and remembered, never retried on every phase, never a crash. In-app toasts and
the terminal bell are the UI's part.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import warnings
from collections.abc import Callable, Mapping
from typing import NamedTuple


class DesktopNotifier:
    def __init__(self, enabled: bool = True) -> None:
        self.available: bool | None = None if enabled else False
        self.reason = "" if enabled else "turned off in the config"

    def send(self, title: str, message: str) -> bool:
        """Show a desktop notification if the platform can; False (once explained) if it cannot."""
        if self.available is False:
            return False
        try:
            with warnings.catch_warnings():  # plyer warns on stderr, which would scar the TUI
                warnings.simplefilter("ignore")
                from plyer import notification

                notification.notify(title=title, message=message, app_name="deskwork", timeout=10)
        except Exception as exc:  # plyer raises NotImplementedError, dbus errors, OSError...
            self.available = False
            self.reason = f"{type(exc).__name__}: {exc}".strip(": ")
            return False
        self.available = True
        return True


class HookResult(NamedTuple):
    """How a hook's command ended (a NamedTuple: see domain.timer.TimerSettings)."""

    event: str
    command: str
    returncode: int | None  # None: killed after the timeout
    error: str = ""


def run_hook(
    event: str,
    command: str,
    env: Mapping[str, str],
    timeout_s: float,
    done: Callable[[HookResult], None] | None = None,
) -> threading.Thread:
    """Run `command` through the shell in the background; kill its process group after `timeout_s`."""

    def target() -> None:
        try:
            proc = subprocess.Popen(
                command,
                shell=True,
                env={**os.environ, **env},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            result = HookResult(event, command, None, str(exc))
        else:
            try:
                result = HookResult(event, command, proc.wait(timeout=timeout_s))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                result = HookResult(event, command, None, f"killed after {timeout_s:g} s")
        if done is not None:
            done(result)

    thread = threading.Thread(target=target, name=f"hook {event}", daemon=True)
    thread.start()
    return thread
