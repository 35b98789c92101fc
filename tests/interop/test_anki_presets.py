"""Deck presets against the real Anki: a collection with four presets (default; retention 0.85
with optimised FSRS-6 parameters and three learning steps; FSRS-5 parameters; FSRS-4.5 parameters
and no steps), nested decks with their own and their parents' limits, cards in every state and
answers today. Imported from both package formats, deskwork must show Anki's per-deck due counts
for today and, for every card, Anki's unfuzzed interval for each answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from deskwork.services import presets as ps
from tests.anki_presets_oracle import DECKS, Oracle, build_presets_collection


@pytest.fixture(scope="module", params=[False, True], ids=["current-anki21b", "legacy-anki21"])
def oracle(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return build_presets_collection(tmp_path_factory.mktemp("anki"), legacy=request.param)


def imported(tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]) -> Desk:
    assert main(["cards", "import", str(oracle.package), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert any("'Lang'" in line for line in report["presets"]), report["presets"]
    return Desk.open(Paths.resolve(), clock=anki_now)


def anki_now() -> datetime:
    """Anki's clock in its test mode: two hours back between 02:00 and 04:00 local (rslib's
    `elapsed()`), so both sides see the same moment."""
    now = datetime.now(UTC)
    return now - timedelta(hours=2) if 2 <= now.astimezone().hour < 4 else now


def test_presets_and_deck_assignments_come_from_anki(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = imported(tmp_path, oracle, capsys)
    try:
        presets = ps.load(desk)
        for deck, (name, *_rest) in DECKS.items():
            expected = "Default (Anki)" if name == "Default" else name
            assert presets.preset_of(deck).name == expected, deck
        lang = presets.preset_of("Lang")
        assert lang.desired_retention == pytest.approx(0.85)
        assert lang.learning_steps_minutes == [2.0, 15.0, 60.0]
        assert (lang.new_per_day, lang.reviews_per_day, lang.maximum_interval_days) == (5, 30, 400)
        assert (lang.leech_lapses, lang.leech_suspend, lang.bury_new, lang.bury_reviews) == (
            5, True, True, True,
        )  # fmt: skip
        assert lang.parameters is not None and lang.parameters[0] == pytest.approx(0.3125)
        old = presets.preset_of("Lang::Verbs")
        assert len(old.fsrs_parameters) == 19 and old.parameters is not None
        assert old.parameters[19:] == (0.0, 0.5), "FSRS-5 sets get w19 = 0, decay 0.5"
        ancient = presets.preset_of("Math::Proofs")
        assert len(ancient.fsrs_parameters) == 17 and ancient.learning_steps_minutes == []
        assert presets.for_deck("Math").new_per_day == 3, "the deck's own limit"
    finally:
        desk.close()


def test_per_deck_due_counts_today_match_anki(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = imported(tmp_path, oracle, capsys)
    try:
        ours = {row.deck: (row.new, row.learning, row.review) for row in ps.deck_list(desk)}
    finally:
        desk.close()
    theirs = {deck: counts for deck, counts in oracle.counts.items() if deck != "Default"}
    assert ours == theirs
    # Lang's 5 new a day went on its subdecks' cards: Lang shows none though Nouns shows some.
    assert theirs["Lang"][0] == 0 < theirs["Lang::Nouns"][0], "the parent caps its children"


def test_intervals_for_each_answer_match_anki_on_every_preset(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = imported(tmp_path, oracle, capsys)
    try:
        session = cs.ReviewSession(desk)
        matched: dict[str, list[int]] = {}
        mismatches = []
        for card in desk.store.cards.all():
            key = (card.note_guid, card.ord)
            expected = oracle.intervals[key]
            got = session.intervals(card)
            ours = {
                int(g): round(got[g].total_seconds() / 86400) * 86400
                if got[g].total_seconds() >= 86400 and expected[int(g)] % 86400 == 0
                else int(got[g].total_seconds())
                for g in Grade
            }
            preset = oracle.presets[oracle.deck_of[key]]
            tally = matched.setdefault(preset, [0, 0])
            tally[1] += 1
            if ours == expected:
                tally[0] += 1
            else:
                mismatches.append((card.deck, card.state.name, card.step, expected, ours))
    finally:
        desk.close()
    print("intervals matched per preset:", {k: f"{a}/{b}" for k, (a, b) in matched.items()})
    assert not mismatches, mismatches[:5]
    assert set(matched) == {"Default", "Lang", "Old", "Ancient"}


def test_damaged_presets_are_reported_and_the_cards_still_come(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    """Garbage where a preset or a deck's options should be: each is named in the report and
    falls back to the default; out-of-range values are refused one by one; the cards import."""
    import sqlite3
    import zipfile

    import zstandard

    from tests.interop.test_anki import zip_with

    archive = zipfile.ZipFile(oracle.package)
    name = next(n for n in ("collection.anki21b", "collection.anki21") if n in archive.namelist())
    data = archive.read(name)
    if name.endswith("b"):
        data = zstandard.ZstdDecompressor().decompress(data, max_output_size=1 << 30)
    db_file = tmp_path / "c.db"
    db_file.write_bytes(data)
    db = sqlite3.connect(db_file)
    db.create_collation("unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower()))
    current = "deck_config" in {r[0] for r in db.execute("select name from sqlite_master")}
    if current:
        db.execute("update deck_config set config = x'ffffffff' where name = 'Old'")
        db.execute("update decks set kind = 'not protobuf' where name = 'Math'")
    else:
        (dconf,) = db.execute("select dconf from col").fetchone()
        confs = json.loads(dconf)
        for conf in confs.values():
            if conf["name"] == "Old":
                conf["new"]["delays"] = "soon"
            if conf["name"] == "Lang":
                conf["rev"]["perDay"] = -5
        db.execute("update col set dconf = ?", (json.dumps(confs),))
    db.commit()
    db.close()
    raw = db_file.read_bytes()
    if name.endswith("b"):
        raw = zstandard.ZstdCompressor().compress(raw)
    broken = zip_with(tmp_path / "broken.apkg", {name: raw})
    assert main(["cards", "import", str(broken), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cards"] == sum(1 for _ in oracle.intervals)
    problems = [line for line in report["presets"] if "added" not in line]
    assert any("'Old'" in line for line in problems), report["presets"]
    desk = Desk.open(Paths.resolve(), clock=anki_now)
    try:
        chosen = ps.load(desk)
        assert chosen.preset_of("Lang::Nouns").name == "Lang"
        if current:  # the unreadable preset is left out: its deck studies with the default
            assert "Old" not in {p.name for p in ps.stored(desk)}
            assert chosen.preset_of("Lang::Verbs").name == "Default"
            assert chosen.preset_of("Math").name == "Default"
        else:  # the bad values are refused one by one, the rest of the preset kept
            old = chosen.preset_of("Lang::Verbs")
            assert old.name == "Old" and old.learning_steps_minutes == [1.0, 10.0]
            assert old.desired_retention == pytest.approx(0.92)
            assert chosen.preset_of("Lang::Nouns").reviews_per_day == 200
    finally:
        desk.close()


def test_exported_presets_import_into_anki(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    """deskwork's .apkg carries each deck's preset (and its own limits) back to Anki."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    desk = imported(tmp_path, oracle, capsys)
    try:
        ps.set_deck_limits(desk, "Lang::Nouns", review_limit=12, desired_retention=0.88)
    finally:
        desk.close()
    out = tmp_path / "back.apkg"
    assert main(["cards", "export", str(out)]) == 0
    col = Collection(str(tmp_path / "fresh.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out),
                options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True),
            )
        )
        seen = {}
        for deck in DECKS:
            did = col.decks.id_for_name(deck)
            assert did is not None, deck
            conf = col.decks.config_dict_for_deck_id(did)
            seen[deck] = conf["name"]
        assert seen == {
            d: ("Default (Anki)" if p == "Default" else p) for d, (p, *_r) in DECKS.items()
        }
        lang = col.decks.config_dict_for_deck_id(col.decks.id_for_name("Lang"))
        assert lang["desiredRetention"] == pytest.approx(0.85)
        assert lang["new"]["delays"] == [2.0, 15.0, 60.0] and lang["new"]["perDay"] == 5
        assert lang["lapse"]["leechAction"] == 0 and lang["rev"]["maxIvl"] == 400
        assert lang["fsrsParams6"][0] == pytest.approx(0.3125)
        old = col.decks.config_dict_for_deck_id(col.decks.id_for_name("Lang::Verbs"))
        assert len(old["fsrsParams5"]) == 19, "an FSRS-5 set goes back as FSRS-5"
        nouns = col.decks.get(col.decks.id_for_name("Lang::Nouns"))
        assert nouns["reviewLimit"] == 12 and nouns["desiredRetention"] == 88
    finally:
        col.close()


def test_studying_each_deck_queues_what_anki_queues(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Study this deck': new, learning and review cards in today's queue, with the limits (the
    deck's, its subdecks') and the siblings the preset buries, as Anki's v3 scheduler builds it."""
    desk = imported(tmp_path, oracle, capsys)
    try:
        ours = {}
        for deck in DECKS:
            ours[deck] = cs.ReviewSession(desk, deck=deck).remaining()
    finally:
        desk.close()
    print("Anki's queues:", oracle.queues, "ours:", ours)
    assert ours == oracle.queues
