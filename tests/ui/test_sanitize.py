"""Pasting or typing terminal escapes into any field stores none of them (bug 6)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, TextArea

from deskwork.ui.screens.curriculum_dialogs import ItemFormScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready

HOSTILE = "\x1b[1mBBB\x1b[0m\x1b]0;pwned\x07 and\x07 more\x9b"


async def test_a_paste_into_any_input_loses_its_escape_sequences(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")  # the curriculum table, then its form
        await pilot.pause()
        await pilot.press("n")
        assert isinstance(app.screen, ItemFormScreen)
        app.post_message(events.Paste(HOSTILE))
        await pilot.pause()
        title = app.screen.query_one("#f-title", Input)
        assert title.value == "BBB and more"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [item] = app.desk.store.items.values()
        assert item.title == "BBB and more", "what is saved is clean"


async def test_a_value_set_with_control_characters_is_cleaned_before_it_is_saved(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("n")
        for _ in range(200):  # the form, pushed once the table screen is up (slower under load)
            if app.screen.query("#f-title"):
                break
            await pilot.pause(0.02)
        app.screen.query_one("#f-title", Input).value = "Deep\x1b[31m Learning\x00"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        [item] = app.desk.store.items.values()
        assert item.title == "Deep Learning"


async def test_a_paste_into_the_draft_editor_keeps_lines_and_loses_escapes(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f5", "n", *"Post", "enter")
        await pilot.pause()
        editor = app.query_one("#draft-text", TextArea)
        assert app.focused is editor
        app.post_message(events.Paste("# Title\r\n\x1b[1mbold\x1b[0m\tcell\n"))
        await pilot.pause()
        assert editor.text.endswith("# Title\nbold\tcell\n")
        assert "\x1b" not in editor.text
        # line ends sent as CR (xterm, tmux's paste-buffer): lines, not one run-together line
        app.post_message(events.Paste("## Heading\rSome text.\r- item\r"))
        await pilot.pause()
        assert editor.text.endswith("# Title\nbold\tcell\n## Heading\nSome text.\n- item\n")


async def test_the_editor_cleans_each_edit_and_each_load_not_only_pastes(
    tmp_path: Path, clock: Clock
) -> None:
    """The draft editor and the card fields clean what enters them edit by edit (the cost of a
    keystroke follows the keystroke): a program's insert, a replace, a load, all arrive clean."""
    from deskwork.ui.text_fields import CleanTextArea

    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f5", "n", *"Post", "enter")
        await pilot.pause()
        editor = app.query_one("#draft-text", TextArea)
        assert isinstance(editor, CleanTextArea)
        editor.load_text("line one\r\nline two\n")
        editor.insert(HOSTILE, (1, 4))
        editor.replace("\x1b[2Jgone\x00", (0, 0), (0, 4))
        await pilot.pause()
        assert editor.text == "gone one\nlineBBB and more two\n"
        editor.text = "\x9b31mset\x07 directly"
        await pilot.pause()
        assert editor.text == "set directly"
        await pilot.press("ctrl+z")  # undo after a load: nothing hostile comes back
        assert "\x1b" not in editor.text and "\x07" not in editor.text


async def test_a_paste_into_a_card_field_loses_its_escapes(tmp_path: Path, clock: Clock) -> None:
    from deskwork.ui.screens.card_dialogs import CardScreen

    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        app.post_message(events.Paste(HOSTILE))
        await pilot.pause()
        field = app.focused
        assert isinstance(field, TextArea)
        assert field.text == "BBB and more"
        field.insert("\x1b[31m!\x00")
        await pilot.pause()
        assert field.text == "BBB and more!"
