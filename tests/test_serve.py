"""`deskwork serve` without a browser: where it may listen, what it refuses, the refusal screen."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from deskwork.cli import main
from deskwork.store.lock import StoreLock, StoreLocked, is_locked
from deskwork.ui.served import RefusalApp
from deskwork.ui.web_server import app_command, host_allowed, host_names, is_loopback, same_origin
from tests.browser import Served


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("desk.example", False),
    ],
)
def test_what_counts_as_this_machine_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_host_header_must_name_this_server() -> None:
    local = host_names("127.0.0.1")
    assert host_allowed("127.0.0.1:8000", local, loopback_only=True)
    assert host_allowed("localhost:8000", local, loopback_only=True)
    assert host_allowed("[::1]:8000", local, loopback_only=True)
    assert not host_allowed("evil.example:8000", local, loopback_only=True)  # DNS rebinding
    assert not host_allowed("192.168.1.20:8000", local, loopback_only=True)
    assert not host_allowed(None, local, loopback_only=True)
    assert not host_allowed("", local, loopback_only=True)
    remote = host_names("0.0.0.0")
    assert host_allowed("192.168.1.20:8000", remote, loopback_only=False)
    assert host_allowed(f"{socket.gethostname()}:8000", remote, loopback_only=False)
    assert not host_allowed("evil.example:8000", remote, loopback_only=False)


def test_websocket_origin_must_be_this_servers_page() -> None:
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert not same_origin("http://127.0.0.1:8001", "127.0.0.1:8000")
    assert not same_origin("http://evil.example", "127.0.0.1:8000")
    assert not same_origin("null", "127.0.0.1:8000")
    assert not same_origin("file://", "127.0.0.1:8000")


def test_each_tab_runs_this_python_on_the_same_data_dir() -> None:
    odd = "/tmp/a dir; rm -rf x $(boom)"
    command = app_command(sys.executable, odd, debug=True)
    assert command.startswith("exec ")
    assert shlex.split(command.removeprefix("exec ")) == [
        sys.executable, "-m", "deskwork", "--data-dir", odd, "--debug",
    ]  # fmt: skip
    assert shlex.split(app_command("py", None, False).removeprefix("exec ")) == [
        "py", "-m", "deskwork",
    ]  # fmt: skip


def test_another_address_needs_the_explicit_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "--host 0.0.0.0 is reachable from other machines" in err and "--allow-remote" in err
    assert main(["--data-dir", str(tmp_path), "serve", "--port", "70000"]) == 2
    assert "--port 70000" in capsys.readouterr().err


def test_a_port_in_use_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--data-dir", str(tmp_path), "serve", "--port", str(port)]) == 1
    assert f"cannot listen on 127.0.0.1 port {port}" in capsys.readouterr().err


@pytest.mark.timeout_e2e
def test_allow_remote_warns_and_still_checks_the_host(tmp_path: Path) -> None:
    served = Served(tmp_path / "home", "--host", "0.0.0.0", "--allow-remote")
    try:
        port = served.url.rstrip("/").rsplit(":", 1)[1]
        assert served.url == f"http://{socket.gethostname()}:{port}/"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            assert client.get("/").status_code == 200
            named = client.get("/", headers={"Host": f"{socket.gethostname()}:{port}"})
            assert named.status_code == 200
            assert f"ws://{socket.gethostname()}:{port}/ws" in named.text  # as the browser came
            assert client.get("/", headers={"Host": f"evil.example:{port}"}).status_code == 403
    finally:
        assert served.stop() == 0
    output = "".join(served.output)
    assert "WARNING: listening on 0.0.0.0" in output and "no authentication" in output


async def test_the_refusal_says_who_holds_the_desk_and_retries(tmp_path: Path) -> None:
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    holder = StoreLock.acquire(tmp_path, "the deskwork TUI", now)
    try:
        with pytest.raises(StoreLocked) as locked:
            StoreLock.acquire(tmp_path, "deskwork in a browser tab", now)
        app = RefusalApp(locked.value)
        async with app.run_test(size=(100, 30)) as pilot:
            message = str(app.query_one("#refusal-message").render())
            assert f"in use by the deskwork TUI (pid {os.getpid()}" in message
            await pilot.press("enter")
            status = app.query_one("#refusal-status")
            assert "Still in use by the deskwork TUI" in str(status.render())
            holder.release()
            await pilot.press("enter")
            assert "Free: opening the desk" in str(status.render())
            await pilot.press("q")
        assert app.return_code == 0
    finally:
        holder.release()


async def test_a_tab_app_that_ignores_quit_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No app outlives its page: one that neither quits nor takes SIGTERM is killed."""
    import asyncio

    import aiohttp

    from deskwork.ui import web_server

    monkeypatch.setattr(web_server, "QUIT_TIMEOUT_S", 0.5)
    stubborn = tmp_path / "stubborn.py"
    stubborn.write_text(
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "print('__GANGLION__', flush=True)\n"
        "time.sleep(60)\n"
    )
    said: list[str] = []
    server = web_server.DeskServer(
        f"exec {shlex.quote(sys.executable)} {shlex.quote(str(stubborn))}",
        host="127.0.0.1",
        port=0,
        say=said.append,
    )
    urls: list[str] = []
    stop = asyncio.Event()
    running = asyncio.create_task(server.run(urls.append, stop))

    async def until(check: Any, what: str) -> None:
        for _ in range(200):
            if check():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"never: {what}; the server said {said}")

    try:
        await until(lambda: urls, "listening")
        origin = urls[0].rstrip("/")
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(urls[0] + "ws", origin=origin),
        ):
            await until(lambda: any("a tab connected" in s for s in said), "the app started")
        await until(lambda: any("a tab closed" in s for s in said), "the app was ended")
        assert any("did not quit: stopping it" in s for s in said), said
        assert f"exited ({-signal.SIGKILL})" in said[-1]
    finally:
        stop.set()
        await running


