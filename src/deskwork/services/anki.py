"""Importing and exporting flashcards (Anki packages and plain text): reading a file (a worker may
call this), importing it (`anki_import`: all or nothing, re-imports update), exporting."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskwork.domain import decknames
from deskwork.domain.cards import Card, ReviewLog
from deskwork.interop import importing, read_user_file, require_file
from deskwork.interop.anki import AnkiError, Deck, ImportLimits
from deskwork.interop.limits import ANKI_TEXT
from deskwork.services import presets
from deskwork.services.anki_import import import_deck, out_of_collections
from deskwork.services.desk import Desk
from deskwork.services.import_report import ALREADY_THERE, ImportReport, rows_text
from deskwork.services.notes import ANKI_DECKS, stored_deck
from deskwork.store.collector import exempt_all, exempt_dict, exempt_lists, untracked_list
from deskwork.store.logs import Frozen, month_of
from deskwork.store.store import no_gc

if TYPE_CHECKING:
    from deskwork.domain.media import MediaFile
    from deskwork.store.media import MediaFolder

__all__ = [
    "ALREADY_THERE", "ImportReport", "export_file", "export_job", "import_deck", "import_file", "read_file",
    "rows_text",
]  # fmt: skip

PACKAGES = (".apkg", ".colpkg")


def read_file(
    path: Path, desk: Desk, deck_name: str = "", progress: Callable[[int, int], None] | None = None
) -> Deck:
    """Every card of the file, in memory (a worker thread may call this); every card in
    `deck_name` when one is given: normalised (DeckNameError, a ValueError, for '::'), and a
    deck there already matched ignoring case, as Anki does (`paper` goes into `Paper`)."""
    if deck_name:
        deck_name = stored_deck(desk, deck_name)
    # Hundreds of thousands of objects that all survive until the import: no collection while
    # they are made, and none walks them after (see `out_of_collections`).
    freeze = out_of_collections(desk)
    with importing(path), no_gc(freeze=freeze):
        deck = _read(path, desk, deck_name, progress)
        if not freeze:
            exempt_all(deck.cards)
            exempt_all(deck.revlog)
            exempt_lists([deck.cards, deck.revlog, *deck.history.values()])
            exempt_dict(deck.history)
        return deck


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


def media_for(
    cards: list[Card], rows: Callable[[], list[MediaFile]], folder: MediaFolder
) -> dict[str, Path]:
    """The stored media files the cards' fields name: name -> file (a worker may call this).
    `rows`: the media table's records, asked for only when a field names a file."""
    from deskwork.interop.anki.media import referenced

    named: set[str] = set()
    for card in cards:
        if card.html:
            for value in card.fields:
                named |= referenced(value)
    if not named:
        return {}
    return {
        m.name: folder.path_of(m.sha256)
        for m in rows()
        if m.name in named and folder.path_of(m.sha256).exists()
    }


def in_order(
    cards: list[Card],
    deck_name: str = "",
    ids: AbstractSet[int] | None = None,
    empty_decks: Iterable[str] = (),
) -> list[Card]:
    """`cards` in the export's order (by note, then template), those of `deck_name` and its
    subdecks only when one is named (matched ignoring case, as Anki matches deck names: `paper`
    is `Paper`), those whose id is in `ids` only when given: sorted in place, so the list must be
    the caller's own (a worker may call this). A deck named that no card is in nor any of
    `empty_decks` (imported from Anki, empty): UnknownDeck, naming the closest names. The result
    is out of the collector's walks (store/collector.py). Sorted by one field at a time, last key first (stable sorts: the order of the key
    `(note_guid, ord, id)`): the keys are the records' own values, so no tuple a card is made,
    which young collections on the worker would move into the oldest generation, 100,000 of them
    at the power-user scale, for the app's collector to count and walk (ui/idle_collector.py)."""
    for field in ("id", "ord", "note_guid"):
        cards.sort(key=attrgetter(field))
    chosen = untracked_list()
    if ids is not None:
        chosen.extend(c for c in cards if c.id in ids)
    elif deck_name:
        folded = decknames.normalize(deck_name).casefold()
        chosen.extend(c for c in cards if decknames.within_folded(c.deck, folded))
        if not chosen:  # a deck with no card, or none at all (a typo: said, not an empty file)
            known = {c.deck for c in cards} | set(empty_decks)
            decknames.resolve(deck_name, known)
    else:
        chosen.extend(cards)
    return chosen


def cards_in(desk: Desk, deck_name: str = "") -> list[Card]:
    return in_order(desk.store.cards.all(), deck_name)


Progress = Callable[[int, int], None]
Phase = Callable[[str], None]


class HistoryMoved(AnkiError):
    """A month of the review log changed between the export's snapshot and its read."""


