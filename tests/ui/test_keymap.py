"""The [keys] table: unknown key names and clashes are reported (file, entry, what clashes) and the
defaults stay; keys are written as people read them; the screens show the keys bound now."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Static

from deskwork.ui.commands import ALL_COMMANDS
from deskwork.ui.desk_areas import PANE_ORDER
from deskwork.ui.keymap import display_key, key_label, key_problem, resolve_keymap
from deskwork.ui.screens.help import HelpScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app

CONFIG = Path("/home/me/.config/deskwork/config.toml")


def test_the_default_keys_do_not_clash() -> None:
    keymap, problems = resolve_keymap({}, ALL_COMMANDS, CONFIG)
    assert (keymap, problems) == ({}, [])
    # and every default key is a real key name
    for command in ALL_COMMANDS:
        for key in command.keys.split(","):
            assert key_problem(key) is None, (command.id, key)


@pytest.mark.parametrize(
    ("keys", "why"),
    [
        ("ctrl+shift+alt+nonsense", "'nonsense' is not a key name"),
        ("hyperspace+h", "'hyperspace' in 'hyperspace+h' is not a modifier"),
        ("ctrl+", "has no key after its modifiers"),
        ("h,,f1", "comma-separated"),
        ("", "comma-separated"),
    ],
)
def test_an_unknown_key_name_is_refused_and_the_default_stays(keys: str, why: str) -> None:
    keymap, [problem] = resolve_keymap({"app.help": keys}, ALL_COMMANDS, CONFIG)
    assert keymap == {}
    assert str(CONFIG) in problem and "'app.help'" in problem and why in problem
    assert problem.endswith("kept ? / F1")


def test_a_clash_names_what_it_clashes_with_and_keeps_the_default() -> None:
    keymap, [problem] = resolve_keymap({"pane.queue": "q"}, ALL_COMMANDS, CONFIG)
    assert keymap == {}
    assert "'pane.queue' = 'q': q is already app.quit (Quit); kept F3 / Alt+2" in problem
    # an area key that would hide an app key is a clash too
    _, [hidden] = resolve_keymap({"queue.edit": "z"}, ALL_COMMANDS, CONFIG)
    assert "z is already pane.zoom" in hidden
    # two keys of the same area
    _, [same] = resolve_keymap({"timer.skip": "r"}, ALL_COMMANDS, CONFIG)
    assert "r is already timer.reset" in same


def test_swapping_two_keys_and_keys_of_different_areas_are_fine() -> None:
    keymap, problems = resolve_keymap(
        {"timer.skip": "r", "timer.reset": "s", "queue.edit": "i", "review.flag": "/"},
        ALL_COMMANDS,
        CONFIG,
    )
    assert problems == ["/home/me/.config/deskwork/config.toml: [keys] 'review.flag' = '/': "
                        "/ is already review.browse (Browse); kept f"]  # fmt: skip
    assert keymap == {"timer.skip": "r", "timer.reset": "s", "queue.edit": "i"}


def test_keys_are_written_as_people_read_them() -> None:
    assert key_label("question_mark,f1") == "? / F1"
    assert key_label("slash") == "/"
    assert key_label("e,plus") == "e / +"
    assert key_label("ctrl+p,colon") == "Ctrl+P / :"
    assert key_label("space,enter") == "Space / Enter"
    assert key_label("exclamation_mark,S") == "! / S"
    assert display_key("escape") == "Esc" and display_key("ctrl+up") == "Ctrl+Up"


async def test_bad_bindings_are_reported_at_start_and_the_defaults_work(
    tmp_path: Path, clock: Clock
) -> None:
    config = '[keys]\n"app.help" = "ctrl+shift+alt+nonsense"\n"pane.queue" = "q"\n'
    app = desk_app(tmp_path, clock, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await (
            pilot.pause()
        )  # told once the desk is drawn (ui/desk_areas.py: notes_after_first_frame)
        messages = [n.message for n in app._notifications]
        assert any("'app.help'" in m and "not a key name" in m for m in messages)
        assert any("'pane.queue'" in m and "app.quit" in m for m in messages)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen), "help stays reachable"
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0, "q still quits"


async def test_screens_show_the_keys_bound_after_rebinding(tmp_path: Path, clock: Clock) -> None:
    config = '[keys]\n"app.help" = "h"\n"timer.item" = "w"\n"app.palette" = "alt+p"\n'
    app = desk_app(tmp_path, clock, config)
    async with app.run_test(size=(120, 40)) as pilot:
        hints = str(app.query_one("#timer-keys", Static).render())
        assert "w item" in hints and "o item" not in hints
        await pilot.press("f12")
        welcome = str(app.screen.query(Static).first().render())
        assert "h lists every key" in welcome and "Alt+P opens the command palette" in welcome
        await pilot.press("escape", "h")
        assert isinstance(app.screen, HelpScreen)
        rows = {row[3]: row[1] for row in app.screen.rows}
        assert rows["app.help"] == "h" and rows["timer.item"] == "w"
        assert {row[0] for row in app.screen.rows} >= {
            "Anywhere",
            "Pomodoro timer",
            "Today's queue",
        }


async def test_the_areas_hints_follow_rebinding(tmp_path: Path, clock: Clock) -> None:
    config = '[keys]\n"queue.add" = "A"\n"draft.new" = "N"\n"cards.add" = "alt+c"\n'
    app = desk_app(tmp_path, clock, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        empty = str(app.query_one("#queue-empty", Static).render())
        assert "Press A to add a link" in empty
        draft_hints = [str(s.render()) for s in app.draft_pane.query(".hint")]
        assert any("Press N to start one" in h for h in draft_hints)
        assert any(h.startswith("N new · Enter open") for h in draft_hints)
        await app.workers.wait_for_complete()
        await pilot.pause()
        review = str(app.query_one("#review-answer", Static).render())
        assert "Alt+C adds one from anywhere" in review


async def test_the_area_borders_show_the_keys_bound(tmp_path: Path, clock: Clock) -> None:
    """The area keys swapped in [keys]: each border reads the key that goes there now."""
    config = '[keys]\n"pane.timer" = "f3"\n"pane.queue" = "f2"\n"pane.draft" = "alt+j"\n'
    app = desk_app(tmp_path, clock, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        borders = {p: str(app.query_one(f"#{p}").border_subtitle) for p in PANE_ORDER}
        assert borders == {"timer": "F3", "queue": "F2", "review": "F4", "draft": "Alt+J"}
        await pilot.press("f2")
        assert app._focused_pane() == "queue"
        await pilot.press("f3")
        assert app._focused_pane() == "timer"
        await pilot.press("alt+j", "t")  # the draft area's trash names the key too
        assert app.draft_pane.showing_trash
        assert str(app.draft_pane.border_subtitle) == "trash · Alt+J"


async def test_next_and_previous_area_are_rebindable(tmp_path: Path, clock: Clock) -> None:
    config = '[keys]\n"pane.next" = "alt+0"\n"pane.previous" = "alt+9"\n'
    app = desk_app(tmp_path, clock, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications] == []
        await pilot.press("alt+0")
        assert app._focused_pane() == "queue"
        await pilot.press("alt+9", "alt+9")
        assert app._focused_pane() == "draft"


async def test_help_cuts_nothing_at_120_columns(tmp_path: Path, clock: Clock) -> None:
    from rich.console import Console

    from deskwork.ui.commands import ALL_COMMANDS

    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        shown = ""
        for static in app.screen.query(".help-table").results(Static):
            with open(os.devnull, "w") as sink:
                console = Console(width=static.content_size.width, record=True, file=sink)
                console.print(static.content)
            shown += " ".join(console.export_text().split()) + " "
        written = sum((c.help + c.title).count("…") for c in ALL_COMMANDS)
        assert shown.count("…") == written, "nothing is cut short"
        for command in ALL_COMMANDS:  # wrapped lines interleave with the id column: word by word
            assert all(word in shown for word in command.help.split()), command.id
            assert command.id in shown, command.id
        assert "Slash" not in shown and "Plus" not in shown


def test_a_refused_key_names_its_line_in_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntheme = "deskwork-dusk"\n\n[keys]\n"timer.skip" = "ctrl+"\n')
    _, [problem] = resolve_keymap({"timer.skip": "ctrl+"}, ALL_COMMANDS, config)
    assert problem.startswith(f"{config}, line 5: [keys] 'timer.skip' = 'ctrl+': ")


def test_alt_digits_from_a_terminal_arrive_as_the_pane_keys(tmp_path: Path, clock: Clock) -> None:
    """xterm-like terminals send Alt+1 as ESC 1, which Textual's table read as '¡' (WezTerm's
    macOS Option+1): the pane keys Alt+1…Alt+4 never arrived. Once the app is made, its parser
    reads them as alt+1…alt+4, which the pane commands bind."""
    import time

    from textual import constants
    from textual._xterm_parser import XTermParser

    desk_app(tmp_path, clock).desk.close()  # making the app takes the sequences over
    for digit, pane in zip("1234", PANE_ORDER, strict=True):
        parser = XTermParser()
        assert list(parser.feed(f"\x1b{digit}")) == []  # ESC 1 could start a longer sequence…
        time.sleep(constants.ESCAPE_DELAY + 0.05)
        (event,) = list(parser.tick())  # …until the terminal's escape delay has passed
        assert getattr(event, "key", None) == f"alt+{digit}"
        command = next(c for c in ALL_COMMANDS if c.id == f"pane.{pane}")
        assert f"alt+{digit}" in command.keys.split(",")


async def test_an_alt_chord_in_a_text_field_runs_its_command_and_types_nothing(
    tmp_path: Path, clock: Clock
) -> None:
    """Textual gives Alt+O the character "o": the draft editor typed it (and Alt+1 a "1") instead
    of the app's command running. The keys are sent as the terminal's parser makes them (Pilot's
    own Alt keys carry no character)."""
    from textual import events
    from textual.widgets import TextArea

    from deskwork.ui.screens.presets import PresetsScreen
    from tests.ui.factory import ready

    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f5", "n", *"Post", "enter")
        await pilot.pause()
        editor = app.query_one("#draft-text", TextArea)
        await pilot.press(*"abc")
        app.post_message(events.Key("alt+o", "o"))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen) and editor.text == "abc"
        await pilot.press("escape", "f5")
        await pilot.pause()
        assert app.focused is editor
        app.post_message(events.Key("alt+1", "1"))
        await pilot.pause()
        await pilot.pause()
        assert editor.text == "abc" and app.focused is app.timer_pane