@pytest.mark.timeout_e2e
def test_open_hands_the_url_to_the_web_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    # Written aside, then renamed: `echo > opened.txt` made the file before writing the URL, and
    # the test read it empty in between (a loaded machine, once in three runs under xdist).
    partial = shlex.quote(str(tmp_path / "opening.txt"))
    browser.write_text(
        f'#!/bin/sh\necho "$1" > {partial} && mv {partial} {shlex.quote(str(opened))}\n'
    )
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    served = Served(tmp_path / "home", "--open")
    try:
        deadline = time.monotonic() + 10
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text().strip() == served.url
    finally:
        assert served.stop() == 0
    assert "no web browser" not in "".join(served.output)


@pytest.mark.timeout_e2e
def test_other_sites_cannot_reach_the_desk(tmp_path: Path) -> None:
    """Host must name this server (DNS rebinding) and a websocket must come from its own page:
    otherwise any web site open in the same browser could type into the desk."""
    import asyncio

    import aiohttp

    home = tmp_path / "home"
    served = Served(home)
    port = served.url.rstrip("/").rsplit(":", 1)[1]
    ws_url = served.url + "ws?width=100&height=30"

    async def handshake(origin: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(ws_url, origin=origin) as ws:
                    await ws.receive(timeout=20)  # the app's first output: a session started
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status

    try:
        with httpx.Client(base_url=served.url, timeout=10) as client:
            assert client.get("/").status_code == 200
            assert client.get("/", headers={"Host": f"localhost:{port}"}).status_code == 200
            rebound = client.get("/", headers={"Host": f"evil.example:{port}"})
            assert rebound.status_code == 403 and "unexpected Host" in rebound.text
        assert asyncio.run(handshake("http://evil.example")) == 403
        assert is_locked(home) is None  # no app was started for it
        assert asyncio.run(handshake(served.url.rstrip("/"))) == 101
        deadline = time.monotonic() + 20
        while is_locked(home) is not None:  # the session ends with its connection
            assert time.monotonic() < deadline, "the app outlived its connection"
            time.sleep(0.1)
    finally:
        assert served.stop() == 0, "".join(served.output)
