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
network step (`queue add`, `queue refresh`) run on a connection thread and send only their store
steps to the app's thread (`clikit.on_store`), so the desk never waits for the network.

Nothing is lost: a request is "taken" by the app's thread only while the app is open; the app then
applies it and answers. A request the app did not take (it was quitting, or busy for too long) is
answered "refused" and the caller runs the command itself once the lock is free. If the connection
drops after the app took it (the app was killed), the caller says so instead of guessing.

Protocol: one JSON line each way, `{"v":1,"argv":[…],"cwd":"…"}`, answered by `{"state":"taken"}`
then `{"state":"done","code":…,"stdout":…,"stderr":…}`, or `{"state":"refused","reason":…}`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import socket
import stat
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deskwork.services.desk import Desk

VERSION = 1
SOCKET_NAME = "deskwork.sock"
MAX_LINE = 1 << 20  # a request or an answer larger than this is refused
MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 104-108 bytes
TAKE_TIMEOUT_S = 30.0  # the app's thread must take a request within this (it ticks every 0.25 s)
FALLBACK_WAIT_S = 10.0  # after a refusal, how long the caller waits for the lock to be free
GLOBAL_FLAGS = {"--debug"}
_PARSING = threading.Lock()
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


def _private_dir(path: Path, *, create: bool) -> bool:
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


def _read_line(sock: socket.socket, buffer: bytearray) -> dict[str, Any] | None:
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
    if not _private_dir(path.parent, create=False):
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
                message = _read_line(sock, buffer)
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


# ---------------------------------------------------------------------- the app's side
@dataclass
class _Call:
    work: Callable[[], Any]
    label: str
    taken: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    state: str = "queued"  # queued | taken | refused
    result: Any = None
    error: BaseException | None = None


def _peer_uid(conn: socket.socket) -> int | None:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None  # not Linux: the 0700 folder is the guard
    raw = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    return int(struct.unpack("3i", raw)[1])


