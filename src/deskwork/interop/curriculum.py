"""Curriculum items in and out of files people edit and share.

- CSV with a header row (at least `title`; every other column optional).
- A Markdown table (GitHub style) with the same column names — or the friendlier names people
  write, like seed 004's `Course/Book | FTE | Cost` — and costs such as `$45` or `~$300`.
- BibTeX (export only) for the papers.

Imports are all or nothing: one bad row and nothing is kept; the message names the file, the line
and the column. The packaged starter curriculum (built from the seeds) is a CSV file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from importlib import resources

from pydantic import ValidationError

from deskwork.domain.curriculum import Item
from deskwork.domain.text import clean, clip
from deskwork.domain.wording import plural_noun
from deskwork.interop import InteropError
from deskwork.interop.limits import CURRICULUM, TextCaps

COLUMNS = [
    "title", "kind", "url", "track", "effort_points", "cost", "currency", "status", "authors",
    "units_done", "units_total", "unit_name", "priority", "tags", "arxiv_id", "notes",
]  # fmt: skip
ALIASES = {
    "name": "title", "course": "title", "book": "title", "course/book": "title", "item": "title",
    "type": "kind", "link": "url", "fte": "effort_points", "points": "effort_points",
    "effort": "effort_points", "price": "cost", "author": "authors", "provider": "authors",
    "arxiv": "arxiv_id", "note": "notes",
}  # fmt: skip
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_COST = re.compile(
    r"^[~≈]?\s*(?P<sym>[$€£¥₹])?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<code>[A-Za-z]{3})?$"
)


class CurriculumError(InteropError):
    pass


def _column(name: str) -> str:
    key = name.strip().strip("`*").strip().lower().replace(" ", "_")
    return ALIASES.get(key.replace("_", " "), ALIASES.get(key, key))


def _header(names: list[str], where: str) -> list[str]:
    header = [_column(h) for h in names]
    if "title" not in header:
        got = ", ".join(repr(n) for n in names[:20] if n.strip()) or "no names"
        raise CurriculumError(f"{where}: the header needs a 'title' column (it has {got})")
    unknown = [n for n, h in zip(names, header, strict=True) if h and h not in COLUMNS]
    if unknown:
        shown = ", ".join(repr(n[:40]) for n in unknown[:10]) + (", …" if len(unknown) > 10 else "")
        raise CurriculumError(
            f"{where}: unknown {plural_noun(len(unknown), 'column')} {shown}; "
            f"known columns: {', '.join(COLUMNS)}"
        )
    return header


def _items(
    rows: Iterable[tuple[int, dict[str, str]]],
    name: str,
    now: datetime,
    caps: TextCaps = CURRICULUM,
) -> list[Item]:
    items: list[Item] = []
    for line, row in rows:
        if len(items) >= caps.max_rows:
            raise CurriculumError(
                f"{name}: line {line}: refused: more than {caps.max_rows:,} {plural_noun(caps.max_rows, 'item')} "
                f"(the limit for a {caps.what})"
            )
        for column, value in row.items():
            if len(value) > caps.max_field_chars:
                raise CurriculumError(
                    f"{name}: line {line}, column '{column}': refused: {len(value):,} characters "
                    f"(the limit is {caps.max_field_chars:,})"
                )
        data: dict[str, object] = {
            k: clean(v.strip(), single_line=k != "notes") for k, v in row.items() if k and v.strip()
        }
        if "tags" in data:
            data["tags"] = [t.strip() for t in str(data["tags"]).split(";") if t.strip()]
        if "cost" in data:
            match = _COST.match(str(data["cost"]))
            if match:
                data["cost"] = match.group("num").replace(",", "")
                code = match.group("code") or _SYMBOLS.get(match.group("sym") or "")
                if code and "currency" not in data:
                    data["currency"] = code.upper()
        try:
            items.append(Item.model_validate({**data, "added": now}))
        except ValidationError as exc:
            err = exc.errors()[0]
            column = ".".join(str(p) for p in err["loc"]) or "row"
            raise CurriculumError(
                f"{name}: line {line}, column '{column}': {err['msg']} "
                f"(got {clip(repr(err.get('input')), 80)})"
            ) from None
    return items


def items_from_csv(text: str, name: str, now: datetime) -> list[Item]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    reader.fieldnames = _header(list(reader.fieldnames or []), f"{name}: line 1")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            yield from checked()
        except csv.Error as exc:  # a field past csv's own limit, a NUL byte…
            raise CurriculumError(f"{name}: line {reader.line_num + 1}: {exc}") from None

    def checked() -> Iterator[tuple[int, dict[str, str]]]:
        for row in reader:
            if None in row:
                raise CurriculumError(f"{name}: line {reader.line_num}: more fields than columns")
            yield reader.line_num, {k: v or "" for k, v in row.items()}

    return _items(rows(), name, now)


_EMPHASIS = re.compile(r"^([*_`]+)(.*?)\1$")
_CODE = re.compile(r"^`[^`]+`$")
# A footnote reference in a cell: `[<sup>1</sup>](#ref_1)`, or a bare `<sup>1</sup>`.
_FOOTNOTE = re.compile(r"\s*\[<sup>[^<]*</sup>\]\([^)]*\)|\s*<sup>[^<]*</sup>")
_LIST_ROW = re.compile(r"^\s*[-*+]\s+(?=\S)")  # `- 18.06 Linear Algebra | 0.7 |`


def _raw_cells(line: str) -> list[str]:
    body = _LIST_ROW.sub("", line, count=1).strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def _cells(line: str) -> list[str]:
    return [" ".join(_EMPHASIS.sub(r"\2", _FOOTNOTE.sub("", c)).split()) for c in _raw_cells(line)]


def _table_row(line: str) -> bool:
    """A row of the table: `| … |`, or a list line with cells (`- title | 1.5 |`), as seed 004
    writes the courses under each provider."""
    return line.lstrip().startswith("|") or (bool(_LIST_ROW.match(line)) and "|" in line)


def _table_start(lines: list[str]) -> int | None:
    """The line of the first Markdown table's header row (None: no table)."""
    return next(
        (
            n
            for n in range(len(lines) - 1)
            if lines[n].lstrip().startswith("|")
            and re.fullmatch(r"\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*", lines[n + 1])
        ),
        None,
    )


