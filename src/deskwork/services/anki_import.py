"""Importing a read deck into the store, first time or again: one transaction, all or nothing.

A note not seen before comes in whole (its cards and history). A note already here (same guid) is
brought up to date from the file:
- fields and tags when Anki's note is newer than deskwork's copy (a note edited in deskwork since
  is kept, and the skip is reported);
- cards the note now has and deskwork has not (a new cloze number, a new template);
- review history merged by Anki's revlog id (or, for reviews deskwork made and Anki got back, by
  their time): never twice;
- a card's schedule follows whichever side reviewed (or rescheduled) it last; suspension, flag and
  burial and the card's deck follow whichever side changed the card last.
Notes deskwork got from Anki that the file no longer has (in decks the file has) are reported,
never deleted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from deskwork.domain import decknames
from deskwork.domain.cancel import Cancelled
from deskwork.domain.cards import Card, ReviewLog
from deskwork.domain.decknames import parents
from deskwork.domain.notes import first_field_key
from deskwork.domain.render import field_html
from deskwork.domain.studyday import day_bounds
from deskwork.interop.anki import Deck
from deskwork.services import preset_import
from deskwork.services.desk import Desk
from deskwork.services.import_report import ALREADY_THERE, ImportReport
from deskwork.services.notes import ANKI_DECKS as ANKI_DECKS  # setting: name -> Anki deck id
from deskwork.store import collector
from deskwork.store.store import Transaction, no_gc

_SCHEDULE = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def out_of_collections(desk: Desk) -> bool:
    """How an import keeps the collector from walking what it makes (a file's 250,000 answers,
    the records it writes): True where it must freeze it all (`no_gc(freeze=True)`: a full
    collection first, on the importing thread, then everything alive moved out of the
    collector's reach until the store closes); False where the collector is armed
    (store/collector.py, the TUI): the records are untracked one by one (those it writes by the
    store, those it reads by `exempt_all`), so nothing needs freezing. A freeze there cost a
    full collection holding the GIL (23 ms, the UI waiting) and froze what the interface held
    at that moment with the rest — the import's own progress screen, dead a second later, kept
    until the next sweep of the frozen set (+70k frozen objects at the power-user scale)."""
    if collector.armed():
        return False
    desk.store.froze = True  # what it freezes goes back to the collector when the store closes
    return True


def _log_keys(logs: list[Any]) -> set[int]:
    keys: set[int] = set()
    for log in logs:
        if log.anki_id:
            keys.add(log.anki_id)
        keys.add(int(log.ts.timestamp() * 1000))
    return keys


def _last_touch(answers: list[ReviewLog]) -> datetime | None:
    return answers[-1].ts if answers else None


def import_deck(
    desk: Desk,
    deck: Deck,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """One transaction: new notes, updates to known ones, or nothing. New cards and their
    history go in as bulk ops (checked by the reader already: no second validation, no JSON
    text per row); `progress(done, total)` follows the writing; when `cancelled()` says so
    before the write, `Cancelled` is raised and nothing is saved. A worker thread may call
    this: the store's write lock keeps the one writer."""
    report = ImportReport(
        media_skipped=deck.media_skipped, notes_skipped=deck.notes_skipped,
        filtered_decks_not_kept=list(deck.filtered_decks), guids_renamed=deck.guids_renamed,
    )  # fmt: skip
    existing: dict[str, dict[int, Card]] = {}
    for card in desk.store.cards.all():
        if card.note_guid:
            existing.setdefault(card.note_guid, {})[card.ord] = card
    report.duplicate_rule = "first field" if deck.match_first_field else "guid"
    report.skipped_rows = list(deck.skipped_rows)
    report.columns_left_out = list(deck.columns_left_out)
    same_front: set[str] = set()
    if deck.match_first_field:  # no guids in the file: Anki's rule, first field within the type
        fronts = {first_field_key(c.note_type, c.front, c.html) for c in desk.store.cards.all()}
        same_front = {
            c.note_guid
            for c in deck.cards
            if first_field_key(c.note_type, c.front, c.html) in fronts
        }
        report.duplicates += len(same_front)
        report.skipped_rows += [
            (deck.lines[g], ALREADY_THERE) for g in same_front if g in deck.lines
        ]
        report.skipped_rows.sort()
    by_note: dict[str, list[int]] = {}
    for index, card in enumerate(deck.cards):
        if card.note_guid not in same_front:
            by_note.setdefault(card.note_guid, []).append(index)
    matched = {g for g in by_note if g in existing}
    logs_by_card: dict[int, list[Any]] = {}
    if matched:
        wanted = {c.id for g in matched for c in existing[g].values()}
        for log in desk.store.reviews.all():
            if log.card_id in wanted:
                logs_by_card.setdefault(log.card_id, []).append(log)
    day_end = day_bounds(desk.today(), desk.config.study.day_start_hour)[1]
    known_decks: dict[str, int] = dict(desk.store.setting(ANKI_DECKS, {}) or {})
    decks_here = {c.deck for c in desk.store.cards.all()} | set(known_decks)
    _spell_as_here(deck, decks_here)
    renames = _media_renames(desk, deck)
    if renames:
        _rename_references(deck, renames)
    with (
        no_gc(freeze=out_of_collections(desk)),
        desk.store.transaction(progress=progress, cancelled=cancelled) as tx,
    ):
        _note_types(tx, desk, deck, report)
        report.media_added = _index_media(tx, desk, deck, renames)
        new = _New(tx, deck.revlog)
        adding: list[int] = []  # the new notes' cards since the last known note (added in order)
        for n, (guid, indexes) in enumerate(by_note.items()):
            if n % 2000 == 0 and cancelled is not None and cancelled():
                raise Cancelled("cancelled: nothing was saved")
            if guid in existing:
                _add_cards(new, deck, adding, report, day_end)
                adding = []
                _update_note(tx, deck, indexes, existing[guid], logs_by_card, report, day_end, new)
            else:
                report.notes += 1
                adding += indexes
        _add_cards(new, deck, adding, report, day_end)
        new.write()
        new_decks = {n: i for n, i in deck.deck_ids.items() if n != "Default"}
        here = decks_here | {p for n in decks_here for p in parents(n)}
        named = set(new_decks) | {n for n in report.decks if n != "Default"}  # a text file's too
        named |= {p for n in named for p in parents(n)}  # Anki makes `A` for `A::B`
        report.decks_created = sorted(n for n in named if n not in here)
        if new_decks:
            tx.set_setting(ANKI_DECKS, {**known_decks, **new_decks})
        report.presets = preset_import.store_imported(
            desk, tx, deck.presets, deck.renamed, decks_here
        )
    report.cards_changed_meanwhile = len(tx.skipped.get("cards", ()))
    file_decks = set(deck.deck_ids)
    report.deleted_in_anki = sorted(
        g
        for g, cards in existing.items()
        if g not in by_note
        and any(c.anki_id for c in cards.values())
        and any(c.deck in file_decks for c in cards.values())
    )
    report.decks = dict(sorted(report.decks.items()))
    return report


def _spell_as_here(deck: Deck, decks_here: set[str]) -> None:
    """The file's deck names that match a deck here ignoring case (or its old spelling) take the
    spelling here, as Anki's import does (`ml` goes into `ML`): no second deck that differs only
    in case. Its cards, deck ids and deck options are renamed in place; nothing when none does."""
    named = set(deck.deck_ids) | {c.deck for c in deck.cards}
    if deck.presets is not None:
        named |= set(deck.presets.decks)
    spelt = {name: decknames.find(name, decks_here) or name for name in named}
    spelt = {name: here for name, here in spelt.items() if here != name}
    if not spelt:
        return
    for index, card in enumerate(deck.cards):
        if card.deck in spelt:
            deck.cards[index] = card.model_copy(update={"deck": spelt[card.deck]})
    deck.deck_ids = {spelt.get(name, name): i for name, i in deck.deck_ids.items()}
    if deck.presets is not None:
        deck.presets.decks = {
            spelt.get(name, name): options.model_copy(update={"deck": spelt.get(name, name)})
            for name, options in deck.presets.decks.items()
        }


def _media_renames(desk: Desk, deck: Deck) -> dict[str, str]:
    """Names the file uses for other bytes than deskwork has under that name: the file's copy is
    kept under `name-<hash>.ext` and its notes refer to that (as Anki's importer does)."""
    have = _media_held(desk)
    renames: dict[str, str] = {}
    for name, (sha, _) in deck.media_blobs.items():
        if name in have and have[name] != sha:
            stem, dot, ext = name.rpartition(".")
            renames[name] = f"{stem}-{sha[:8]}.{ext}" if dot else f"{name}-{sha[:8]}"
    return renames


def _media_held(desk: Desk) -> dict[str, str]:
    """Name -> sha256 of every media record, damaged ones kept raw too (the store keeps them
    for the user to mend): a re-import adds no second record of a name one of them holds."""
    have = {m.name: m.sha256 for m in desk.store.media.all()}
    for raw in desk.store.media.invalid_raw().values():
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            have.setdefault(raw["name"], str(raw.get("sha256", "")))
    return have


def _rename_references(deck: Deck, renames: dict[str, str]) -> None:
    from deskwork.interop.anki.media import rename_references

    for n, card in enumerate(deck.cards):
        fields = [rename_references(f, renames) for f in card.fields]
        if fields != card.fields:
            deck.cards[n] = card.model_copy(update={"fields": fields})


def _index_media(tx: Transaction, desk: Desk, deck: Deck, renames: dict[str, str]) -> int:
    from deskwork.domain.media import MediaFile

    have = _media_held(desk)
    added = 0
    for name, (sha, size) in deck.media_blobs.items():
        name = renames.get(name, name)
        if name in have:
            continue
        tx.put("media", MediaFile(name=name, sha256=sha, size=size))
        added += 1
    return added


def _note_types(tx: Transaction, desk: Desk, deck: Deck, report: ImportReport) -> None:
    have = {t.key: t for t in desk.store.notetypes.all()}
    for key, notetype in deck.notetypes.items():
        old = have.get(key)
        if old is None:
            tx.put("notetypes", notetype)
            report.notetypes_added += 1
        elif old.model_dump(exclude={"id"}) != notetype.model_dump(exclude={"id"}):
            tx.put("notetypes", notetype.model_copy(update={"id": old.id}))
            report.notetypes_updated += 1


class _New:
    """The import's new cards and review entries, written as bulk ops at the end (their ids
    handed out in two calls, not one per record). The entries are the reader's own records,
    checked at the boundary and used nowhere else: given their ids in place, not copied, and
    numbered in one pass over the file's revlog in time order (each entry names its Anki card
    until then), so that each month's ids are one range."""

    def __init__(self, tx: Transaction, revlog: list[ReviewLog]) -> None:
        self.tx = tx
        self.revlog = revlog  # every entry of the file, oldest first
        self.cards: list[Card] = []
        self.answers: list[tuple[int, list[ReviewLog]]] = []  # (index in cards, its entries)
        # Known cards the file updates, with the stored version each update was made from: the
        # import reads the store long before it writes (in the app, on a worker), so an answer or
        # an edit made in deskwork meanwhile must not be overwritten (see Transaction.put_many).
        self.updated: list[Card] = []
        self.bases: dict[int, Card] = {}

    def update(self, ours: Card, changed: Card) -> None:
        self.updated.append(changed)
        self.bases[ours.id] = ours

    def write(self) -> None:
        tx = self.tx
        if self.updated:
            tx.put_many("cards", self.updated, unchanged_since=self.bases)
        wanting = [n for n, card in enumerate(self.cards) if card.id == 0]
        for n, card_id in zip(wanting, tx.reserve_ids("cards", len(wanting)), strict=True):
            # 20,000 copies would be a tenth of the import: the reader's cards get their ids here
            self.cards[n].__dict__["id"] = card_id
        tx.put_many("cards", self.cards)
        total = sum(len(entries) for _, entries in self.answers)
        if not total:
            return
        ids = tx.reserve_ids("reviews", total)
        chosen = self._in_file_order(ids.start)
        if chosen is None or len(chosen) != total:  # not the reader's list (a deck built otherwise)
            chosen = self._gathered()
            for entry, log_id in zip(chosen, ids, strict=True):
                entry.__dict__["id"] = log_id
        tx.append_many("reviews", chosen)
        self.answers = []  # 20,000 pairs made inside the import's collector-free window: gone
        # before it closes, or the first young collection after walks them (28 ms at heavy)

    def _in_file_order(self, first_id: int) -> list[ReviewLog] | None:
        """The new cards' entries numbered from `first_id` in the file's order; None when they
        do not name their Anki cards as the reader left them (a list of another length: some
        entry was not the reader's; the caller numbers them again the slow way)."""
        owner: dict[int | None, int] = {}  # Anki card id -> the new card's id
        for n, entries in self.answers:
            card = self.cards[n]
            if card.anki_id in owner or entries[0].card_id != card.anki_id:
                return None
            owner[card.anki_id] = card.id
        chosen: list[ReviewLog] = []
        keep, take, next_id = chosen.append, owner.get, first_id
        for entry in self.revlog:
            values = entry.__dict__
            card_id = take(values["card_id"])
            if card_id is not None:
                values["card_id"] = card_id
                values["id"] = next_id
                next_id += 1
                keep(entry)
        return chosen

    def _gathered(self) -> list[ReviewLog]:
        every = []
        for n, entries in self.answers:
            card_id = self.cards[n].id
            for entry in entries:
                entry.__dict__["card_id"] = card_id
                every.append(entry)
        return sorted(every, key=lambda entry: (entry.ts, entry.anki_id or 0))


def _add_cards(
    new: _New, deck: Deck, indexes: list[int], report: ImportReport, day_end: datetime
) -> None:
    """The file's cards at `indexes` as new cards, with their history (one call for a run of
    new notes: 20,000 calls were a tenth of the import's own work)."""
    cards, buried, history, counts = deck.cards, deck.buried, deck.history, report.decks
    added, entries = new.cards, new.answers
    for index in indexes:
        card = cards[index]
        if index in buried:
            card = card.model_copy(update={"buried_until": day_end})
        added.append(card)
        counts[card.deck] = counts.get(card.deck, 0) + 1
        answers = history.get(index)
        if answers:
            entries.append((len(added) - 1, answers))
            report.reviews += len(answers)
    report.cards += len(indexes)


def _update_note(
    tx: Transaction,
    deck: Deck,
    indexes: list[int],
    have: dict[int, Card],
    logs_by_card: dict[int, list[Any]],
    report: ImportReport,
    day_end: datetime,
    new: _New,
) -> None:
    report.duplicates += 1
    theirs = deck.cards[indexes[0]]
    ours_any = next(iter(have.values()))
    if theirs.note_type != ours_any.note_type:
        report.skipped["its note type was changed in Anki (change it in both or neither)"] += 1
        return
    # Anki keeps whole seconds. A note last written by an import carries Anki's whole second, so
    # an edit in Anki in that same second still counts (>=). An edit in deskwork carries its exact
    # instant: Anki's second must start at or after it to win; inside that second it is a tie and,
    # as in Anki's own importer, the note already here is kept.
    our_mod = max(c.note_modified or c.modified for c in have.values())
    their_mod = theirs.note_modified or theirs.modified
    ours_html = [field_html(f, ours_any.html) for f in ours_any.fields]
    theirs_html = [field_html(f, theirs.html) for f in theirs.fields]
    content = theirs_html != ours_html or theirs.tags != ours_any.tags
    take_note = content and their_mod >= our_mod
    if content and their_mod < our_mod:
        report.skipped["edited in deskwork after Anki's last edit (deskwork's kept)"] += 1
    elif take_note:
        report.notes_updated += 1
    for index in indexes:
        file_card = deck.cards[index]
        ours = have.get(file_card.ord)
        if ours is None:
            _add_cards(new, deck, [index], report, day_end)
            report.cards -= 1  # counted as a new card on an existing note instead
            report.decks[file_card.deck] -= 1
            if not report.decks[file_card.deck]:
                del report.decks[file_card.deck]
            report.cards_added_to_existing_notes += 1
            continue
        update: dict[str, Any] = {}
        if take_note:
            update |= {"fields": file_card.fields, "tags": file_card.tags,
                       "note_modified": their_mod, "html": file_card.html}  # fmt: skip
        answers = deck.history.get(index, [])
        keys = _log_keys(logs_by_card.get(ours.id, []))
        fresh = [
            a for a in answers if a.anki_id not in keys and int(a.ts.timestamp() * 1000) not in keys
        ]
        for answer in fresh:
            tx.append(
                "reviews",
                answer.model_copy(update={"id": tx.next_id("reviews"), "card_id": ours.id}),
            )
            report.reviews += 1
        their_touch = _last_touch(answers)
        our_touch = max((log.ts for log in logs_by_card.get(ours.id, [])), default=ours.last_review)
        if their_touch and (our_touch is None or their_touch > our_touch):
            schedule = {k: getattr(file_card, k) for k in _SCHEDULE}
            if any(getattr(ours, k) != v for k, v in schedule.items()):
                update |= schedule
                report.cards_rescheduled += 1
        if file_card.modified >= ours.modified.replace(microsecond=0):  # Anki: whole seconds
            buried = day_end if index in deck.buried else None
            state = {
                "suspended": file_card.suspended,
                "flag": file_card.flag,
                "buried_until": buried,
                "deck": file_card.deck,
            }
            if any(getattr(ours, k) != v for k, v in state.items()):
                update |= state
                report.cards_state_changed += 1
        if not ours.anki_id and file_card.anki_id:
            update["anki_id"] = file_card.anki_id
        if update:
            update["modified"] = max(ours.modified, file_card.modified)
            new.update(ours, ours.model_copy(update=update))
