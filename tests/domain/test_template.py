"""Property tests of the template renderer and the cloze parser, with the real Anki as the oracle:
generated cloze texts (nested deletions, hints, shared numbers, stray braces) and generated
templates (fields, filters, sections, negated sections, FrontSide) render to the same text as Anki
renders them; plus the rules that need no oracle (which cards a note has, errors)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anki.collection  # noqa: F401  (loads pylib in the order it needs)
import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deskwork.domain import cloze
from deskwork.domain.ankihtml import html_to_text
from deskwork.domain.cards import Card
from deskwork.domain.notetypes import STOCK, CardTemplate, NoteTypeDef, card_ords
from deskwork.domain.render import render_card
from deskwork.domain.template import TemplateError, parse
from tests.helpers import T0

FIELDS = ["A", "B", "C"]


# Its tests share a module-scoped fixture: under xdist they run on one worker, which builds it
# once (spread over two workers, each built its own).
pytestmark = pytest.mark.xdist_group("test_template")


@pytest.fixture(scope="module")
def col(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    path = Path(tmp_path_factory.mktemp("oracle")) / "c.anki2"
    collection = Collection(str(path))
    mm = collection.models
    nt = mm.new("Prop")
    for name in FIELDS:
        mm.add_field(nt, mm.new_field(name))
    template = mm.new_template("Card 1")
    template["qfmt"], template["afmt"] = "{{A}}", "{{B}}"
    mm.add_template(nt, template)
    mm.add(nt)
    yield collection
    collection.close()


def anki_render(
    col: Collection, kind: str, fields: list[str], ord_: int, tmpl: tuple[str, str] | None = None
) -> tuple[str, str]:
    note = col.new_note(col.models.by_name(kind))  # type: ignore[arg-type]
    for name, value in zip(note.keys(), fields, strict=False):
        note[name] = value
    if tmpl is None:
        card = note.ephemeral_card(ord_)
    else:
        template = col.models.new_template("Card 1")
        template["qfmt"], template["afmt"] = tmpl
        card = note.ephemeral_card(ord_, custom_template=template)
    return html_to_text(card.question()), html_to_text(card.answer())


def ours(notetype: NoteTypeDef, fields: list[str], ord_: int) -> tuple[str, str]:
    card = Card(
        fields=fields, note_type=notetype.key, ord=ord_, html=True, created=T0, modified=T0, due=T0
    )
    shown = render_card(card, notetype)
    return html_to_text(shown.question_html), html_to_text(shown.answer_html)


# ---------------------------------------------------------------------- cloze
words = st.text(alphabet="ab <>&é:", min_size=1, max_size=6).filter(lambda s: "::" not in s)


@st.composite
def deletion(draw: st.DrawFn, depth: int = 0) -> str:
    ords = draw(st.lists(st.integers(1, 4), min_size=1, max_size=2))
    parts = [draw(words)]
    if depth < 3 and draw(st.booleans()):
        parts.append(draw(deletion(depth + 1)))
        parts.append(draw(words))
    hint = draw(st.one_of(st.none(), st.text(alphabet="hx ", min_size=1, max_size=4)))
    inner = "".join(parts) + (f"::{hint}" if hint is not None else "")
    return "{{c" + ",".join(map(str, ords)) + "::" + inner + "}}"


cloze_texts = st.lists(st.one_of(words, deletion()), min_size=1, max_size=5).map("".join)
noise = st.text(alphabet="{}c1:2 ab", max_size=30)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(cloze_texts, noise))
def test_cloze_cards_render_as_anki_renders_them(col: Collection, text: str) -> None:
    numbers = cloze.numbers(text)
    for number in numbers or [1]:
        expected = anki_render(col, "Cloze", [text, "extra"], number - 1)
        assert ours(STOCK["cloze"], [text, "extra"], number - 1) == expected, (text, number)


@settings(max_examples=100, deadline=None)
@given(st.tuples(cloze_texts, deletion(), cloze_texts).map("".join))
def test_every_nested_deletion_counts_and_each_card_hides_only_its_own(text: str) -> None:
    numbers = cloze.numbers(text)
    assert numbers and numbers == sorted(set(numbers))
    for number in numbers:
        shown = html_to_text(cloze.reveal(text, number, question=True))
        assert "[" in shown, "something is hidden on its own card"
        assert "{{c" not in shown and "{{c" not in cloze.reveal(text, number, question=False)
    assert cloze.reveal(text, max(numbers) + 1, question=True) == ""


def test_nesting_follows_anki() -> None:
    text = "{{c1::Outer {{c2::inner::hint}} part}}"
    assert cloze.numbers(text) == [1, 2]
    assert html_to_text(cloze.reveal(text, 1, True)) == "[...]"
    assert html_to_text(cloze.reveal(text, 2, True)) == "Outer [hint] part"
    assert html_to_text(cloze.reveal(text, 1, False)) == "[[Outer inner part]]"
    assert html_to_text(cloze.reveal(text, 2, False)) == "Outer [[inner]] part"
    assert cloze.numbers("{{c1::open {{c2::never closed}}") == [], "an unclosed one is dropped"
    assert cloze.for_typing("{{c1::a}} {{c1::a}} {{c1::b}}", 1) == "a, a, b"
    assert cloze.for_typing("{{c1::a}} {{c1::a}}", 1) == "a"


# ---------------------------------------------------------------------- templates
field_values = st.sampled_from(["", "x", "<b>y</b>", " ", "<br>", "two words", "<div></div>"])


@st.composite
def template(draw: st.DrawFn, depth: int = 0) -> str:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        choice = draw(st.integers(0, 4 if depth < 2 else 1))
        if choice == 0:
            out.append(draw(st.sampled_from(["q ", "<br>", "-", " & "])))
        elif choice == 1:
            name = draw(st.sampled_from(FIELDS))
            flt = draw(st.sampled_from(["", "text:", "unknownfilter:", "hint:"]))
            out.append("{{" + flt + name + "}}")
        elif choice in (2, 3):
            name = draw(st.sampled_from(FIELDS))
            mark = "#" if choice == 2 else "^"
            out.append("{{" + mark + name + "}}" + draw(template(depth + 1)) + "{{/" + name + "}}")
        else:
            out.append("{{Tags}}")
    return "".join(out)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(front=template(), back=template(), values=st.lists(field_values, min_size=3, max_size=3))
@example(front="q q {{#A}}{{C}}q {{A}}{{/A}}", back="", values=["x", "", " "])  # a double space
def test_templates_render_as_anki_renders_them(
    col: Collection, front: str, back: str, values: list[str]
) -> None:
    back = "{{FrontSide}}<hr id=answer>" + back
    notetype = NoteTypeDef(key="prop", name="Prop", fields=FIELDS,
                           templates=[CardTemplate(name="Card 1", front=front, back=back)])  # fmt: skip
    assert ours(notetype, values, 0) == anki_render(col, "Prop", values, 0, (front, back))


def test_cards_exist_where_the_front_renders() -> None:
    optional = STOCK["optional-reversed"]
    assert card_ords(optional, ["Paris", "France", ""], []) == [0]
    assert card_ords(optional, ["Paris", "France", "y"], []) == [0, 1]
    assert card_ords(optional, ["", "France", "y"], []) == [1]
    assert card_ords(STOCK["cloze"], ["{{c2::a {{c3::b}}}}", ""], []) == [1, 2]
    assert card_ords(STOCK["basic"], ["<br>", "x"], []) == []


def test_template_errors_read_like_ankis() -> None:
    with pytest.raises(TemplateError, match=r"Missing '\{\{/A\}\}'"):
        parse("{{#A}}x")
    with pytest.raises(TemplateError, match=r"Found '\{\{/B\}\}', but expected '\{\{/A\}\}'"):
        parse("{{#A}}x{{/B}}")
    notetype = NoteTypeDef(key="k", name="K", fields=["A"],
                           templates=[CardTemplate(name="c", front="{{Nope}}", back="")])  # fmt: skip
    assert "no field called 'Nope'" in ours(notetype, ["x"], 0)[0]


def test_a_hint_stays_folded_on_the_question_and_shows_on_the_answer() -> None:
    notetype = NoteTypeDef(key="k", name="K", fields=["Q", "Mnemonic"], templates=[
        CardTemplate(name="c", front="{{Q}}<br>{{hint:Mnemonic}}", back="{{FrontSide}}<hr id=answer>A")
    ])  # fmt: skip
    card = Card(fields=["What?", "think <b>hard</b>"], note_type="k", html=True, created=T0,
                modified=T0, due=T0)  # fmt: skip
    shown = render_card(card, notetype)
    assert shown.question == "What?\n\n[hint: Mnemonic]"
    assert "think hard" in shown.answer() and shown.answer_side() == "A"
    assert shown.question_shown(folded=False) == "What?\n\nMnemonic\n\nthink hard"
