"""The card export's moment: on the UI thread it only takes references (the frozen card records,
the note types, decks, presets, media records, the review history's frozen months); the worker
picks the deck's cards, orders them and finds their media. What it writes is the store as it was
at that moment — an edit, an answer, a new card or a deletion made afterwards, before the worker
begins or while it is held at its first progress call, is not in the file — and it is what the
export wrote when all of it was gathered on the UI thread, for every card, a deck, a search's
cards and plain text."""

from __future__ import annotations

import sqlite3
import threading
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.decknames import UnknownDeck
from deskwork.domain.media import MediaFile
from deskwork.interop.anki.writer import write_package
from deskwork.paths import Paths
from deskwork.services import Desk, presets
from deskwork.services.anki import export_file, export_job
from deskwork.services.anki_import import ANKI_DECKS
from deskwork.services.notes import notetypes
from tests.helpers import T0, Clock, make_card


@pytest.fixture(autouse=True)
def _still_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A note type's `mod` in a package is the wall clock's second: held, so that two packages
    written a moment apart can be compared byte for byte."""
    from types import SimpleNamespace

    from deskwork.interop.anki import notetypes as anki_notetypes

    monkeypatch.setattr(anki_notetypes, "time", SimpleNamespace(time=lambda: 1795421964.0))


DECKS = ["Math", "Math::Algebra", "Mathematics", "Default", "Math::Algebra::Rings"]


def _desk(tmp_path: Path) -> Desk:
    """Cards over decks whose names share a prefix (`Mathematics` is not under `Math`), notes of
    several cards stored out of their order, cards naming a stored image and one whose file is
    lost, and history in an old month, last month and this one."""
    desk = Desk.open(Paths(tmp_path / "d", tmp_path / "d"), clock=Clock(T0))
    sha = desk.store.media_folder.put(b"\x89PNG a picture")
    with desk.store.transaction() as tx:
        tx.put("media", MediaFile(name="a.png", sha256=sha, size=15))
        tx.put("media", MediaFile(name="gone.png", sha256="0" * 64, size=3))  # its file lost
        tx.set_setting(ANKI_DECKS, {"Math": 1500000000001})
        cards = []
        for n in range(12):
            guid = f"note-{(11 - n) // 2:02d}" if n < 8 else ""  # later ids, earlier notes
            front = f'<img src="a.png"> q{n}' if n % 4 == 0 else f'q{n} <img src="gone.png">'
            card = make_card(
                front, deck=DECKS[n % len(DECKS)], note_guid=guid, ord=(n + 1) % 2,
                html=n % 3 != 2, tags=[f"t{n % 3}"],
            )  # fmt: skip
            cards.append(tx.put("cards", card))
        for n, card in enumerate(cards):
            for days in (200, 25, 1)[: 1 + n % 3]:
                tx.append("reviews", ReviewLog(card_id=card.id, rating=3, ts=T0 - timedelta(days)))
    return desk


def _contents(path: Path) -> dict[str, Any]:
    """What a package holds: its collection's rows (SQL dump) and every other member's bytes."""
    out: dict[str, Any] = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            data = z.read(name)
            if name.startswith("collection."):
                db_path = path.parent / f"{path.name}.{name}"
                db_path.write_bytes(data)
                db = sqlite3.connect(db_path)
                try:
                    out[name] = list(db.iterdump())
                finally:
                    db.close()
            else:
                out[name] = data
    return out


def _as_before(
    desk: Desk, path: Path, deck_name: str = "", cards: list[Card] | None = None
) -> None:
    """The package as the export wrote it when it gathered everything on the UI thread (its
    code, spelled out): sorted by note, template and id; a deck with its subdecks; the media
    the HTML fields name that are stored; every month's history of those cards."""
    from deskwork.interop.anki.media import referenced

    if cards is None:
        cards = sorted(desk.store.cards.all(), key=lambda c: (c.note_guid, c.ord, c.id))
        if deck_name:
            prefix = deck_name + "::"
            cards = [c for c in cards if c.deck == deck_name or c.deck.startswith(prefix)]
    else:
        cards = sorted(cards, key=lambda c: (c.note_guid, c.ord, c.id))
    named = {n for c in cards if c.html for value in c.fields for n in referenced(value)}
    folder = desk.store.media_folder
    media = {
        m.name: folder.path_of(m.sha256)
        for m in desk.store.media.all()
        if m.name in named and folder.path_of(m.sha256).exists()
    }
    ids, log = {c.id for c in cards}, desk.store.reviews
    history: dict[int, list[ReviewLog]] = {}
    for month in sorted(log.months()):
        for entry in log.month(month).values():
            if entry.card_id in ids:
                history.setdefault(entry.card_id, []).append(entry)
    write_package(
        path, cards, history, desk.clock(), notetypes(desk),
        dict(desk.store.setting(ANKI_DECKS, {})), media, desk.paths.data_dir,
        presets.for_export(desk), desk.config.study.day_start_hour,
    )  # fmt: skip


