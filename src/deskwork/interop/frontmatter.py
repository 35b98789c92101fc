"""Draft posts as static-site Markdown files: Pelican (`Key: value` header, as in seeds 000/001),
Hugo, Jekyll and Gatsby (YAML between `---`, as in seed 004). Export writes `<slug>.md`; import reads
any of the four back into a draft (unknown front-matter keys are kept and written back)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from deskwork.domain.drafts import Draft, DraftStatus, slugify, sources_section
from deskwork.domain.text import clean, clip
from deskwork.interop import InteropError
from deskwork.interop.limits import FRONT_MATTER_BYTES


class Flavour(StrEnum):
    PELICAN = "pelican"
    HUGO = "hugo"
    JEKYLL = "jekyll"
    GATSBY = "gatsby"


class FrontMatterError(InteropError):
    """A file that cannot be read as a post; the message names the file and the line."""


def _yaml(data: dict[str, Any]) -> str:
    import yaml  # only when a post is exported or imported: keeps start-up lean

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def export_text(draft: Draft, flavour: Flavour, now: datetime) -> str:
    """The post as the flavour's Markdown file: front matter, body, then a Sources section."""
    when = (draft.date or now).astimezone(UTC)
    published = draft.status is DraftStatus.PUBLISHED
    slug = draft.effective_slug
    body = draft.body.rstrip("\n") + "\n"
    section = sources_section(draft.sources)
    if section:
        body += "\n" + section
    if flavour is Flavour.PELICAN:
        header = {
            "Title": draft.title,
            "Date": when.strftime("%Y-%m-%d %H:%M"),
            "Slug": slug,
            "Status": "published" if published else "draft",
        }
        if draft.category:
            header["Category"] = draft.category
        if draft.tags:
            header["Tags"] = ", ".join(draft.tags)
        if draft.summary:
            header["Summary"] = draft.summary
        header |= {k: v for k, v in draft.extra.items() if k not in header}
        lines = [f"{k}: {' '.join(str(v).splitlines())}" for k, v in header.items()]
        return "\n".join(lines) + "\n\n" + body
    meta: dict[str, Any]
    if flavour is Flavour.HUGO:
        meta = {
            "title": draft.title,
            "date": when.isoformat(),
            "draft": not published,
            "slug": slug,
        }
        if draft.tags:
            meta["tags"] = list(draft.tags)
        if draft.category:
            meta["categories"] = [draft.category]
        if draft.summary:
            meta["summary"] = draft.summary
    elif flavour is Flavour.JEKYLL:
        meta = {
            "layout": "post",
            "title": draft.title,
            "date": when.strftime("%Y-%m-%d %H:%M:%S +0000"),
            "published": published,
        }
        if draft.category:
            meta["categories"] = [draft.category]
        if draft.tags:
            meta["tags"] = list(draft.tags)
        if draft.summary:
            meta["excerpt"] = draft.summary
    else:
        meta = {
            "title": draft.title,
            "date": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z",
            "layout": "post",
            "draft": not published,
            "path": f"/posts/{slug}/",
        }
        if draft.category:
            meta["category"] = draft.category
        if draft.tags:
            meta["tags"] = list(draft.tags)
        if draft.summary:
            meta["description"] = draft.summary
    meta |= {k: v for k, v in draft.extra.items() if k not in meta}
    return "---\n" + _yaml(meta) + "---\n\n" + body


# ---------------------------------------------------------------------- import
_PELICAN_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")


@dataclass
class Parsed:
    meta: dict[str, Any]
    body: str
    flavour: Flavour


