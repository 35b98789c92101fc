"""Curriculum items in and out of files people edit and share.

- CSV with a header row (at least `title`; every other column optional).
- A Markdown table (GitHub style) with the same column names — or the friendlier names people
  write, like seed 004's `Course/Book | FTE | Cost` — and costs such as `$45` or `~$300`.
- BibTeX (export only) for the papers: `interop.bibtex`.

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
from deskwork.domain.wording import plural, plural_noun
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


# Emphasis or code around a whole cell (`*$45*`, `` `MIT` ``): at most three marks, so that a
# cell of marks is read in linear time; a cell's footnote reference, `[<sup>1</sup>](#ref_1)` or a
# bare `<sup>1</sup>`. Neither starts with a repeatable part (`\s*`): each is tried at every place
# of a cell, and a pattern that scans ahead from each is quadratic on a cell of spaces.
_EMPHASIS = re.compile(r"([*_`]{1,3})(.*)\1")
_CODE = re.compile(r"`[^`]+`")
_FOOTNOTE = re.compile(r"\[<sup>[^<]*</sup>\]\([^()\s<\[]*\)|<sup>[^<]*</sup>")
_LIST_ROW = re.compile(r"^\s*[-*+]\s+(?=\S)")  # `- 18.06 Linear Algebra | 0.7 |`
# The `|---|:--|` row under a table's header (stripped first: no blanks at either end to try).
_DELIMITER = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")
_SHOWN_NOTES = 10


def _raw_cells(line: str) -> list[str]:
    body = _LIST_ROW.sub("", line, count=1).strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def _cells(
    raw: list[str], where: str, names: list[str] | None = None, caps: TextCaps = CURRICULUM
) -> list[str]:
    """A row's cells as text: footnotes and emphasis taken off, blanks folded. A cell past the
    field cap is refused before any pattern reads it (`names`: the columns', for the message)."""
    for number, cell in enumerate(raw):
        if len(cell) > caps.max_field_chars:
            named = names[number] if names and number < len(names) else ""
            raise CurriculumError(
                f"{where}, {f'column {named!r}' if named else f'cell {number + 1}'}: refused: "
                f"{len(cell):,} characters "
                f"(the limit is {caps.max_field_chars:,})"
            )
    out = []
    for cell in raw:
        text = _FOOTNOTE.sub("", cell).strip()
        marked = _EMPHASIS.fullmatch(text)
        out.append(" ".join((marked.group(2) if marked else text).split()))
    return out


def _listed(line: str) -> bool:
    """A list line with cells (`- title | 1.5 |`), as seed 004 writes the courses under each
    provider."""
    return bool(_LIST_ROW.match(line)) and "|" in line


def _table_start(lines: list[str]) -> int | None:
    """The line of the first Markdown table's header row (None: no table)."""
    return next(
        (
            n
            for n in range(len(lines) - 1)
            if lines[n].lstrip().startswith("|") and _DELIMITER.fullmatch(lines[n + 1].strip())
        ),
        None,
    )


def items_from_markdown(text: str, name: str, now: datetime) -> list[Item]:
    return read_markdown(text, name, now)[0]


def read_markdown(text: str, name: str, now: datetime) -> tuple[list[Item], list[str]]:
    """The first table in the file: a header row, a `---` row, then one item per row; and the
    notes on its rows not imported, each with its line. Lines outside the table (headings, notes)
    are ignored; empty rows are skipped, `Total` rows and rows with no title noted.

    Seed 004's grouped table: a row naming only a title with list lines under it (`- title |
    1.5 |`) is a group heading, the track of the rows under it that name none; in a table that
    has such groups, a title-only row in backticks (`` `Resources` ``) is one too. A list line is
    a row only under a heading or another list line: after any other row it ends the table, as in
    GitHub's Markdown. Elsewhere a title-only row is an item."""
    lines = text.lstrip("\ufeff").splitlines()
    start = _table_start(lines)
    if start is None:
        raise CurriculumError(f"{name}: no Markdown table (a header row, then a |---| row)")
    where = f"{name}: line {start + 1}"
    header = _header(_cells(_raw_cells(lines[start]), where), where)
    notes = _Notes()

    def rows() -> Iterator[tuple[int, dict[str, str]]]:  # one at a time: a long table is refused
        grouped = _grouped(lines, start + 2, header, name)  # at its 20,001st item, not held whole
        group, under = "", [0]
        opens_list = False  # the row above is a title alone or a list line: a list line may follow
        for n in range(start + 2, len(lines)):
            listed = _listed(lines[n])
            if not (lines[n].lstrip().startswith("|") or (listed and opens_list)):
                return
            row = _table_row(lines[n], header, f"{name}: line {n + 1}")
            opens_list = listed or _title_only(row)
            title = row.get("title", "").strip("`* ").strip()
            if not title:
                if any(v.strip(" .") for v in row.values()):
                    notes.add(n + 1, "not imported: no title")
                continue
            if title.casefold() == "total":
                notes.add(n + 1, "not imported: a Total row")
                continue
            lists_follow = n + 1 < len(lines) and _listed(lines[n + 1])
            if (
                not listed
                and _title_only(row)
                and (lists_follow or (grouped and _in_code(lines[n], header)))
            ):
                group, under = title, [0]
                notes.add(n + 1, title, under)
                continue
            if group and not row.get("track"):
                row["track"] = group
                under[0] += 1
            yield n + 1, {**row, "title": title}

    items = _items(rows(), name, now)
    return items, notes.said()


def _table_row(line: str, header: list[str], where: str) -> dict[str, str]:
    cells = _cells(_raw_cells(line), where, header)
    if len(cells) > len(header):
        raise CurriculumError(f"{where}: more cells than columns")
    return dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))


