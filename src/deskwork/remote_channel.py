"""The app's end of `deskwork.remote`: listen on the socket, queue each request's work for the
app's thread, run the CLI's own handler there with the app's desk lent, answer.

The app calls `Channel.start(wake)` once mounted (wake: a thread-safe "run_pending soon"),
`run_pending()` on its own thread (at the wake, and at every tick as a backstop) and `close()`
before it closes the desk. A request is "taken" only on the app's thread; whatever was not taken
when the app quits is refused, so the caller runs the command itself. The answer comes after the
store's flush (the app's group commit): a command's writes are durable when it returns.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork.remote import VERSION, NotTaken, private_dir, read_line, socket_path
from deskwork.store.errors import StoreWriteError

if TYPE_CHECKING:
    from deskwork.services.desk import Desk

TAKE_TIMEOUT_S = 30.0  # the app's thread must take a request within this (it ticks every 0.25 s)
_PARSING = threading.Lock()


@dataclass
class _Call:
    work: Callable[[], Any]
    label: str
    say_taken: Callable[[], None]  # tells the caller, before the work runs (app's thread)
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
            if not private_dir(self.path.parent, create=True):
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
            # The caller hears "taken" before anything is applied, so it never runs it a second
            # time; if the caller is gone the command still runs, as it would have alone.
            with contextlib.suppress(OSError):
                call.say_taken()
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
        call = _Call(work, label, taken)
        with self._lock:
            if self._closed:
                raise NotTaken("the app is quitting")
            self._queue.append(call)
        self._wake()
        if not call.taken.wait(TAKE_TIMEOUT_S):
            with self._lock:
                if call.state == "queued":  # withdrawn: the app's thread will never see it
                    call.state = "refused"
                    self._queue.remove(call)
                    call.taken.set()
        call.taken.wait()  # taken meanwhile (it runs now), or refused
        if call.state == "refused":
            raise NotTaken("the app is quitting" if self._closed else "the app was busy")
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
                request = read_line(conn, bytearray())
                conn.settimeout(5)  # answers are small and the caller is reading
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
        try:  # the command's writes durable before its answer, as when it runs alone
            self.desk.store.flush()
        except StoreWriteError as exc:
            code, stderr = code or 1, f"{stderr}deskwork: {exc}\n"
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
    from deskwork.cli import build_parser
    from deskwork.clikit import EXIT_USAGE, Borrowed, borrowing, run

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