class Channel:
    """The app's end: listens on the socket, queues work for the app's thread, answers.

    The app calls `start(wake)` once mounted (wake: thread-safe "run_pending soon"),
    `run_pending()` on its thread (returns the commands applied), and `close()` before it closes
    the desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.path = socket_path(desk.paths.data_dir)
        self._lock = threading.Lock()
        self._queue: list[_Call] = []
        self._closed = False
        self._listener: socket.socket | None = None
        self._threads: set[threading.Thread] = set()
        self._wake: Callable[[], None] = lambda: None
        self.problem = ""

    # ------------------------------------------------------------------ lifecycle
    def start(self, wake: Callable[[], None]) -> bool:
        self._wake = wake
        try:
            if not _private_dir(self.path.parent, create=True):
                raise OSError(f"{self.path.parent} is not private to you (mode or owner)")
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()  # left by an app that died: we hold the lock, it is ours
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(os.fspath(self.path))
            os.chmod(self.path, 0o600)
            listener.listen(8)
        except OSError as exc:
            self.problem = f"the command line cannot reach this app: {exc}"
            return False
        self._listener = listener
        thread = threading.Thread(target=self._accept, name="deskwork-remote", daemon=True)
        thread.start()
        return True

    def close(self) -> None:
        """Stop listening; refuse what the app has not taken; wait (briefly) for the answers."""
        with self._lock:
            self._closed = True
            queued = [c for c in self._queue if c.state == "queued"]
            self._queue.clear()
            for call in queued:
                call.state = "refused"
                call.taken.set()
                call.done.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
            with contextlib.suppress(OSError):
                self.path.unlink()
        deadline = time.monotonic() + 5
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    # ------------------------------------------------------------------ the app's thread
    def run_pending(self) -> list[str]:
        """Apply every queued piece of work; the commands it belonged to."""
        applied: list[str] = []
        while True:
            with self._lock:
                if self._closed or not self._queue:
                    break
                call = self._queue.pop(0)
                call.state = "taken"
            call.taken.set()
            try:
                call.result = call.work()
            except BaseException as exc:  # handed back to the connection thread
                call.error = exc
            call.done.set()
            if call.label not in applied:
                applied.append(call.label)
        return applied

    def _on_app(self, label: str, work: Callable[[], Any], taken: Callable[[], None]) -> Any:
        """Run `work` on the app's thread (from a connection thread) and return its result."""
        call = _Call(work, label)
        with self._lock:
            if self._closed:
                raise NotTaken("the app is quitting")
            self._queue.append(call)
        self._wake()
        if not call.taken.wait(TAKE_TIMEOUT_S):
            with self._lock:
                if call.state == "queued":
                    call.state = "refused"
                    self._queue.remove(call)
        call.taken.wait()
        if call.state == "refused":
            raise NotTaken("the app is quitting" if self._closed else "the app was busy")
        taken()
        call.done.wait()
        if call.error is not None:
            raise call.error
        return call.result

    # ------------------------------------------------------------------ connections
    def _accept(self) -> None:
        while True:
            listener = self._listener
            if listener is None:
                return
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            thread = threading.Thread(
                target=self._serve, args=(conn,), name="deskwork-remote-request", daemon=True
            )
            self._threads.add(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            with conn:
                uid = _peer_uid(conn)
                if uid is not None and uid != os.getuid():
                    return
                conn.settimeout(10)
                request = _read_line(conn, bytearray())
                conn.settimeout(None)
                if request is None:
                    return
                answer = self._answer(conn, request)
                conn.sendall(json.dumps(answer).encode() + b"\n")
        except (OSError, ValueError):
            pass  # the caller went away: what was applied stays applied
        finally:
            self._threads.discard(threading.current_thread())

    def _answer(self, conn: socket.socket, request: dict[str, Any]) -> dict[str, Any]:
        argv, cwd = request.get("argv"), request.get("cwd")
        if (
            request.get("v") != VERSION
            or not isinstance(argv, list)
            or not all(isinstance(a, str) for a in argv)
            or not isinstance(cwd, str)
        ):
            return {"state": "refused", "reason": "a request this app does not understand"}
        said_taken = False

        def taken() -> None:
            nonlocal said_taken
            if not said_taken:
                said_taken = True
                conn.sendall(b'{"state": "taken"}\n')

        try:
            code, stdout, stderr = execute(
                argv, Path(cwd), self.desk, partial(self._on_app, " ".join(argv)), taken
            )
        except NotTaken as exc:
            if said_taken:  # a later step of a threaded command: the earlier ones stay applied
                return {
                    "state": "done",
                    "code": 1,
                    "stdout": "",
                    "stderr": f"deskwork: the app quit before the command finished ({exc})\n",
                }
            return {"state": "refused", "reason": str(exc)}
        return {"state": "done", "code": code, "stdout": stdout, "stderr": stderr}


def execute(
    argv: list[str],
    cwd: Path,
    desk: Desk,
    on_app: Callable[[Callable[[], Any], Callable[[], None]], Any],
    taken: Callable[[], None],
) -> tuple[int, str, str]:
    """Run one subcommand against the app's desk: (exit code, stdout, stderr). Commands run whole
    on the app's thread, or (remote="thread") here with only their store steps sent there."""
    from deskwork.cli import build_parser, run
    from deskwork.clikit import EXIT_USAGE, Borrowed, borrowing

    stdout, stderr = io.StringIO(), io.StringIO()
    try:  # argparse writes its usage to sys.stderr: one redirection at a time
        with _PARSING, contextlib.redirect_stderr(stderr):
            args = build_parser().parse_args(argv)
    except SystemExit as exc:
        message = f"deskwork: the running app cannot run `{' '.join(argv)}` (another version?)\n"
        return int(exc.code or EXIT_USAGE), "", message
    if getattr(args, "remote", None) is None:
        return EXIT_USAGE, "", "deskwork: this command cannot run inside the app: quit it first\n"

    refusals: list[NotTaken] = []

    def on_store(work: Callable[[], Any]) -> Any:
        try:
            return on_app(work, taken)
        except NotTaken as exc:  # the command's error handling must not swallow this
            refusals.append(exc)
            raise

    threaded = args.remote == "thread"
    context = Borrowed(desk, stdout, stderr, cwd, on_store if threaded else None)

    def whole() -> int:
        with borrowing(context):
            return run(args, desk.paths, remote_ok=False)

    code = whole() if threaded else on_app(whole, taken)
    if refusals:
        raise refusals[0]
    return code, stdout.getvalue(), stderr.getvalue()
