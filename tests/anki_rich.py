"""A collection like a long-time Anki user's, built with the real Anki (test-only oracle): a custom
note type with four fields and three templates (conditional sections, a hint, `text:`, type-in),
the stock optional-reversed and type-in types, cloze with nested deletions, hints and shared
numbers, an image-occlusion note, a review history, suspended / flagged / buried cards, manual
revlog entries (set due date, forget), a filtered deck holding review cards, and an empty deck."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions

VOCAB_FIELDS = ["Word", "Meaning", "Example", "Notes"]
VOCAB_TEMPLATES = [
    (
        "Recognition",
        "{{Word}}{{#Example}}<br><i>{{Example}}</i>{{/Example}}",
        "{{FrontSide}}<hr id=answer>{{Meaning}}{{^Notes}}<br>(no notes){{/Notes}}"
        "{{#Notes}}<div>{{hint:Notes}}</div>{{/Notes}}",
    ),
    ("Production", "{{Meaning}}", "{{FrontSide}}<hr id=answer>{{Word}} — {{text:Example}}"),
    (
        "Spelling",
        "{{#Example}}Spell: {{Meaning}}<br>{{type:Word}}{{/Example}}",
        "{{FrontSide}}<hr id=answer>{{type:Word}}",
    ),
]
VOCAB_CSS = ".card { font-family: serif; }\n.hint { color: gray; }\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@dataclass
class Rich:
    path: Path  # the collection
    notes: dict[str, int] = field(default_factory=dict)  # label -> note id


def add_vocab_type(col: Collection) -> int:
    mm = col.models
    nt = mm.new("Vocab (3 cards)")
    for name in VOCAB_FIELDS:
        mm.add_field(nt, mm.new_field(name))
    for name, front, back in VOCAB_TEMPLATES:
        template = mm.new_template(name)
        template["qfmt"], template["afmt"] = front, back
        mm.add_template(nt, template)
    nt["css"] = VOCAB_CSS
    mm.add(nt)
    return int(mm.by_name("Vocab (3 cards)")["id"])  # type: ignore[index]


def _add(col: Collection, kind: str, deck: str, values: dict[str, str], tags: list[str]) -> int:
    note = col.new_note(col.models.by_name(kind))  # type: ignore[arg-type]
    for key, value in values.items():
        note[key] = value
    note.tags = tags
    col.add_note(note, col.decks.id(deck))  # type: ignore[arg-type]
    return int(note.id)


def _answer(col: Collection, cid: int, ease: int) -> None:
    card = col.get_card(cid)  # type: ignore[arg-type]
    card.start_timer()
    col.sched.answerCard(card, ease)  # type: ignore[arg-type]


def build_rich(folder: Path, *, fsrs: bool = True) -> Rich:
    folder.mkdir(parents=True, exist_ok=True)
    rich = Rich(folder / "rich.anki2")
    col = Collection(str(rich.path))
    try:
        if fsrs:
            col.set_config("fsrs", True)
        add_vocab_type(col)
        n = rich.notes
        n["vocab_full"] = _add(col, "Vocab (3 cards)", "Lang::German", {
            "Word": "der Hund", "Meaning": "the dog", "Example": "Der <b>Hund</b> bellt.",
            "Notes": "masculine"}, ["de", "noun"])  # fmt: skip
        n["vocab_bare"] = _add(col, "Vocab (3 cards)", "Lang::German", {
            "Word": "die Katze", "Meaning": "the cat"}, ["de"])  # fmt: skip
        n["opt_rev_on"] = _add(col, "Basic (optional reversed card)", "Lang", {
            "Front": "Paris", "Back": "capital of France", "Add Reverse": "y"}, [])  # fmt: skip
        n["opt_rev_off"] = _add(col, "Basic (optional reversed card)", "Lang", {
            "Front": "Berlin", "Back": "capital of Germany"}, [])  # fmt: skip
        n["type_in"] = _add(col, "Basic (type in the answer)", "Lang", {
            "Front": "2 + 2 =", "Back": "four"}, ["math"])  # fmt: skip
        n["cloze"] = _add(col, "Cloze", "Math", {
            "Text": "{{c1::Outer {{c2::inner::in}} part}} and {{c3::third::h3}}, "
                    "{{c1,4::shared}}", "Back Extra": "extra"}, ["cloze"])  # fmt: skip
        n["basic"] = _add(col, "Basic", "Math", {
            "Front": "What is <b>attention</b>?", "Back": "softmax(QK<sup>T</sup>)V"}, [])  # fmt: skip
        col.decks.id("Empty::Child")
        # image occlusion
        col.add_image_occlusion_notetype()
        image = folder / "figure.png"
        image.write_bytes(PNG)
        io_type = next(m for m in col.models.all_names_and_ids() if m.name == "Image Occlusion")
        col.add_image_occlusion_note(
            notetype_id=io_type.id, image_path=str(image),
            occlusions="{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}",
            header="", back_extra="", tags=[],
        )  # fmt: skip
        # a history: some cards graduate to review
        cards = {label: col.get_note(nid).card_ids() for label, nid in n.items()}  # type: ignore[arg-type]
        for cid in cards["vocab_full"] + cards["opt_rev_on"] + [cards["basic"][0]]:
            _answer(col, cid, 4)
        _answer(col, cards["cloze"][0], 3)
        _answer(col, cards["cloze"][0], 1)
        # states
        col.sched.suspend_cards([cards["opt_rev_off"][0]])  # type: ignore[list-item]
        col.set_user_flag_for_cards(3, [cards["type_in"][0]])  # type: ignore[list-item]
        col.sched.bury_cards([cards["vocab_bare"][0]])  # type: ignore[list-item]
        col.sched.set_due_date([cards["basic"][0]], "9")  # type: ignore[list-item]
        col.sched.schedule_cards_as_new([cards["opt_rev_on"][1]], restore_position=False)  # type: ignore[list-item]
        # a filtered deck holding the German review cards
        filtered = col.sched.get_or_create_filtered_deck(deck_id=0)  # type: ignore[arg-type]
        filtered.name = "Cram German"
        filtered.config.search_terms[0].search = "deck:Lang::German is:review"
        filtered.config.reschedule = True
        col.sched.add_or_update_filtered_deck(filtered)
        return rich
    finally:
        col.close()


def export(collection: Path, out: Path, *, legacy: bool) -> Path:
    col = Collection(str(collection))
    try:
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
            ),
            limit=None,
        )
    finally:
        col.close()
    return out


def rendered(collection: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(note guid, card ord) -> Anki's question and answer HTML for every card."""
    col = Collection(str(collection))
    try:
        out = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            out[(card.note().guid, card.ord)] = (card.question(), card.answer())
        return out
    finally:
        col.close()
