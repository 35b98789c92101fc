"""What every `deskwork` subcommand shares: exit codes, errors, output (text or --json), opening
the desk.

A subcommand can also run inside the running app (`deskwork.remote`): there `open_desk` lends the
app's desk, output goes to the request's answer and relative paths are the caller's. Handlers reach
all three through this module (`open_desk`, `out`/`err`, `user_path`), never sys.stdout directly.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

from deskwork.domain.text import clean
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.store.lock import StoreLocked
from deskwork.store.store import StoreError

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


Handler = Callable[[argparse.Namespace, Paths], int]
T = TypeVar("T")


@dataclass
class Borrowed:
    """A subcommand running inside the app: the app's desk, the caller's streams and folder, and
    how to run a piece of work on the app's thread (`on_store`)."""

    desk: Desk
    stdout: TextIO
    stderr: TextIO
    cwd: Path
    on_store: Callable[[Callable[[], Any]], Any] | None = None


_borrowed: ContextVar[Borrowed | None] = ContextVar("deskwork_borrowed", default=None)


@contextmanager
def borrowing(context: Borrowed) -> Iterator[None]:
    token = _borrowed.set(context)
    try:
        yield
    finally:
        _borrowed.reset(token)


def out() -> TextIO:
    context = _borrowed.get()
    return context.stdout if context else sys.stdout


def err() -> TextIO:
    context = _borrowed.get()
    return context.stderr if context else sys.stderr


def user_path(text: str) -> Path:
    """A path the user typed, relative to the folder they typed it in."""
    context = _borrowed.get()
    path = Path(os.path.expanduser(text))
    return path if context is None or path.is_absolute() else context.cwd / path


def on_store(work: Callable[[], T]) -> T:
    """Run `work` (which touches the store) where the store lives: here, or on the app's thread
    when the command runs inside the app from a worker thread (slow network steps stay outside)."""
    context = _borrowed.get()
    if context is None or context.on_store is None:
        return work()
    result: T = context.on_store(work)
    return result


# What JSON leaves raw with ensure_ascii=False but a terminal would act on: C1 controls, bidi
# controls, line/paragraph separators. Written as \uXXXX escapes, the data stays the same.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def say(text: str, *, end: str = "\n", file: Any = None) -> None:
    """Print text that may hold stored or fetched strings: never a raw control sequence. The
    default stream is the command's stdout (the caller's, when it runs inside the app)."""
    print(clean(text), end=end, file=file or out())


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        dumped = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        print(_JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped), file=out())
    else:
        say(text)


def warn(problems: list[str]) -> None:
    for problem in problems:
        say(f"deskwork: warning: {problem}", file=err())


class _LentDesk(Desk):
    """The running app's desk lent to a subcommand: closing it is the app's business."""

    def close(self) -> None:
        pass


_told: list[tuple[Desk, int]] = []  # desks opened by this command, problems already told


def open_desk(paths: Paths, *, readonly: bool, what: str) -> Desk:
    context = _borrowed.get()
    if context is not None:
        d = context.desk
        return _LentDesk(paths=d.paths, config=d.config, store=d.store, clock=d.clock)
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


def run(args: argparse.Namespace, paths: Paths | None = None, *, remote_ok: bool = True) -> int:
    """Run a parsed command: its exit code, errors as one line on stderr. `remote_ok`: when the
    TUI holds the store, hand the command to it (`deskwork.remote`)."""
    try:
        paths = paths or Paths.resolve(args.data_dir)
        try:
            code: int = args.handler(args, paths)
        except StoreLocked:
            if not remote_ok:
                raise
            from deskwork.remote import hand_over

            handed = hand_over(args, paths, lambda: int(args.handler(args, paths)))
            if handed is None:
                raise
            code = handed
        finally:
            warn_late()
        out().flush()  # a closed pipe shows here, inside the handler below
        return code
    except BrokenPipeError:
        return _closed_pipe()
    except StoreLocked as exc:
        say(f"deskwork: {exc}", file=err())
        return EXIT_LOCKED
    except (CliError, StoreError) as exc:
        if args.debug:
            traceback.print_exc()
        say(f"deskwork: {exc}", file=err())
        return getattr(exc, "code", EXIT_ERROR)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        say(f"deskwork: error: {exc} (run with --debug for details)", file=err())
        return EXIT_ERROR


def _closed_pipe() -> int:
    """The reader went away (`deskwork stats | head -3`): stop quietly, as Unix tools do. Output
    still buffered goes nowhere (stdout now points at /dev/null), so the exit flush is silent too.
    Every write already happened before printing, so nothing is lost."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 128 + 13  # as if killed by SIGPIPE, like `yes | head`
