"""Note types as Anki has them: ordered named fields, card templates (front / back), a kind
(standard or cloze), CSS, and for imported ones Anki's id and name. The five stock types are built
in (Basic, Basic and reversed, Basic optional reversed, Basic type-in, Cloze) with Anki's own
templates; imported types are stored, keyed `anki:<id>`.

Which cards a note has follows Anki's rule (rslib/src/notetype/cardgen.rs): a standard note has a
card for each template whose front renders non-empty; a cloze note one per cloze number."""

from __future__ import annotations

from enum import StrEnum
from types import ModuleType

from pydantic import BaseModel, ConfigDict, Field

from deskwork.domain.records import Record

# The template language (domain.template, domain.cloze) is imported where a note's cards are
# worked out: the store names this module's model for its table, at every start, and the first
# frame renders no card.


class NoteKind(StrEnum):
    STANDARD = "standard"
    CLOZE = "cloze"


class CardTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str
    front: str
    back: str


class NoteTypeDef(Record):
    key: str  # "basic", "reversed", …, or "anki:<id>" for an imported type
    name: str
    kind: NoteKind = NoteKind.STANDARD
    fields: list[str] = Field(min_length=1)
    templates: list[CardTemplate] = Field(min_length=1)
    css: str = ""
    anki_id: int | None = None
    sort_field: int = 0

    @property
    def is_cloze(self) -> bool:
        return self.kind is NoteKind.CLOZE

    def template_for(self, ord_: int) -> CardTemplate:
        """The template of card `ord_` (a cloze type has one template for every card)."""
        if self.is_cloze:
            return self.templates[0]
        return self.templates[min(ord_, len(self.templates) - 1)]

    def problems(self) -> list[str]:
        """Template errors, as Anki reports them when a note type is added."""
        from deskwork.domain.template import parse

        out: list[str] = []
        for t in self.templates:
            for side, text in (("front", t.front), ("back", t.back)):
                try:
                    parse(text)
                except ValueError as exc:
                    out.append(f"card type {t.name!r}, {side} template: {exc}")
        return out


_CSS = (
    ".card {\n    font-family: arial;\n    font-size: 20px;\n    line-height: 1.5;\n"
    "    text-align: center;\n    color: black;\n    background-color: white;\n}\n"
)
_CLOZE_CSS = _CSS + ".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
_BACK = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"
_REVERSE_BACK = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"

STOCK: dict[str, NoteTypeDef] = {
    t.key: t
    for t in (
        NoteTypeDef(
            key="basic", name="Basic", fields=["Front", "Back"], css=_CSS,
            templates=[CardTemplate(name="Card 1", front="{{Front}}", back=_BACK)],
        ),
        NoteTypeDef(
            key="reversed", name="Basic (and reversed card)", fields=["Front", "Back"], css=_CSS,
            templates=[
                CardTemplate(name="Card 1", front="{{Front}}", back=_BACK),
                CardTemplate(name="Card 2", front="{{Back}}", back=_REVERSE_BACK),
            ],
        ),
        NoteTypeDef(
            key="optional-reversed", name="Basic (optional reversed card)", css=_CSS,
            fields=["Front", "Back", "Add Reverse"],
            templates=[
                CardTemplate(name="Card 1", front="{{Front}}", back=_BACK),
                CardTemplate(
                    name="Card 2", front="{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
                    back=_REVERSE_BACK,
                ),
            ],
        ),
        NoteTypeDef(
            key="type-in", name="Basic (type in the answer)", fields=["Front", "Back"], css=_CSS,
            templates=[
                CardTemplate(
                    name="Card 1", front="{{Front}}\n\n{{type:Back}}",
                    back="{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}",
                )
            ],
        ),
        NoteTypeDef(
            key="cloze", name="Cloze", kind=NoteKind.CLOZE, fields=["Text", "Back Extra"],
            css=_CLOZE_CSS,
            templates=[
                CardTemplate(name="Cloze", front="{{cloze:Text}}", back="{{cloze:Text}}<br>\n{{Back Extra}}")
            ],
        ),
    )
}  # fmt: skip


_LANGUAGE: tuple[ModuleType, ModuleType] | None = None


def _language() -> tuple[ModuleType, ModuleType]:
    """(domain.cloze, domain.template), imported once (card_ords runs for every note imported)."""
    global _LANGUAGE
    if _LANGUAGE is None:
        from deskwork.domain import cloze, template

        _LANGUAGE = (cloze, template)
    return _LANGUAGE


def card_ords(notetype: NoteTypeDef, fields: list[str], tags: list[str]) -> list[int]:
    """The cards (template ords, or cloze number - 1) a note with these fields has."""
    cloze, template = _language()
    if notetype.is_cloze:
        found: set[int] = set()
        for value in fields:
            found.update(cloze.numbers(value))
        return sorted({min(n - 1, 499) for n in found})
    nonempty = {
        name
        for name, value in zip(notetype.fields, fields, strict=False)
        if not template.field_is_empty(value)
    }
    for special in template.SPECIAL_FIELDS:
        if (
            special not in notetype.fields
            and special != "FrontSide"
            and (special != "Tags" or tags)
        ):
            nonempty.add(special)
    renders = template.renders_with_fields
    return [n for n, t in enumerate(notetype.templates) if renders(t.front, nonempty)]


def fit_fields(notetype: NoteTypeDef, fields: list[str]) -> list[str]:
    """`fields` padded or cut to the note type's field count (the extra ones joined to the last)."""
    count = len(notetype.fields)
    if len(fields) > count:
        fields = [*fields[: count - 1], "<br>".join(f for f in fields[count - 1 :] if f)]
    return fields + [""] * (count - len(fields))


def display_names(types: dict[str, NoteTypeDef]) -> dict[str, str]:
    """key -> the name lists and searches (`note:`) use, one per type. Names stay as stored (an
    export gives Anki back its own). A name two types share — Anki's stock "Basic" imported beside
    deskwork's own — stays with the imported type, as the user knows it from Anki, and deskwork's
    built-in one is shown as "Basic (deskwork)"; several imported types of one name are told
    apart by their Anki ids: "Basic (Anki 1695…)"."""
    taken: dict[str, int] = {}
    imported: dict[str, int] = {}
    for key, t in types.items():
        folded = t.name.casefold()
        taken[folded] = taken.get(folded, 0) + 1
        if key not in STOCK:
            imported[folded] = imported.get(folded, 0) + 1
    out: dict[str, str] = {}
    for key, t in types.items():
        folded = t.name.casefold()
        if taken[folded] == 1:
            out[key] = t.name
        elif key in STOCK:
            out[key] = f"{t.name} (deskwork)"
        elif imported[folded] == 1:
            out[key] = t.name
        else:
            out[key] = f"{t.name} (Anki {t.anki_id or key})"
    seen: set[str] = set()
    for key, name in out.items():  # a type literally called "Basic (deskwork)": its key tells
        if name.casefold() in seen:
            out[key] = f"{name} [{key}]"
        seen.add(out[key].casefold())
    return out
