"""Pilot tests of the deck list (due counts with each deck's limits and its parent's, "study this
deck" reviewing only that deck and its subdecks, back to every deck) and of the presets screen
(edit a preset in the form, a bad value refused with its key named, a new preset used for a deck,
the review buttons following the deck's preset, delete asks)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from deskwork.domain.presets import DeckOptions, Preset
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.decks import DeckListScreen
from deskwork.ui.screens.draft_dialogs import ConfirmScreen, PromptScreen
from deskwork.ui.screens.preset_dialogs import PresetFormScreen
from deskwork.ui.screens.presets import PresetsScreen
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def decks_app(tmp_path: Path, clock: Clock) -> DeskworkApp:
    """Lang and Lang::Nouns (2 new) on preset Lang (3 new a day), Lang::Verbs (4 new) and Math
    (5 new) on the default (20 a day): a subdeck does not inherit its parent's preset."""
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    n = 0
    with app.desk.store.transaction() as tx:
        lang = tx.put("presets", Preset(name="Lang", new_per_day=3, learning_steps_minutes=[5.0]))
        tx.put("deck_options", DeckOptions(deck="Lang", preset_id=lang.id))
        tx.put("deck_options", DeckOptions(deck="Lang::Nouns", preset_id=lang.id))
        for deck, count in (("Lang::Verbs", 4), ("Lang::Nouns", 2), ("Math", 5)):
            for _ in range(count):
                n += 1
                when = T0 + timedelta(seconds=n)
                tx.put("cards", make_card(f"{deck} {n}", when=when, deck=deck, note_guid=f"g{n}"))
    return app


def rows(screen: DeckListScreen) -> dict[str, tuple[str, ...]]:
    table = screen.query_one(DataTable)
    out = {}
    for i, deck in enumerate(screen.decks):
        cells = table.get_row_at(i)
        out[deck] = tuple(str(c) for c in cells[1:4])
    return out


def status(app: DeskworkApp) -> str:
    return str(app.review_pane.query_one("#review-status", Static).render())


async def test_deck_list_shows_limited_counts_and_studies_one_deck(
    tmp_path: Path, clock: Clock
) -> None:
    app = decks_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        assert "8 new" in status(app), "every deck: 3 from Lang and its subdecks, 5 from Math"
        await pilot.press("d")  # the review area's key for the deck list
        screen = app.screen
        assert isinstance(screen, DeckListScreen)
        assert rows(screen) == {
            "Lang": ("3", "0", "0"),  # 6 new below it, Lang's preset caps at 3
            "Lang::Nouns": ("2", "0", "0"),
            "Lang::Verbs": ("4", "0", "0"),  # the default preset: 20 a day
            "Math": ("5", "0", "0"),
        }
        await pilot.press("down")  # Lang::Nouns
        await pilot.press("enter")  # study this deck
        assert not isinstance(app.screen, DeckListScreen)
        assert app.review_pane.deck == "Lang::Nouns"
        assert app.desk.store.setting("study_deck") == "Lang::Nouns", "kept for the next start"
        assert "deck Lang::Nouns" in status(app) and "2 new" in status(app)
        for _ in range(2):
            card = app.review_pane.current()
            assert card is not None and card.deck == "Lang::Nouns"
            await pilot.press("space", "4")
        assert app.review_pane.current() is None, "only that deck's cards"
        text = str(app.review_pane.query_one("#review-question", Static).render())
        assert text.startswith("Lang::Nouns: Nothing due")
        await pilot.press("alt+d")  # the app-wide key opens it too
        assert isinstance(app.screen, DeckListScreen)
        assert rows(app.screen)["Lang"] == ("1", "0", "0"), "two of Lang's three taken today"
        await pilot.press("a")  # every deck again
        assert app.review_pane.deck == "" and app.desk.store.setting("study_deck") == ""
        assert "6 new" in status(app), "Lang's last one and Math's five"


