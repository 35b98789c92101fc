"""Curriculum items from CSV (a header row; at least `title`; the other columns optional) and the
packaged starter curriculum built from the seeds. All or nothing: one bad row and nothing is kept,
and the message names the file, the line and the column."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from importlib import resources

from pydantic import ValidationError

from deskwork.domain.curriculum import Item
from deskwork.domain.text import clean
from deskwork.interop import InteropError

COLUMNS = [
    "title", "kind", "url", "track", "effort_points", "cost", "currency", "status", "authors",
    "units_total", "unit_name", "notes", "tags", "priority",
]  # fmt: skip


class CurriculumError(InteropError):
    pass


def items_from_csv(text: str, name: str, now: datetime) -> list[Item]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "title" not in header:
        raise CurriculumError(f"{name}: line 1: the header needs a 'title' column (got {header})")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise CurriculumError(f"{name}: line 1: unknown columns {unknown}; known: {COLUMNS}")
    reader.fieldnames = header
    items = []
    for row in reader:
        line = reader.line_num
        data: dict[str, object] = {
            k: clean(v.strip(), single_line=k != "notes")
            for k, v in row.items()
            if k and v is not None and v.strip()
        }
        if None in row:
            raise CurriculumError(f"{name}: line {line}: more fields than columns")
        if "tags" in data:
            data["tags"] = [t.strip() for t in str(data["tags"]).split(";") if t.strip()]
        try:
            items.append(Item.model_validate({**data, "added": now}))
        except ValidationError as exc:
            err = exc.errors()[0]
            column = ".".join(str(p) for p in err["loc"]) or "row"
            raise CurriculumError(
                f"{name}: line {line}, column '{column}': {err['msg']} (got {err.get('input')!r})"
            ) from None
    return items


def starter_csv() -> str:
    return resources.files("deskwork").joinpath("data/starter.csv").read_text(encoding="utf-8")
