"""Glue between the app and `deskwork.remote_channel`: start listening once mounted (writer only),
apply what `deskwork …` commands sent on the app's thread, then show the result everywhere
(timer, queue, cards, drafts) with a short toast; stop before the desk closes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Protocol

from textual.message import Message

from deskwork.ui.host import Notifies


class RemoteChannel(Protocol):
    """How `deskwork` commands typed elsewhere reach this app (deskwork.remote_channel.Channel)."""

    problem: str

    def start(self, wake: Callable[[], None]) -> bool: ...

    def run_pending(self) -> list[str]: ...

    def close(self) -> None: ...


class RemoteWake(Message):
    """A command from outside is waiting (posted from the channel's thread)."""


class _Reloads(Protocol):
    def reload(self) -> None: ...


class _Changes(Protocol):
    def changed(self) -> None: ...


class RemoteHost(Notifies, Protocol):
    """What the glue needs of the app."""

    @property
    def timer(self) -> _Reloads: ...

    @property
    def curriculum(self) -> _Changes: ...

    @property
    def cards(self) -> _Changes: ...

    def post_message(self, message: Message) -> bool: ...


class RemoteControl:
    def __init__(self, app: RemoteHost, channel: RemoteChannel | None) -> None:
        self.app = app
        self.channel = channel
        self.closed = False

    def start(self, writable: bool) -> None:
        if self.channel is None or not writable:
            self.channel = None
            return
        if not self.channel.start(self._wake):
            self.app.notify(self.channel.problem, severity="warning", timeout=12, markup=False)

    def _wake(self) -> None:
        with contextlib.suppress(RuntimeError):  # the app is gone: the channel refuses anyway
            self.app.post_message(RemoteWake())

    def run(self) -> None:
        """Apply what `deskwork …` commands sent, then show the result everywhere."""
        if self.channel is None or self.closed:
            return
        applied = self.channel.run_pending()
        if applied:
            self.app.timer.reload()
            self.app.curriculum.changed()
            if any(a.split()[:1] == ["cards"] for a in applied):
                self.app.cards.changed()  # restarts the review: only when cards changed
            self.app.notify(
                "From the command line: " + "; ".join(f"deskwork {a}" for a in applied),
                timeout=4,
                markup=False,
            )

    def close(self) -> None:
        """Refuses what the channel has not taken: those commands run on their own."""
        self.closed = True
        if self.channel is not None:
            self.channel.close()