@dataclass
class HistorySnapshot:
    """The review log as it was when an export began (taken on the UI thread with the cards):
    the months an answer or an undo may change while the export runs (this UTC month and the
    one before: an undo takes back an answer of this session) copied, every other month's
    `stamp` noted. A worker reads the others later; one whose stamp moved meanwhile (an import,
    an undo of an older answer) refuses the export, as the package would mix two moments."""

    log: Any
    copies: dict[str, Frozen[ReviewLog]]
    stamps: dict[str, int]

    @classmethod
    def take(cls, log: Any, now: datetime) -> HistorySnapshot:
        this = month_of(now.astimezone(UTC) if now.tzinfo else now)  # the log's months: UTC
        year, month = int(this[:4]), int(this[5:])
        before = f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"
        with log.lock:  # no answer nor import changes a month between two of these
            months = set(log.months())
            # Frozen: a loaded month copied, one not loaded read later as it is now (its
            # files kept, what is pending copied): no file read here, on the UI thread.
            copies = {m: log.frozen(m) for m in (this, before)}
            stamps = {m: log.stamp(m) for m in months - copies.keys()}
        return cls(log, copies, stamps)

    def release(self) -> None:
        """The copied months' files no longer kept for this export (however it ended)."""
        for frozen in self.copies.values():
            frozen.release()

    def read(self, ids: set[int], progress: Progress | None) -> dict[int, list[ReviewLog]]:
        """The log's entries of the cards `ids`, by card, month by month (a worker may call
        this; the months not copied are read without keeping them in memory, so the UI's
        working set is not evicted); `progress(months read, months)` after each."""
        months = sorted(self.copies.keys() | self.stamps.keys())
        history: dict[int, list[ReviewLog]] = {}
        log = self.log
        for n, month in enumerate(months, start=1):
            copied = self.copies.get(month)
            entries = copied.read() if copied is not None else log.month(month, resident=False)
            for entry in list(entries.values()):
                if entry.card_id in ids:
                    logs = history.get(entry.card_id)
                    if logs is None:  # out of the collector's walks (store/collector.py)
                        logs = history[entry.card_id] = untracked_list()
                    logs.append(entry)
            if copied is None and log.stamp(month) != self.stamps[month]:
                raise HistoryMoved(
                    f"the review history of {month} changed while it was read (an import "
                    "meanwhile?); nothing was written: export again"
                )
            if progress:
                progress(n, len(months))
        new = set(log.months()) - self.copies.keys() - self.stamps.keys()
        if new:
            raise HistoryMoved(
                f"review history for {min(new)} came in while it was read; nothing was "
                "written: export again"
            )
        return history


def export_file(
    desk: Desk,
    path: Path,
    deck_name: str = "",
    *,
    with_history: bool = True,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """(notes, cards) written to .apkg (with the review history unless told not to) or .txt."""
    return export_job(desk, path, deck_name, with_history=with_history)(progress)


ExportJob = Callable[..., tuple[int, int]]  # (progress, phase=None) -> (notes, cards)


def export_job(
    desk: Desk,
    path: Path,
    deck_name: str = "",
    *,
    with_history: bool = True,
    cards: list[Card] | None = None,
    ids: AbstractSet[int] | None = None,
) -> ExportJob:
    """An export in two halves: the store's moment is taken now, on the calling thread, as
    references to what no later change alters (the card records, frozen, in a list of its own;
    the note types, decks, presets and media records; the review history's snapshot:
    `HistorySnapshot`), with no sorting, no work per card and no file read; the returned
    function, which a worker thread may run, picks and orders the cards, finds their media,
    reads the review history, builds the file and writes it atomically. It calls
    `phase(heading)` as it begins reading the history and writing the file,
    `progress(months read, months)` then `progress(notes done, notes)` as it goes; whatever
    `progress` raises (a cancel) leaves nothing written, as does a month of history changed
    meanwhile (HistoryMoved). AnkiError for a suffix it cannot write, before anything. `cards`:
    these cards (a search's, as the card browser shows them) in place of every card or
    `deck_name`'s. `ids`: the cards of these ids as they are now (the card browser's marked
    cards; a frozen set, so marks made later are not in it), looked up by the worker."""
    from deskwork.services.notes import notetypes

    suffix = path.suffix.lower()
    if suffix not in (".apkg", ".txt", ".tsv"):
        raise AnkiError(f"{path}: export to .apkg or .txt")
    # Records are frozen and a change puts a new one in the table, so a list of references is
    # the moment: the list is this export's own (sorted in place by the worker).
    taken = desk.store.cards.all() if cards is None else list(cards)
    deck = deck_name if cards is None and ids is None else ""
    types = notetypes(desk)  # a new dict of frozen note types
    decks = dict(desk.store.setting(ANKI_DECKS, {}) or {})  # name -> id (empty ones too)
    if suffix in (".txt", ".tsv"):

        def write_txt(progress: Progress | None, phase: Phase | None = None) -> tuple[int, int]:
            from deskwork.interop.anki.text import write_text
            from deskwork.store.fsutil import atomic_write

            chosen = in_order(taken, deck, ids, decks)
            notes = len({c.note_guid or c.id for c in chosen})
            if progress:
                progress(0, notes)
            data = write_text(chosen, types).encode("utf-8")
            if progress:
                progress(notes, notes)
            atomic_write(path, data)
            return notes, len(chosen)

        return write_txt

    now = desk.clock()
    table = desk.store.media  # its records taken now if in memory, else read when needed
    rows = table.all() if table.loaded else None
    folder, data_dir = desk.store.media_folder, desk.paths.data_dir
    preset_set, start_hour = presets.for_export(desk), desk.config.study.day_start_hour
    snapshot = HistorySnapshot.take(desk.store.reviews, now) if with_history else None

    def write_apkg(progress: Progress | None, phase: Phase | None = None) -> tuple[int, int]:
        from deskwork.interop.anki.package import write_package

        history: dict[int, list[ReviewLog]] = {}
        try:
            chosen = in_order(taken, deck, ids, decks)
            media = media_for(chosen, table.all if rows is None else lambda: rows, folder)
            if snapshot is not None:
                if phase:
                    phase(f"Reading the review history for {path.name}…")
                history = snapshot.read({c.id for c in chosen}, progress)
                if phase:
                    phase(f"Writing {path.name}…")
            return write_package(
                path, chosen, history, now, types, decks, media, data_dir, preset_set,
                start_hour, progress=progress,
            )  # fmt: skip
        finally:
            if snapshot is not None:
                snapshot.release()
            while history:  # freed a card at a time, not in one cascade holding the GIL
                history.popitem()

    return write_apkg
