"""What opening (and later loading) the store found: shown in the TUI, on CLI stderr and by doctor."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deskwork.domain.wording import plural
from deskwork.store.checksums import describe_ids
from deskwork.store.codec import InvalidRecord


@dataclass
class Loss:
    """Records a recovery could not bring back: `ids` are gone; `stale` may be in an older version."""

    table: str
    ids: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    stale_note: str = ""  # what happened to the stale ones: "are as of backup X; …"

    def __str__(self) -> str:
        parts = []
        if self.ids:
            parts.append(
                f"{self.table}: {plural(len(self.ids), 'record')} could not be recovered "
                f"({describe_ids(self.ids)})"
            )
        if self.stale:
            note = self.stale_note
            if len(self.stale) == 1 and note.startswith("are "):
                note = "is " + note[4:]
            parts.append(
                f"{self.table}: {plural(len(self.stale), 'record')} {note} "
                f"({describe_ids(self.stale)})"
            )
        return "; ".join(parts)


@dataclass
class OpenReport:
    """What happened while opening and loading: told to the user (TUI notification, CLI stderr)."""

    recovered: list[str] = field(default_factory=list)
    invalid: list[InvalidRecord] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # a compaction or backup that failed
    backup: Path | None = None
    migrated_from: int | None = None

    def lose(self, loss: Loss) -> None:
        if loss.ids or loss.stale:
            self.losses.append(loss)
            self.recovered.append(str(loss))

    def size(self) -> int:
        """Grows whenever something new is to be told (the TUI polls it)."""
        return len(self.recovered) + len(self.warnings) + len(self.invalid)

    def lost_ids(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for loss in self.losses:
            out.setdefault(loss.table, set()).update(loss.ids | loss.stale)
        return out

    @property
    def problems(self) -> list[str]:
        """Messages for the user; many bad records of one table make one message, not thousands."""
        by_table: dict[str, list[InvalidRecord]] = {}
        for problem in self.invalid:
            by_table.setdefault(problem.table, []).append(problem)
        messages = list(self.recovered) + list(self.warnings)
        for table, bad in by_table.items():
            if len(bad) <= 3:
                messages += [str(p) for p in bad]
            else:
                messages.append(
                    f"{table}: {plural(len(bad), 'record')} failed validation and are kept unchanged "
                    f"(`deskwork doctor` lists them), e.g. {bad[0]}; {bad[1]}"
                )
        return messages