def _load_yaml(source: str, name: str) -> Any:
    """YAML front matter, safely: no aliases (`*name` is how a 365-byte "billion laughs" post grows
    to gigabytes; front matter never needs them) and no more than FRONT_MATTER_BYTES."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                line = self.peek_event().start_mark.line + 2  # type: ignore[no-untyped-call]
                raise FrontMatterError(
                    f"{name}: line {line}: front matter uses a YAML alias (*…), which deskwork "
                    "does not read (aliases can expand without bound); write the value out"
                )
            return super().compose_node(parent, index)

    try:
        return yaml.load(source, Loader=NoAliases)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 2}: " if mark is not None else ""
        raise FrontMatterError(f"{name}: {line}front matter is not valid YAML") from None
    except FrontMatterError:
        raise
    except (ValueError, OverflowError) as exc:  # a date YAML reads but Python cannot hold
        raise FrontMatterError(f"{name}: front matter holds a value out of range ({exc})") from None
    except RecursionError:
        raise FrontMatterError(f"{name}: front matter is nested too deeply") from None


def parse(text: str, name: str) -> Parsed:
    """Split a post into front matter and body (YAML between `---`, or a Pelican header)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end < 0:
            raise FrontMatterError(f"{name}: line 1: front matter opened with --- is never closed")
        _check_header_size(end, name)
        meta = _load_yaml(text[4:end], name) or {}
        if not isinstance(meta, dict):
            raise FrontMatterError(f"{name}: line 2: front matter must be `key: value` pairs")
        body = text[end + 4 :].split("\n", 1)[1] if "\n" in text[end + 4 :] else ""
        flavour = Flavour.GATSBY if "path" in meta else Flavour.HUGO
        if "published" in meta or "excerpt" in meta:
            flavour = Flavour.JEKYLL
        return Parsed({str(k): v for k, v in meta.items()}, body.lstrip("\n"), flavour)
    lines = text.split("\n")
    meta = {}
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            break
        match = _PELICAN_KEY.match(line)
        if match is None:
            if not meta:
                break
            raise FrontMatterError(f"{name}: line {index + 1}: expected `Key: value` in the header")
        meta[match.group(1)] = match.group(2).strip()
        _check_header_size(sum(len(x) + 1 for x in lines[: index + 1]), name)
    else:
        index = len(lines)
    body = "\n".join(lines[index + 1 :]) if meta else text
    return Parsed(meta, body.lstrip("\n"), Flavour.PELICAN)


def _check_header_size(chars: int, name: str) -> None:
    if chars > FRONT_MATTER_BYTES:
        raise FrontMatterError(
            f"{name}: refused: the front matter is longer than {FRONT_MATTER_BYTES // 1024} KB"
        )


def _date(value: Any, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).strip().replace("Z", "+00:00")
    for fmt in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text, fmt)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise FrontMatterError(f"{name}: date {clip(repr(value), 80)} is not a date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _line(value: Any) -> str:
    return clean(str(value), single_line=True)


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [_line(v) for v in value if _line(v)]
    return [_line(part) for part in str(value).split(",") if _line(part)]


KNOWN = {
    "title", "date", "slug", "status", "draft", "published", "tags", "tag", "category",
    "categories", "summary", "description", "excerpt", "path", "layout",
}  # fmt: skip


def draft_from_text(text: str, name: str, now: datetime) -> Draft:
    parsed = parse(text, name)
    meta = {k.lower(): v for k, v in parsed.meta.items()}
    title = str(meta.get("title") or "").strip()
    body = parsed.body
    if not title:
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        title = heading.group(1).strip() if heading else Path(name).stem.replace("-", " ")
    if "status" in meta:
        published = str(meta["status"]).lower() == "published"
    elif "draft" in meta:
        published = meta["draft"] in (False, "false", "False", "no")
    elif "published" in meta:
        published = meta["published"] not in (False, "false", "False", "no")
    else:
        published = False
    slug = _line(meta.get("slug") or "")
    if not slug and meta.get("path"):
        slug = str(meta["path"]).strip("/").split("/")[-1]
    categories = _list(meta.get("category") or meta.get("categories"))
    summary = meta.get("summary") or meta.get("description") or meta.get("excerpt") or ""
    extra = {
        _line(key): ("" if value is None else clean(str(value)))
        for key, value in parsed.meta.items()
        if key.lower() not in KNOWN
    }
    return Draft(
        title=title,
        slug="" if slug == slugify(title) else slug,
        status=DraftStatus.PUBLISHED if published else DraftStatus.DRAFT,
        body=body,
        tags=_list(meta.get("tags") or meta.get("tag")),
        category=categories[0] if categories else "",
        summary=_line(summary),
        date=_date(meta.get("date"), name),
        extra=extra,
        created=now,
        updated=now,
    )
