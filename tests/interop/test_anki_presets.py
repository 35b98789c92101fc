"""Deck presets against the real Anki: a collection with four presets (default; retention 0.85
with optimised FSRS-6 parameters and three learning steps; FSRS-5 parameters; FSRS-4.5 parameters
and no steps), nested decks with their own and their parents' limits, cards in every state and
answers today. Imported from both package formats, deskwork must show Anki's per-deck due counts
for today and, for every card, Anki's unfuzzed interval for each answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
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
    return Desk.open(Paths.resolve(), clock=lambda: datetime.now(UTC))


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
