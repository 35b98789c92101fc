"""One card's question and answer, rendered from its note's fields through its note type's template
exactly as Anki renders them (rslib/src/template.rs `render_card`), then reduced to terminal text.

A `{{type:Field}}` on the card becomes a `TypeIn` (what to type, what is expected); the question
shows where to type, the answer the comparison once the review pane has what was typed."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deskwork.domain import cloze
from deskwork.domain.ankihtml import html_to_text
from deskwork.domain.notetypes import STOCK, CardTemplate, NoteTypeDef, fit_fields
from deskwork.domain.template import (
    TYPE_MARK,
    Context,
    TemplateError,
    render,
    renders_with_fields,
    strip_html,
)

if TYPE_CHECKING:
    from deskwork.domain.cards import Card

EMPTY_FRONT = "The front of this card is blank."
_HINT = re.compile(
    r"<a class=hint [^>]*>(.*?)</a>\s*<div id=\"hint[0-9a-f]+\" class=hint style=\"display: none\">"
    r".*?</div>",
    re.S,
)
_TTS = re.compile(r"\[/?anki:tts[^\]]*\]")
_ANSWER_RULE = re.compile(r"<hr id=[\"']?answer[\"']?\s*/?>", re.I)
TYPE_PROMPT = "[type the answer]"


_MORE = "<br><a href='https://docs.ankiweb.net/templates/errors.html#{}'>More information</a>"


def missing_cloze(number: int) -> str:
    """Anki's message, word for word (the number isolated as Fluent does)."""
    return (
        f"No cloze \u2068{number}\u2069 found on card.\n"
        "Please either add a cloze deletion, or use the Empty Cards tool."
    )


@dataclass(frozen=True)
class TypeIn:
    field: str
    expected: str  # plain text, as Anki compares it


@dataclass(frozen=True)
class Rendered:
    question_html: str
    answer_html: str
    type_in: TypeIn | None = None
    empty: bool = False

    @property
    def question(self) -> str:
        """The question as a terminal shows it: a type-in card says where to type, a `{{hint:}}`
        stays folded (`[hint: Field]`), TTS markers are dropped."""
        return self.question_shown(folded=True)

    def question_shown(self, *, folded: bool) -> str:
        """The question; unfolded (hints open) once the answer is shown."""
        shown = self.question_html
        if folded:
            shown = _HINT.sub(lambda m: f"[hint: {m.group(1).strip()}]", shown)
        return html_to_text(_TTS.sub("", TYPE_MARK.sub(TYPE_PROMPT, shown)))

    def answer(self, typed: str | None = None, marks: tuple[str, str] = ("[[", "]]")) -> str:
        """The answer; with `typed`, a type-in card shows the comparison in place of the field."""

        def compare(m: object) -> str:
            if self.type_in is None:
                return ""
            return html.escape(compare_typed(typed or "", self.type_in.expected)).replace(
                "\n", "<br>"
            )

        return html_to_text(_TTS.sub("", TYPE_MARK.sub(compare, self.answer_html)), marks)

    def answer_runs(self, typed: str | None = None) -> list[tuple[str, bool]]:
        """`answer_side` as (text, highlighted) runs: the revealed cloze deletion highlighted."""
        start, end = cloze.MARK_START, cloze.MARK_END
        clean_html = self.answer_html.replace(start, "").replace(end, "")
        side = Rendered(self.question_html, clean_html, self.type_in).answer_side(
            typed, (start, end)
        )
        return cloze.marked_runs(side)

    def answer_side(self, typed: str | None = None, marks: tuple[str, str] = ("[[", "]]")) -> str:
        """What the answer adds below the question: the part after Anki's `<hr id=answer>` when
        the template has one, else the whole answer side."""
        parts = _ANSWER_RULE.split(self.answer_html, maxsplit=1)
        if len(parts) == 1:
            return self.answer(typed, marks)
        return Rendered(self.question_html, parts[1], self.type_in).answer(typed, marks)


