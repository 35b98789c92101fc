"""A command: a binding id (rebindable from `[keys]`), default keys, a palette title, a line of
help, and the pane it belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    id: str
    keys: str
    action: str
    title: str
    help: str
    show: bool = True
    priority: bool = False
    scope: str = ""  # "" = the app; else the id of the pane whose keys these are

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.title,
            show=self.show,
            id=self.id,
            priority=self.priority,
        )
