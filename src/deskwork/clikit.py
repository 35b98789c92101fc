"""What every `deskwork` subcommand shares: exit codes, errors, output (text or --json), opening
the desk."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

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


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(text)


def warn(problems: list[str]) -> None:
    for problem in problems:
        print(f"deskwork: warning: {problem}", file=sys.stderr)


_told: list[tuple[Desk, int]] = []  # desks opened by this command, problems already told


def open_desk(paths: Paths, *, readonly: bool, what: str) -> Desk:
    desk = Desk.open(paths, readonly=readonly, what=what)
    warn(desk.problems)
    _told.append((desk, len(desk.store.report.problems)))
    return desk


def warn_late() -> None:
    """Problems found after opening (a lazily loaded file that was damaged and rebuilt, a backup
    or compaction that failed at close): told before the command exits, never swallowed."""
    while _told:
        desk, told = _told.pop()
        warn(desk.store.report.problems[told:])