def items_from_markdown(text: str, name: str, now: datetime) -> list[Item]:
    """The first table in the file: a header row, a `---` row, then one item per row. Lines
    outside the table (headings, notes) are ignored; empty rows and `Total` rows are skipped.
    A row may be a list line (`- title | 1.5 |`). A row naming only a title, in backticks or
    followed by list lines, is a group heading (seed 004's `` `MIT` ``): not an item, but the
    track of the rows under it that name none."""
    lines = text.lstrip("\ufeff").splitlines()
    start = _table_start(lines)
    if start is None:
        raise CurriculumError(f"{name}: no Markdown table (a header row, then a |---| row)")
    header = _header(_cells(lines[start]), f"{name}: line {start + 1}")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        group = ""
        for n in range(start + 2, len(lines)):
            if not _table_row(lines[n]):
                break
            cells = _cells(lines[n])
            if len(cells) > len(header):
                raise CurriculumError(f"{name}: line {n + 1}: more cells than columns")
            row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
            title = row.get("title", "").strip("`* ").strip()
            if not title or title.casefold() == "total":
                continue
            if _group_heading(lines, n, row, header):
                group = title
                continue
            if group and not row.get("track"):
                row["track"] = group
            yield n + 1, {**row, "title": title}

    return _items(rows(), name, now)


def _group_heading(lines: list[str], n: int, row: dict[str, str], header: list[str]) -> bool:
    """A title alone on its row, in backticks or with list lines under it: a heading."""
    if any(v.strip(" .") for k, v in row.items() if k != "title") or _LIST_ROW.match(lines[n]):
        return False
    raw = _raw_cells(lines[n])
    title_cell = raw[header.index("title")] if header.index("title") < len(raw) else ""
    after = lines[n + 1] if n + 1 < len(lines) else ""
    return bool(_CODE.match(title_cell)) or bool(_LIST_ROW.match(after) and "|" in after)


