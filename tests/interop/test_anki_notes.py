"""Notes as Anki has them, checked against the real Anki: every card of a rich collection (custom
3-template type with conditionals, hint, text: and type-in; optional reversed; nested cloze with
hints; a filtered deck; manual revlog entries) renders to the same text as Anki renders it, in each
package format; deskwork's export imports into the collection it came from with every note
matched; a re-import after edits in Anki applies each edit and each review exactly once."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from deskwork.cli import main
from deskwork.domain.ankihtml import html_to_text
from deskwork.domain.notetypes import STOCK
from deskwork.domain.render import render_card
from deskwork.interop.anki import AnkiError
from deskwork.interop.anki.package import read_package
from deskwork.store.store import Store
from tests.anki_rich import Rich, build_rich, export, rendered


def run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out) if out.strip().startswith("{") else {}


# Its tests share a module-scoped fixture: under xdist they run on one worker, which builds it
# once (spread over two workers, each built its own).
pytestmark = pytest.mark.xdist_group("test_anki_notes")


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Rich:
    return build_rich(tmp_path_factory.mktemp("rich"))


def _colpkg(rich: Rich, out: Path) -> Path:
    work = out.parent / "colpkg-copy.anki2"
    shutil.copy(rich.path, work)
    col = Collection(str(work))
    try:
        col.export_collection_package(str(out), include_media=True, legacy=False)
    finally:
        col.close()
    return out


def _package(rich: Rich, folder: Path, kind: str) -> Path:
    if kind == "colpkg":
        return _colpkg(rich, folder / "all.colpkg")
    return export(rich.path, folder / f"{kind}.apkg", legacy=kind == "legacy")


def _open(home: Path) -> Store:
    return Store.open(home, readonly=True)


def _text(html: str) -> str:
    return html_to_text(html)


@pytest.mark.parametrize("kind", ["current", "legacy", "colpkg"])
def test_every_card_renders_as_anki_renders_it(
    kind: str, rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = _package(rich, tmp_path, kind)
    report = run(capsys, "cards", "import", str(package), "--json")
    assert report["unsupported_notes_skipped"] == 1, "the image-occlusion note, counted"
    assert report["filtered_decks_not_kept"] == ["Cram German"]
    anki = rendered(rich.path)
    store = _open(tmp_path / "home")
    try:
        types = {t.key: t for t in store.notetypes.all()}
        cards = store.cards.all()
        reviews = list(store.reviews.all())
    finally:
        store.close()
    assert {t.name for t in types.values()} >= {
        "Vocab (3 cards)", "Basic (optional reversed card)", "Basic (type in the answer)",
        "Cloze", "Basic",
    }  # fmt: skip
    vocab = next(t for t in types.values() if t.name == "Vocab (3 cards)")
    assert vocab.fields == ["Word", "Meaning", "Example", "Notes"] and len(vocab.templates) == 3
    assert vocab.css.startswith(".card { font-family: serif; }") and vocab.anki_id
    # The same cards as Anki (image occlusion aside): optional reversed stays optional, the
    # Spelling card exists only where Example is filled, the cloze has c1..c4.
    io_cards = {key for key, (q, _) in anki.items() if "image-occlusion" in q}
    assert {(c.note_guid, c.ord) for c in cards} == set(anki) - io_cards
    assert len(cards) == 14
    for card in cards:
        ours = render_card(card, types.get(card.note_type))
        question, answer = anki[(card.note_guid, card.ord)]
        assert _text(ours.question_html) == _text(question), (card.note_type, card.ord)
        assert _text(ours.answer_html) == _text(answer), (card.note_type, card.ord)
    # Filtered deck: cards went home with their home-deck due (not a day in 1752).
    german = [c for c in cards if c.deck == "Lang::German"]
    assert len(german) == 5 and all(c.due.year >= 2026 for c in cards)
    # Manual revlog entries (set due date, forget) are kept, and not counted as answers.
    manual = [r for r in reviews if r.manual]
    assert len(manual) == 2 and all(r.rating == 0 and r.anki_id for r in manual)
    assert len(reviews) - len(manual) == 8
    # States: suspended, flagged, buried.
    assert sum(c.suspended for c in cards) == 1
    assert [c.flag for c in cards if c.flag] == [3]
    assert sum(c.buried_until is not None for c in cards) == 1
    if kind == "colpkg":  # a whole collection: its empty deck comes too
        assert "Empty::Child" in report["decks_created"]


def test_stock_types_are_ankis_own(tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        names = {
            "basic": "Basic", "reversed": "Basic (and reversed card)",
            "optional-reversed": "Basic (optional reversed card)",
            "type-in": "Basic (type in the answer)", "cloze": "Cloze",
        }  # fmt: skip
        for key, name in names.items():
            model = col.models.by_name(name)
            assert model is not None
            ours = STOCK[key]
            assert ours.name == name
            assert ours.fields == [f["name"] for f in model["flds"]]
            assert [(t.name, t.front, t.back) for t in ours.templates] == [
                (t["name"], t["qfmt"], t["afmt"]) for t in model["tmpls"]
            ]
    finally:
        col.close()


def test_export_imports_into_the_original_collection_with_every_note_matched(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = export(rich.path, tmp_path / "in.apkg", legacy=False)
    run(capsys, "cards", "import", str(package))
    out = tmp_path / "back.apkg"
    written = run(capsys, "cards", "export", str(out), "--json")
    assert (written["notes"], written["cards"]) == (7, 14)
    original = tmp_path / "original.anki2"
    shutil.copy(rich.path, original)
    col = Collection(str(original))
    try:
        before = (col.note_count(), col.card_count(), len(col.models.all_names_and_ids()),
                  len(col.decks.all_names_and_ids()))  # fmt: skip
        log = col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        ).log
        assert (len(log.new), len(log.conflicting), len(log.missing_notetype)) == (0, 0, 0)
        assert len(log.duplicate) + len(log.updated) == 7, "every note matched"
        after = (col.note_count(), col.card_count(), len(col.models.all_names_and_ids()),
                 len(col.decks.all_names_and_ids()))  # fmt: skip
        assert after == before, "no junk note types, decks, notes or cards"
    finally:
        col.close()
    # And into a fresh Anki: same notes, same cards, the same text on every card.
    fresh = tmp_path / "fresh.anki2"
    col = Collection(str(fresh))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        assert (col.note_count(), col.card_count()) == (7, 14)
        assert {m.name for m in col.models.all_names_and_ids()} >= {"Vocab (3 cards)", "Cloze"}
    finally:
        col.close()
    theirs = rendered(fresh)
    original_text = rendered(rich.path)
    for key, (question, answer) in theirs.items():
        assert _text(question) == _text(original_text[key][0])
        assert _text(answer) == _text(original_text[key][1])


def test_ivl_and_the_review_history_survive_the_way_back(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = export(rich.path, tmp_path / "in.apkg", legacy=True)
    run(capsys, "cards", "import", str(package))
    run(capsys, "cards", "export", str(tmp_path / "back.apkg"))

    def rows(path: Path, name: str) -> sqlite3.Connection:
        data = zipfile.ZipFile(path).read(name)
        db_file = tmp_path / f"{path.stem}.db"
        db_file.write_bytes(data)
        return sqlite3.connect(db_file)

    theirs = rows(package, "collection.anki21")
    ours = rows(tmp_path / "back.apkg", "collection.anki2")
    review_ivl = "select id, ivl from cards where type = 2 order by id"
    assert ours.execute(review_ivl).fetchall() == theirs.execute(review_ivl).fetchall()
    revlog = "select id, cid, ease, type from revlog order by id"
    assert ours.execute(revlog).fetchall() == theirs.execute(revlog).fetchall()


def _edit_in_anki(collection: Path) -> dict[str, object]:
    """Edits a user would make in Anki after the first import; returns what to expect."""
    col = Collection(str(collection))
    try:
        cloze_nid = col.find_notes("note:Cloze")[0]
        note = col.get_note(cloze_nid)
        note["Text"] += " {{c5::fifth}}"
        note.tags.append("edited")
        col.update_note(note)
        bare = col.get_note(col.find_notes('"Word:die Katze"')[0])
        bare["Example"] = "Die Katze schläft."  # the Spelling card now exists
        col.update_note(bare)
        basic = col.get_note(col.find_notes("note:Basic")[0])
        card = basic.cards()[0]
        col.set_deck([card.id], col.decks.id("Lang"))
        col.sched.suspend_cards([card.id])
        type_in = col.find_cards("note:Basic*type*")[0]
        answered = col.get_card(type_in)
        answered.start_timer()
        col.sched.answerCard(answered, 3)
        return {"cloze": note.guid, "bare": bare.guid, "basic": basic.guid}
    finally:
        col.close()


def test_re_import_applies_every_edit_and_every_review_once(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = tmp_path / "mine.anki2"
    shutil.copy(rich.path, collection)
    first = run(
        capsys,
        "cards",
        "import",
        str(export(collection, tmp_path / "1.apkg", legacy=False)),
        "--json",
    )
    assert first["notes"] == 7
    guids = _edit_in_anki(collection)
    second = export(collection, tmp_path / "2.apkg", legacy=False)
    report = run(capsys, "cards", "import", str(second), "--json")
    assert report["notes"] == 0 and report["duplicates"] == 7
    assert report["updated"]["notes"] == 2  # cloze text + tag, Katze's Example
    assert report["updated"]["cards_added_to_existing_notes"] == 2  # c5, Spelling
    assert report["reviews"] == 1, "the one new review, once"
    assert report["updated"]["cards_deck_suspension_flag_or_burial"] >= 1
    store = _open(tmp_path / "home")
    try:
        cards = store.cards.all()
        reviews = list(store.reviews.all())
    finally:
        store.close()
    cloze = sorted((c for c in cards if c.note_guid == guids["cloze"]), key=lambda c: c.ord)
    assert [c.ord for c in cloze] == [0, 1, 2, 3, 4] and "edited" in cloze[0].tags
    assert "{{c5::fifth}}" in cloze[0].fields[0]
    assert len([c for c in cards if c.note_guid == guids["bare"]]) == 3
    [basic] = [c for c in cards if c.note_guid == guids["basic"]]
    assert basic.deck == "Lang" and basic.suspended
    type_in = next(c for c in cards if c.note_type.startswith("anki:") and c.flag == 3)
    assert type_in.reps == 1 and not type_in.is_new, "the schedule follows Anki's later review"
    # Importing the same file again changes nothing and adds no review twice.
    again = run(capsys, "cards", "import", str(second), "--json")
    assert (again["notes"], again["cards"], again["reviews"]) == (0, 0, 0)
    assert again["updated"] == {
        "notes": 0, "cards_added_to_existing_notes": 0, "cards_rescheduled": 0,
        "cards_deck_suspension_flag_or_burial": 0, "cards_changed_here_meanwhile_kept": 0,
    }  # fmt: skip
    store = _open(tmp_path / "home")
    try:
        assert len(list(store.reviews.all())) == len(reviews)
    finally:
        store.close()


def test_a_card_changed_here_while_the_re_import_runs_keeps_that_change(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The import reads the store long before it writes (in the app, on a worker thread): a card
    flagged in deskwork in between is left as it is, the rest of the file applies, and the report
    says so."""
    from deskwork.paths import Paths
    from deskwork.services import Desk
    from deskwork.services.anki import import_deck, read_file

    collection = tmp_path / "mine.anki2"
    shutil.copy(rich.path, collection)
    run(capsys, "cards", "import", str(export(collection, tmp_path / "1.apkg", legacy=False)))
    guids = _edit_in_anki(collection)  # moves and suspends the Basic card, edits two notes
    second = export(collection, tmp_path / "2.apkg", legacy=False)
    home = tmp_path / "home"
    desk = Desk.open(Paths(home, home))
    try:
        read = read_file(second, desk)
        flagged: list[int] = []

        def flag_meanwhile() -> bool:  # asked by the import between reading and writing
            if not flagged:
                [basic] = [c for c in desk.store.cards.all() if c.note_guid == guids["basic"]]
                with desk.store.transaction() as tx:
                    tx.put("cards", basic.model_copy(update={"flag": 5}))
                flagged.append(basic.id)
            return False

        report = import_deck(desk, read, cancelled=flag_meanwhile)
        assert report.cards_changed_meanwhile == 1
        assert "1 card answered or edited in deskwork while the import ran" in "\n".join(
            report.lines()
        )
        basic = desk.store.cards.get(flagged[0])
        assert basic is not None and basic.flag == 5, "the flag set meanwhile stays"
        assert basic.deck != "Lang" and not basic.suspended, "not overwritten by the file's"
        cloze = [c for c in desk.store.cards.all() if c.note_guid == guids["cloze"]]
        assert len(cloze) == 5 and "edited" in cloze[0].tags, "the rest of the file applied"
    finally:
        desk.close()


