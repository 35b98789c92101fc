"""A path field with completion: as you type, the rest of the first matching file or folder is
offered (folders first, then files with the wanted suffixes); Tab or → takes it, so a deck is picked
in a few keys without knowing the exact name. `~` is your home; a relative path starts in the
folder deskwork was started from."""

from __future__ import annotations

import os
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

MAX_ENTRIES = 5000  # a folder bigger than this is not listed (completion just stops)
HINT = "Tab completes the path"


def complete_path(value: str, suffixes: tuple[str, ...] = ()) -> str | None:
    """`value` completed to the first matching entry of its folder (a folder ends with /)."""
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, prefix = os.path.split(expanded)
    try:
        with os.scandir(folder or ".") as listing:
            entries = []
            for n, entry in enumerate(listing):
                if n >= MAX_ENTRIES:
                    return None
                entries.append(entry)
    except OSError:
        return None
    matches: list[tuple[int, str]] = []
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            matches.append((0, name + "/"))
        elif not suffixes or name.lower().endswith(suffixes):
            matches.append((1, name))
    if not matches:
        return None
    _, best = min(matches, key=lambda m: (m[0], m[1].lower()))
    return value + best[len(prefix) :]


class PathSuggester(Suggester):
    def __init__(self, suffixes: tuple[str, ...] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(s.lower() for s in suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value, self.suffixes)


class PathInput(Input):
    """An Input for a file path: completion shown dimmed after the cursor, Tab takes it."""

    BINDINGS = [Binding("tab", "complete", "Complete the path", show=False)]

    def __init__(self, suffixes: tuple[str, ...] = (), **kwargs: object) -> None:
        super().__init__(suggester=PathSuggester(suffixes), **kwargs)  # type: ignore[arg-type]

    def action_complete(self) -> None:
        suggestion = self._suggestion
        if suggestion and len(suggestion) > len(self.value):
            self.value = suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


def user_file(text: str) -> Path:
    """What was typed in a path field, as a path (`~` expanded)."""
    return Path(os.path.expanduser(text.strip()))


def missing_file(text: str, also_in: Path | None = None) -> str:
    """ "no such file: PATH" (or "PATH is a folder"), or "" when the file is there (see
    `found_file` for `also_in`)."""
    path = found_file(text, also_in)
    if path.is_dir():
        return f"{path} is a folder, not a file"
    if path.exists():
        return ""
    looked = f" (nor in {also_in})" if also_in is not None and not path.is_absolute() else ""
    return f"no such file: {path}{looked}"


def found_file(text: str, also_in: Path | None = None) -> Path:
    """The file typed in a path field to read from: as given (`~` expanded, a relative path
    from the folder deskwork was started in), or — a relative name not found there — in
    `also_in` when it is there: the exports folder, where an export's bare name went, so the
    name an export was given imports it again."""
    path = user_file(text)
    if also_in is None or path.is_absolute() or path.exists():
        return path
    there = also_in / path
    return there if there.exists() else path


def export_target(text: str, folder: Path) -> Path:
    """Where an export typed as `text` goes: an absolute path (or ~) as given, a bare or relative
    name inside `folder` (the exports folder, created when needed), never the current folder."""
    path = user_file(text)
    target = path if path.is_absolute() else folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.absolute()
