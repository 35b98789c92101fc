"""arXiv: identifiers in every form people paste, the Atom answers of its API, and a client that
keeps arXiv's terms (one connection, at most one request every 3 s, a descriptive User-Agent)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from deskwork.domain.text import clean
from deskwork.sources.http import FetchPolicy, SourceError, fetch, make_client

DEFAULT_API = "https://export.arxiv.org/api/query"
MIN_INTERVAL_S = 3.0

# New style: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015-); old style: archive(.SUBJ)/YYMMNNN.
_NEW = r"(?P<new>\d{4}\.\d{4,5})"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?:v(?P<version>\d+))?"
_ID = rf"(?:{_NEW}|{_OLD}){_VERSION}"
_FORMS = [
    re.compile(rf"^(?:arxiv:\s*)?{_ID}$", re.I),
    re.compile(rf"^10\.48550/arxiv\.{_ID}$", re.I),
    re.compile(
        rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/{_ID}(?:\.pdf)?/?(?:[?#].*)?$",
        re.I,
    ),
    re.compile(rf"^(?:https?://)?(?:dx\.)?doi\.org/10\.48550/arxiv\.{_ID}$", re.I),
]


@dataclass(frozen=True)
class ArxivId:
    id: str  # without version: "1706.03762", "hep-th/9901001"
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id


def parse_arxiv_id(text: str) -> ArxivId | None:
    """The arXiv id in what the user pasted, or None when it is not one."""
    text = text.strip()
    for form in _FORMS:
        match = form.match(text)
        if match:
            raw = match.group("new") or match.group("old")
            # The archive is lower case and the subject class upper case ("math.GT/0309136").
            if match.group("old"):
                archive, _, number = raw.partition("/")
                name, dot, subject = archive.partition(".")
                raw = f"{name.lower()}{dot}{subject.upper()}/{number}"
            yymm = raw[:4] if match.group("new") else raw.split("/")[1][:4]
            if not 1 <= int(yymm[2:]) <= 12:
                return None
            # Four digits after the dot from April 2007, five from January 2015.
            if match.group("new") and (len(raw) == 10) != (yymm >= "1501"):
                return None
            version = match.group("version")
            return ArxivId(raw, int(version) if version else None)
    return None


@dataclass(frozen=True)
class Paper:
    arxiv_id: ArxivId
    title: str
    authors: list[str]
    abstract: str
    categories: list[str]
    primary_category: str
    published: datetime | None
    updated: datetime | None
    abs_url: str
    pdf_url: str
    doi: str = ""
    comment: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


class ArxivError(SourceError):
    pass


def parse_feed(body: bytes | str, source: str = "arXiv") -> list[Paper]:
    """The papers in an arXiv API Atom answer (defused XML; arXiv's error entries raise)."""
    try:
        root = fromstring(body)
    except DefusedXmlException as exc:
        raise ArxivError(
            f"{source}: refused an unsafe XML answer ({type(exc).__name__})", retry=False
        ) from None
    except ParseError as exc:
        raise ArxivError(f"{source}: the answer is not valid XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise ArxivError(f"{source}: the answer is not an Atom feed (root <{root.tag}>)")
    papers = []
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = _text(entry, f"{_ATOM}id")
        if "/api/errors" in entry_id:
            raise ArxivError(
                f"{source}: arXiv says: {_text(entry, f'{_ATOM}summary')}", retry=False
            )
        papers.append(_paper(entry, entry_id))
    return papers


def _paper(entry: Element, entry_id: str) -> Paper:
    ident = parse_arxiv_id(entry_id) or ArxivId(entry_id.rsplit("/abs/", 1)[-1])
    links = {
        (link.get("title") or link.get("rel") or ""): link.get("href", "")
        for link in entry.iter(f"{_ATOM}link")
    }
    primary = entry.find(f"{_ARXIV}primary_category")
    categories = [c.get("term", "") for c in entry.iter(f"{_ATOM}category") if c.get("term")]
    return Paper(
        arxiv_id=ident,
        title=_line(_text(entry, f"{_ATOM}title")),
        authors=[_line(_text(a, f"{_ATOM}name")) for a in entry.iter(f"{_ATOM}author")],
        abstract=clean(" ".join(_text(entry, f"{_ATOM}summary").split())),
        categories=categories,
        primary_category=primary.get("term", "")
        if primary is not None
        else (categories[:1] or [""])[0],
        published=_date(_text(entry, f"{_ATOM}published")),
        updated=_date(_text(entry, f"{_ATOM}updated")),
        abs_url=links.get("alternate") or f"https://arxiv.org/abs/{ident}",
        pdf_url=links.get("pdf") or f"https://arxiv.org/pdf/{ident}",
        doi=_line(_text(entry, f"{_ARXIV}doi")),
        comment=_line(_text(entry, f"{_ARXIV}comment")),
    )


def _text(node: Element, tag: str) -> str:
    found = node.find(tag)
    return (found.text or "") if found is not None else ""


def _line(text: str) -> str:
    return clean(text, single_line=True)


def _date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


SEARCH_FIELDS = {"all": "all", "title": "ti", "author": "au", "category": "cat", "abstract": "abs"}


def search_query(words: str, field_name: str = "all") -> str:
    """arXiv's search_query for what the user typed: every word must match in the chosen field.
    `field_name="query"` passes arXiv's own syntax through (`cat:cs.LG AND ti:diffusion`)."""
    if field_name == "query":
        query = clean(words, single_line=True)
        if not query:
            raise ArxivError("type something to search for", retry=False)
        return query
    prefix = SEARCH_FIELDS.get(field_name, "all")
    terms = [t for t in re.split(r"\s+", words.strip()) if t]
    if not terms:
        raise ArxivError("type something to search for", retry=False)
    quoted = [t if re.fullmatch(r"[\w.\-]+", t) else '"' + t.replace('"', "") + '"' for t in terms]
    return " AND ".join(f"{prefix}:{t}" for t in quoted)


def paper_to_json(paper: Paper) -> dict[str, Any]:
    return {
        "id": str(paper.arxiv_id),
        "title": paper.title,
        "authors": paper.authors,
        "abstract": paper.abstract,
        "categories": paper.categories,
        "primary_category": paper.primary_category,
        "published": paper.published.isoformat() if paper.published else None,
        "updated": paper.updated.isoformat() if paper.updated else None,
        "abs_url": paper.abs_url,
        "pdf_url": paper.pdf_url,
    }


def paper_from_json(data: dict[str, Any]) -> Paper:
    ident = parse_arxiv_id(str(data.get("id", ""))) or ArxivId(str(data.get("id", "")))
    return Paper(
        arxiv_id=ident,
        title=_line(str(data.get("title", ""))),
        authors=[_line(str(a)) for a in data.get("authors", [])],
        abstract=clean(str(data.get("abstract", ""))),
        categories=[str(c) for c in data.get("categories", [])],
        primary_category=str(data.get("primary_category", "")),
        published=_date(str(data.get("published") or "")),
        updated=_date(str(data.get("updated") or "")),
        abs_url=str(data.get("abs_url", "")),
        pdf_url=str(data.get("pdf_url", "")),
    )


class RateLimit:
    """At most one call every `interval` seconds (shared by the threads of one client)."""

    def __init__(
        self,
        interval: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last: float | None = None

    def wait(self) -> float:
        """Sleep until the next call is allowed; returns how long it slept."""
        with self._lock:
            slept = 0.0
            if self._last is not None:
                slept = max(0.0, self._last + self.interval - self._monotonic())
                if slept:
                    self._sleep(slept)
            self._last = self._monotonic()
            return slept


class ArxivClient:
    """One connection to the arXiv API, paced by a RateLimit."""

    def __init__(
        self,
        api_url: str = DEFAULT_API,
        policy: FetchPolicy | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        self.api_url = api_url
        self.policy = policy or FetchPolicy()
        self.rate_limit = rate_limit or RateLimit(MIN_INTERVAL_S)
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def _query(self, params: dict[str, str | int]) -> bytes:
        with self._lock:
            if self._client is None:
                self._client = make_client(self.policy)
            self.rate_limit.wait()
            url = f"{self.api_url}?{urlencode(params)}"
            got = fetch(url, self.policy, accept="application/atom+xml", client=self._client)
            return got.body

    def papers(self, ids: list[ArxivId]) -> list[Paper]:
        body = self._query({"id_list": ",".join(str(i) for i in ids), "max_results": len(ids)})
        papers = parse_feed(body, f"arXiv ({', '.join(str(i) for i in ids)})")
        found = {p.arxiv_id.id for p in papers}
        missing = [str(i) for i in ids if i.id not in found]
        if missing:
            raise ArxivError(f"arXiv has no paper {', '.join(missing)}", retry=False)
        return papers

    def search(self, words: str, field_name: str = "all", max_results: int = 25) -> list[Paper]:
        body = self._query({
            "search_query": search_query(words, field_name),
            "sortBy": "submittedDate",
            "sortOrder": "descending",
            "max_results": max_results,
        })  # fmt: skip
        return parse_feed(body, f"arXiv search ({words})")

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