@pytest.mark.parametrize("deck_name", ["", "Math", "Mathematics", "Default"])
def test_an_unchanged_store_is_written_as_before(tmp_path: Path, deck_name: str) -> None:
    desk = _desk(tmp_path)
    try:
        _as_before(desk, tmp_path / "before.apkg", deck_name)
        export_file(desk, tmp_path / "now.apkg", deck_name)
        before, now = _contents(tmp_path / "before.apkg"), _contents(tmp_path / "now.apkg")
        assert now == before
        assert (b"a.png" in now["media"]) == (deck_name in ("", "Math")), "a stored image named"
    finally:
        desk.close()


def test_a_deck_is_named_ignoring_case_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    """`math` is the deck `Math` (Anki's deck names ignore case); `Nowhere`, a deck there is
    not, is refused naming the closest names (it wrote an empty package, as if all was well);
    an imported deck with no card is no error."""
    desk = _desk(tmp_path)
    try:
        export_file(desk, tmp_path / "exact.apkg", "Math")
        assert export_file(desk, tmp_path / "folded.apkg", " math ") == export_file(
            desk, tmp_path / "exact.apkg", "Math"
        )
        assert _contents(tmp_path / "folded.apkg") == _contents(tmp_path / "exact.apkg")
        with pytest.raises(UnknownDeck, match=r"no deck 'Mathz' \(did you mean 'Math'"):
            export_file(desk, tmp_path / "typo.apkg", "Mathz")
        with pytest.raises(UnknownDeck, match="no deck 'Nowhere'"):
            export_file(desk, tmp_path / "none.txt", "Nowhere")
        assert not (tmp_path / "typo.apkg").exists() and not (tmp_path / "none.txt").exists()
        desk.store.set_setting(ANKI_DECKS, {"Math": 1500000000001, "Empty": 1500000000002})
        assert export_file(desk, tmp_path / "empty.apkg", "empty") == (0, 0)
    finally:
        desk.close()


def test_a_searchs_cards_are_written_as_before(tmp_path: Path) -> None:
    """The card browser's search export (`cards=`): those cards, in the browser's order given,
    written in the package's order, whatever deck each is in."""
    desk = _desk(tmp_path)
    try:
        shown = [c for c in desk.store.cards.all() if c.id % 3 != 1][::-1]
        given = list(shown)
        _as_before(desk, tmp_path / "before.apkg", cards=shown)
        assert export_job(desk, tmp_path / "now.apkg", "Math", cards=shown)(None) == (7, 8)
        assert _contents(tmp_path / "now.apkg") == _contents(tmp_path / "before.apkg")
        assert shown == given, "the browser's list is not reordered"
    finally:
        desk.close()


