"""Anki interop with the real Anki as the oracle: decks in the current default format and the legacy
one import with the right notes, cards per deck, tags and cloze cards; our exports import into Anki
with the same counts; hostile and malformed files are refused with nothing imported."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.cli import main
from deskwork.domain.cards import CardState, NoteType
from deskwork.interop.anki import AnkiError, ImportLimits
from deskwork.interop.anki.package import read_package
from deskwork.interop.anki.text import read_text, write_text
from deskwork.store.store import Store
from tests.anki_oracle import build_deck, import_into_anki
from tests.helpers import T0, make_card

EXPECTED_DECKS = {"ML::Transformers": 3, "Math": 2}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith("{") else {}), err


def stored_notetypes(home: Path) -> dict:  # type: ignore[type-arg]
    store = Store.open(home, readonly=True)
    try:
        return {t.key: t for t in store.notetypes.all()}
    finally:
        store.close()


def stored_cards(home: Path) -> list:  # type: ignore[type-arg]
    store = Store.open(home, readonly=True)
    try:
        return store.cards.all()
    finally:
        store.close()


@pytest.mark.parametrize("legacy", [False, True], ids=["current-anki21b", "legacy-anki21"])
def test_anki_decks_import_with_notes_cards_decks_tags_and_clozes(
    legacy: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = build_deck(tmp_path / "oracle", legacy=legacy)
    if not legacy:
        assert "collection.anki21b" in zipfile.ZipFile(package).namelist()
    code, report, err = run(capsys, "cards", "import", str(package), "--json")
    assert code == 0, err
    assert (report["notes"], report["cards"], report["decks"]) == (3, 5, EXPECTED_DECKS)
    assert report["reviews"] == 1
    cards = stored_cards(tmp_path / "home")
    types = stored_notetypes(tmp_path / "home")
    by_name = {t.name: t for t in types.values()}
    assert {"Basic", "Basic (and reversed card)", "Cloze"} <= set(by_name)
    assert by_name["Cloze"].kind == "cloze" and by_name["Cloze"].anki_id

    def of(name: str) -> list:  # type: ignore[type-arg]
        return sorted((c for c in cards if c.note_type == by_name[name].key), key=lambda c: c.ord)

    [basic] = of("Basic")
    assert sorted(basic.tags) == ["ml::core", "nlp"] and basic.anki_id
    assert basic.question(types[basic.note_type]) == "What is attention?"
    assert basic.answer(types[basic.note_type]) == "What is attention?\n\nsoftmax(QK^T)V"
    assert basic.reps == 1 and not basic.is_new and basic.state is CardState.LEARNING
    clozes = of("Cloze")
    assert [c.ord for c in clozes] == [0, 1]
    assert clozes[0].question(by_name["Cloze"]) == "[...] uses momentum and [...]"
    assert clozes[1].question(by_name["Cloze"]) == "Adam uses [m] and RMSprop"
    reversed_cards = of("Basic (and reversed card)")
    assert [c.question(types[c.note_type]) for c in reversed_cards] == ["ReLU", "max(0,x)"]

    # Importing the same file again adds nothing (notes matched by guid).
    code, again, _ = run(capsys, "cards", "import", str(package), "--json")
    assert code == 0 and (again["notes"], again["cards"], again["duplicates"]) == (0, 0, 3)
    assert len(stored_cards(tmp_path / "home")) == 5
    code, stats, _ = run(capsys, "cards", "stats", "--json")
    assert (stats["notes"], stats["cards"], stats["new"], stats["learning"]) == (3, 5, 4, 1)
    assert stats["decks"] == EXPECTED_DECKS


def test_fsrs_memory_state_comes_along(tmp_path: Path) -> None:
    package = build_deck(tmp_path / "oracle", legacy=False, fsrs=True)
    deck = read_package(package)
    [answered] = [c for c in deck.cards if c.reps]
    assert answered.stability is not None and answered.difficulty is not None
    assert 0 < answered.stability < 10 and 1 <= answered.difficulty <= 10


@pytest.mark.parametrize("suffix", [".apkg", ".txt"])
def test_our_exports_import_into_anki_with_the_same_counts(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = build_deck(tmp_path / "oracle", legacy=False)
    assert main(["cards", "import", str(package)]) == 0
    capsys.readouterr()
    out = tmp_path / f"export{suffix}"
    code, report, err = run(capsys, "cards", "export", str(out), "--json")
    assert code == 0, err
    assert (report["notes"], report["cards"]) == (3, 5)
    seen = import_into_anki(tmp_path / "target", out)
    assert (seen.notes, seen.cards) == (3, 5)
    assert seen.cards_per_deck == EXPECTED_DECKS
    assert seen.tags["What is <b>attention</b>?"] == ["ml::core", "nlp"]
    assert seen.cloze_ords == [0, 1]


def test_native_cards_export_as_escaped_html(tmp_path: Path) -> None:
    from deskwork.interop.anki.package import write_package

    cards = [
        make_card("a < b\nnext line", id=1, back="x & y", note_guid="g1", deck="Mine"),
        make_card(
            "{{c1::Paris}} is in {{c2::France}}",
            id=2,
            note_type=NoteType.CLOZE,
            note_guid="g2",
            deck="Mine",
        ),
        make_card(
            "{{c1::Paris}} is in {{c2::France}}",
            id=3,
            ord=1,
            note_type=NoteType.CLOZE,
            note_guid="g2",
            deck="Mine",
        ),
    ]
    write_package(tmp_path / "mine.apkg", cards, {}, T0)
    seen = import_into_anki(tmp_path / "target", tmp_path / "mine.apkg")
    assert (seen.notes, seen.cards, seen.cards_per_deck) == (2, 3, {"Mine": 3})
    assert "a &lt; b<br>next line" in seen.tags
    deck = read_package(tmp_path / "mine.apkg")
    assert sorted(c.question() for c in deck.cards)[-1] == "a < b\nnext line"


# ---------------------------------------------------------------------- hostile and malformed
def zip_with(
    path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_hostile_and_malformed_packages_are_refused_with_nothing_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = build_deck(tmp_path / "oracle", legacy=False)
    collection = zipfile.ZipFile(good).read("collection.anki21b")
    cases = {
        "escape.apkg": (
            zip_with(
                tmp_path / "escape.apkg", {"collection.anki21b": collection, "../../evil": b"x"}
            ),
            "escapes the package's folder",
        ),
        "absolute.apkg": (
            zip_with(tmp_path / "absolute.apkg", {"/etc/cron.d/x": b"x", "collection.anki2": b""}),
            "escapes the package's folder",
        ),
        "bomb.apkg": (
            zip_with(tmp_path / "bomb.apkg", {"collection.anki2": b"\0" * (50 * 1024 * 1024)}),
            "a zip bomb",
        ),
        "notzip.apkg": (tmp_path / "notzip.apkg", "not an Anki package"),
        "empty.apkg": (zip_with(tmp_path / "empty.apkg", {"meta": b""}), "no collection inside"),
        "damaged.apkg": (
            zip_with(
                tmp_path / "damaged.apkg",
                {"collection.anki2": b"SQLite format 3\0" + b"garbage" * 100},
            ),
            "damaged or not an Anki collection",
        ),
        "badzstd.apkg": (
            zip_with(tmp_path / "badzstd.apkg", {"collection.anki21b": b"not zstd at all"}),
            "not valid zstd data",
        ),
    }
    (tmp_path / "notzip.apkg").write_bytes(b"PK\3\4 not really")
    for name, (path, message) in cases.items():
        code, _, err = run(capsys, "cards", "import", str(path))
        assert code == 1, name
        assert message in err and str(path) in err and "nothing imported" in err, (name, err)
    assert stored_cards(tmp_path / "home") == []


def test_a_zstd_bomb_and_a_slow_import_stop_at_their_caps(tmp_path: Path) -> None:
    import zstandard

    bomb = zstandard.ZstdCompressor().compress(b"\0" * (20 * 1024 * 1024))
    path = zip_with(tmp_path / "zbomb.apkg", {"collection.anki21b": bomb})
    with pytest.raises(AnkiError, match="decompresses to more than"):
        read_package(path, ImportLimits(max_total_bytes=5 * 1024 * 1024))
    good = build_deck(tmp_path / "oracle", legacy=True)
    with pytest.raises(AnkiError, match="took longer than 0 s"):
        read_package(good, ImportLimits(max_seconds=0))


def test_a_broken_note_reference_refuses_the_whole_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = build_deck(tmp_path / "oracle", legacy=True)
    data = zipfile.ZipFile(good).read("collection.anki21")
    db_file = tmp_path / "c.db"
    db_file.write_bytes(data)
    db = sqlite3.connect(db_file)
    db.execute("update cards set nid = 42 where id = (select max(id) from cards)")
    db.commit()
    db.close()
    broken = zip_with(tmp_path / "broken.apkg", {"collection.anki21": db_file.read_bytes()})
    code, _, err = run(capsys, "cards", "import", str(broken))
    assert code == 1 and "belongs to a note that is not there" in err
    assert stored_cards(tmp_path / "home") == [], "all or nothing"


# ---------------------------------------------------------------------- plain text
ANKI_TEXT = """#separator:tab
#html:true
#guid column:1
#notetype column:2
#deck column:3
#tags column:6
g1\tBasic\tML\tWhat is <i>dropout</i>?\tRandomly zeroing units\tregularisation nlp
g2\tCloze\tML::Optim\t{{c1::Adam}} and {{c2::SGD}}\t\t
g3\tBasic (and reversed card)\tMath\trank\tdim of column space\t
"""


def test_anki_plain_text_with_headers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(ANKI_TEXT)
    code, report, err = run(capsys, "cards", "import", str(path), "--json")
    assert code == 0, err
    assert (report["notes"], report["cards"]) == (3, 5)
    assert report["decks"] == {"ML": 1, "ML::Optim": 2, "Math": 2}
    cards = stored_cards(tmp_path / "home")
    dropout = next(c for c in cards if c.note_guid == "g1")
    assert dropout.tags == ["regularisation", "nlp"] and dropout.question() == "What is dropout?"
    code, again, _ = run(capsys, "cards", "import", str(path), "--json")
    assert again["cards"] == 0 and again["duplicates"] == 3


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        # a row with an empty front is skipped and reported (test_anki_text_rows.py); only a file
        # with nothing else is refused, naming the lines
        ("front,back\n,a2\n", "x.csv", "x.csv: no notes found (line 1: a header row"),
        ("#notetype:Cloze\nno deletion here\n", "x.txt", "x.txt: line 2: a cloze note without"),
        ("#guid column:zero\na\tb\n", "x.txt", "'#guid column:zero' is not a column number"),
        ("", "x.txt", "x.txt: no notes found"),
    ],
)
def test_bad_plain_text_names_the_line(text: str, name: str, message: str) -> None:
    with pytest.raises(AnkiError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_text(text, name, T0)


def test_plain_csv_and_tsv_front_back(tmp_path: Path) -> None:
    deck = read_text('q1,a1\n"q, 2","a\n2"\n', "x.csv", T0, deck_name="Quick")
    assert [(c.front, c.back, c.deck) for c in deck.cards] == [
        ("q1", "a1", "Quick"),
        ("q, 2", "a\n2", "Quick"),
    ]
    tsv = read_text("q1\ta1\n", "x.tsv", T0)
    assert tsv.cards[0].back == "a1"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.text(
                st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
            ).filter(lambda s: s.strip()),
            st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_plain_text_round_trip(pairs: list[tuple[str, str]]) -> None:
    cards = [
        make_card(f, id=n + 1, back=b, note_guid=f"g{n}", html=True, deck="D")
        for n, (f, b) in enumerate(pairs)
    ]
    back = read_text(write_text(cards), "x.txt", T0)
    assert [(c.front.strip(), c.back.strip(), c.note_guid) for c in back.cards] == [
        (f.strip(), b.strip(), f"g{n}") for n, (f, b) in enumerate(pairs)
    ]


def test_plain_text_export_quotes_a_guid_starting_with_hash(tmp_path: Path) -> None:
    cards = [make_card("kept", id=1, back="b", note_guid="#starts-with-hash", deck="D")]
    text = write_text(cards)
    assert '\n"#starts-with-hash"\t' in text, "Anki would read the line as a comment otherwise"
    back = read_text(text, "x.txt", T0)
    assert [c.note_guid for c in back.cards] == ["#starts-with-hash"]
    path = tmp_path / "hash.txt"
    path.write_text(text)
    seen = import_into_anki(tmp_path / "target", path)
    assert (seen.notes, seen.cards) == (1, 1)


def test_a_card_its_model_refuses_is_named_with_its_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The cards are checked by their model all at once; the one that fails is still named."""
    good = build_deck(tmp_path / "oracle", legacy=True)
    db_file = tmp_path / "c.db"
    db_file.write_bytes(zipfile.ZipFile(good).read("collection.anki21"))
    db = sqlite3.connect(db_file)
    cid, nid = db.execute("select id, nid from cards order by id desc limit 1").fetchone()
    db.execute("update cards set ord = -1 where id = ?", (cid,))
    db.commit()
    db.close()
    broken = zip_with(tmp_path / "broken.apkg", {"collection.anki21": db_file.read_bytes()})
    code, _, err = run(capsys, "cards", "import", str(broken))
    assert code == 1 and f"card {cid} (note {nid}): " in err and "ord" in err, err
    assert stored_cards(tmp_path / "home") == [], "all or nothing"
