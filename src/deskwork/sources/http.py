"""One careful GET: http/https only, connect and total timeouts, a body cap, a redirect limit, and
text decoded even when the server lies about its charset."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        trust_env=False,
    )


def _get(
    http: httpx.Client, url: str, policy: FetchPolicy, deadline: float, accept: str
) -> Fetched | str:
    """A Fetched, or the next URL when the answer is a redirect."""
    try:
        with http.stream("GET", url, headers={"Accept": accept}) as response:
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
    except httpx.TimeoutException:
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
