"""Importing and exporting flashcards (Anki packages and plain text): reading a file (a worker may
call this), importing it (`anki_import`: all or nothing, re-imports update), exporting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deskwork.domain.cards import Card
from deskwork.interop import importing, read_user_file, require_file
from deskwork.interop.anki import AnkiError, Deck, ImportLimits
from deskwork.interop.limits import ANKI_TEXT
from deskwork.services import presets
from deskwork.services.anki_import import ANKI_DECKS, import_deck
from deskwork.services.desk import Desk
from deskwork.services.import_report import ALREADY_THERE, ImportReport, rows_text
from deskwork.store.store import no_gc

__all__ = [
    "ALREADY_THERE", "ImportReport", "export_file", "import_deck", "import_file", "read_file",
    "rows_text",
]  # fmt: skip

PACKAGES = (".apkg", ".colpkg")


def read_file(
    path: Path, desk: Desk, deck_name: str = "", progress: Callable[[int, int], None] | None = None
) -> Deck:
    """Every card of the file, in memory (a worker thread may call this)."""
    desk.store.froze = True  # unfrozen when the store closes
    with importing(path), no_gc(freeze=True):  # hundreds of thousands of objects that all survive
        return _read(path, desk, deck_name, progress)


def import_file(
    desk: Desk, path: Path, deck_name: str = "", progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    return import_deck(desk, read_file(path, desk, deck_name, progress))


def release(deck: Deck) -> None:
    """Free a deck read from a file a little at a time (a worker thread calls this after the
    import): dropped at once, its 250,000 answers are freed in one uninterruptible cascade that
    holds the GIL — and freezes the UI thread — for most of a second."""
    history, deck.history = deck.history, {}
    while history:
        history.popitem()
    revlog, deck.revlog = deck.revlog, []
    while revlog:
        revlog.pop()
    cards, deck.cards = deck.cards, []
    while cards:
        cards.pop()


def _read(
    path: Path, desk: Desk, deck_name: str, progress: Callable[[int, int], None] | None
) -> Deck:
    require_file(path)
    if path.suffix.lower() in PACKAGES:
        from deskwork.interop.anki.package import read_package

        limits = ImportLimits()
        deck = read_package(
            path, limits, progress, desk.paths.data_dir, desk.config.study.day_start_hour
        )
        _store_media(desk, deck, limits)
        if deck_name:
            deck.cards = [c.model_copy(update={"deck": deck_name}) for c in deck.cards]
            deck.renamed = True
        return deck
    from deskwork.interop.anki.text import read_text
    from deskwork.services.notes import notetypes

    text = read_user_file(path, ANKI_TEXT.max_bytes, ANKI_TEXT.what)
    here = {c.note_guid: c.note_type for c in desk.store.cards.all() if c.note_guid}
    return read_text(text, str(path), desk.clock(), deck_name, notetypes(desk), types_here=here)


def _store_media(desk: Desk, deck: Deck, limits: ImportLimits) -> None:
    """The package's media bytes into the data dir's media folder (content-addressed, so a failed
    import leaves nothing any record points to); `import_deck` indexes them."""
    from deskwork.interop.anki.media import read_files

    if deck.source is None or not deck.media_names or desk.store.readonly:
        return
    folder = desk.store.media_folder
    for name, data in read_files(deck.source, limits):
        deck.media_blobs[name] = (folder.put(data), len(data))


def media_for(desk: Desk, cards: list[Card]) -> dict[str, Path]:
    """The stored media files the cards' fields name: name -> file."""
    from deskwork.interop.anki.media import referenced

    named: set[str] = set()
    for card in cards:
        if card.html:
            for value in card.fields:
                named |= referenced(value)
    if not named:
        return {}
    folder = desk.store.media_folder
    return {
        m.name: folder.path_of(m.sha256)
        for m in desk.store.media.all()
        if m.name in named and folder.path_of(m.sha256).exists()
    }


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
    from deskwork.services.notes import notetypes

    cards = cards_in(desk, deck_name)
    suffix = path.suffix.lower()
    if suffix == ".apkg":
        from deskwork.interop.anki.package import write_package

        ids = {c.id for c in cards}
        history: dict[int, list] = {}  # type: ignore[type-arg]
        for log in desk.store.reviews.iter_all() if with_history else ():
            if log.card_id in ids:
                history.setdefault(log.card_id, []).append(log)
        return write_package(
            path, cards, history, desk.clock(), notetypes(desk),
            dict(desk.store.setting(ANKI_DECKS, {}) or {}), media_for(desk, cards),
            desk.paths.data_dir, presets.for_export(desk), desk.config.study.day_start_hour,
        )  # fmt: skip
    if suffix in (".txt", ".tsv"):
        from deskwork.interop.anki.text import write_text
        from deskwork.store.fsutil import atomic_write

        atomic_write(path, write_text(cards, notetypes(desk)).encode("utf-8"))
        return len({c.note_guid or c.id for c in cards}), len(cards)
    raise AnkiError(f"{path}: export to .apkg or .txt")
