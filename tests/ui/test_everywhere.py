"""Keys that must work wherever you are: area keys while zoomed (bug 1), quit and the palette from
every dialog (bug 4), and a footer / palette that list each command once (bug 14)."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.curriculum_dialogs import AddLinkScreen
from deskwork.ui.screens.welcome import WelcomeScreen
from deskwork.ui.widgets.footer import DeskFooter
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready


async def test_switching_area_while_zoomed_shows_the_new_area_zoomed(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("secret front", back="hidden answer", when=clock.now))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("z")
        assert app.screen.maximized is app.timer_pane
        for key, pane in (("f4", "review"), ("f3", "queue"), ("alt+3", "review"), ("f5", "draft")):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.maximized is not None and app.screen.maximized.id == pane, key
            assert app._focused_pane() == pane
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.maximized is app.review_pane, "the keys act on the area you see"
        await pilot.press("z")
        assert app.screen.maximized is None


async def test_quit_works_from_the_first_run_welcome(tmp_path: Path, clock: Clock) -> None:
    home = tmp_path / "home"
    home.mkdir()
    app = DeskworkApp(Desk.open(Paths(home, home), clock=clock), show_clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_palette_opens_from_a_dialog_and_typing_q_in_a_field_does_not_quit(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, AddLinkScreen)
        await pilot.press(*"quantum")
        assert app.screen.query_one(Input).value == "quantum", "q is a letter in a field"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AddLinkScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_footer_and_palette_list_each_command_once(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        footer = app.query_one(DeskFooter)
        descriptions = [key.description for key in footer.keys or []]
        assert descriptions.count("Commands") == 1
        titles = [c.title for c in app.get_system_commands(app.screen)]
        duplicated = {t for t in titles if titles.count(t) > 1}
        assert not duplicated, duplicated
        assert {"Timer here", "Timer item"} <= set(titles), "the timer's item commands too"