def items_from_file(text: str, name: str, now: datetime) -> list[Item]:
    """Markdown for `.md`; CSV for `.csv`; any other file (a post saved as `.txt`) by what it
    holds: its Markdown table if it has one, else CSV."""
    lowered = name.lower()
    if lowered.endswith((".md", ".markdown")):
        return items_from_markdown(text, name, now)
    if not lowered.endswith(".csv") and _table_start(text.splitlines()) is not None:
        return items_from_markdown(text, name, now)
    return items_from_csv(text, name, now)


def _row(item: Item) -> dict[str, str]:
    values = item.model_dump(mode="json", include=set(COLUMNS))
    out = {}
    for column in COLUMNS:
        value = values.get(column)
        if column == "tags":
            out[column] = ";".join(item.tags)
        elif (
            value is None
            or value == ""
            or (column in ("units_done", "units_total", "priority") and value == 0)
        ):
            out[column] = ""
        else:
            out[column] = str(value)
    return out


def items_to_csv(items: Iterable[Item]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow(_row(item))
    return buffer.getvalue()


MARKDOWN_COLUMNS = [
    "title", "kind", "track", "effort_points", "cost", "currency", "status", "units_done",
    "units_total", "unit_name", "authors", "url", "arxiv_id", "tags",
]  # fmt: skip


def items_to_markdown(items: Iterable[Item]) -> str:
    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    lines = [
        "| " + " | ".join(MARKDOWN_COLUMNS) + " |",
        "|" + "|".join(" --- " for _ in MARKDOWN_COLUMNS) + "|",
    ]
    for item in items:
        row = _row(item)
        lines.append("| " + " | ".join(cell(row[c]) for c in MARKDOWN_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


_BIB_SPECIAL = re.compile(r"([&%$#_{}])")


def _bib(text: str) -> str:
    text = clean(text, single_line=True).replace("\\", "\\textbackslash{}")
    return _BIB_SPECIAL.sub(r"\\\1", text).replace("~", "\\textasciitilde{}").replace("^", "\\^{}")


def bibtex_key(item: Item, taken: set[str]) -> str:
    first = item.authors.split(",")[0].split()
    surname = re.sub(r"[^a-z]", "", first[-1].lower()) if first else "anon"
    year = str(item.published.year) if item.published else ""
    word = next(
        (
            w
            for w in re.findall(r"[a-z]+", item.title.lower())
            if w not in {"a", "an", "the", "on", "of"}
        ),
        "paper",
    )
    key = f"{surname or 'anon'}{year}{word}"
    n, base = 1, key
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2)}" if n <= 27 else f"{base}{n}"
    taken.add(key)
    return key


def items_to_bibtex(items: Iterable[Item]) -> str:
    """The papers (kind paper, or with an arXiv id) as BibTeX @misc entries, arXiv style."""
    taken: set[str] = set()
    entries = []
    for item in items:
        if item.kind.value != "paper" and not item.arxiv_id:
            continue
        fields = [("title", "{" + _bib(item.title) + "}")]
        if item.authors:
            fields.append(
                (
                    "author",
                    " and ".join(_bib(a.strip()) for a in item.authors.split(",") if a.strip()),
                )
            )
        if item.published:
            fields.append(("year", str(item.published.year)))
        if item.arxiv_id:
            fields += [("eprint", item.arxiv_id), ("archivePrefix", "arXiv")]
            if item.categories:
                fields.append(("primaryClass", item.categories[0]))
            fields.append(("doi", f"10.48550/arXiv.{item.arxiv_id}"))
        if item.url:
            fields.append(("url", item.url.replace("%", "\\%").replace("#", "\\#")))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        entries.append(f"@misc{{{bibtex_key(item, taken)},\n{body}\n}}\n")
    return "\n".join(entries)


def starter_csv() -> str:
    return resources.files("deskwork").joinpath("data/starter.csv").read_text(encoding="utf-8")
