"""The `[keys]` config table -> a Textual keymap, checked against the known binding ids."""

from __future__ import annotations

import re
from pathlib import Path

from deskwork.ui.commands import Command

_KEY = re.compile(r"^[a-z0-9_+\-]+$")


def resolve_keymap(
    overrides: dict[str, str], commands: tuple[Command, ...], config_file: Path
) -> tuple[dict[str, str], list[str]]:
    """Valid overrides and a message per rejected one (naming the file and the key)."""
    known = {c.id for c in commands}
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in overrides.items():
        if binding_id not in known:
            problems.append(
                f"{config_file}: [keys] '{binding_id}' is not a binding id (see the help screen, ?)"
            )
            continue
        parts = [k.strip() for k in keys.split(",")]
        if not keys.strip() or not all(parts) or not all(_KEY.match(k) for k in parts):
            problems.append(
                f"{config_file}: [keys] '{binding_id}' = {keys!r}: expected keys like "
                "'ctrl+s' or 'f6,s' (comma-separated)"
            )
            continue
        keymap[binding_id] = ",".join(parts)
    return keymap, problems


def effective_keys(command: Command, keymap: dict[str, str]) -> str:
    return keymap.get(command.id, command.keys)
