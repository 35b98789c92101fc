"""When a save fails (disk full, I/O error) the TUI stays up: it says what failed, goes read-only,
and retries until writing works again.

The store raises StoreWriteError only when nothing of the write was saved, so the action that failed
simply did not happen; every later change is refused with the reason until a probe write succeeds.

With group commit (store/flusher.py) a write returns once it is written, and its fdatasync comes
later from the flusher thread. A sync that fails there is not an error of any action: the guard
hears it (`listener`, moved to the app's thread), says plainly which changes may not be on disk,
and has the flusher try again (the next write does too, and the close); once a sync returns it
says they are on disk now. The draft pane's "saved" waits for the sync covering its save.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from typing import TYPE_CHECKING

from deskwork.store.errors import StoreWriteError

if TYPE_CHECKING:
    from deskwork.store.flusher import Listener
    from deskwork.store.journal_writer import SyncFailure
    from deskwork.ui.host import PaneHost

RETRY_S = 10.0
NOT_ON_DISK = "NOT ON DISK (a sync fails; retried)"


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
    def __init__(self, app: PaneHost) -> None:
        self.app = app
        self.failure: str | None = None  # why the last save failed; None while saving works
        self.sync_failure: SyncFailure | None = None  # a flusher's sync failed: not on disk yet
        self._retrying = False  # a `retry_sync` timer is set

    # ------------------------------------------------------------------ the flusher's syncs
    def listener(self, loop: asyncio.AbstractEventLoop) -> Listener:
        """What the store calls after each sync of its journal (on the syncing thread): handed
        to this loop without waiting for it (the app's thread may itself be waiting for a sync).
        Called on the app's thread: `synced` runs in this context (Textual's active app), which
        its `set_timer` needs."""
        context = contextvars.copy_context()

        def heard(ticket: int, failure: SyncFailure | None) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: the app is gone
                loop.call_soon_threadsafe(self.synced, ticket, failure, context=context)

        return heard

    def synced(self, ticket: int, failure: SyncFailure | None) -> None:
        """A sync returned (`failure` None) or failed, whichever thread made it; on the app's
        thread. The guard's state follows every outcome, so a failure after another thread's
        successful sync is told again."""
        before, self.sync_failure = self.sync_failure, failure
        if failure is not None and before is None:
            self.app.notify(
                f"The last changes may not be on disk: the disk refused to sync them "
                f"({failure.why}). Not yet safe: {failure.what()}. deskwork keeps them and "
                f"writes them again at the next save, every {RETRY_S:.0f} s, and on quit.",
                title="Not on disk yet",
                severity="error",
                timeout=30,
                markup=False,
            )
            if not self._retrying:  # one chain of retries, however often it failed and healed
                self._retrying = True
                self.app.set_timer(RETRY_S, self.retry_sync)
        elif failure is None and before is not None:
            self.app.notify("The changes are on disk now", title="deskwork", markup=False)
        if (failure is None) != (before is None):
            self._mark_header(failure is not None)
        with contextlib.suppress(Exception):  # quitting: the pane may be gone
            self.app.draft_pane.durable_changed()

    def _mark_header(self, failing: bool) -> None:
        """A lasting marker in the header while a sync fails (the toast goes after 30 s)."""
        parts = [p for p in self.app.sub_title.split(" — ") if p and p != NOT_ON_DISK]
        self.app.sub_title = " — ".join([*parts, NOT_ON_DISK] if failing else parts)

    def retry_sync(self) -> None:
        if self.sync_failure is None:
            self._retrying = False
            return
        flusher = self.app.desk.store.flusher
        if flusher is not None:
            flusher.kick()  # off this thread: the flusher writes the lines again and syncs
        self.app.set_timer(RETRY_S, self.retry_sync)

    # ------------------------------------------------------------------ failed saves

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