def test_notes_deleted_in_anki_are_reported_not_deleted(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    collection = tmp_path / "mine.anki2"
    shutil.copy(rich.path, collection)
    run(capsys, "cards", "import", str(export(collection, tmp_path / "1.apkg", legacy=False)))
    col = Collection(str(collection))
    try:
        col.remove_notes([col.find_notes("note:Basic")[0]])
    finally:
        col.close()
    report = run(
        capsys,
        "cards",
        "import",
        str(export(collection, tmp_path / "2.apkg", legacy=False)),
        "--json",
    )
    assert report["deleted_in_anki"]["count"] == 1
    store = _open(tmp_path / "home")
    try:
        assert len(store.cards.all()) == 14, "kept"
    finally:
        store.close()


def _legacy_db(rich: Rich, tmp_path: Path) -> tuple[Path, sqlite3.Connection]:
    package = export(rich.path, tmp_path / "legacy.apkg", legacy=True)
    db_file = tmp_path / "c.anki21"
    db_file.write_bytes(zipfile.ZipFile(package).read("collection.anki21"))
    return db_file, sqlite3.connect(db_file)


def _zip(tmp_path: Path, db_file: Path) -> Path:
    out = tmp_path / "edited.apkg"
    with zipfile.ZipFile(out, "w") as archive:
        archive.write(db_file, "collection.anki21")
    return out


def test_a_note_type_without_templates_is_refused(rich: Rich, tmp_path: Path) -> None:
    db_file, db = _legacy_db(rich, tmp_path)
    (models,) = db.execute("select models from col").fetchone()
    parsed = json.loads(models)
    vocab = next(m for m in parsed.values() if m["name"] == "Vocab (3 cards)")
    vocab["tmpls"] = []
    db.execute("update col set models = ?", (json.dumps(parsed),))
    db.commit()
    db.close()
    with pytest.raises(AnkiError, match="'Vocab \\(3 cards\\)' has no card types"):
        read_package(_zip(tmp_path, db_file))


def test_two_notes_sharing_a_guid_are_kept_apart(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file, db = _legacy_db(rich, tmp_path)
    (guid,) = db.execute("select guid from notes order by id limit 1").fetchone()
    db.execute(
        "update notes set guid = ? where id = (select max(id) from notes "
        "where flds not like '%image-occlusion%')",
        (guid,),
    )
    db.commit()
    db.close()
    package = _zip(tmp_path, db_file)
    report = run(capsys, "cards", "import", str(package), "--json")
    assert report["duplicate_guids_kept_apart"] == 1 and report["notes"] == 7
    run(capsys, "cards", "export", str(tmp_path / "back.txt"))
    text = (tmp_path / "back.txt").read_text()
    assert text.count(guid) == 2, "both notes' text exported"


def test_cards_list_json_prints_each_card_as_the_pane_shows_it(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "cards", "import", str(export(rich.path, tmp_path / "in.apkg", legacy=False)))
    listed = run(capsys, "cards", "list", "--json", "deck:Math")["cards"]
    assert len(listed) == 5
    first = listed[0]
    assert set(first) >= {
        "note_guid", "note_type", "fields", "ord", "deck", "question", "answer", "state", "due",
        "stability", "difficulty", "retrievability", "reps", "lapses", "flag", "suspended",
        "buried", "reviews",
    }  # fmt: skip
    # R now from the card's own memory state (None for a card never reviewed)
    for card in listed:
        if card["stability"] is None:
            assert card["retrievability"] is None
        else:
            assert 0 < card["retrievability"] <= 1
    low = run(capsys, "cards", "list", "--json", "deck:Math", "prop:r<2")["cards"]
    assert len(low) == sum(1 for c in listed if c["retrievability"] is not None)
    clozes = sorted((c for c in listed if c["note_type"] == "Cloze"), key=lambda c: c["ord"])
    assert [c["question"] for c in clozes] == [
        "[...] and third, [...]",
        "Outer [in] part and third, shared",
        "Outer inner part and [h3], shared",
        "Outer inner part and third, [...]",
    ]
    assert clozes[0]["answer"] == "[[Outer inner part]] and third, [[shared]]\n\nextra"
    assert clozes[0]["reviews"] == 2 and clozes[0]["state"] == "learning"
    assert list(clozes[0]["fields"]) == ["Text", "Back Extra"]
    everything = run(capsys, "cards", "list", "--json")["cards"]
    assert len(everything) == 14
    assert sum(c["buried"] for c in everything) == 1
    assert sum(c["suspended"] for c in everything) == 1


def test_deskworks_later_review_and_edit_win_over_an_older_file(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskwork.domain.scheduling import Grade
    from deskwork.paths import Paths
    from deskwork.services import notes
    from deskwork.services.cards import ReviewSession
    from deskwork.services.desk import Desk

    package = export(rich.path, tmp_path / "1.apkg", legacy=False)
    run(capsys, "cards", "import", str(package))
    home = tmp_path / "home"
    desk = Desk.open(Paths(home, home))
    try:
        session = ReviewSession(desk, cram=False)
        card = session.current()
        assert card is not None
        session.answer(Grade.GOOD)
        reviewed = desk.store.cards.get(card.id)
        other = next(c for c in desk.store.cards.all() if c.note_guid != card.note_guid)
        notes.edit_note(
            desk, other, ["edited in deskwork", *other.fields[1:]], other.deck, other.tags
        )
    finally:
        desk.close()
    report = run(capsys, "cards", "import", str(package), "--json")
    assert report["updated"]["cards_rescheduled"] == 0 and report["reviews"] == 0
    assert report["skipped"] == {"edited in deskwork after Anki's last edit (deskwork's kept)": 1}
    store = _open(home)
    try:
        after = store.cards.get(card.id)
        assert after is not None and reviewed is not None
        assert (after.due, after.reps) == (reviewed.due, reviewed.reps)
        assert store.cards.get(other.id).fields[0] == "edited in deskwork"  # type: ignore[union-attr]
    finally:
        store.close()


def test_search_by_note_type_and_card_number(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "cards", "import", str(export(rich.path, tmp_path / "in.apkg", legacy=False)))
    vocab = run(capsys, "cards", "list", "--json", 'note:"Vocab (3 cards)"')["cards"]
    assert len(vocab) == 5 and {c["note_type"] for c in vocab} == {"Vocab (3 cards)"}
    spelling = run(capsys, "cards", "list", "--json", "note:vocab*", "card:3")["cards"]
    assert [c["question"] for c in spelling] == ["Spell: the dog\n[type the answer]"]
    assert len(run(capsys, "cards", "list", "--json", "--", "-note:Cloze")["cards"]) == 10


def test_editing_an_imported_note_adds_the_card_its_template_now_makes(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskwork.paths import Paths
    from deskwork.services import notes
    from deskwork.services.desk import Desk

    run(capsys, "cards", "import", str(export(rich.path, tmp_path / "in.apkg", legacy=False)))
    home = tmp_path / "home"
    desk = Desk.open(Paths(home, home))
    try:
        katze = sorted(
            (c for c in desk.store.cards.all() if c.fields[0] == "die Katze"), key=lambda c: c.ord
        )
        assert [c.ord for c in katze] == [0, 1], "no Example: no Spelling card"
        before = {c.id: (c.due, c.reps, c.buried_until) for c in katze}
        fields = ["die Katze", "the cat", "Die Katze schläft.", ""]
        added = notes.edit_note(desk, katze[0], fields, katze[0].deck, katze[0].tags)
        assert [c.ord for c in added] == [2] and added[0].is_new
        for card_id, schedule in before.items():
            card = desk.store.cards.get(card_id)
            assert card is not None and card.fields == fields
            assert (card.due, card.reps, card.buried_until) == schedule
        spelling = notes.render(desk, added[0])
        assert spelling.question == "Spell: the cat\n[type the answer]"
        assert spelling.type_in is not None and spelling.type_in.expected == "die Katze"
    finally:
        desk.close()


@pytest.mark.parametrize(("start_hour", "ivl"), [(4, 8), (0, 7)])
def test_a_review_before_the_rollover_counts_for_the_day_before(start_hour: int, ivl: int) -> None:
    """Anki's `ivl` is counted in its days, which start at the rollover (4 am): a review at
    00:23 belongs to the day before. The test above met this only when run between midnight and
    4 am; here the moment is fixed. A card Anki reviewed at 00:23 on the 23rd with an interval
    of 8 is due on the 30th (at its crt's 4 am): ivl 8, not the 7 calendar days."""
    from datetime import UTC, date, datetime

    from deskwork.domain.cards import CardState
    from deskwork.interop.anki.days import AnkiDays
    from deskwork.interop.anki.schedule import to_anki
    from tests.helpers import make_card

    reviewed = datetime(2026, 11, 23, 0, 23, tzinfo=UTC)
    card = make_card(
        state=CardState.REVIEW, stability=8.0, difficulty=5.0, last_review=reviewed,
        due=datetime(2026, 11, 30, 4, 0, tzinfo=UTC),
    )  # fmt: skip
    days = AnkiDays(date(2016, 11, 25), start_hour, UTC)
    ctype, queue, due, got = to_anki(card, days, reviewed, 0)
    assert (ctype, queue, got) == (2, 2, ivl)
    assert due == 3657  # 2016-11-25 to 2026-11-30: 3,657 days, whichever the rollover
