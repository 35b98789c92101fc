"""Adding a link (a URL or an arXiv id) to the curriculum, and pulling its metadata.

The item is saved first, marked "metadata pending"; the fetch comes after and only fills it in.
Offline, or on any failure, the item stays with its URL and the reason, and `refresh` tries again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from deskwork.domain.curriculum import Item, ItemKind
from deskwork.domain.text import clean
from deskwork.domain.urls import strip_tracking, strip_tracking_in
from deskwork.services.desk import Desk
from deskwork.sources.arxiv import (
    ArxivClient,
    ArxivId,
    Paper,
    paper_from_json,
    paper_to_json,
    parse_arxiv_id,
)
from deskwork.sources.http import FetchPolicy, SourceError
from deskwork.sources.pages import PageMeta, page_metadata, workload_hours

ARXIV_API_ENV = "DESKWORK_ARXIV_API"
WATCH_DAY = "arxiv_watch_day"
WATCH_SINCE = "arxiv_watch_since"
WATCH_RESULTS = "arxiv_watch_results"
_BARE_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")


def _now(work: Callable[[], Item | None]) -> Item | None:
    return work()


class LinkError(ValueError):
    """What the user typed is neither a URL nor an arXiv id."""


@dataclass(frozen=True)
class Target:
    url: str
    arxiv: ArxivId | None


def parse_target(text: str) -> Target:
    text = clean(text, single_line=True).strip()
    arxiv = parse_arxiv_id(text)
    if arxiv is not None:
        return Target(f"https://arxiv.org/abs/{arxiv.id}", arxiv)
    if re.match(r"^https?://\S+$", text, re.I):
        return Target(strip_tracking(text), None)
    if _BARE_DOMAIN.match(text):
        return Target(strip_tracking(f"https://{text}"), None)
    raise LinkError(
        f"{text!r} is not a link or an arXiv id (try https://…, 1706.03762 or arXiv:1706.03762)"
    )


class Links:
    """The network side of the curriculum for one desk; one arXiv client, so its pace holds."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        cfg = desk.config.sources
        self.policy = FetchPolicy(
            connect_timeout=cfg.connect_timeout_seconds,
            total_timeout=cfg.total_timeout_seconds,
            max_bytes=int(cfg.max_download_mb * 1024 * 1024),
        )
        self.arxiv = ArxivClient(os.environ.get(ARXIV_API_ENV) or cfg.arxiv_api, self.policy)
        self.oembed_api = cfg.oembed_api

    # ------------------------------------------------------------ saving (fast, no network)
    def save(self, text: str) -> tuple[Item, bool]:
        """The item for `text`, saved and marked pending; (item, False) when it was already there."""
        target = parse_target(text)
        for item in self.desk.store.items.values():
            if (target.arxiv and item.arxiv_id == target.arxiv.id) or item.url == target.url:
                return item, False
        item = Item(
            id=0,
            kind=ItemKind.PAPER if target.arxiv else ItemKind.OTHER,
            title=f"arXiv:{target.arxiv}" if target.arxiv else target.url,
            url=target.url,
            arxiv_id=target.arxiv.id if target.arxiv else "",
            arxiv_version=target.arxiv.version if target.arxiv else None,
            added=self.desk.clock(),
            metadata_pending=True,
        )
        with self.desk.store.transaction() as tx:
            return tx.put("items", item), True

    # ------------------------------------------------------------ fetching (a worker thread)
    def fetch(self, item: Item) -> dict[str, Any]:
        """The fields the item's metadata fills in; raises SourceError. Safe in a worker thread:
        it reads nothing from the store."""
        if item.arxiv_id:
            ident = ArxivId(item.arxiv_id, item.arxiv_version)
            return _paper_fields(self.arxiv.papers([ident])[0], item)
        return _page_fields(page_metadata(item.url, self.policy, self.oembed_api), item, self.desk)

    # ------------------------------------------------------------ applying (the store's thread)
    def apply(self, item_id: int, fields: dict[str, Any]) -> Item | None:
        current = self.desk.store.items.get(item_id)
        if current is None:  # deleted while the fetch ran
            return None
        update = {"metadata_pending": False, "metadata_error": "", **fields}
        with self.desk.store.transaction() as tx:
            return tx.put("items", Item.model_validate({**current.model_dump(), **update}))

    def failed(self, item_id: int, error: SourceError) -> Item | None:
        current = self.desk.store.items.get(item_id)
        if current is None:
            return None
        with self.desk.store.transaction() as tx:
            return tx.put("items", current.model_copy(update={"metadata_error": str(error)}))

    def pending(self) -> list[Item]:
        return sorted(
            (i for i in self.desk.store.items.values() if i.metadata_pending), key=lambda i: i.id
        )

    def search(self, words: str, field_name: str = "all", max_results: int = 25) -> list[Paper]:
        return self.arxiv.search(words, field_name, max_results)

    def add_paper(self, paper: Paper) -> tuple[Item, bool]:
        """A search result into the curriculum (no second fetch: the result has everything)."""
        item, created = self.save(str(paper.arxiv_id))
        if created:
            item = self.apply(item.id, _paper_fields(paper, item)) or item
        return item, created

    # ------------------------------------------------------------ the watch list
    def watch_checked_today(self) -> bool:
        return bool(self.desk.store.setting(WATCH_DAY) == self.desk.today().isoformat())

    def watch_inputs(self) -> tuple[list[str], datetime, set[str]]:
        """(queries, papers newer than this, arXiv ids already in the curriculum)."""
        since = self.desk.store.setting(WATCH_SINCE)
        cutoff = (
            datetime.fromisoformat(since)
            if isinstance(since, str)
            else self.desk.clock() - timedelta(days=7)
        )
        known = {i.arxiv_id for i in self.desk.store.items.values() if i.arxiv_id}
        return list(self.desk.config.sources.watch), cutoff, known

    def run_watch(self, queries: list[str], cutoff: datetime, known: set[str]) -> list[Paper]:
        """New papers for the watch queries (network only: a worker thread). Queries that look
        like arXiv syntax (`cat:cs.LG`, `au:…`) go as they are, others as words."""
        seen: dict[str, Paper] = {}
        for query in queries:
            raw = re.match(r"^(cat|au|ti|abs|all):", query.strip())
            for paper in self.arxiv.search(query, "query" if raw else "all", 50):
                new = paper.published is None or paper.published > cutoff
                if new and paper.arxiv_id.id not in known:
                    seen.setdefault(paper.arxiv_id.id, paper)
        return sorted(seen.values(), key=lambda p: p.published or cutoff, reverse=True)

    def remember_watch(self, papers: list[Paper]) -> None:
        now = self.desk.clock()
        with self.desk.store.transaction() as tx:
            tx.set_setting(WATCH_DAY, self.desk.today().isoformat())
            tx.set_setting(WATCH_SINCE, now.isoformat())
            tx.set_setting(WATCH_RESULTS, [paper_to_json(p) for p in papers[:200]])

    def remembered_watch(self) -> list[Paper]:
        saved = self.desk.store.setting(WATCH_RESULTS) or []
        known = {i.arxiv_id for i in self.desk.store.items.values() if i.arxiv_id}
        papers = [paper_from_json(d) for d in saved if isinstance(d, dict)]
        return [p for p in papers if p.arxiv_id.id not in known]

    def close(self) -> None:
        self.arxiv.close()


