"""Where data, config and user themes live.

`--data-dir DIR` or `DESKWORK_HOME=DIR` puts *everything* under DIR (data, `config.toml`, `themes/`),
so a test or a second profile is fully isolated. Otherwise the platform's own places are used.
Exports default to `exports_dir` (documents folder, or DIR/exports).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import platformdirs

APP = "deskwork"


class Paths(NamedTuple):
    """The data and config folders.
    A NamedTuple, not a frozen dataclass: the class is made at every start, and a
    dataclass's generated methods cost ~0.5 ms to compile (README, "Where a start goes")."""

    data_dir: Path
    config_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def user_themes(self) -> Path:
        return self.config_dir / "themes"

    @property
    def exports_dir(self) -> Path:
        """Where the TUI's exports go unless told otherwise: `exports/` under DIR when one folder
        holds everything (`--data-dir` / DESKWORK_HOME), else the platform's documents folder
        (~/Documents/deskwork). Never the current folder (a git clone, say)."""
        if self.data_dir == self.config_dir:
            return self.data_dir / "exports"
        return Path(platformdirs.user_documents_dir()) / APP

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> Paths:
        home = data_dir if data_dir is not None else os.environ.get("DESKWORK_HOME") or None
        if home is not None:
            root = Path(home).expanduser().absolute()
            return cls(data_dir=root, config_dir=root)
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP)),
            config_dir=Path(platformdirs.user_config_dir(APP)),
        )