def compare_typed(typed: str, expected: str) -> str:
    """What you typed against what was expected, as lines of text (Anki shows a coloured diff)."""
    typed, expected = typed.strip(), expected.strip()
    if not typed:
        return expected
    if typed == expected:
        return f"{expected} ✓"
    marks = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, typed, expected).get_opcodes():
        if op == "equal":
            marks.append(typed[a1:a2])
        elif op == "delete":
            marks.append(f"[-{typed[a1:a2]}-]")
        elif op == "insert":
            marks.append(f"[+{expected[b1:b2]}+]")
        else:
            marks.append(f"[-{typed[a1:a2]}-][+{expected[b1:b2]}+]")
    return f"you typed: {typed}\nexpected:  {expected}\ndiff:      {''.join(marks)}"


def field_html(text: str, is_html: bool) -> str:
    """A field as HTML: Anki fields are; deskwork's own plain-text fields are escaped."""
    if is_html:
        return text
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Spaces as typed (code's indentation, aligned columns): every space after another one, or
    # at a line's start, is a no-break space, which HTML does not collapse.
    escaped = _KEPT_SPACES.sub(lambda m: "&nbsp;" * len(m.group()), escaped)
    return escaped.replace("\n", "<br>")


_KEPT_SPACES = re.compile(r"(?<=[ \n])( )|^( )", re.M)


def fallback_type(card: Card) -> NoteTypeDef:
    """A note type whose definition is missing: the first field asks, the rest answer."""
    names = [f"Field {n + 1}" for n in range(max(1, len(card.fields)))]
    back = "<br>".join("{{" + n + "}}" for n in names[1:])

    return NoteTypeDef(
        key=card.note_type, name=card.note_type, fields=names,
        templates=[CardTemplate(name="Card 1", front="{{Field 1}}", back="{{FrontSide}}<hr id=answer>" + back)],
    )  # fmt: skip


def render_card(card: Card, notetype: NoteTypeDef | None = None) -> Rendered:
    nt = notetype or STOCK.get(card.note_type) or fallback_type(card)
    values = fit_fields(nt, [field_html(f, card.html) for f in card.fields])
    fields = dict(zip(nt.fields, values, strict=True))
    template = nt.template_for(card.ord)
    subdeck = card.deck.rsplit("::", 1)[-1]
    special = {
        "Tags": " ".join(card.tags), "Type": nt.name, "Deck": card.deck, "Subdeck": subdeck,
        "CardFlag": f"flag{card.flag}", "Card": template.name, "CardID": str(card.anki_id or card.id),
    }  # fmt: skip
    for name, value in special.items():
        fields.setdefault(name, value)
    fields.setdefault(f"c{card.ord + 1}", "1")
    try:
        question = render(template.front, Context(fields, card.ord, None))
    except TemplateError as exc:
        message = f"Front template has a problem:<br>{html.escape(str(exc))}"
        return Rendered(message, message, empty=True)
    nonempty = {k for k, v in fields.items() if v and not _blank(v)}
    empty_message = None
    if nt.is_cloze and card.ord + 1 not in {n for v in values for n in cloze.numbers(v)}:
        empty_message = missing_cloze(card.ord + 1) + _MORE.format(
            "no-cloze-filter-on-cloze-note-type"
        )
    elif not nt.is_cloze and not renders_with_fields(template.front, nonempty):
        empty_message = EMPTY_FRONT + _MORE.format("front-of-card-is-blank")
    if empty_message:
        text = f"<div>{empty_message}</div>"
        return Rendered(question + text, text, empty=True)
    try:
        answer = render(template.back, Context(fields, card.ord, question))
    except TemplateError as exc:
        answer = f"Back template has a problem:<br>{html.escape(str(exc))}"
    return Rendered(question, answer, _type_in(question + answer, fields, card.ord))


def _blank(value: str) -> bool:
    from deskwork.domain.template import field_is_empty

    return field_is_empty(value)


def _type_in(text: str, fields: dict[str, str], ord_: int) -> TypeIn | None:
    m = TYPE_MARK.search(text)
    if m is None:
        return None
    kind, name = m.group(1), m.group(2)
    value = fields.get(name)
    if value is None:
        return TypeIn(name, f"(type answer: unknown field {name})")
    if kind == "cloze":
        value = cloze.for_typing(value, ord_ + 1)
    expected = strip_html(value)
    if kind == "nc":
        import unicodedata

        expected = "".join(
            c for c in unicodedata.normalize("NFD", expected) if not unicodedata.combining(c)
        )
    return TypeIn(name, expected.strip())
