"""The real Anki (the `anki` package, AGPL, a test-only dependency) as an oracle: it builds decks in
the format current Anki writes by default and in the legacy one, and imports our exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)


def build_deck(
    folder: Path, *, legacy: bool, fsrs: bool = False, review_first: bool = True
) -> Path:
    """Three notes: a basic one (tags, HTML) in ML::Transformers, a basic+reversed one there too,
    a cloze note with c1 twice and c2 (2 cards) in Math; the basic card answered once (Good)."""
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "oracle.anki2"))
    try:
        if fsrs:
            col.set_config("fsrs", True)
        ml = col.decks.id("ML::Transformers")
        math = col.decks.id("Math")
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "What is <b>attention</b>?", "softmax(QK<sup>T</sup>)V"
        note.tags = ["nlp", "ml::core"]
        col.add_note(note, ml)
        rev = col.new_note(col.models.by_name("Basic (and reversed card)"))
        rev["Front"], rev["Back"] = "ReLU", "max(0,x)"
        col.add_note(rev, ml)
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = "{{c1::Adam}} uses {{c2::momentum::m}} and {{c1::RMSprop}}"
        cloze["Back Extra"] = "Kingma 2014"
        col.add_note(cloze, math)
        if review_first:
            card = col.get_card(note.cards()[0].id)
            card.start_timer()
            col.sched.answerCard(card, 3)
        out = folder / ("legacy.apkg" if legacy else "current.apkg")
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy
            ),
            limit=None,
        )
        return out
    finally:
        col.close()


@dataclass
class Imported:
    notes: int
    cards: int
    cards_per_deck: dict[str, int]
    tags: dict[str, list[str]]  # first field -> tags
    cloze_ords: list[int]
    note_types: list[str]


def import_into_anki(folder: Path, path: Path) -> Imported:
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "target.anki2"))
    try:
        if path.suffix == ".apkg":
            col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=True)
                )
            )
        else:
            col.import_csv(
                ImportCsvRequest(path=str(path), metadata=col.get_csv_metadata(str(path), None))
            )
        per_deck = {}
        for deck in col.decks.all_names_and_ids():
            count = len(col.find_cards(f'"deck:{deck.name}" -"deck:{deck.name}::*"'))
            if count:
                per_deck[deck.name] = count
        tags, ords, types = {}, [], []
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            tags[note.fields[0]] = sorted(note.tags)
            types.append(note.note_type()["name"])
            if note.note_type()["type"] == 1:
                ords = sorted(c.ord for c in note.cards())
        return Imported(col.note_count(), col.card_count(), per_deck, tags, ords, sorted(types))
    finally:
        col.close()


def import_with_presets(col: Collection, package: Path) -> None:
    """`package` imported into `col` as Anki's import dialog does with "import any deck presets"
    ticked (scheduling kept)."""
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package),
            options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True),
        )
    )


def deck_options(col: Collection, deck: str) -> dict[str, Any]:
    """The options (preset) Anki gives `deck`, which must exist."""
    did = col.decks.id_for_name(deck)
    assert did is not None, deck
    return col.decks.config_dict_for_deck_id(did)
