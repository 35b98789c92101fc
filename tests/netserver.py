"""A real HTTP server on 127.0.0.1 for the network code's tests (no traffic anywhere else).

Routes map a path (without the query) to a function that gets the request handler and answers.
Handlers that hang wait on `server.stop`, which is set when the test ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Route = Callable[["Handler"], None]


@dataclass
class LocalServer:
    base: str
    stop: threading.Event
    requests: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    state: LocalServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.state.requests.append(self.path)
        self.state.user_agents.append(self.headers.get("User-Agent", ""))
        route = self.routes.get(urlsplit(self.path).path)
        if route is None:
            self.send(404, b"not here", "text/plain")
            return
        with suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[LocalServer]:
    stop = threading.Event()
    handler = type("RouteHandler", (Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    state = LocalServer(f"http://127.0.0.1:{server.server_address[1]}", stop)
    handler.state = state
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def static(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Route:
    return lambda h: h.send(status, body, content_type)


def hang(h: Handler) -> None:
    """Accept the connection, never answer (until the test ends)."""
    h.state.stop.wait(60)


def redirect_to(path: str) -> Route:
    def answer(h: Handler) -> None:
        h.send_response(302)
        h.send_header("Location", path)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def endless(h: Handler) -> None:
    """A body with no length that never ends (until the client gives up)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    chunk = b"<p>" + b"x" * 65536
    while not h.state.stop.is_set():
        h.wfile.write(chunk)


def trickle_headers(h: Handler) -> None:
    """A status line, then one header line every 0.1 s, for ever (until the test ends): each read
    gets data well within any per-read timeout, so only a total deadline stops it."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    h.wfile.flush()
    n = 0
    while not h.state.stop.wait(0.1):
        h.wfile.write(b"X-Slow-%d: %s\r\n" % (n, b"y" * 10))
        h.wfile.flush()
        n += 1