async def test_presets_screen_edits_a_preset_and_assigns_a_deck(
    tmp_path: Path, clock: Clock
) -> None:
    app = decks_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("alt+o")
        screen = app.screen
        assert isinstance(screen, PresetsScreen)
        assert [p.name for p in screen.presets] == ["Default", "Lang"]
        await pilot.press("e")  # the default is the config file's: not edited here
        assert not isinstance(app.screen, PresetFormScreen)
        await pilot.press("down", "e")
        form = app.screen
        assert isinstance(form, PresetFormScreen)
        form.query_one("#p-desired_retention", Input).value = "1.5"
        await pilot.press("ctrl+s")
        error = str(form.query_one("#preset-error", Static).render())
        assert error == "Not saved: Desired retention must be less than 1 (got 1.5).", error
        assert app.screen is form, "refused, the form stays"
        form.query_one("#p-desired_retention", Input).value = "0.85"
        form.query_one("#p-learning_steps", Input).value = "2m 30m"
        form.query_one("#p-new_per_day", Input).value = "1"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PresetsScreen)
        lang = app.screen.presets[1]
        assert (lang.desired_retention, lang.learning_steps_minutes, lang.new_per_day) == (
            0.85, [2.0, 30.0], 1,
        )  # fmt: skip
        # A new preset, used for Math (the default's copy with 2 new a day).
        await pilot.press("up", "n")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = "Slow"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PresetsScreen) and screen.selected().name == "Slow"  # type: ignore[union-attr]
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, PresetFormScreen)
        form.query_one("#p-new_per_day", Input).value = "2"
        await pilot.press("ctrl+s")
        from deskwork.services import presets

        # A typo asks before it makes a deck of its own; "n" changes nothing.
        await pilot.press("u")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = "Mathh"
        await pilot.press("enter")
        await pilot.pause()
        asked = app.screen
        assert isinstance(asked, ConfirmScreen)
        assert "There is no deck 'Mathh' yet (did you mean 'Math'?)" in asked.question
        await pilot.press("n")
        await pilot.pause()
        assert "Mathh" not in {o.deck for o in presets.deck_options(app.desk)}
        await pilot.press("u")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = "Math"
        await pilot.press("enter")
        await pilot.pause()

        chosen = presets.load(app.desk)
        assert chosen.preset_of("Math").name == "Slow" and chosen.for_deck("Math").new_per_day == 2
        await pilot.press("escape")
        # The review area follows: Lang's 1 a day (edited) + Math's 2.
        await pilot.press("f4")
        assert "3 new" in status(app)
        card = app.review_pane.current()
        assert card is not None and card.deck.startswith("Lang")
        await pilot.press("space")
        buttons = str(app.review_pane.query_one("#review-buttons", Static).render())
        assert "1 Again 2m" in buttons and "3 Good 30m" in buttons, "Lang's edited steps"
        # Delete asks, then the deck goes back to the default.
        await pilot.press("alt+o")
        await pilot.press("down", "down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert presets.load(app.desk).preset_of("Math").name == "Default"


async def test_a_decks_own_limits_from_the_deck_list(tmp_path: Path, clock: Clock) -> None:
    from deskwork.services import presets
    from deskwork.ui.screens.decks import DeckLimitsScreen

    app = decks_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("alt+d")
        screen = app.screen
        assert isinstance(screen, DeckListScreen)
        await pilot.press("down", "down", "down", "l")  # Math
        dialog = app.screen
        assert isinstance(dialog, DeckLimitsScreen) and dialog.deck == "Math"
        dialog.query_one("#l-new_limit", Input).value = "lots"
        await pilot.press("ctrl+s")
        assert "new limit" in str(dialog.query_one("#limits-error", Static).render())
        dialog.query_one("#l-new_limit", Input).value = "2"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert rows(screen)["Math"] == ("2", "0", "0"), "the deck's own 2 over the preset's 20"
        assert presets.load(app.desk).for_deck("Math").new_per_day == 2
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, DeckLimitsScreen)
        assert dialog.query_one("#l-new_limit", Input).value == "2"
        dialog.query_one("#l-new_limit", Input).value = ""
        await pilot.press("enter")
        assert rows(screen)["Math"] == ("5", "0", "0"), "blank: the preset's again"


async def test_the_studied_deck_is_kept_across_starts(tmp_path: Path, clock: Clock) -> None:
    app = decks_app(tmp_path, clock)
    app.desk.store.set_setting("study_deck", "Math")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        assert "deck Math" in status(app) and "5 new" in status(app)
        card = app.review_pane.current()
        assert card is not None and card.deck == "Math"


async def test_the_preset_forms_error_is_a_sentence_wrapped_inside_the_dialog(
    tmp_path: Path, clock: Clock
) -> None:
    """On an 80-column terminal the form fits, and its error wraps inside it."""
    app = decks_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("alt+o")
        await pilot.press("down", "e")
        form = app.screen
        assert isinstance(form, PresetFormScreen)
        form.query_one("#p-desired_retention", Input).value = "1.5"
        form.query_one("#p-new_per_day", Input).value = "many"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = form.query_one("#preset-error", Static)
        text = str(error.render())
        assert text.startswith("Not saved: ") and "_" not in text and "Input should" not in text
        box = form.query_one("PresetFormScreen > Vertical").region
        assert (
            box.right <= 80 and form.query_one("PresetFormScreen > Vertical").outer_size.width <= 80
        ), box
        assert error.region.right <= box.right and error.region.x >= box.x, (error.region, box)
        assert error.region.height >= 1
        long = "Not saved: " + "a long sentence that goes on " * 8  # a longer problem wraps
        error.update(long)
        await pilot.pause()
        assert error.region.right <= box.right and error.region.height >= 3, error.region


async def test_deck_list_and_review_status_separate_thousands(tmp_path: Path, clock: Clock) -> None:
    """A deck of 1,234 cards with a new-card limit of 1,500 a day: "1,234", not "1234", in the
    deck list and in the review area's status."""
    app = desk_app(tmp_path, clock, "[cards]\nfuzz = false\n")
    with app.desk.store.transaction() as tx:
        big = tx.put("presets", Preset(name="Big", new_per_day=1500, reviews_per_day=9999))
        tx.put("deck_options", DeckOptions(deck="Big", preset_id=big.id))
        for n in range(1234):
            when = T0 + timedelta(seconds=n)
            tx.put("cards", make_card(f"card {n}", when=when, deck="Big", note_guid=f"g{n}"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        assert "1,234 new" in status(app)
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DeckListScreen)
        assert rows(screen) == {"Big": ("1,234", "0", "0")}
        assert str(screen.query_one(DataTable).get_row_at(0)[4]) == "1,234"
