"""Deck presets: older FSRS parameter sets upgraded as fsrs-rs does, edits checked key by key,
every deck scheduled with its own preset (retention, parameters, steps, leeches), siblings buried,
the v3 limit tree (a parent caps its subdecks when studied, not when a subdeck is studied alone),
and the CLI that shows and edits them (all keys of a command apply, or none)."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskwork.cli import main
from deskwork.domain import preset_text as pt
from deskwork.domain.cards import CardState
from deskwork.domain.presets import DeckOptions, Preset, PresetError, fsrs6_parameters
from deskwork.domain.scheduling import LEECH_TAG, Grade
from deskwork.paths import Paths
from deskwork.services import Desk, preset_import
from deskwork.services import cards as cs
from deskwork.services import presets as ps
from deskwork.services.due_today import deck_list
from tests.helpers import T0, Clock, make_card

FSRS45 = [0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474, 0.1367, 1.0461,
          2.1072, 0.0793, 0.3246, 1.587, 0.2272, 2.8755]  # fmt: skip


def test_older_parameter_sets_are_upgraded_as_fsrs_rs_does() -> None:
    up = fsrs6_parameters(FSRS45)
    assert up is not None and len(up) == 21
    assert up[4] == pytest.approx(5.1618 + 2 * 1.2298)
    assert up[5] == pytest.approx(math.log(1.2298 * 3 + 1) / 3)
    assert up[6] == pytest.approx(0.8975 + 0.5)
    assert up[17:] == (0.0, 0.0, 0.0, 0.5)
    assert fsrs6_parameters([*FSRS45[:15], 0.2, 2.9, 0.5, 0.6])[19:] == (0.0, 0.5)  # type: ignore[index]
    assert fsrs6_parameters([]) is None
    for bad in ([1.0] * 18, [1.0] * 22, [math.nan] * 21):
        with pytest.raises(PresetError):
            fsrs6_parameters(bad)


@given(st.lists(st.floats(-1e6, 1e6), min_size=21, max_size=21))
def test_any_21_finite_numbers_are_clipped_into_what_the_model_accepts(values: list[float]) -> None:
    from fsrs import Scheduler

    Scheduler(parameters=fsrs6_parameters(values))  # raises on anything out of bounds


def test_edits_are_checked_and_name_the_key() -> None:
    preset = Preset(name="Lang")
    edited = pt.edit(preset, "learning_steps", "1m 10m 1d")
    assert edited.learning_steps_minutes == [1.0, 10.0, 1440.0]
    assert pt.format_steps(edited.learning_steps_minutes) == "1m 10m 1d"
    assert pt.edit(preset, "leech_action", "suspend").leech_suspend
    assert pt.edit(preset, "fsrs_parameters", ",".join(map(str, FSRS45))).parameters is not None
    for key, value, said in (
        ("desired_retention", "1.5", "Desired retention must be less than 1 (got 1.5)."),
        ("desired_retention", "0.2", "Desired retention must be more than 0.5 (got 0.2)."),
        ("new_per_day", "-3", "New cards per day must be 0 or more (got -3)."),
        ("new_per_day", "many", "New cards per day must be a whole number, 0–9999 (got 'many')."),
        ("learning_steps", "1x", "Learning steps: '1x' is not a step"),
        ("fsrs_parameters", "1,2", "FSRS parameters: expected 17, 19 or 21 numbers, got 2."),
        ("bury_new", "maybe", "Bury new siblings must be true or false (got 'maybe')."),
        ("colour", "red", "Unknown key 'colour': the keys are name, desired_retention,"),
    ):
        with pytest.raises(PresetError) as caught:
            pt.edit(preset, key, value)
        assert str(caught.value).startswith(said), str(caught.value)
        assert "Input should" not in str(caught.value) and "_" not in said.split(":")[0]


# ---------------------------------------------------------------------- the review session
def open_desk(tmp_path: Path, clock: Clock) -> Desk:
    (tmp_path / "config.toml").write_text("[cards]\nfuzz = false\n")
    return Desk.open(Paths(tmp_path, tmp_path), clock=clock)


def review_card(deck: str, card_id: int, **kw: object) -> object:
    return make_card(
        f"{deck} card", id=card_id, deck=deck, state=CardState.REVIEW, step=None,
        stability=20.0, difficulty=5.0, last_review=T0 - timedelta(days=20), due=T0, **kw,
    )  # fmt: skip


def test_each_deck_is_scheduled_with_its_own_preset(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    params = list(fsrs6_parameters(FSRS45) or ())
    params[2] = 30.0  # Good on a new card: a 30-day stability
    with desk.store.transaction() as tx:
        low = tx.put("presets", Preset(name="Low", desired_retention=0.8))
        own = tx.put("presets", Preset(name="Own", fsrs_parameters=params,
                                       learning_steps_minutes=[]))  # fmt: skip
        tx.put("deck_options", DeckOptions(deck="Easygoing", preset_id=low.id))
        tx.put("deck_options", DeckOptions(deck="Tuned", preset_id=own.id))
        tx.put("cards", review_card("Strict", 1))
        tx.put("cards", review_card("Easygoing", 2))
        tx.put("cards", make_card("new", id=3, deck="Tuned"))
    session = cs.ReviewSession(desk)
    cards = {c.id: c for c in desk.store.cards.all()}
    strict = session.intervals(cards[1])[Grade.GOOD].days
    easygoing = session.intervals(cards[2])[Grade.GOOD].days
    assert easygoing > 2 * strict, (strict, easygoing)  # retention 0.8 against 0.9
    tuned = session.intervals(cards[3])
    assert tuned[Grade.GOOD] == timedelta(days=30), "the preset's own w2, and no steps"
    desk.close()


def test_leech_threshold_and_action_come_from_the_preset(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    with desk.store.transaction() as tx:
        harsh = tx.put("presets", Preset(name="Harsh", leech_lapses=2, leech_suspend=True))
        tx.put("deck_options", DeckOptions(deck="Hard", preset_id=harsh.id))
        tx.put("cards", review_card("Hard", 1, lapses=1))
        tx.put("cards", review_card("Soft", 2, lapses=1))
    session = cs.ReviewSession(desk)
    while (card := session.current()) is not None and card.state is CardState.REVIEW:
        session.answer(Grade.AGAIN)
    hard, soft = desk.store.cards.get(1), desk.store.cards.get(2)
    assert hard is not None and soft is not None
    assert hard.suspended and LEECH_TAG in hard.tags
    assert not soft.suspended and LEECH_TAG not in soft.tags
    desk.close()


def test_siblings_are_buried_by_the_preset_and_undo_brings_them_back(
    tmp_path: Path, clock: Clock
) -> None:
    desk = open_desk(tmp_path, clock)
    with desk.store.transaction() as tx:
        bury = tx.put("presets", Preset(name="Bury", bury_new=True, bury_reviews=True))
        tx.put("deck_options", DeckOptions(deck="B", preset_id=bury.id))
        for n, deck in enumerate(("B", "B", "A", "A")):
            tx.put("cards", make_card(f"{deck}{n}", id=n + 1, deck=deck, ord=n % 2,
                                      note_guid=f"note-{deck}", when=T0 + timedelta(seconds=n)))  # fmt: skip
    session = cs.ReviewSession(desk)
    assert session.remaining()[0] == 3, "B's second card waits for tomorrow"
    while (card := session.current()) is not None and card.deck == "A":
        session.answer(Grade.EASY)
    assert card is not None and card.id == 1
    session.answer(Grade.GOOD)
    assert [c.id for c in session.queue.new] == []
    buried = desk.store.cards.get(2)
    assert buried is not None and buried.buried_until == session.day_end()
    session.undo()
    again = desk.store.cards.get(2)
    assert again is not None and again.buried_until is None
    desk.close()


def test_a_parent_caps_its_subdecks_only_when_it_is_studied(tmp_path: Path, clock: Clock) -> None:
    desk = open_desk(tmp_path, clock)
    with desk.store.transaction() as tx:
        two = tx.put("presets", Preset(name="Two", new_per_day=2))
        tx.put("deck_options", DeckOptions(deck="P", preset_id=two.id))
        for n in range(6):
            tx.put("cards", make_card(f"c{n}", id=n + 1, deck=f"P::{'ab'[n % 2]}"))
    assert cs.ReviewSession(desk, deck="P").remaining()[0] == 2
    assert cs.ReviewSession(desk).remaining()[0] == 2
    assert cs.ReviewSession(desk, deck="P::a").remaining()[0] == 3, "P's limit is not applied"
    rows = {r.deck: r.new for r in deck_list(desk)}
    assert rows == {"P": 2, "P::a": 3, "P::b": 3}
    desk.close()


# ---------------------------------------------------------------------- the CLI
def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith("{") else {}), err


def test_cli_shows_and_edits_presets_all_or_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "cards", "presets", "add", "Lang")[0] == 0
    code, data, err = run(
        capsys, "cards", "presets", "set", "Lang", "desired_retention=0.85",
        "learning_steps=2m 20m", "leech_action=suspend", "--json",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, "cards", "presets", "set", "Lang", "new_per_day=3", "bury_new=maybe")
    assert code == 1 and "Bury new siblings must be true or false (got 'maybe')." in err, err
    assert main(["cards", "presets", "use", "Vocab::Verbs", "lang"]) == 0
    said = capsys.readouterr().out
    assert "there is no deck 'Vocab::Verbs' yet: made it, empty; Vocab::Verbs now uses" in said
    assert main(["cards", "presets", "use", "Vocab::Verbs", "lang"]) == 0
    assert "no deck" not in capsys.readouterr().out, "it exists now"
    assert run(capsys, "cards", "presets", "limits", "Vocab::Verbs", "--new", "4")[0] == 0
    code, data, _ = run(capsys, "cards", "presets", "--json")
    lang = next(p for p in data["presets"] if p["name"] == "Lang")  # type: ignore[attr-defined]
    assert (lang["desired_retention"], lang["learning_steps"], lang["leech_action"]) == (
        0.85, "2m 20m", "suspend",
    )  # fmt: skip
    assert lang["new_per_day"] == 20, "the refused command changed nothing"
    assert lang["decks"] == ["Vocab::Verbs"]
    verbs = data["decks"]["Vocab::Verbs"]  # type: ignore[index]
    assert verbs == {"preset": "Lang", "new_per_day": 4, "reviews_per_day": 200,
                     "desired_retention": 0.85, "overrides": {"new_limit": 4}}  # fmt: skip
    code, _, err = run(capsys, "cards", "presets", "set", "Default", "new_per_day=3")
    assert code == 1 and "config file" in err
    code, data, _ = run(capsys, "cards", "decks", "--json")
    assert data == {"decks": [
        {"deck": "Vocab", "new": 0, "learning": 0, "review": 0, "cards": 0, "preset": "Default"},
        {"deck": "Vocab::Verbs", "new": 0, "learning": 0, "review": 0, "cards": 0, "preset": "Lang"},
    ]}  # fmt: skip
    assert run(capsys, "cards", "presets", "remove", "Lang")[0] == 0
    code, data, _ = run(capsys, "cards", "presets", "--json")
    assert data["decks"]["Vocab::Verbs"]["preset"] == "Default"  # type: ignore[index]


def test_reimport_follows_anki_but_keeps_a_deck_on_the_users_own_preset(
    tmp_path: Path, clock: Clock
) -> None:
    from deskwork.interop.anki.deckconfig import AnkiPresets

    desk = open_desk(tmp_path, clock)

    def imported(assign: dict[str, int], mtime: int, retention: float) -> None:
        found = AnkiPresets(
            presets={7: Preset(name="Lang", desired_retention=retention, anki_id=7),
                     8: Preset(name="Fast", anki_id=8)},
            mtimes={7: mtime, 8: mtime},
            decks={deck: DeckOptions(deck=deck, preset_id=conf) for deck, conf in assign.items()},
        )  # fmt: skip
        with desk.store.transaction() as tx:
            preset_import.store_imported(desk, tx, found, renamed=False)

    imported({"Verbs": 7, "Nouns": 7, "Math": 8}, mtime=100, retention=0.85)
    ps.add(desk, "Mine")
    ps.assign(desk, "Math", "Mine")
    ps.set_values(desk, "Lang", [("new_per_day", "3")])  # a local edit of an Anki preset
    imported({"Verbs": 8, "Nouns": 7, "Math": 7}, mtime=100, retention=0.85)
    chosen = ps.load(desk)
    assert chosen.preset_of("Verbs").name == "Fast", "moved in Anki: follows"
    assert chosen.preset_of("Math").name == "Mine", "the user's own preset stays"
    assert chosen.preset_of("Nouns").new_per_day == 3, "not changed in Anki: the local edit stays"
    imported({"Verbs": 8, "Nouns": 7, "Math": 7}, mtime=200, retention=0.8)
    lang = ps.load(desk).preset_of("Nouns")
    assert (lang.desired_retention, lang.new_per_day) == (0.8, 20), "changed in Anki since: Anki's"
    assert len(ps.stored(desk)) == 3, "matched by Anki's id, never added twice"
    desk.close()


def test_cards_due_is_one_figure_the_review_queue_with_each_decks_limits(
    tmp_path: Path, clock: Clock
) -> None:
    """A limit of 2 new cards, one already studied: `today`, `cards stats`, the deck list and the
    review pane all say 1 new and 1 learning (the raw figure is named `due_without_limits`)."""
    desk = open_desk(tmp_path, clock)
    with desk.store.transaction() as tx:
        two = tx.put("presets", Preset(name="Two", new_per_day=2))
        tx.put("deck_options", DeckOptions(deck="D", preset_id=two.id))
        for n in range(5):
            tx.put("cards", make_card(f"c{n}", id=n + 1, deck="D", when=T0 + timedelta(seconds=n)))
    session = cs.ReviewSession(desk)
    session.answer(Grade.GOOD)  # the first new card: now learning, due in a few minutes
    assert session.remaining() == (1, 1, 0)
    fresh = cs.ReviewSession(desk)
    assert fresh.remaining() == (1, 1, 0)
    summary = desk.summary()
    assert (summary.cards_due, summary.cards_total) == (2, 5)
    assert summary.cards_due_parts == {"new": 1, "learning": 1, "review": 0}
    assert summary.due_without_limits == 5
    data = summary.as_json()
    assert data["cards_due"] == 2 and data["due_without_limits"] == 5
    stats = cs.stats(desk)
    assert stats["due_today"] == 2 and stats["due_without_limits"] == 5
    assert stats["due_today_parts"] == summary.cards_due_parts
    row = next(r for r in deck_list(desk) if r.deck == "D")
    assert (row.new, row.learning, row.review) == (1, 1, 0)
    desk.close()


def test_a_deck_already_here_stays_on_the_default_preset_and_the_summary_says_so(
    tmp_path: Path, clock: Clock
) -> None:
    """The learner's "Math" (cards in "Math::Sums", on the default preset) stays there when a package puts
    its "Math" on Anki's Default: no unused "Default (Anki)" is made; a new deck on it makes one.
    The import's summary (`lines`, the toast) names the presets added and the decks kept."""
    from deskwork.interop.anki.deckconfig import AnkiPresets
    from deskwork.services.import_report import ImportReport

    desk = open_desk(tmp_path, clock)

    def imported(decks: list[str]) -> list[str]:
        found = AnkiPresets(
            presets={1: Preset(name="Default", new_per_day=7, anki_id=1),
                     9: Preset(name="Lang", anki_id=9)},
            mtimes={1: 100, 9: 100},
            decks={d: DeckOptions(deck=d, preset_id=1 if d.startswith("Math") else 9)
                   for d in decks},
        )  # fmt: skip
        with desk.store.transaction() as tx:
            return preset_import.store_imported(
                desk, tx, found, renamed=False, decks_here={"Math::Sums"}
            )

    lines = imported(["Math", "Lang"])
    assert lines == [
        "preset 'Lang' added from Anki",
        "decks already here kept their presets (as Anki does): Math (Default)",
    ]
    assert ps.load(desk).preset_of("Math").name == "Default"
    assert [p.name for p in ps.stored(desk)] == ["Lang"]
    assert ImportReport(presets=lines).lines()[1:] == lines, "the summary shows them"
    imported(["Math", "Math::Proofs"])
    assert ps.load(desk).preset_of("Math::Proofs").name == "Default (Anki)", "a new deck: Anki's"
    assert ps.load(desk).preset_of("Math").name == "Default"
    desk.close()
