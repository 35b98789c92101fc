"""Anki note types, both ways: read from a collection (schema 18's `notetypes` / `fields` /
`templates` tables with their protobuf configs, or the legacy `col.models` JSON) into
`NoteTypeDef`s keeping Anki's id, name, fields, templates and CSS; written back as schema-11 model
JSON that Anki matches with the type it came from.

Image-occlusion types are recognised (deskwork cannot show them; their notes are skipped and
counted); a type with no card templates is refused, as Anki refuses it."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from deskwork.domain.notetypes import STOCK, CardTemplate, NoteKind, NoteTypeDef
from deskwork.interop.anki.model import AnkiError
from deskwork.interop.anki.protobuf import fields_before_damage

IMAGE_OCCLUSION_KIND = 6  # StockNotetype.OriginalStockKind.IMAGE_OCCLUSION
_STOCK_IDS = {"basic": 1700000000001, "reversed": 1700000000002, "cloze": 1700000000003,
              "optional-reversed": 1700000000004, "type-in": 1700000000005}  # fmt: skip
_STOCK_KEYS = {v: k for k, v in _STOCK_IDS.items()}


@dataclass
class AnkiNoteType:
    notetype: NoteTypeDef
    image_occlusion: bool = False


def key_for(anki_id: int) -> str:
    return f"anki:{anki_id}"


def _int(fields: dict[int, list[int | bytes]], number: int) -> int:
    values = fields.get(number) or [0]
    value = values[-1]
    return value if isinstance(value, int) else 0


def _str(fields: dict[int, list[int | bytes]], number: int) -> str:
    values = fields.get(number) or [b""]
    value = values[-1]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


# ---------------------------------------------------------------------- reading
def read_notetypes(
    db: sqlite3.Connection, path: object, tables: set[str]
) -> dict[int, AnkiNoteType]:
    """Anki note type id -> what deskwork keeps of it; AnkiError for a type with no templates."""
    raw = _schema18(db) if "notetypes" in tables else _legacy(db)
    out: dict[int, AnkiNoteType] = {}
    for ntid, name, kind, stock_kind, css, sortf, fields, templates in raw:
        occlusion = stock_kind == IMAGE_OCCLUSION_KIND or any(
            "image-occlusion" in t.front or "image-occlusion" in t.back for t in templates
        )
        if not templates:
            raise AnkiError(
                f"{path}: note type {name!r} has no card types (Anki: At least one card type is "
                "required); nothing imported"
            )
        if not fields:
            raise AnkiError(f"{path}: note type {name!r}: Notes require at least one field")
        stock = _STOCK_KEYS.get(ntid)
        if stock is not None and [t.front for t in templates] == [
            t.front for t in STOCK[stock].templates
        ]:  # deskwork's own stock type, come back
            out[ntid] = AnkiNoteType(STOCK[stock])
            continue
        notetype = NoteTypeDef(
            key=key_for(ntid), name=name or f"Note type {ntid}",
            kind=NoteKind.CLOZE if kind == 1 else NoteKind.STANDARD, fields=fields,
            templates=templates, css=css, anki_id=ntid, sort_field=min(max(sortf, 0), len(fields) - 1),
        )  # fmt: skip
        out[ntid] = AnkiNoteType(notetype, occlusion)
    return out


Raw = tuple[int, str, int, int, str, int, list[str], list[CardTemplate]]


def _schema18(db: sqlite3.Connection) -> list[Raw]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ord_, name in db.execute("select ntid, ord, name from fields"):
        fields.setdefault(ntid, []).append((ord_, name))
    templates: dict[int, list[tuple[int, CardTemplate]]] = {}
    for ntid, ord_, name, config in db.execute("select ntid, ord, name, config from templates"):
        parsed = fields_before_damage(bytes(config or b""))
        front, back = _str(parsed, 1), _str(parsed, 2)
        templates.setdefault(ntid, []).append(
            (ord_, CardTemplate(name=name, front=front, back=back))
        )
    out: list[Raw] = []
    for ntid, name, config in db.execute("select id, name, config from notetypes"):
        parsed = fields_before_damage(bytes(config or b""))
        out.append((
            ntid, name, _int(parsed, 1), _int(parsed, 9), _str(parsed, 3), _int(parsed, 2),
            [n for _, n in sorted(fields.get(ntid, []))],
            [t for _, t in sorted(templates.get(ntid, []), key=lambda p: p[0])],
        ))  # fmt: skip
    return out


def _legacy(db: sqlite3.Connection) -> list[Raw]:
    (models,) = db.execute("select models from col").fetchone()
    out: list[Raw] = []
    for key, model in json.loads(models or "{}").items():
        flds = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
        tmpls = sorted(model.get("tmpls", []), key=lambda t: t.get("ord", 0))
        out.append((
            int(key), str(model.get("name", "")), int(model.get("type", 0)),
            int(model.get("originalStockKind", 0) or 0), str(model.get("css", "")),
            int(model.get("sortf", 0) or 0), [str(f.get("name", "")) for f in flds],
            [CardTemplate(name=str(t.get("name", "")), front=str(t.get("qfmt", "")),
                          back=str(t.get("afmt", ""))) for t in tmpls],
        ))  # fmt: skip
    return out


# ---------------------------------------------------------------------- writing
_LATEX_PRE = (
    "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n"
    "\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n"
)


def anki_id_of(notetype: NoteTypeDef) -> int:
    if notetype.anki_id is not None:
        return notetype.anki_id
    return _STOCK_IDS.get(notetype.key, 1700000000999)


def export_name(notetype: NoteTypeDef) -> str:
    """Imported types keep their names; deskwork's stock types are marked, so Anki keeps them apart
    from its own types of the same name."""
    return notetype.name if notetype.anki_id is not None else f"{notetype.name} (deskwork)"


def model_json(notetype: NoteTypeDef) -> dict[str, Any]:
    """Schema-11 model JSON for `notetype`, under its Anki id."""
    mid = anki_id_of(notetype)
    templates = notetype.templates
    return {
        "id": mid, "name": export_name(notetype), "type": 1 if notetype.is_cloze else 0,
        "mod": int(time.time()), "usn": -1, "sortf": notetype.sort_field, "did": None, "tags": [],
        "vers": [], "css": notetype.css or STOCK["basic"].css, "latexPre": _LATEX_PRE,
        "latexPost": "\\end{document}", "latexsvg": False,
        "req": [[n, "any", [0]] for n in range(len(templates))],
        "flds": [
            {"name": f, "ord": n, "sticky": False, "rtl": False, "font": "Arial", "size": 20,
             "media": []}
            for n, f in enumerate(notetype.fields)
        ],
        "tmpls": [
            {"name": t.name, "ord": n, "qfmt": t.front, "afmt": t.back, "did": None, "bqfmt": "",
             "bafmt": ""}
            for n, t in enumerate(templates)
        ],
    }  # fmt: skip
