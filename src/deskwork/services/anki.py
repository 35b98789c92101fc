"""Importing and exporting flashcards (Anki packages and plain text): all or nothing, and
re-importing a file adds nothing twice (notes are matched by guid)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deskwork.domain.cards import Card
from deskwork.domain.notes import first_field_key
from deskwork.interop import importing, read_user_file, require_file
from deskwork.interop.anki import AnkiError, Deck, ImportLimits
from deskwork.interop.limits import ANKI_TEXT
from deskwork.services import presets
from deskwork.services.desk import Desk
from deskwork.store.store import no_gc

PACKAGES = (".apkg", ".colpkg")
ALREADY_THERE = "already there (same front)"


@dataclass
class ImportReport:
    notes: int
    cards: int
    decks: dict[str, int]
    reviews: int
    duplicates: int  # notes already there (same guid, or same first field without guids)
    media_skipped: int
    notes_skipped: int
    duplicate_rule: str = "guid"  # or "first field" (plain text without a guid column)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (line, why), in order
    presets: list[str] = field(default_factory=list)  # presets added / updated, problems

    def as_json(self) -> dict[str, object]:
        return {
            "notes": self.notes, "cards": self.cards, "decks": self.decks, "reviews": self.reviews,
            "duplicates": self.duplicates, "duplicate_rule": self.duplicate_rule,
            "media_skipped": self.media_skipped, "unsupported_notes_skipped": self.notes_skipped,
            "skipped_rows": [{"line": n, "reason": why} for n, why in self.skipped_rows],
            "presets": self.presets,
        }  # fmt: skip

    def rows_left_out(self) -> list[tuple[int, str]]:
        """The rows skipped for a reason other than being there already (those are `duplicates`)."""
        return [row for row in self.skipped_rows if row[1] != ALREADY_THERE]


def rows_text(rows: list[tuple[int, str]], most: int = 8) -> str:
    """'line 1: a header row (column names); line 4: the back is empty' (the first `most`)."""
    shown = [f"line {n}: {why}" for n, why in rows[:most]]
    more = len(rows) - most
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def read_file(
    path: Path, desk: Desk, deck_name: str = "", progress: Callable[[int, int], None] | None = None
) -> Deck:
    """Every card of the file, in memory (a worker thread may call this)."""
    with importing(path), no_gc():  # hundreds of thousands of objects that all survive
        return _read(path, desk, deck_name, progress)


def import_deck(desk: Desk, deck: Deck) -> ImportReport:
    """One transaction: every new note's cards and their history, or nothing."""
    known = {c.note_guid for c in desk.store.cards.all() if c.note_guid}
    skipped = list(deck.skipped_rows)
    if deck.match_first_field:  # no guids in the file: Anki's rule, first field within the type
        fronts = {first_field_key(c.note_type, c.front, c.html) for c in desk.store.cards.all()}
        for card in deck.cards:
            if first_field_key(card.note_type, card.front, card.html) in fronts:
                known.add(card.note_guid)
        lines = deck.lines
        skipped += [(lines[g], ALREADY_THERE) for g in known if g in lines]
        skipped.sort()
    fresh = [(n, c) for n, c in enumerate(deck.cards) if c.note_guid not in known]
    duplicates = len({c.note_guid for c in deck.cards if c.note_guid in known})
    decks: dict[str, int] = {}
    reviews = 0
    with no_gc(), desk.store.transaction() as tx:
        for index, card in fresh:
            saved = tx.put("cards", card)
            decks[saved.deck] = decks.get(saved.deck, 0) + 1
            for answer in deck.history.get(index, []):
                tx.append("reviews", answer.log(tx.next_id("reviews"), saved.id))
                reviews += 1
        preset_lines = presets.store_imported(desk, tx, deck.presets, deck.renamed)
    return ImportReport(
        notes=len({c.note_guid for _, c in fresh}),
        cards=len(fresh),
        decks=dict(sorted(decks.items())),
        reviews=reviews,
        duplicates=duplicates,
        media_skipped=deck.media_skipped,
        notes_skipped=deck.notes_skipped,
        duplicate_rule="first field" if deck.match_first_field else "guid",
        skipped_rows=skipped,
        presets=preset_lines,
    )


def import_file(
    desk: Desk, path: Path, deck_name: str = "", progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    return import_deck(desk, read_file(path, desk, deck_name, progress))


def _read(
    path: Path, desk: Desk, deck_name: str, progress: Callable[[int, int], None] | None
) -> Deck:
    require_file(path)
    if path.suffix.lower() in PACKAGES:
        from deskwork.interop.anki.package import read_package

        deck = read_package(path, ImportLimits(), progress, desk.paths.data_dir)
        if deck_name:
            deck.cards = [c.model_copy(update={"deck": deck_name}) for c in deck.cards]
            deck.renamed = True
        return deck
    from deskwork.interop.anki.text import read_text

    text = read_user_file(path, ANKI_TEXT.max_bytes, ANKI_TEXT.what)
    return read_text(text, str(path), desk.clock(), deck_name)


def cards_in(desk: Desk, deck_name: str = "") -> list[Card]:
    cards = sorted(desk.store.cards.all(), key=lambda c: (c.note_guid, c.ord, c.id))
    if deck_name:
        prefix = deck_name + "::"
        cards = [c for c in cards if c.deck == deck_name or c.deck.startswith(prefix)]
    return cards


def export_file(
    desk: Desk, path: Path, deck_name: str = "", *, with_history: bool = True
) -> tuple[int, int]:
    """(notes, cards) written to .apkg (with the review history unless told not to) or .txt."""
    cards = cards_in(desk, deck_name)
    suffix = path.suffix.lower()
    if suffix == ".apkg":
        from deskwork.interop.anki.package import write_package

        ids = {c.id for c in cards}
        history: dict[int, list] = {}  # type: ignore[type-arg]
        for log in desk.store.reviews.all() if with_history else []:
            if log.card_id in ids:
                history.setdefault(log.card_id, []).append(log)
        return write_package(
            path, cards, history, desk.clock(), desk.paths.data_dir, presets.load(desk)
        )
    if suffix in (".txt", ".tsv"):
        from deskwork.interop.anki.text import write_text
        from deskwork.store.fsutil import atomic_write

        atomic_write(path, write_text(cards).encode("utf-8"))
        return len({c.note_guid or c.id for c in cards}), len(cards)
    raise AnkiError(f"{path}: export to .apkg or .txt")
