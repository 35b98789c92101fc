"""Deck presets against the real Anki: a collection with four presets (default; retention 0.85
with optimised FSRS-6 parameters and three learning steps; FSRS-5 parameters; FSRS-4.5 parameters
and no steps), nested decks with their own and their parents' limits, cards in every state and
answers today. Imported from both package formats, deskwork must show Anki's per-deck due counts
for today and, for every card, Anki's unfuzzed interval for each answer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services import cards as cs
from deskwork.services import presets as ps
from deskwork.services.due_today import deck_list
from tests.anki_oracle import deck_options, import_with_presets
from tests.anki_presets_oracle import DECKS, Oracle, build_presets_collection
from tests.helpers import make_card

# Its tests share a module-scoped fixture: under xdist they run on one worker, which builds it
# once (spread over two workers, each built its own).
pytestmark = pytest.mark.xdist_group("test_anki_presets")


@pytest.fixture(scope="module", params=[False, True], ids=["current-anki21b", "legacy-anki21"])
def oracle(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return build_presets_collection(tmp_path_factory.mktemp("anki"), legacy=request.param)


def imported(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str], *, deck_list: bool = False
) -> Desk:
    """The oracle's package imported; the desk's clock stopped at the moment Anki was read."""
    assert main(["cards", "import", str(oracle.package), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert any("'Lang'" in line for line in report["presets"]), report["presets"]
    moment = oracle.at if deck_list else anki_clock(oracle.at)
    return Desk.open(Paths.resolve(), clock=lambda: moment)


def anki_clock(at: datetime) -> datetime:
    """Anki's clock at `at` in its test mode (rslib's `elapsed()`): two hours back between 02:00
    and 04:00 local. Its answers, study queue and intervals are of that clock; its deck list
    counts learning cards due by the real clock (plus the learn-ahead): at 03:42 a card due at
    03:58 is in the deck list's learning count, not in the queue's (seen with libfaketime)."""
    return at - timedelta(hours=2) if 2 <= at.astimezone().hour < 4 else at


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
    desk = imported(tmp_path, oracle, capsys, deck_list=True)
    try:
        ours = {row.deck: (row.new, row.learning, row.review) for row in deck_list(desk)}
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
    desk = Desk.open(Paths.resolve(), clock=lambda: anki_clock(oracle.at))
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
    from anki.collection import Collection

    desk = imported(tmp_path, oracle, capsys)
    try:
        ps.set_deck_limits(desk, "Lang::Nouns", review_limit=12, desired_retention=0.88)
    finally:
        desk.close()
    out = tmp_path / "back.apkg"
    assert main(["cards", "export", str(out)]) == 0
    col = Collection(str(tmp_path / "fresh.anki2"))
    try:
        import_with_presets(col, out)
        seen = {}
        for deck in DECKS:
            conf = deck_options(col, deck)
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


# ---------------------------------------------------------------------- the default preset
CUSTOM_DEFAULT = """
[cards]
desired_retention = 0.85
new_per_day = 7
reviews_per_day = 150
learning_steps_minutes = [3.0, 30.0]
relearning_steps_minutes = [15.0]
maximum_interval_days = 700
leech_lapses = 6
leech_suspend = true
bury_new = true
new_ignores_review_limit = true
review_order = "retrievability_ascending"
[easy_days]
saturday = "reduced"
sunday = 0
"""
CUSTOM_WEEK = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0]


def _store_with_custom_default(tmp_path: Path) -> Path:
    """A store whose decks are all on the default preset, with `[cards]` / `[easy_days]` set and
    parameters optimised for it (kept in the store, as `cards optimize` does)."""
    from tests.anki_presets_oracle import OPTIMISED

    cards = tmp_path / "cards.txt"
    cards.write_text("q1\ta1\nq2\ta2\n", encoding="utf-8")
    assert main(["cards", "import", str(cards), "--deck", "Lang"]) == 0
    paths = Paths.resolve()
    paths.config_file.write_text(CUSTOM_DEFAULT, encoding="utf-8")
    desk = Desk.open(paths)
    try:
        desk.store.set_setting(ps.OPTIMIZED_DEFAULT_KEY, {"parameters": OPTIMISED, "config": []})
        assert ps.load(desk).preset_of("Lang").parameters == pytest.approx(OPTIMISED)
    finally:
        desk.close()
    out = tmp_path / "mine.apkg"
    assert main(["cards", "export", str(out)]) == 0
    return out


def _check_default_options(conf: dict[str, object]) -> None:
    """Anki's config (its JSON) carries the store's default preset."""
    from anki.deck_config_pb2 import DeckConfig

    from tests.anki_presets_oracle import OPTIMISED

    new, rev, lapse = conf["new"], conf["rev"], conf["lapse"]
    assert isinstance(new, dict) and isinstance(rev, dict) and isinstance(lapse, dict)
    assert conf["desiredRetention"] == pytest.approx(0.85)
    assert conf["fsrsParams6"] == pytest.approx(OPTIMISED, abs=1e-6)
    assert (new["perDay"], new["delays"], new["bury"]) == (7, [3.0, 30.0], True)
    assert (rev["perDay"], rev["maxIvl"], rev["bury"]) == (150, 700, False)
    assert (lapse["delays"], lapse["leechFails"], lapse["leechAction"]) == ([15.0], 6, 0)
    order = DeckConfig.Config.ReviewCardOrder
    assert conf["reviewOrder"] == order.REVIEW_CARD_ORDER_RETRIEVABILITY_ASCENDING
    assert conf["easyDaysPercentages"] == pytest.approx(CUSTOM_WEEK)


def _check_default_preset(preset: object, *, collection_wide: bool = True) -> None:
    """The preset deskwork made of Anki's config 1 has the exported values (and the collection's
    "new cards ignore the review limit", which Anki keeps outside presets and does not write into
    a package it exports)."""
    from deskwork.domain.presets import Preset
    from tests.anki_presets_oracle import OPTIMISED

    assert isinstance(preset, Preset)
    assert preset.desired_retention == pytest.approx(0.85)
    assert preset.parameters == pytest.approx(OPTIMISED, abs=1e-6)
    assert (preset.new_per_day, preset.reviews_per_day, preset.maximum_interval_days) == (
        7, 150, 700,
    )  # fmt: skip
    assert preset.learning_steps_minutes == [3.0, 30.0]
    assert preset.relearning_steps_minutes == [15.0]
    assert (preset.leech_lapses, preset.leech_suspend) == (6, True)
    assert (preset.bury_new, preset.bury_reviews) == (True, False)
    assert preset.review_order == "retrievability_ascending"
    assert preset.easy_days == pytest.approx(CUSTOM_WEEK)
    assert preset.new_ignores_review_limit is collection_wide


def test_the_default_preset_is_a_config_of_its_own_in_the_export(tmp_path: Path) -> None:
    """Decks on the default preset ([cards] in the config file, the parameters optimised for it
    in the store, [easy_days]) export with those options as a config of their own (Anki keeps
    its own Default when it imports a package), also copied into Anki's Default (config 1): the
    real Anki opening the package's collection reads them."""
    import zipfile

    from anki.collection import Collection

    from deskwork.interop.anki.presetexport import DEFAULT_EXPORT_ID

    package = _store_with_custom_default(tmp_path)
    collection = tmp_path / "opened.anki2"
    collection.write_bytes(zipfile.ZipFile(package).read("collection.anki2"))
    col = Collection(str(collection))
    try:
        did = col.decks.id_for_name("Lang")
        assert did is not None
        conf = col.decks.config_dict_for_deck_id(did)
        assert conf["id"] == DEFAULT_EXPORT_ID and conf["name"] == "Default (deskwork)"
        _check_default_options(conf)
        _check_default_options(col.decks.get_config(1) or {})
        assert sorted(c["id"] for c in col.decks.all_config()) == [1, DEFAULT_EXPORT_ID]
        assert col.get_config("newCardsIgnoreReviewLimit") is True
    finally:
        col.close()


