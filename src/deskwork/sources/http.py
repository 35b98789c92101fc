"""One careful GET: http/https only, a connect timeout and a TOTAL deadline, a body cap, a redirect
limit, and text decoded even when the server lies about its charset.

The deadline is a wall-clock one for the whole fetch, redirects and headers included: every socket
operation (connect, TLS, each read and write) gets at most the time left, so a server trickling
one header line a second cannot stretch a 15 s fetch to minutes (httpx's own timeouts are per
operation). It is enforced in the network backend under httpx (`_DeadlineBackend`), which also
looks names up in a helper thread, so even a hanging resolver cannot hold a fetch past it."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from deskwork import __version__

USER_AGENT = (
    f"deskwork/{__version__} (a terminal study desk; fetches one page or arXiv record "
    "when its user adds a link; https://pypi.org/project/deskwork/)"
)


class SourceError(Exception):
    """A fetch that did not work, with a message fit for the user (it names the URL)."""

    def __init__(self, message: str, *, retry: bool = True, offline: bool = False) -> None:
        super().__init__(message)
        self.retry = retry  # False when trying again later cannot help (a 404, a bad URL)
        self.offline = offline  # no connection at all: the next fetches would fail the same way


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 5.0
    total_timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    charset: str | None

    def text(self) -> str:
        return decode(self.body, self.charset)


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{url}: only http:// and https:// links can be fetched", retry=False)
    return url


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    accept: str = "*/*",
    client: httpx.Client | None = None,
) -> Fetched:
    """GET `url` within the policy's limits, or raise SourceError saying what went wrong."""
    deadline = time.monotonic() + policy.total_timeout
    owned = client is None
    http = client or make_client(policy)
    token = _DEADLINE.set(deadline)
    try:
        current = check_url(url)
        for _ in range(policy.max_redirects + 1):
            response = _get(http, current, policy, deadline, accept)
            if isinstance(response, str):  # a redirect: its target, checked
                current = response
                continue
            return response
        raise SourceError(f"{url}: more than {policy.max_redirects} redirects", retry=False)
    finally:
        _DEADLINE.reset(token)
        if owned:
            http.close()


def make_client(policy: FetchPolicy) -> httpx.Client:
    timeout = httpx.Timeout(
        policy.total_timeout, connect=min(policy.connect_timeout, policy.total_timeout)
    )
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        headers={"User-Agent": policy.user_agent},
        transport=_DeadlineTransport(),
        trust_env=False,
    )


# ---------------------------------------------------------------------- the deadline
_DEADLINE: ContextVar[float | None] = ContextVar("deskwork_fetch_deadline", default=None)


def _left(timeout: float | None, late: type[Exception]) -> float | None:
    """The operation's timeout, cut to what is left of the fetch's deadline; `late` once it passed."""
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise late("the fetch's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, _left(timeout, httpcore.ConnectTimeout))
        failure: Exception = httpcore.ConnectError(f"{host}: no address")
        for address in addresses:  # each tried in turn, as socket.create_connection does
            left = _left(timeout, httpcore.ConnectTimeout)
            try:
                stream = self.inner.connect_tcp(address, port, left, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _DeadlineStream(stream)
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.inner.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """The host's addresses, looked up in a helper thread so that a resolver that hangs cannot
    hold the fetch past its deadline (the thread is left to finish on its own)."""
    try:
        ipaddress.ip_address(host)
        return [host]  # already an address: nothing to look up
    except ValueError:
        pass
    found: list[Any] = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            found.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not found:
        raise httpcore.ConnectTimeout(f"{host}: the name did not resolve in time")
    if isinstance(found[0], OSError):
        raise httpcore.ConnectError(f"{host}: {found[0]}")
    return list(dict.fromkeys(str(info[4][0]) for info in found[0]))


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport (its request/response mapping and errors) over a connection pool
    whose sockets honour the fetch's deadline."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("this httpx keeps its pool elsewhere; the deadline cannot hold")
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=1,
            max_keepalive_connections=1,
            keepalive_expiry=5.0,
            network_backend=_DeadlineBackend(),
        )


def _get(
    http: httpx.Client, url: str, policy: FetchPolicy, deadline: float, accept: str
) -> Fetched | str:
    """A Fetched, or the next URL when the answer is a redirect."""
    answered = False  # the status line and headers are in: a timeout now is a slow body
    try:
        with http.stream("GET", url, headers={"Accept": accept}) as response:
            answered = True
            if response.is_redirect:
                location = response.headers.get("location", "")
                if not location:
                    raise SourceError(f"{url}: a redirect without a Location", retry=False)
                return check_url(urljoin(url, location))
            if response.status_code >= 400:
                retry = response.status_code >= 500 or response.status_code == 429
                raise SourceError(
                    f"{url}: the server answered {response.status_code} "
                    f"{response.reason_phrase}".rstrip(),
                    retry=retry,
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise SourceError(
                    f"{url}: too large ({_mb(int(declared))}, limit {_mb(policy.max_bytes)})",
                    retry=False,
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > policy.max_bytes:
                    raise SourceError(
                        f"{url}: too large (over {_mb(policy.max_bytes)})", retry=False
                    )
                if time.monotonic() > deadline:
                    raise SourceError(f"{url}: took longer than {policy.total_timeout:g} s")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            return Fetched(
                str(response.url), response.status_code, content_type, b"".join(chunks),
                response.charset_encoding,
            )  # fmt: skip
    except httpx.ConnectTimeout:
        raise SourceError(
            f"{url}: no connection within {policy.connect_timeout:g} s", offline=True
        ) from None
    except httpx.TimeoutException:  # the whole fetch, headers and redirects included
        if answered:
            raise SourceError(f"{url}: took longer than {policy.total_timeout:g} s") from None
        raise SourceError(f"{url}: no answer within {policy.total_timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise SourceError(
            f"{url}: cannot connect ({_reason(exc)}); offline?", offline=True
        ) from None
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: {type(exc).__name__} ({_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode(body: bytes, declared: str | None) -> str:
    """The body as text: the declared charset, else the page's <meta charset>, else UTF-8, else
    Windows-1252 (which decodes any byte). A charset that does not fit the bytes is not trusted."""
    candidates = [declared] if declared else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    candidates.append("utf-8")
    for charset in candidates:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")
