"""When a save fails (disk full, I/O error) the TUI stays up: it says what failed, goes read-only,
and retries until writing works again.

The store raises StoreWriteError only when nothing of the write was saved, so the action that failed
simply did not happen; every later change is refused with the reason until a probe write succeeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deskwork.store.errors import StoreWriteError

if TYPE_CHECKING:
    from deskwork.ui.app import DeskworkApp

RETRY_S = 10.0


def write_error_in(error: BaseException) -> StoreWriteError | None:
    """The StoreWriteError behind `error` (a worker wraps what it raised), if any."""
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, StoreWriteError):
            return seen
        seen = getattr(seen, "error", None) or seen.__cause__ or seen.__context__
    return None


class WriteGuard:
    def __init__(self, app: DeskworkApp) -> None:
        self.app = app
        self.failure: str | None = None  # why the last save failed; None while saving works

    def failed(self, error: StoreWriteError) -> None:
        first = self.failure is None
        self.failure = str(error)
        if first:
            self.app.notify(
                f"{error}. Read-only until saving works again (retried every {RETRY_S:.0f} s).",
                title="Could not save",
                severity="error",
                timeout=20,
                markup=False,
            )
            self.app.set_timer(RETRY_S, self.retry)

    def retry(self) -> None:
        if self.failure is None:
            return
        if self.app.desk.store.probe():
            self.failure = None
            self.app.notify("Saving works again", title="deskwork", markup=False)
        else:
            self.app.set_timer(RETRY_S, self.retry)

    def refuse(self) -> bool:
        """True (after saying why) while saving does not work."""
        if self.failure is None:
            return False
        self.app.notify(
            f"Read-only: {self.failure}", severity="warning", markup=False, title="Not saved"
        )
        return True
