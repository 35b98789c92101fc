"""The command line reaching the running app (deskwork.remote): real sockets, a real store held by
an "app" (a Desk and its Channel, the app's thread played by a thread that runs what is queued),
the real `deskwork` main() as the caller. The TUI itself under a pseudo-terminal is in
test_e2e_terminal.py."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskwork import remote, remote_channel
from deskwork.cli import main
from deskwork.clikit import EXIT_LOCKED
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.store.store import Store


class FakeAppThread:
    """The app's side: a desk holding the lock, its channel, and a thread standing for the app's
    own thread (it runs what the channel queued, as the app's tick does)."""

    def __init__(self, home: Path) -> None:
        self.desk = Desk.open(Paths.resolve(home), what="the deskwork TUI")
        self.channel = remote_channel.Channel(self.desk)
        self.woken = threading.Event()
        assert self.channel.start(self.woken.set)
        self.stop = threading.Event()
        self.paused = threading.Event()  # set: the app's thread takes nothing (busy, quitting)
        self.rounds = 0  # the times it looked at the channel (not paused)
        self.looked = threading.Condition()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.is_set():
            if not self.paused.is_set():
                self.channel.run_pending()
                with self.looked:
                    self.rounds += 1
                    self.looked.notify_all()
            self.stop.wait(0.01)  # the app's tick (the channel's wake sets `woken` as well)

    def look_again(self, times: int = 2) -> None:
        """Return once the app's thread has looked at the channel `times` more times."""
        with self.looked:
            until = self.rounds + times
            assert self.looked.wait_for(lambda: self.rounds >= until, timeout=60)

    def quit(self) -> None:
        self.stop.set()
        self.thread.join()
        self.channel.close()
        self.desk.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    store = Store.open(path)
    store.set_setting("welcome_done", True)
    store.close()
    return path


@pytest.fixture
def app(home: Path) -> Iterator[FakeAppThread]:
    running = FakeAppThread(home)
    yield running
    if not running.stop.is_set():
        running.quit()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_timer_commands_reach_the_app_and_change_its_state(
    app: FakeAppThread, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--data-dir", str(home), "timer", "start")
    assert (code, err) == (0, "")
    assert out.startswith(("Focus 1 of 4 · running, 25:00 left", "Focus 1 of 4 · running, 24:59"))
    assert app.woken.is_set()
    code, out, _ = run(capsys, "--data-dir", str(home), "timer", "pause", "--json")
    status = json.loads(out)
    assert code == 0 and status["paused"] and status["phase"] == "focus"
    # the app's own desk (not a copy) holds the change: a fresh service reads it from the store
    from deskwork.services.timer import TimerService

    assert TimerService(app.desk).state.status.value == "paused"
    # read-only commands still run on their own, beside the app
    code, out, _ = run(capsys, "--data-dir", str(home), "timer", "--json")
    assert code == 0 and json.loads(out)["paused"]


def test_a_command_handed_to_the_app_is_durable_when_it_returns(
    app: FakeAppThread, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app saves by group commit; its flusher is held, so only the channel's own flush
    before the answer can make the command's write durable."""
    flusher = app.desk.store.start_group_commit()
    flusher.gate.clear()
    code, _, err = run(capsys, "--data-dir", str(home), "drafts", "new", "Durable notes")
    assert (code, err) == (0, "")
    writer = app.desk.store._journal
    assert writer is not None and writer.pending == 0 and writer.synced == writer.size
    flusher.gate.set()


def test_output_is_the_same_as_when_the_command_runs_alone(
    app: FakeAppThread, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone_home = tmp_path / "alone"
    for argv in (
        ["queue", "add", "--offline", "arXiv:1706.03762"],
        ["queue", "add", "--offline", "--json", "https://example.org/course"],
        ["queue", "add", "--offline", "arXiv:1706.03762"],  # already there
        ["drafts", "new", "Notes on attention", "--json"],
        ["queue", "add", "not a link"],  # an error: same message, same exit code
        ["queue", "today", "--pick", "99"],
    ):
        remote_result = run(capsys, "--data-dir", str(home), *argv)
        alone_result = run(capsys, "--data-dir", str(alone_home), *argv)

        def steady(result: tuple[int, str, str]) -> tuple[int, str, str]:
            return result[0], result[1].replace(str(alone_home), "HOME"), result[2]

        def steady_json(text: str) -> object:  # the time a record was added differs
            try:
                data = json.loads(text)
            except ValueError:
                return text
            if isinstance(data, dict):
                data.pop("added", None)
                data.pop("created", None) if "created" in data and "id" in data else None
            return data

        assert steady(remote_result)[0] == steady(alone_result)[0], argv
        assert steady(remote_result)[2] == steady(alone_result)[2], argv
        assert steady_json(remote_result[1]) == steady_json(alone_result[1]), argv
    # the app's store holds exactly what the commands wrote, once
    titles = sorted(i.title for i in app.desk.store.items.values())
    assert titles == ["arXiv:1706.03762", "https://example.org/course"]
    assert [d.title for d in app.desk.store.drafts.values()] == ["Notes on attention"]


def test_relative_paths_are_the_callers(
    app: FakeAppThread,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "where-i-typed"
    folder.mkdir()
    (folder / "deck.txt").write_text("What is a gradient?\tThe direction of steepest ascent\n")
    monkeypatch.chdir(folder)
    code, out, err = run(capsys, "--data-dir", str(home), "cards", "import", "deck.txt")
    assert (code, err) == (0, "")
    assert out.startswith("imported 1 note, 1 card")
    assert [c.front for c in app.desk.store.cards.all()] == ["What is a gradient?"]
    code, _, err = run(capsys, "--data-dir", str(home), "cards", "import", "missing.txt")
    assert code == 1 and "missing.txt" in err


def test_a_request_the_app_does_not_take_runs_alone_once_the_app_has_quit(
    app: FakeAppThread, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app.paused.set()  # the app's thread is in its shutdown: it takes nothing more

    def quit_soon() -> None:
        assert app.woken.wait(timeout=60)  # the request is queued: the channel woke the app
        app.quit()  # refuses the queued request, closes the socket, releases the lock

    threading.Thread(target=quit_soon).start()
    code, out, err = run(capsys, "--data-dir", str(home), "queue", "add", "--offline", "1706.03762")
    assert (code, err) == (0, "")
    assert out.startswith("added: 1  arXiv:1706.03762")
    reader = Store.open(home, readonly=True)
    assert [i.title for i in reader.items.values()] == ["arXiv:1706.03762"]  # applied once


def test_a_lock_held_by_something_that_does_not_listen_still_says_so(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = Desk.open(Paths.resolve(home), what="deskwork cards import")
    try:
        code, out, err = run(capsys, "--data-dir", str(home), "timer", "start")
    finally:
        holder.close()
    assert code == EXIT_LOCKED and out == ""
    assert "in use by deskwork cards import" in err


def test_restore_is_not_handed_to_the_app(
    app: FakeAppThread, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskwork.store import backups

    app.desk.store.backup()
    backup = backups.list_backups(home)[-1]
    code, _, err = run(capsys, "--data-dir", str(home), "restore", backup.name, "--yes")
    assert code == EXIT_LOCKED and "in use by the deskwork TUI" in err


def test_the_socket_is_private(app: FakeAppThread, home: Path) -> None:
    path = remote.socket_path(home)
    assert path.parent == home
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) & 0o077 == 0


def test_a_socket_in_a_folder_others_can_enter_is_not_trusted(tmp_path: Path) -> None:
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    os.chmod(open_dir, 0o755)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(open_dir / remote.SOCKET_NAME))
    listener.listen(1)
    try:
        answer = remote.forward(open_dir, ["timer", "start"], tmp_path)
    finally:
        listener.close()
    assert answer.state == "absent" and "not a private folder" in answer.reason


def test_a_long_data_dir_gets_its_socket_in_a_private_runtime_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)
    deep = tmp_path / ("very-long-folder-name-" * 5) / "home"
    store = Store.open(deep)
    store.close()
    path = remote.socket_path(deep)
    assert path.parent != deep and len(os.fsencode(path)) <= remote.MAX_SOCKET_PATH
    running = FakeAppThread(deep)
    try:
        code, out, _ = run(capsys, "--data-dir", str(deep), "timer", "start")
        assert code == 0 and out.startswith("Focus 1 of 4 · running")
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        running.quit()
    assert not path.exists()


def test_global_options_are_not_sent() -> None:
    argv = ["--debug", "--data-dir", "/x", "queue", "add", "--offline", "1706.03762"]
    assert remote.command_argv(argv) == ["queue", "add", "--offline", "1706.03762"]
    assert remote.command_argv(["--data-dir=/x", "timer", "pause"]) == ["timer", "pause"]


def test_a_garbled_request_is_refused_and_changes_nothing(app: FakeAppThread, home: Path) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(remote.socket_path(home)))
    sock.sendall(b'{"v": 1, "argv": "timer start", "cwd": 3}\n')
    answer = json.loads(sock.makefile().readline())
    sock.close()
    assert answer["state"] == "refused"
    assert app.desk.store.setting("timer") is None


def _one_shot_server(folder: Path, reply: bytes) -> threading.Thread:
    """A listener that reads one request, sends `reply` and hangs up (an app killed mid-way)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(remote.socket_path(folder)))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        conn.makefile().readline()
        conn.sendall(reply)
        conn.close()
        listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def test_an_app_gone_after_taking_the_request_is_not_guessed_at(tmp_path: Path) -> None:
    home = tmp_path / "taken"
    _one_shot_server(home, b'{"state": "taken"}\n').join(0)
    answer = remote.forward(home, ["timer", "start"], tmp_path)
    assert answer.state == "lost"  # the caller must not run it again: it may have been applied


def test_an_app_gone_before_taking_the_request_lets_the_caller_run_it(tmp_path: Path) -> None:
    home = tmp_path / "untaken"
    _one_shot_server(home, b"").join(0)
    assert remote.forward(home, ["timer", "start"], tmp_path).state == "refused"


def test_a_lost_answer_is_said_and_not_run_twice(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = Desk.open(Paths.resolve(home), what="the deskwork TUI")
    (home / remote.SOCKET_NAME).unlink(missing_ok=True)
    _one_shot_server(home, b'{"state": "taken"}\n')
    try:
        code, out, err = run(capsys, "--data-dir", str(home), "timer", "start")
    finally:
        holder.close()
    assert code == 1 and out == ""
    assert "stopped before answering; it may or may not have applied the command" in err
    assert Store.open(home, readonly=True).setting("timer") is None  # not run here as well


def test_an_app_too_busy_to_take_the_request_is_said_and_nothing_runs_twice(
    app: FakeAppThread,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(remote_channel, "TAKE_TIMEOUT_S", 0.3)
    monkeypatch.setattr(remote, "FALLBACK_WAIT_S", 0.5)
    app.paused.set()  # the app's thread is stuck: it takes nothing, and keeps the lock
    code, out, err = run(capsys, "--data-dir", str(home), "timer", "start")
    assert code == EXIT_LOCKED and out == ""
    assert "the running app did not take the command (the app was busy)" in err
    app.paused.clear()
    app.look_again()  # the app's thread is back and has run what was queued for it
    assert app.desk.store.setting("timer") is None  # withdrawn: never applied later either