def _grouped(lines: list[str], first: int, header: list[str], name: str) -> bool:
    """Whether the table whose rows start at `first` is grouped as seed 004's: its first list
    line with cells comes right under a row of a title alone (the group's heading)."""
    for n in range(first, len(lines)):
        if _listed(lines[n]):
            above = lines[n - 1]
            return (
                n > first
                and above.lstrip().startswith("|")
                and _title_only(_table_row(above, header, f"{name}: line {n}"))
            )
        if not lines[n].lstrip().startswith("|"):
            return False
    return False


class _Notes:
    """The rows not imported, each with its line: the first ten said, the rest counted. A group
    heading's note counts the rows under it (`under`, added to as they are read)."""

    def __init__(self) -> None:
        self.kept: list[tuple[int, str, list[int] | None]] = []
        self.more = 0

    def add(self, line: int, what: str, under: list[int] | None = None) -> None:
        if len(self.kept) < _SHOWN_NOTES:
            self.kept.append((line, what, under))
        else:
            self.more += 1

    def said(self) -> list[str]:
        out = []
        for line, what, under in self.kept:
            if under is not None:
                title = clip(clean(what, single_line=True), 40)
                rows = plural(under[0], "row")
                what = f"not imported: {title!r}, a group heading: the track of {rows} under it"
            out.append(f"line {line}: {what}")
        if self.more:
            out.append(f"and {plural(self.more, 'more row')} not imported")
        return out


def _title_only(row: dict[str, str]) -> bool:
    return bool(row.get("title")) and not any(v.strip(" .") for k, v in row.items() if k != "title")


def _in_code(line: str, header: list[str]) -> bool:
    raw = _raw_cells(line)
    at = header.index("title")
    return at < len(raw) and bool(_CODE.fullmatch(raw[at]))


def items_from_file(text: str, name: str, now: datetime) -> list[Item]:
    return read_file(text, name, now)[0]


def read_file(text: str, name: str, now: datetime) -> tuple[list[Item], list[str]]:
    """Markdown for `.md`; CSV for `.csv`; any other file (a post saved as `.txt`) by what it
    holds: its Markdown table if it has one, else CSV. The items, and the notes on rows not
    imported (a Markdown table's group headings, Total rows…), each naming its line."""
    lowered = name.lower()
    text = text.lstrip("\ufeff")
    if lowered.endswith((".md", ".markdown")):
        return read_markdown(text, name, now)
    if not lowered.endswith(".csv") and _table_start(text.splitlines()) is not None:
        return read_markdown(text, name, now)
    return items_from_csv(text, name, now), []


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


def starter_csv() -> str:
    return resources.files("deskwork").joinpath("data/starter.csv").read_text(encoding="utf-8")