def test_the_default_preset_imports_into_anki_without_touching_its_default(
    tmp_path: Path,
) -> None:
    """The export imported by the real Anki into a profile whose Default the user changed: the
    decks study with the exported limits (a preset "Default (deskwork)"), the user's Default is
    as the user left it."""
    from anki.collection import Collection

    package = _store_with_custom_default(tmp_path)
    col = Collection(str(tmp_path / "profile.anki2"))
    try:
        mine = col.decks.get_config(1)
        assert mine is not None
        mine["new"]["perDay"], mine["rev"]["perDay"] = 33, 444
        col.decks.update_config(mine)
        import_with_presets(col, package)
        conf = deck_options(col, "Lang")
        assert conf["name"] == "Default (deskwork)"
        _check_default_options(conf)
        mine = col.decks.get_config(1)
        assert mine is not None and mine["name"] == "Default"
        assert (mine["new"]["perDay"], mine["rev"]["perDay"]) == (33, 444)
    finally:
        col.close()


def _through_anki(tmp_path: Path, package: Path, *, legacy: bool) -> Path:
    """The package's collection opened by the real Anki and exported again by it."""
    import zipfile

    from anki.collection import Collection, ExportAnkiPackageOptions

    collection = tmp_path / "opened.anki2"
    collection.write_bytes(zipfile.ZipFile(package).read("collection.anki2"))
    col = Collection(str(collection))
    try:
        out = tmp_path / "from-anki.apkg"
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
            ),
            limit=None,
        )
    finally:
        col.close()
    return out


