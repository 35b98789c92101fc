"""Keys typed right after a dialog's Enter, in one burst from the terminal (ui/key_hold.py)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, TextArea

from deskwork.ui.app import DeskworkApp
from deskwork.ui.key_hold import HOLD_SECONDS, holding
from deskwork.ui.screens.draft_dialogs import NewDraftScreen, PromptScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app


def burst(app: DeskworkApp, keys: str) -> None:
    """The keys as one read from the terminal: all queued before the app reads the first (Pilot's
    press waits for the app after each)."""
    assert app._driver is not None
    for key in keys:
        event = events.Key("enter" if key == "\r" else key, key)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_the_words_typed_right_after_a_new_drafts_title_go_into_the_post(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5", "n")
        assert isinstance(app.screen, NewDraftScreen)
        await pilot.press(*"Week 1")
        # "d" and "x" are commands of the list of drafts (delete, trash): they must be text here
        burst(app, "\rdx and more")
        await pilot.pause(0.3)
        editor = app.query_one("#draft-text", TextArea)
        assert app.focused is editor
        assert editor.text == "dx and more"
        assert not holding(app)
        assert [d.title for d in app.drafts.listing()] == ["Week 1"]


async def test_an_empty_title_cancels_and_the_keys_after_it_are_commands_again(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5", "n")
        burst(app, "\rn")  # no title: nothing made; "n" asks for a new draft again
        await pilot.pause(0.3)
        assert isinstance(app.screen, NewDraftScreen)
        assert not holding(app)
        assert app.drafts.listing() == []


class HoldingPathPrompt(PromptScreen):
    HOLD_KEYS_ON_SUBMIT = True


async def test_a_dialog_that_stays_open_gets_the_keys_typed_after_its_enter(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        prompt = HoldingPathPrompt("File?", path_suffixes=(".apkg",), must_exist=True)
        app.push_screen(prompt)
        await pilot.pause()
        burst(app, "nowhere.apkg\r.old")  # a missing file: the dialog says so and stays
        await pilot.pause(0.3)
        assert app.screen is prompt
        assert not holding(app)
        assert prompt.query_one("#title", Input).value == "nowhere.apkg.old"


async def test_a_hold_nobody_releases_ends_by_itself(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    answers: list[str | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        # whoever opened it never releases the keys (a bug): they still arrive, late
        await pilot.press("f5")  # the drafts: the focus the dialog gives back
        app.push_screen(HoldingPathPrompt("Name?"), answers.append)
        await pilot.pause()
        burst(app, "x\rn")
        await pilot.pause(0.2)
        assert answers == ["x"]
        assert holding(app)
        await pilot.pause(HOLD_SECONDS)
        await pilot.pause()
        assert not holding(app)
        assert isinstance(app.screen, NewDraftScreen), "the held 'n' ran as the list's command"