def _paper_fields(paper: Paper, item: Item) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": ItemKind.PAPER,
        "title": paper.title or item.title,
        "authors": ", ".join(paper.authors),
        "abstract": paper.abstract,
        "categories": paper.categories,
        "pdf_url": paper.pdf_url,
        "arxiv_id": paper.arxiv_id.id,
        "arxiv_version": paper.arxiv_id.version or item.arxiv_version,
        "published": paper.published,
        "url": f"https://arxiv.org/abs/{paper.arxiv_id.id}",
    }
    if not item.tags and paper.primary_category:
        fields["tags"] = [paper.primary_category]
    return fields


def _page_fields(meta: PageMeta, item: Item, desk: Desk) -> dict[str, Any]:
    fields: dict[str, Any] = {"title": strip_tracking_in(meta.title)}
    if item.kind is ItemKind.OTHER and meta.kind:
        fields["kind"] = ItemKind(meta.kind)
    if not item.authors and (meta.provider or meta.site_name):
        fields["authors"] = meta.provider or meta.site_name
    if not item.notes and meta.description:
        fields["notes"] = strip_tracking_in(meta.description)
    if not item.cost and meta.price:
        fields["cost"] = meta.price
        if meta.currency:
            fields["currency"] = meta.currency
    hours = workload_hours(meta.workload) if meta.workload else None
    if hours and not item.effort_points:
        fields["effort_points"] = round(hours / desk.config.plan.hours_per_point, 2)
    if meta.workload:
        note = f"Workload (from the page): {meta.workload}"
        fields["notes"] = "\n".join(x for x in (fields.get("notes", item.notes), note) if x)
    return fields
