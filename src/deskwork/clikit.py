"""What every `deskwork` subcommand shares: exit codes, errors, output (text or --json), opening
the desk."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from typing import Any

from deskwork.domain.text import clean
from deskwork.paths import Paths
from deskwork.services import Desk

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


Handler = Callable[[argparse.Namespace, Paths], int]


# What JSON leaves raw with ensure_ascii=False but a terminal would act on: C1 controls, bidi
# controls, line/paragraph separators. Written as \uXXXX escapes, the data stays the same.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def say(text: str, *, end: str = "\n", file: Any = None) -> None:
    """Print text that may hold stored or fetched strings: never a raw control sequence."""
    print(clean(text), end=end, file=file or sys.stdout)


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        dumped = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        print(_JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped))
    else:
        say(text)


def warn(problems: list[str]) -> None:
    for problem in problems:
        say(f"deskwork: warning: {problem}", file=sys.stderr)


def open_desk(paths: Paths, *, readonly: bool, what: str) -> Desk:
    desk = Desk.open(paths, readonly=readonly, what=what)
    warn(desk.problems)
    return desk