def test_marked_cards_are_taken_by_id_at_the_moment(tmp_path: Path) -> None:
    """The card browser's marked cards (`ids=`): the UI thread hands over their ids, the worker
    picks those cards from the moment's records, so an edit or a deletion made after it (before
    the worker runs) is not in the file, and an id of no card is no card."""
    desk = _desk(tmp_path)
    try:
        cards = sorted(desk.store.cards.all(), key=lambda c: c.id)
        marked = [c for c in cards if c.id % 3 != 1]
        _as_before(desk, tmp_path / "before.apkg", cards=marked)
        ids = frozenset(c.id for c in marked) | {10**9}
        job = export_job(desk, tmp_path / "now.apkg", "Math", ids=ids)
        _change_everything(desk, 0)
        assert job(None) == (7, 8)
        assert _contents(tmp_path / "now.apkg") == _contents(tmp_path / "before.apkg")
    finally:
        desk.close()


def test_plain_text_is_written_as_before(tmp_path: Path) -> None:
    from deskwork.interop.anki.text import write_text

    desk = _desk(tmp_path)
    try:
        export_file(desk, tmp_path / "now.txt", "Math")
        cards = sorted(desk.store.cards.all(), key=lambda c: (c.note_guid, c.ord, c.id))
        cards = [c for c in cards if c.deck == "Math" or c.deck.startswith("Math::")]
        assert (tmp_path / "now.txt").read_text("utf-8") == write_text(cards, notetypes(desk))
    finally:
        desk.close()


def _change_everything(desk: Desk, step: int) -> None:
    """What the UI thread may do while an export is written: an edit, an answer (the card's
    schedule and a line of history), a new card, a card deleted, a deck's Anki id."""
    cards = sorted(desk.store.cards.all(), key=lambda c: c.id)
    edited, answered, deleted = cards[step], cards[step + 4], cards[step + 8]
    with desk.store.transaction() as tx:
        tx.put("cards", edited.model_copy(update={"fields": ["edited", "meanwhile"]}))
        tx.put(
            "cards",
            answered.model_copy(
                update={"state": CardState.REVIEW, "reps": 9, "stability": 40.0, "last_review": T0}
            ),
        )
        tx.append("reviews", ReviewLog(card_id=answered.id, rating=1, ts=T0 + timedelta(1)))
        tx.put("cards", make_card(f"new {step}", deck="Math"))
        tx.delete("cards", deleted.id)
        tx.set_setting(ANKI_DECKS, {"Math": 1500000000009 + step})


@pytest.mark.parametrize("deck_name", ["", "Math"])
def test_changes_after_the_moment_are_not_in_the_file(tmp_path: Path, deck_name: str) -> None:
    """Changes made after `export_job` returned, before the worker starts and while it is held
    at its first progress call: the file is the one an export of the unchanged store writes."""
    desk = _desk(tmp_path)
    target = tmp_path / "now.apkg"
    held, release = threading.Event(), threading.Event()
    result: list[object] = []

    def progress(done: int, total: int) -> None:
        if not held.is_set():
            held.set()
            assert release.wait(30)

    def work() -> None:
        try:
            result.append(job(progress))
        except BaseException as exc:  # said by the test's thread
            result.append(exc)

    try:
        export_file(desk, tmp_path / "moment.apkg", deck_name)  # the store as it is now
        job = export_job(desk, target, deck_name)  # the UI thread's part: the moment
        _change_everything(desk, 0)  # before the worker begins
        worker = threading.Thread(target=work)
        worker.start()
        assert held.wait(30), result
        _change_everything(desk, 1)  # while it reads the history
        release.set()
        worker.join(30)
        assert result and not isinstance(result[0], BaseException), result
        assert _contents(target) == _contents(tmp_path / "moment.apkg")
        export_file(desk, tmp_path / "after.apkg", deck_name)
        assert _contents(tmp_path / "after.apkg") != _contents(target), "the changes are real"
    finally:
        release.set()
        desk.close()
