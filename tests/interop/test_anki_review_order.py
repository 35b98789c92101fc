"""Review sort orders against the real Anki: the presets oracle's collection (review cards with FSRS
memory states at many ages), imported into deskwork; for each order, the deck's preset is set to it
on both sides and the reviews of today's queue must come in Anki's order (`get_queued_cards`).

The orders checked are those without ties (ties fall to a hash of Anki's card id, which deskwork's
ids differ from) and that read what both sides store: ascending / descending retrievability and
difficulty. Relative overdueness is left out: Anki reads the desired retention from each card's
own data, which cards given a memory state by hand lack (Anki then falls back to SM-2's ratio)."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection
from anki.scheduler_pb2 import QueuedCards

from deskwork.domain.revieworder import ANKI_NUMBERS
from deskwork.services import cards as cs
from deskwork.services import presets as ps
from tests.anki_oracle import deck_options, import_with_presets
from tests.anki_presets_oracle import Oracle, build_presets_collection
from tests.interop.test_anki_presets import imported

ORDERS = (
    "retrievability_ascending",
    "retrievability_descending",
    "difficulty_ascending",
    "difficulty_descending",
)
NUMBER = {key: number for number, key in ANKI_NUMBERS.items()}


# Its tests share a module-scoped fixture: under xdist they run on one worker, which builds it
# once (spread over two workers, each built its own).
pytestmark = pytest.mark.xdist_group("test_anki_review_order")


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return build_presets_collection(tmp_path_factory.mktemp("anki"), legacy=False)


def anki_reviews(col: Collection, deck: str, order: str) -> list[tuple[str, int]]:
    did = col.decks.id_for_name(deck)
    assert did is not None
    conf = col.decks.config_dict_for_deck_id(did)
    conf["reviewOrder"] = NUMBER[order]
    col.decks.update_config(conf)
    col.decks.select(did)
    queued = col.sched.get_queued_cards(fetch_limit=1000)
    out = []
    for entry in queued.cards:
        if entry.queue == QueuedCards.REVIEW:
            card = col.get_card(entry.card.id)
            out.append((card.note().guid, card.ord))
    return out


@pytest.mark.parametrize("deck", ["Lang::Nouns", "Math::Proofs"])
def test_reviews_come_in_ankis_order(
    tmp_path: Path, oracle: Oracle, deck: str, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = imported(tmp_path, oracle, capsys)
    col = Collection(str(oracle.package.parent / "presets.anki2"))
    try:
        preset = ps.load(desk).preset_of(deck).name
        for order in ORDERS:
            ps.set_values(desk, preset, [("review_order", order)])
            session = cs.ReviewSession(desk, deck=deck)
            ours = [(c.note_guid, c.ord) for c in session.queue.reviews]
            theirs = anki_reviews(col, deck, order)
            assert len(theirs) >= 4, "enough reviews due to tell orders apart"
            assert ours == theirs, order
        assert ours[::-1] != ours
    finally:
        col.close()
        desk.close()


@pytest.mark.parametrize("legacy", [False, True], ids=["current-anki21b", "legacy-anki21"])
def test_review_order_and_easy_days_go_both_ways_with_anki(
    tmp_path: Path, legacy: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Anki preset's review order and easy days come in with the collection and go back out
    with deskwork's export; an all-normal week (Anki's default) leaves the config's easy days."""
    from anki.collection import (
        ExportAnkiPackageOptions,
    )

    from deskwork.cli import main
    from deskwork.paths import Paths
    from deskwork.services import Desk

    col = Collection(str(tmp_path / "source.anki2"))
    try:
        col.set_config("fsrs", True)
        conf = col.decks.add_config("Weekdays")
        conf["reviewOrder"] = NUMBER["retrievability_ascending"]
        conf["easyDaysPercentages"] = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0]
        col.decks.update_config(conf)
        for deck, conf_id in (("Work", conf["id"]), ("Plain", 1)):
            did = col.decks.id(deck)
            assert did is not None
            node = col.decks.get(did)
            assert node is not None
            node["conf"] = conf_id
            col.decks.save(node)
            note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
            note["Front"], note["Back"] = f"{deck} card", "back"
            col.add_note(note, did)
        package = tmp_path / ("legacy.apkg" if legacy else "current.apkg")
        col.export_anki_package(
            out_path=str(package),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=legacy
            ),
            limit=None,
        )
    finally:
        col.close()
    assert main(["cards", "import", str(package)]) == 0
    capsys.readouterr()
    desk = Desk.open(Paths.resolve())
    try:
        presets = ps.load(desk)
        work = presets.preset_of("Work")
        assert work.review_order == "retrievability_ascending"
        assert work.easy_days == [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0]
        plain = presets.preset_of("Plain")
        assert plain.easy_days == [] and plain.review_order == "due"
    finally:
        desk.close()
    out = tmp_path / "back.apkg"
    assert main(["cards", "export", str(out)]) == 0
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    try:
        import_with_presets(fresh, out)
        back = deck_options(fresh, "Work")
        assert back["reviewOrder"] == NUMBER["retrievability_ascending"]
        assert back["easyDaysPercentages"] == [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    finally:
        fresh.close()
