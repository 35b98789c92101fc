"""Where each table and key of a TOML file is written (its line), for the messages that name the
line of a refused key: the config's, the keymap's and a theme's. A scan of the text, made only when
there is something to tell."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

_KEY_PART = r"""\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')\s*"""


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(an assignment, a table heading, one key of a dotted path): compiled the first time a
    message names a line, not at every start."""
    return (
        re.compile(rf"^({_KEY_PART}(?:\.{_KEY_PART})*)="),
        re.compile(rf"^\[\[?({_KEY_PART}(?:\.{_KEY_PART})*)\]\]?\s*(?:#.*)?$"),
        re.compile(r"""\s*([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')\s*(?:\.|$)"""),
    )


def _key_parts(text: str) -> tuple[str, ...]:
    """`a."b.c".d` -> ("a", "b.c", "d")."""
    parts = _patterns()[2].findall(text)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Where each table and key of a TOML document is written: its dotted path -> line number (the
    first, 1-based). A scan of the lines, good enough to point at a bad value; a key inside an
    inline table or a multi-line value is found through the line of the key that holds it."""
    assign_line, table_line, _ = _patterns()
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string = ""
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:  # inside a multi-line string: nothing here is a key
            if line.count(in_string) % 2:
                in_string = ""
            continue
        stripped = line.strip()
        if heading := table_line.match(stripped):
            table = _key_parts(heading.group(1))
            found.setdefault(table, number)
        elif assign := assign_line.match(stripped):
            found.setdefault((*table, *_key_parts(assign.group(1))), number)
            rest = stripped[assign.end() :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2:
                    in_string = quotes
    return found


def line_of(lines: dict[tuple[str, ...], int], loc: tuple[Any, ...]) -> int | None:
    """The line of the innermost written key on the way to `loc` (a list index points at its list)."""
    keys = tuple(str(part) for part in loc)
    for end in range(len(keys), 0, -1):
        if keys[:end] in lines:
            return lines[keys[:end]]
    return None


def where(path: Path, *loc: str) -> str:
    """ "<file>, line N" for a key of the config file; just "<file>" when it cannot be found (a
    message about the config names the line only when it knows it)."""
    try:
        stat = path.stat()
        lines = _file_key_lines(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeDecodeError):
        return str(path)
    line = line_of(lines, loc)
    return f"{path}, line {line}" if line else str(path)


@functools.lru_cache(maxsize=4)
def _file_key_lines(path: Path, mtime_ns: int, size: int) -> dict[tuple[str, ...], int]:
    """`key_lines` of a file, read and scanned once for all the messages about it (the keymap and
    the themes name a line per refused entry)."""
    return key_lines(path.read_text(encoding="utf-8"))
