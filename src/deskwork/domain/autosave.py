"""When to autosave: at most `delay_s` after the first unsaved keystroke, whether or not typing
pauses, so a crash loses at most that much typing. Pure: the caller passes the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Autosave:
    delay_s: float = 1.5
    first_unsaved: datetime | None = None

    @property
    def dirty(self) -> bool:
        return self.first_unsaved is not None

    def edited(self, now: datetime) -> None:
        if self.first_unsaved is None:
            self.first_unsaved = now

    def due(self, now: datetime) -> bool:
        return (
            self.first_unsaved is not None
            and (now - self.first_unsaved).total_seconds() >= self.delay_s
        )

    def saved(self) -> None:
        self.first_unsaved = None
