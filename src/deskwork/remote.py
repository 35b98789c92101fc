"""The command line reaching the running app: while the TUI holds the data dir, a writing
subcommand hands its request to the app, which runs it and answers.

Why a Unix socket (and not an inbox folder): the caller learns at once whether an app is listening
(no listener = connection refused, no polling, no stale request files), the answer comes back on the
same connection, and the kernel keeps it private: the socket lives in the data dir (0700) or, when
that path is too long for a socket, in a 0700 folder of the user's runtime dir; the app also checks
the caller's uid (SO_PEERCRED). It works the same whoever started the TUI (a terminal or
`deskwork serve`): only the process holding the store's lock listens.

One mechanism for every command: a request is the subcommand's argv and the caller's folder. The app
parses it with the CLI's own parser and runs the CLI's own handler on its own thread, with the app's
desk lent to it (`clikit.borrowing`); the caller prints the captured stdout/stderr and exits with the
same code, so the output is byte for byte what the command prints alone. Commands with a slow
network or file step (`queue add`, `queue refresh`, `cards import`) run on a connection thread and
send only their store steps to the app's thread (`clikit.on_store`): the desk never waits for them.

Nothing is lost: a request is "taken" by the app's thread only while the app is open; the app then
applies it and answers. A request the app did not take (it was quitting, or busy for too long) is
answered "refused" and the caller runs the command itself once the lock is free. If the connection
drops after the app took it (the app was killed), the caller says so instead of guessing.

The app's end is `deskwork.remote_channel`. Protocol: one JSON line each way, `{"v":1,"argv":[…],"cwd":"…"}`, answered by `{"state":"taken"}`
then `{"state":"done","code":…,"stdout":…,"stderr":…}`, or `{"state":"refused","reason":…}`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

VERSION = 1
SOCKET_NAME = "deskwork.sock"
MAX_LINE = 1 << 20  # a request or an answer larger than this is refused
MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 104-108 bytes
FALLBACK_WAIT_S = 10.0  # after a refusal, how long the caller waits for the lock to be free
GLOBAL_FLAGS = {"--debug"}
GLOBAL_OPTIONS = {"--data-dir"}


class NotTaken(Exception):
    """The app did not take the work (it is quitting, or was busy too long); nothing was applied."""


# ---------------------------------------------------------------------- where the socket lives
def socket_path(data_dir: Path) -> Path:
    """The socket for `data_dir`: inside it, or in a private runtime folder when too long."""
    inside = data_dir.absolute() / SOCKET_NAME
    if len(os.fsencode(inside)) <= MAX_SOCKET_PATH:
        return inside
    digest = hashlib.sha256(os.fsencode(data_dir.absolute())).hexdigest()[:20]
    return _runtime_dir() / f"{digest}.sock"


def _runtime_dir() -> Path:
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    path = Path(base) / f"deskwork-{os.getuid()}"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH - 30:
        path = Path("/tmp") / f"deskwork-{os.getuid()}"
    return path


def private_dir(path: Path, *, create: bool) -> bool:
    """True when `path` is a folder only this user can enter (created 0700 if asked)."""
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def command_argv(argv: list[str]) -> list[str]:
    """The subcommand part of a `deskwork` argv (global options name this process's data dir)."""
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        head = rest.pop(0)
        if head in GLOBAL_OPTIONS and rest:
            rest.pop(0)
        elif head not in GLOBAL_FLAGS and head.split("=", 1)[0] not in GLOBAL_OPTIONS:
            rest.insert(0, head)
            break
    return rest


# ---------------------------------------------------------------------- the caller's side
@dataclass
class Answer:
    state: (
        str  # done | refused | absent (nobody listens) | lost (the app went away after taking it)
    )
    code: int = 0
    stdout: str = ""
    stderr: str = ""
    reason: str = ""


def read_line(sock: socket.socket, buffer: bytearray) -> dict[str, Any] | None:
    while b"\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
        if len(buffer) > MAX_LINE * 4:
            raise ValueError("answer too large")
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    data = json.loads(line)
    return data if isinstance(data, dict) else None


def forward(data_dir: Path, argv: list[str], cwd: Path) -> Answer:
    """Hand `argv` to the app holding `data_dir`, and wait for its answer."""
    path = socket_path(data_dir)
    if not private_dir(path.parent, create=False):
        return Answer("absent", reason=f"{path.parent} is not a private folder")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            sock.connect(os.fspath(path))
        except OSError as exc:
            return Answer("absent", reason=exc.strerror or str(exc))
        request = {"v": VERSION, "argv": argv, "cwd": os.fspath(cwd)}
        sock.sendall(json.dumps(request).encode() + b"\n")
        buffer = bytearray()
        taken = False
        while True:
            try:
                message = read_line(sock, buffer)
            except (OSError, ValueError) as exc:
                message, reason = None, str(exc)
            else:
                reason = "the connection closed"
            if message is None:
                return Answer("lost" if taken else "refused", reason=reason)
            state = message.get("state")
            if state == "taken":
                taken = True
            elif state == "done":
                return Answer(
                    "done",
                    int(message.get("code", 1)),
                    str(message.get("stdout", "")),
                    str(message.get("stderr", "")),
                )
            else:
                return Answer("refused", reason=str(message.get("reason", "")))
    finally:
        sock.close()


def hand_over(args: argparse.Namespace, paths: Any, run_locally: Callable[[], int]) -> int | None:
    """The lock is held: forward the command to the app; if the app refuses it (quitting), run it
    here once the lock is free. None: nobody listens (another command holds the lock)."""
    from deskwork.store.lock import StoreLocked

    argv = command_argv(list(getattr(args, "argv", []) or []))
    if getattr(args, "remote", None) is None or not argv:
        return None
    deadline = time.monotonic() + FALLBACK_WAIT_S
    refused = ""
    while True:
        answer = forward(paths.data_dir, argv, Path.cwd())
        if answer.state == "done":
            sys.stdout.write(answer.stdout)
            sys.stderr.write(answer.stderr)
            sys.stdout.flush()
            return answer.code
        if answer.state == "lost":
            print(
                "deskwork: the running app stopped before answering; it may or may not have "
                "applied the command: check (e.g. `deskwork today`) before running it again",
                file=sys.stderr,
            )
            return 1
        if answer.state == "absent" and not refused:
            return None  # the holder is not an app listening (another command): as before
        refused = refused or answer.reason
        time.sleep(0.2)
        try:
            return run_locally()  # the app quit: the lock is free, the command runs here
        except StoreLocked:
            if time.monotonic() > deadline:
                print(
                    f"deskwork: the running app did not take the command ({refused})",
                    file=sys.stderr,
                )
                raise
