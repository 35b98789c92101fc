"""The `[keys]` config table -> a Textual keymap, checked before it is used, and keys as people read
them.

An override is refused, with a message naming the file, the entry and the reason, and the default
keys stay, when: the binding id is unknown; a key name is not a key (`ctrl+shift+alt+nonsense`); or a
key is already taken by a command that is active at the same time (two app commands, two commands
of the same area, or an area command hiding an app command). Swapping two commands' keys is fine:
clashes are judged on the keymap as a whole.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from textual.keys import KEY_TO_UNICODE_NAME, REPLACED_KEYS, Keys

from deskwork.ui.commands import Command

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED = {k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")} | {
    "minus",
    "plus",
    "slash",
    "backslash",
    "at",
    "underscore",
}
# How people read key names: `/`, `+`, `Esc`, not "Slash", "Plus", "escape".
_READABLE = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "backspace": "Backspace",
    "delete": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "minus": "-",
    "plus": "+",
    "slash": "/",
    "backslash": "\\",
    "at": "@",
    "underscore": "_",
}


def _character(name: str) -> str | None:
    """The printable character a key name stands for (`question_mark` -> `?`), if any."""
    if len(name) == 1:
        return name if name.isprintable() and not name.isspace() else None
    unicode_name = KEY_TO_UNICODE_NAME.get(REPLACED_KEYS.get(name, name), name)
    try:
        char = unicodedata.lookup(unicode_name.replace("_", " ").upper())
    except KeyError:
        return None
    return char if len(char) == 1 and char.isprintable() and not char.isspace() else None


def key_problem(key: str) -> str | None:
    """Why `key` is not a key Textual can bind, or None when it is."""
    parts = key.split("+")
    *mods, base = parts
    if not base:
        return f"{key!r} has no key after its modifiers"
    for mod in mods:
        if mod not in MODIFIERS:
            return f"{mod!r} in {key!r} is not a modifier (ctrl, shift, alt, meta, super)"
    if len(set(mods)) != len(mods):
        return f"{key!r} repeats a modifier"
    if base in _NAMED or _character(base) is not None:
        return None
    return f"{base!r} is not a key name (examples: a, K, f6, space, slash, question_mark)"


def normalise(key: str) -> str:
    """One spelling per key: a lone character becomes its key name (`/` -> `slash`)."""
    *mods, base = key.split("+")
    if len(base) == 1 and not base.isalnum():
        from textual.keys import _character_to_key

        base = _character_to_key(base)
    return "+".join([*mods, base])


def display_key(key: str) -> str:
    """`question_mark` -> `?`, `ctrl+p` -> `Ctrl+P`, `slash` -> `/`, `f1` -> `F1`, `K` -> `K`."""
    *mods, base = key.split("+")
    if base in _READABLE:
        shown = _READABLE[base]
    elif len(base) <= 3 and base[:1] == "f" and base[1:].isdigit():
        shown = base.upper()
    else:
        char = _character(base)
        shown = char if char is not None else base
        if mods and len(shown) == 1:
            shown = shown.upper()
    return "+".join([*(m.capitalize() for m in mods), shown])


def key_label(keys: str) -> str:
    """`"question_mark,f1"` -> `"? / F1"`; `"space,enter"` -> `"Space / Enter"`."""
    return " / ".join(display_key(k.strip()) for k in keys.split(",") if k.strip())


def first_key(keys: str) -> str:
    """The key a hint shows (the first one bound)."""
    return display_key(keys.split(",")[0].strip()) if keys.strip() else ""


def _live_together(a: Command, b: Command) -> bool:
    """True when both commands' keys are active at once (so one key cannot serve both)."""
    return a.scope == b.scope or not a.scope or not b.scope


