"""Web pages' metadata: og:title / og:description / og:site_name, a JSON-LD `Course` (name,
provider, price, workload), else <title>; YouTube playlists through oEmbed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from deskwork.domain.text import clean, clip
from deskwork.sources.http import FetchPolicy, SourceError, fetch

DEFAULT_OEMBED = "https://www.youtube.com/oembed"
_MAX_JSON_LD = 200_000  # characters per script block worth parsing


@dataclass(frozen=True)
class PageMeta:
    url: str
    title: str
    description: str = ""
    site_name: str = ""
    provider: str = ""
    price: float | None = None
    currency: str = ""
    workload: str = ""  # a hint, e.g. "PT40H" or "10 hours a week"
    kind: str = ""  # "course", "video" when the page says so


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.json_ld: list[str] = []
        self._in_title = False
        self._in_ld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
        elif tag == "title" and not self.title:
            self._in_title, self._buffer = True, []
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in_ld, self._buffer = True, []

    def handle_data(self, data: str) -> None:
        if self._in_title or self._in_ld:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self.title, self._in_title = "".join(self._buffer), False
        elif tag == "script" and self._in_ld:
            self.json_ld.append("".join(self._buffer)[:_MAX_JSON_LD])
            self._in_ld = False


_MAX_FIELD = 2_000  # a description, a name: what a page may put into an item's fields


def _line(value: object) -> str:
    return clip(clean(str(value), single_line=True), _MAX_FIELD) if value is not None else ""


def parse_page(html: str, url: str) -> PageMeta:
    parser = _HeadParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # HTMLParser on garbage: keep what it got
        pass
    course = _course(parser.json_ld)
    meta = parser.meta
    title = (
        _line(course.get("name"))
        or _line(meta.get("og:title"))
        or _line(meta.get("twitter:title"))
        or _line(parser.title)
    )
    if not title:
        raise SourceError(f"{url}: the page has no title", retry=False)
    provider = course.get("provider")
    if isinstance(provider, dict):
        provider = provider.get("name")
    price, currency = _offer(course.get("offers"))
    return PageMeta(
        url=url,
        title=title,
        description=_line(
            course.get("description") or meta.get("og:description") or meta.get("description") or ""
        ),
        site_name=_line(meta.get("og:site_name") or ""),
        provider=_line(provider or ""),
        price=price,
        currency=currency,
        workload=_workload(course),
        kind="course"
        if course
        else ("video" if meta.get("og:type", "").startswith("video") else ""),
    )


def _course(blocks: list[str]) -> dict[str, Any]:
    """The first JSON-LD object whose @type is (or includes) Course, searching @graph and lists."""
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if "Course" in kinds:
                    return node
                if "@graph" in node:
                    stack.append(node["@graph"])
    return {}


def _offer(offers: object) -> tuple[float | None, str]:
    if isinstance(offers, list):
        offers = offers[0] if offers else None
    if not isinstance(offers, dict):
        return None, ""
    raw = offers.get("price")
    try:
        price = float(str(raw).replace(",", "")) if raw not in (None, "") else None
    except ValueError:
        price = None
    if price is not None and price < 0:
        price = None
    return price, _line(offers.get("priceCurrency") or "")[:8]


def _workload(course: dict[str, Any]) -> str:
    instances = course.get("hasCourseInstance")
    if isinstance(instances, dict):
        instances = [instances]
    for instance in instances if isinstance(instances, list) else []:
        if isinstance(instance, dict) and instance.get("courseWorkload"):
            return _line(instance["courseWorkload"])[:80]
    return _line(course.get("timeRequired") or "")[:80]


_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+)M)?)?$"
)


def workload_hours(workload: str) -> float | None:
    """Hours in an ISO 8601 duration like 'PT40H' or 'P2DT4H' (days count 24 h), else None."""
    match = _ISO_DURATION.match(workload.strip().upper())
    if not match or not any(match.groupdict().values()):
        return None
    days, hours, minutes = (float(match.group(g) or 0) for g in "dhm")
    return days * 24 + hours + minutes / 60


def youtube_playlist(url: str) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return (host == "youtube.com" or host.endswith(".youtube.com")) and bool(
        parse_qs(parts.query).get("list")
    )


def oembed(url: str, policy: FetchPolicy, endpoint: str = DEFAULT_OEMBED) -> PageMeta:
    got = fetch(
        f"{endpoint}?{urlencode({'url': url, 'format': 'json'})}", policy, accept="application/json"
    )
    try:
        data = json.loads(got.text())
    except ValueError:
        raise SourceError(f"{url}: the oEmbed answer is not JSON") from None
    if not isinstance(data, dict) or not data.get("title"):
        raise SourceError(f"{url}: the oEmbed answer has no title", retry=False)
    return PageMeta(
        url=url,
        title=_line(data["title"]),
        site_name=_line(data.get("provider_name") or "YouTube"),
        provider=_line(data.get("author_name") or ""),
        kind="video",
    )


def page_metadata(url: str, policy: FetchPolicy, oembed_endpoint: str = DEFAULT_OEMBED) -> PageMeta:
    if youtube_playlist(url):
        return oembed(url, policy, oembed_endpoint)
    got = fetch(url, policy, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
    kind = got.content_type.split(";")[0].strip().lower()
    if kind == "application/pdf":
        name = urlsplit(got.url).path.rsplit("/", 1)[-1] or got.url
        return PageMeta(url=url, title=_line(name), kind="")
    if kind and "html" not in kind and not kind.startswith("text/"):
        raise SourceError(f"{url}: not a web page ({kind})", retry=False)
    return parse_page(got.text(), url)