@pytest.mark.parametrize("through_anki", [None, "current-anki21b", "legacy-anki21"])
def test_the_default_preset_survives_a_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, through_anki: str | None
) -> None:
    """deskwork's export imported into another deskwork (straight, or after the real Anki opened
    it and wrote it again in either format) studies those decks with the same options: Anki's
    export's default becomes the named preset "Default (deskwork)" (the other store's [cards] is
    not overwritten), carrying the exported values."""
    package = _store_with_custom_default(tmp_path)
    if through_anki:
        package = _through_anki(tmp_path, package, legacy=through_anki.startswith("legacy"))
    monkeypatch.setenv("DESKWORK_HOME", str(tmp_path / "other"))
    assert main(["cards", "import", str(package)]) == 0
    desk = Desk.open(Paths.resolve())
    try:
        presets = ps.load(desk)
        preset = presets.preset_of("Lang")
        assert preset.name == "Default (deskwork)"
        _check_default_preset(preset, collection_wide=through_anki is None)
        settings = ps.scheduler_settings(presets, "Lang", fuzz=False)
        assert settings.desired_retention == pytest.approx(0.85)
        assert settings.learning_steps_minutes == (3.0, 30.0)
    finally:
        desk.close()


@pytest.mark.parametrize("through_anki", [None, "current-anki21b", "legacy-anki21"])
def test_reimporting_an_export_leaves_the_default_preset_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], through_anki: str | None
) -> None:
    """The store's own export imported back (straight, or after the real Anki wrote it again):
    its decks stay on the default preset, no "Default (deskwork)" copy is made. Once `[cards]` has
    changed, the package's Default is no longer the store's: it comes in as a preset of its own
    with the package's values, `[cards]` is left as the user wrote it, and the decks already here
    stay on the default preset (the summary says so)."""
    package = _store_with_custom_default(tmp_path)
    if through_anki:
        package = _through_anki(tmp_path, package, legacy=through_anki.startswith("legacy"))
    capsys.readouterr()
    assert main(["cards", "import", str(package), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["presets"] == []
    desk = Desk.open(Paths.resolve())
    try:
        assert ps.stored(desk) == []
        assert ps.load(desk).preset_of("Lang").name == "Default"
    finally:
        desk.close()
    config = Paths.resolve().config_file
    config.write_text(CUSTOM_DEFAULT.replace("new_per_day = 7", "new_per_day = 9"), "utf-8")
    assert main(["cards", "import", str(package), "--json"]) == 0
    added_line, kept_line = json.loads(capsys.readouterr().out)["presets"]
    assert added_line == "preset 'Default (deskwork)' added from Anki"
    assert kept_line.startswith("decks already here kept their presets (as Anki does): ")
    assert "Lang (Default)" in kept_line
    desk = Desk.open(Paths.resolve())
    try:
        presets = ps.load(desk)
        assert presets.default.new_per_day == 9
        assert presets.preset_of("Lang").name == "Default", "a deck already here keeps its preset"
        (added,) = ps.stored(desk)
        assert added.name == "Default (deskwork)"
        _check_default_preset(added, collection_wide=through_anki is None)
    finally:
        desk.close()


def test_a_preset_on_the_configs_easy_days_exports_them(tmp_path: Path) -> None:
    """A preset without easy days of its own studies with `[easy_days]`: Anki keeps easy days in
    each preset, so the export writes those days into it (not Anki's all-normal week)."""
    import zipfile

    from anki.collection import Collection

    cards = tmp_path / "cards.txt"
    cards.write_text("q1\ta1\n", encoding="utf-8")
    assert main(["cards", "import", str(cards), "--deck", "Lang"]) == 0
    Paths.resolve().config_file.write_text("[easy_days]\nsaturday = 0.5\nsunday = 0\n", "utf-8")
    desk = Desk.open(Paths.resolve())
    try:
        ps.add(desk, "Mine")
        ps.set_values(desk, "Mine", [("new_per_day", "4")])
        ps.assign(desk, "Lang", "Mine")
        assert ps.find(desk, "Mine").easy_days == []
    finally:
        desk.close()
    package = tmp_path / "mine.apkg"
    assert main(["cards", "export", str(package)]) == 0
    collection = tmp_path / "opened.anki2"
    collection.write_bytes(zipfile.ZipFile(package).read("collection.anki2"))
    col = Collection(str(collection))
    try:
        did = col.decks.id_for_name("Lang")
        assert did is not None
        mine = col.decks.config_dict_for_deck_id(did)
        assert (mine["name"], mine["new"]["perDay"]) == ("Mine", 4)
        assert mine["easyDaysPercentages"] == pytest.approx(CUSTOM_WEEK)
        default = col.decks.get_config(1)
        assert default is not None and default["easyDaysPercentages"] == pytest.approx(CUSTOM_WEEK)
    finally:
        col.close()


def test_a_deck_already_here_keeps_its_preset_as_anki_does(
    tmp_path: Path, oracle: Oracle, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anki's import keeps an existing deck's preset when the package's deck is on Anki's Default
    (the real Anki below); deskwork does that and never moves a deck already here off the default
    preset or one made here. New decks take the package's presets; the summary names the decks
    that kept theirs; importing again adds nothing."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "target.anki2"))
    try:
        deck = col.decks.get(col.decks.id("Math"))
        assert deck is not None
        deck["conf"] = col.decks.add_config_returning_id("Mine")
        col.decks.save(deck)
        import_with_presets(col, oracle.package)
        assert deck_options(col, "Math")["name"] == "Mine", "Anki: Default in the file, kept"
        assert deck_options(col, "Lang")["name"] == "Lang", "Anki: a new deck takes the file's"
    finally:
        col.close()
    desk = Desk.open(Paths.resolve())
    try:
        with desk.store.transaction() as tx:
            tx.put("cards", make_card("a sum", deck="Math"))
            tx.put("cards", make_card("a verb", deck="Lang::Verbs"))
        ps.add(desk, "Mine")
        ps.assign(desk, "Lang::Verbs", "Mine")
    finally:
        desk.close()
    for _ in range(2):  # importing it again changes nothing
        assert main(["cards", "import", str(oracle.package), "--json"]) == 0
        report = json.loads(capsys.readouterr().out)["presets"]
        desk = Desk.open(Paths.resolve())
        try:
            presets = ps.load(desk)
            assert presets.preset_of("Math").name == "Default", "on the default preset: kept"
            assert presets.preset_of("Lang::Verbs").name == "Mine", "on one made here: kept"
            assert presets.preset_of("Lang::Nouns").name == "Lang", "new: the file's preset"
            assert presets.preset_of("Math::Proofs").name == "Ancient"
            names = sorted(p.name for p in ps.stored(desk))  # the file's Default deck on Anki's
            assert names == ["Ancient", "Default (Anki)", "Lang", "Mine", "Old"], "none twice"
        finally:
            desk.close()
    (kept,) = [line for line in report if line.startswith("decks already here kept")]
    assert "Math (Default)" in kept and "Lang::Verbs (Mine)" in kept, kept
