"""Fidelity at scale against the real Anki (needs the `anki` test dependency): a collection of N
notes (default 3,000) over the rich test collection's note types — a 4-field 3-template type with
conditionals, hint, text: and type-in; optional reversed; type-in; cloze with nested deletions and
hints; basic — with random fields and a review history, exported by Anki, imported by deskwork;
then every card's question and answer compared with Anki's, and deskwork's export imported back
into the collection it came from.

    python benchmarks/anki_fidelity.py [--notes 3000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import anki.collection  # noqa: F401
from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from deskwork.domain.ankihtml import html_to_text
from deskwork.domain.render import render_card
from deskwork.paths import Paths
from deskwork.services.anki import export_file, import_deck, read_file
from deskwork.services.desk import Desk
from tests.anki_rich import add_vocab_type, export, rendered

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "<b>bold</b>",
    "<i>it</i>",
    "x<sup>2</sup>",
    "a&amp;b",
    "line<br>break",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _cloze(rng: random.Random) -> str:
    def deletion(depth: int) -> str:
        inner = _text(rng, 2)
        if depth < 2 and rng.random() < 0.3:
            inner += " " + deletion(depth + 1)
        hint = f"::{_text(rng, 1)}" if rng.random() < 0.3 else ""
        return "{{c" + str(rng.randint(1, 4)) + "::" + inner + hint + "}}"

    return " ".join(deletion(0) if rng.random() < 0.5 else _text(rng, 2) for _ in range(4)) + (
        " " + deletion(0)
    )


def build(folder: Path, notes: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    col = Collection(str(folder / "big.anki2"))
    try:
        col.set_config("fsrs", True)
        add_vocab_type(col)
        kinds = ["Vocab (3 cards)", "Basic (optional reversed card)", "Basic (type in the answer)",
                 "Cloze", "Basic"]  # fmt: skip
        for n in range(notes):
            kind = kinds[n % len(kinds)]
            note = col.new_note(col.models.by_name(kind))  # type: ignore[arg-type]
            for key in note.keys():  # noqa: SIM118 (an anki Note, not a dict)
                note[key] = (
                    _cloze(rng) if key == "Text" else ""
                    if rng.random() < 0.25 and key not in ("Word", "Front")
                    else _text(rng, rng.randint(1, 6))
                )  # fmt: skip
            note.tags = [f"t{rng.randint(1, 9)}"]
            col.add_note(note, col.decks.id(f"Deck{n % 7}::Sub{n % 3}"))  # type: ignore[arg-type]
        for cid in col.find_cards("")[: notes // 2]:
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, rng.choice([1, 3, 3, 4]))
    finally:
        col.close()
    return folder / "big.anki2"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=3000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deskwork-fidelity-"))
    try:
        t = time.perf_counter()
        collection = build(work, args.notes)
        build_s = time.perf_counter() - t
        package = export(collection, work / "big.apkg", legacy=False)
        anki = rendered(collection)
        home = work / "home"
        desk = Desk.open(Paths(home, home))
        try:
            t = time.perf_counter()
            report = import_deck(desk, read_file(package, desk))
            import_s = time.perf_counter() - t
            types = {nt.key: nt for nt in desk.store.notetypes.all()}
            cards = desk.store.cards.all()
            same = 0
            for card in cards:
                ours = render_card(card, types.get(card.note_type))
                q, a = anki[(card.note_guid, card.ord)]
                same += (html_to_text(ours.question_html), html_to_text(ours.answer_html)) == (
                    html_to_text(q), html_to_text(a),
                )  # fmt: skip
            back = work / "back.apkg"
            export_file(desk, back)
        finally:
            desk.close()
        original = work / "original.anki2"
        shutil.copy(collection, original)
        col = Collection(str(original))
        try:
            types_before = len(col.models.all_names_and_ids())
            log = col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(back), options=ImportAnkiPackageOptions(with_scheduling=True)
                )
            ).log
            matched = len(log.duplicate) + len(log.updated)
            new_types = len(col.models.all_names_and_ids()) - types_before
        finally:
            col.close()
        result = {
            "notes": report.notes, "cards": len(cards), "anki_cards": len(anki),
            "reviews": report.reviews, "build_with_anki_s": round(build_s, 1),
            "import_s": round(import_s, 2), "cards_rendered_as_anki": same,
            "export_matched_in_original": matched, "export_new_notes": len(log.new),
            "export_conflicting": len(log.conflicting), "export_new_note_types": new_types,
        }  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
