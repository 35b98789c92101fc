"""`deskwork serve`: the TUI in a browser tab, through textual-serve (one app subprocess per tab,
drawn by xterm.js in the page).

What this adds to textual-serve's `Server`:
- it binds where it is told and reports the real URL (port 0 = any free port); the caller decides
  whether a non-loopback address is allowed;
- requests must name this server in `Host` (a DNS-rebinding page cannot reach it) and a browser's
  websocket must come from this server's own page (`Origin`): without that, any web site open in
  the same browser could connect to ws://127.0.0.1:8000/ws and type into the desk;
- each tab's app runs with `ServedDriver` and knows it is served (see ui/served.py);
- stopping the server (Ctrl+C, SIGTERM) closes every tab's session, so each app saves and exits.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server
from yarl import URL

from deskwork.ui.serving import SERVED_ENV

TEMPLATES = Path(__file__).with_name("web")
QUIT_TIMEOUT_S = 20  # a tab's app saving and exiting after "quit"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_names(bind: str) -> set[str]:
    """The names a browser may use for this server in `Host` (an IP literal is always fine)."""
    names = set(LOOPBACK_NAMES) | {bind.strip("[]").lower()}
    if not is_loopback(bind):  # reached from other machines: by this machine's own names too
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return names


def host_allowed(host: str | None, names: set[str], loopback_only: bool) -> bool:
    if not host:
        return False
    try:
        name = (URL(f"http://{host}").host or "").lower()
    except ValueError:
        return False
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return name in names
    return address.is_loopback or not loopback_only


def same_origin(origin: str, host: str) -> bool:
    """The page that opened the websocket was served by this server under the same name."""
    try:
        url = URL(origin)
        here = URL(f"http://{host}")
    except ValueError:
        return False
    return url.scheme in {"http", "https"} and (url.host, url.port) == (here.host, here.port)


class ServedAppService(AppService):
    """One tab's app subprocess, told it is served and given the driver that exits on EOF."""

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["TEXTUAL_DRIVER"] = "deskwork.ui.served:ServedDriver"
        environment[SERVED_ENV] = "1"
        return environment

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def returncode(self) -> int | None:
        return self._process.returncode if self._process is not None else None


class DeskServer(Server):
    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        say: Callable[[str], None] = print,
    ) -> None:
        super().__init__(command, host=host, port=port, title="deskwork", templates_path=TEMPLATES)
        self.say = say
        self.loopback_only = is_loopback(host)
        self.names = host_names(host)
        self.sockets: set[web.WebSocketResponse] = set()
        self.url = ""

    # ------------------------------------------------------------------ requests
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._check_host)
        return app

    @web.middleware
    async def _check_host(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        host = request.headers.get("Host")
        if not host_allowed(host, self.names, self.loopback_only):
            raise web.HTTPForbidden(text=f"deskwork serve: unexpected Host {host!r}\n")
        return await handler(request)

    async def handle_index(self, request: web.Request) -> Any:
        # The page's websocket URL names the server the way the browser reached it.
        self.public_url = f"http://{request.host}"
        return await super().handle_index(request)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; `serve()` reports the bound URL instead."""

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.sockets):  # each tab's app gets "quit": it saves and exits
            await websocket.close(code=1001, message=b"deskwork serve stopped")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if origin is not None and not same_origin(origin, request.host):
            raise web.HTTPForbidden(text=f"deskwork serve: websocket from {origin!r} refused\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        service: ServedAppService | None = None
        await websocket.prepare(request)
        self.sockets.add(websocket)

        async def close() -> None:  # the app exited (Ctrl+Q): the page shows "closed"
            await websocket.close()

        try:
            service = ServedAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            self.say(f"a tab connected: deskwork pid {service.pid}")
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            self.sockets.discard(websocket)
            if service is not None:
                await self._end(service)
        return websocket

    async def _end(self, service: ServedAppService) -> None:
        """Send "quit" (the app saves and exits like Ctrl+Q); an app that does not end within
        QUIT_TIMEOUT_S gets SIGTERM (the same exit path), then SIGKILL: no tab outlives its page."""
        process = service._process
        try:
            await asyncio.wait_for(service.stop(), QUIT_TIMEOUT_S)
            if process is not None:
                await asyncio.wait_for(process.wait(), QUIT_TIMEOUT_S)
        except TimeoutError:
            if process is not None and process.returncode is None:
                self.say(f"deskwork pid {process.pid} did not quit: stopping it")
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), QUIT_TIMEOUT_S)
                except TimeoutError:
                    process.kill()
                    await process.wait()
        self.say(f"a tab closed: deskwork pid {service.pid} exited ({service.returncode})")

    # ------------------------------------------------------------------ running
    async def run(self, ready: Callable[[str], None], stop: asyncio.Event | None = None) -> None:
        """Serve until SIGINT/SIGTERM (or `stop` is set); `ready(url)` once listening (OSError if
        it cannot bind)."""
        runner = web.AppRunner(
            await self._make_app(), handle_signals=False, access_log=None, shutdown_timeout=15
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            port = runner.addresses[0][1]
            shown = f"[{self.host}]" if ":" in self.host else self.host
            if self.host in {"0.0.0.0", "::"}:
                shown = socket.gethostname()
            self.url = f"http://{shown}:{port}/"
            stop = stop or asyncio.Event()
            loop = asyncio.get_running_loop()
            # Before the URL is announced (and a browser opened): Ctrl+C the moment the URL
            # shows stops the server cleanly instead of raising KeyboardInterrupt (exit 130).
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            try:
                ready(self.url)
                await stop.wait()
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)
            self.say("stopping: every open tab saves and closes")
        finally:
            await runner.cleanup()

    def serve_forever(self, ready: Callable[[str], None]) -> None:
        self.initialize_logging()
        asyncio.run(self.run(ready))


def _int(text: str | None, default: int) -> int:
    try:
        return max(1, min(int(text or ""), 1000))
    except ValueError:
        return default


def app_command(python: str, data_dir: str | None, debug: bool) -> str:
    """The shell command textual-serve runs for each tab (exec: the app is the shell's process)."""
    import shlex

    args = [python, "-m", "deskwork"]
    if data_dir is not None:
        args += ["--data-dir", os.path.abspath(data_dir)]
    if debug:
        args.append("--debug")
    return "exec " + shlex.join(args)