def _clashes(
    commands: tuple[Command, ...], keymap: dict[str, str]
) -> list[tuple[Command, Command, str]]:
    owners: dict[str, list[Command]] = {}
    for command in commands:
        for key in effective_keys(command, keymap).split(","):
            owners.setdefault(key, []).append(command)
    found = []
    for key, users in owners.items():
        for i, a in enumerate(users):
            for b in users[i + 1 :]:
                if a.id != b.id and _live_together(a, b):
                    found.append((a, b, key))
    return found


def resolve_keymap(
    overrides: dict[str, str], commands: tuple[Command, ...], config_file: Path
) -> tuple[dict[str, str], list[str]]:
    """Valid overrides and a message per rejected one (naming the file, the entry and why)."""
    by_id = {c.id: c for c in commands}
    keymap: dict[str, str] = {}
    problems: list[str] = []

    def where(binding_id: str) -> str:
        """The file and the entry's line (the scan imported only when an entry is refused)."""
        from deskwork.toml_keys import where

        return where(config_file, "keys", binding_id)

    def refuse(binding_id: str, keys: str, why: str) -> None:
        default = key_label(by_id[binding_id].keys)
        at = where(binding_id)
        problems.append(f"{at}: [keys] {binding_id!r} = {keys!r}: {why}; kept {default}")

    for binding_id, keys in overrides.items():
        if binding_id not in by_id:
            problems.append(
                f"{where(binding_id)}: [keys] {binding_id!r} is not a binding id "
                "(the help screen, ?, lists them)"
            )
            continue
        parts = [k.strip() for k in str(keys).split(",")]
        if not str(keys).strip() or not all(parts):
            refuse(binding_id, keys, "expected keys like 'ctrl+s' or 'f6,s' (comma-separated)")
            continue
        why = next((p for p in map(key_problem, parts) if p), None)
        if why is not None:
            refuse(binding_id, keys, why)
            continue
        keymap[binding_id] = ",".join(normalise(k) for k in parts)

    # A clash drops the override(s) involved (defaults never clash with each other); dropping one
    # can uncover another, hence the loop.
    for _ in range(len(keymap) + 1):
        clashes = [c for c in _clashes(commands, keymap) if c[0].id in keymap or c[1].id in keymap]
        if not clashes:
            break
        a, b, key = clashes[0]
        loser, other = (a, b) if a.id in keymap else (b, a)
        refuse(
            loser.id,
            overrides[loser.id],
            f"{display_key(key)} is already {other.id} ({other.title})",
        )
        del keymap[loser.id]
    return keymap, problems


def effective_keys(command: Command, keymap: dict[str, str]) -> str:
    return keymap.get(command.id, command.keys)


def bound_keys(commands: tuple[Command, ...], keymap: dict[str, str]) -> dict[str, str]:
    """binding id -> the first key bound now, as people read it (for hints on screen)."""
    return {c.id: first_key(effective_keys(c, keymap)) for c in commands}


# Textual reads ESC+1…ESC+4 (what Alt+1…Alt+4 send in xterm-like terminals) as ¡ ™ £ ¢, the
# characters WezTerm on macOS means by Option+1…4: the pane keys Alt+1…Alt+4 then never arrive.
ALT_DIGITS = ("\x1b1", "\x1b2", "\x1b3", "\x1b4")


def claim_alt_digits() -> list[str]:
    """Let ESC+1…ESC+4 arrive as alt+1…alt+4 (the pane keys): Textual's table of sequences maps
    them to characters; without those entries its parser reads them as any other Alt+key. The
    cost: Option+1…4 in macOS WezTerm (which sends the same bytes) no longer types ¡ ™ £ ¢ (a
    Shift+3 £ is a plain character, unaffected). Returns the sequences taken over (none when a
    Textual release no longer has them)."""
    try:
        from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
    except ImportError:  # a Textual without this private table: nothing to undo
        return []
    taken = [seq for seq in ALT_DIGITS if seq in ANSI_SEQUENCES_KEYS]
    for seq in taken:
        del ANSI_SEQUENCES_KEYS[seq]  # type: ignore[attr-defined]
    return taken
