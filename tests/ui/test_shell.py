"""Pilot tests of the shell: panes, focus, help, palette, keymap, compact layout, first run, quit."""

from __future__ import annotations

import os
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import OptionList, Tabs

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.paths import Paths
from deskwork.services import WELCOME_DONE, Desk
from deskwork.store.manifest import read_manifest
from deskwork.ui.app import DeskworkApp
from deskwork.ui.commands import ALL_COMMANDS
from deskwork.ui.screens.help import HelpScreen
from deskwork.ui.screens.welcome import WelcomeScreen
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.pane import Pane
from tests.helpers import T0, Clock
from tests.ui.factory import palette_offers, ticks


def open_desk(tmp_path: Path, clock: Clock, *, config: str = "", welcomed: bool = True) -> Desk:
    paths = Paths(tmp_path / "home", tmp_path / "home")
    if config:
        paths.config_dir.mkdir(parents=True, exist_ok=True)
        paths.config_file.write_text(config)
    desk = Desk.open(paths, clock=clock)
    if welcomed:
        desk.store.set_setting(WELCOME_DONE, True)
    return desk


def make_app(tmp_path: Path, clock: Clock, **kw: object) -> DeskworkApp:
    return DeskworkApp(open_desk(tmp_path, clock, **kw), show_clock=False)  # type: ignore[arg-type]


async def test_four_areas_visible_at_120x40(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panes = list(app.query(Pane))
        assert [p.id for p in panes] == ["timer", "queue", "review", "draft"]
        for pane in panes:
            assert pane.display and pane.region.width > 40 and pane.region.height > 10
        assert app.focused is app.query_one("#timer")


async def test_focus_moves_with_tab_function_keys_and_alt_digits(
    tmp_path: Path, clock: Clock
) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab")
        assert app._focused_pane() == "queue"
        await pilot.press("shift+tab", "shift+tab")
        assert app._focused_pane() == "draft"
        await pilot.press("f4")
        assert app._focused_pane() == "review"
        await pilot.press("alt+1")
        assert app._focused_pane() == "timer"
        await pilot.click("#draft")
        assert app._focused_pane() == "draft"


async def test_help_lists_every_command_with_f1_and_question_mark(
    tmp_path: Path, clock: Clock
) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen)
            ids = {row[3] for row in app.screen.rows}
            assert ids == {c.id for c in ALL_COMMANDS}
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)


async def test_keys_are_rebindable_from_config(tmp_path: Path, clock: Clock) -> None:
    config = '[keys]\n"app.help" = "h,f1"\n"pane.draft" = "alt+j"\n"no.such" = "x"\n'
    app = make_app(tmp_path, clock, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen), "the old key no longer opens help"
        await pilot.press("h")
        assert isinstance(app.screen, HelpScreen)
        rows = {row[3]: row[1] for row in app.screen.rows}
        assert rows["app.help"] == "h / F1"
        await pilot.press("escape", "alt+j")
        assert app._focused_pane() == "draft"
        assert any("'no.such' is not a binding id" in n for n in app.startup_notes)
        assert any("config.toml" in n for n in app.startup_notes)


async def test_command_palette_runs_commands(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("colon")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Draft")
        await palette_offers(pilot, "Draft")
        await pilot.press("enter")
        await pilot.pause()
        assert app._focused_pane() == "draft"


async def test_compact_terminal_shows_one_pane_with_tabs(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        visible = [p.id for p in app.query(Pane) if p.display]
        assert visible == ["timer"]
        await pilot.press("f3")
        await pilot.pause()
        assert [p.id for p in app.query(Pane) if p.display] == ["queue"]
        assert app.query_one("#pane-tabs").display


async def test_the_tabs_row_is_made_when_the_terminal_first_gets_small(
    tmp_path: Path, clock: Clock
) -> None:
    """The four-area desk has no tabs row (nothing to build at start); shrinking the terminal
    makes it, on the area being used, and growing it again hides it."""
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.query("#pane-tabs")
        await pilot.press("f4")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        tabs = app.query_one("#pane-tabs", Tabs)
        assert tabs.display and tabs.active == "tab-review"
        assert [p.id for p in app.query(Pane) if p.display] == ["review"]
        await pilot.press("f2")
        await pilot.pause()
        assert tabs.active == "tab-timer"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not tabs.display and len(app.query("#pane-tabs")) == 1
        assert [p.id for p in app.query(Pane) if p.display] == ["timer", "queue", "review", "draft"]


async def test_one_tab_per_area_when_the_areas_have_lists(tmp_path: Path, clock: Clock) -> None:
    """The queue's and the drafts' lists and the review area: one Tab or Shift+Tab each (the
    area's frame was a stop of its own before the list inside)."""
    app = make_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("items", Item(title="MIT 18.06", status=ItemStatus.ACTIVE, added=T0))
    app.drafts.create("On backprop")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.refresh_panes()
        await pilot.pause()
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(app._focused_pane())
        assert seen == ["queue", "review", "draft", "timer"]
        back = []
        for _ in range(4):
            await pilot.press("shift+tab")
            back.append(app._focused_pane())
        assert back == ["draft", "review", "queue", "timer"]
        await pilot.press("tab")
        assert app.focused is app.query_one("#queue-list"), "the list itself, not its frame"


async def test_zoom_toggles_the_focused_pane(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", "z")
        assert app.screen.maximized is app.query_one("#review")
        await pilot.press("z")
        assert app.screen.maximized is None


async def test_zoom_does_nothing_over_a_pushed_screen(tmp_path: Path, clock: Clock) -> None:
    """On the deck list and the presets (screens over the desk) z / F11 zoom nothing (maximizing
    a desk area there filled the screen with hatching) and their footers do not offer it."""
    from deskwork.ui.screens.decks import DeckListScreen
    from deskwork.ui.screens.presets import PresetsScreen

    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        for key, kind in (("alt+d", DeckListScreen), ("alt+o", PresetsScreen)):
            await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, kind)
            offered = [k.description for k in screen.query_one(DeskFooter).keys or []]
            assert offered and "Zoom" not in offered, offered
            for zoom in ("z", "f11"):
                await pilot.press(zoom)
                await pilot.pause()
                assert screen.maximized is None and app.desk_screen.maximized is None
                assert app.screen is screen
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is app.desk_screen
        await pilot.press("z")
        assert app.screen.maximized is app.query_one("#timer"), "on the desk it still zooms"
        offered = [k.description for k in app.screen.query_one(DeskFooter).keys or []]
        assert "Zoom" in offered


async def test_first_run_welcome_once(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock, welcomed=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
    again = DeskworkApp(Desk.open(app.desk.paths, clock=clock), show_clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, WelcomeScreen)
        await pilot.press("q")


async def test_quit_flushes_everything(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("items", Item(title="MIT 18.06", status=ItemStatus.ACTIVE, added=T0))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    data_dir = app.desk.paths.data_dir
    manifest = read_manifest(data_dir)
    assert manifest is not None and "items" in manifest.tables, "compacted into table files"
    assert (data_dir / manifest.journal).stat().st_size == 0
    reopened = Desk.open(app.desk.paths, readonly=True)
    assert [i.title for i in reopened.store.items.all()] == ["MIT 18.06"]


async def test_queue_shows_untrusted_titles_as_plain_text(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        item = tx.put(
            "items", Item(title="[Re] Reproducing [b]x\x1b[31m", status=ItemStatus.ACTIVE, added=T0)
        )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        from textual.widgets import OptionList

        option = app.query_one("#queue-list", OptionList).get_option(str(item.id))
        assert str(option.prompt).startswith("[Re] Reproducing [b]x")
        assert "\x1b" not in str(option.prompt)


async def test_first_run_offers_the_starter_curriculum(tmp_path: Path, clock: Clock) -> None:
    app = make_app(tmp_path, clock, welcomed=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")  # the first button: load the starter curriculum
        await pilot.pause()
        listing = app.query_one("#queue-list", OptionList)
        titles = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any(t.startswith("MIT 18.06 Linear Algebra") for t in titles)
        assert len(app.desk.store.items) > 20


async def test_loading_the_starter_again_says_it_is_already_there(
    tmp_path: Path, clock: Clock
) -> None:
    app = make_app(tmp_path, clock, welcomed=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the welcome's first button: load the starter curriculum
        await pilot.pause()
        first = [n.message for n in app._notifications]
        assert any(m.startswith("Added ") for m in first), first
        count = len(app.desk.store.items)
        await pilot.press("f12")  # the welcome again: "Load the starter curriculum"
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        said = [n.message for n in app._notifications][-1]
        assert said.startswith(
            f"The starter's {count} courses, books and projects are already in your curriculum"
        ), said
        assert "Added 0" not in said and len(app.desk.store.items) == count


async def test_the_end_of_day_toast_waits_for_the_welcome(tmp_path: Path) -> None:
    """A first start after 19:00: the welcome is not covered by "a good moment to wrap up and
    leave the desk" (found twice by user trials); once past it, the toast comes."""
    app = make_app(tmp_path, Clock(T0.replace(hour=19, minute=30)), welcomed=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ticks(pilot)  # the timer has checked the hour with the welcome up
        assert isinstance(app.screen, WelcomeScreen)
        assert not any("past 19:00" in n.message for n in app._notifications)
        await pilot.press("enter")
        await ticks(pilot)  # its next check
        assert any("past 19:00" in n.message for n in app._notifications)


async def test_the_help_fits_80_columns_with_room_for_the_descriptions(
    tmp_path: Path, clock: Clock
) -> None:
    """A long title or key list wraps in its own column below 100 columns: one title ("Import
    cards (Anki .apkg / .txt)") left the descriptions 19 of 80 columns."""
    from rich.console import Console
    from rich.table import Table
    from textual.widgets import Static

    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        tables = list(app.screen.query(".help-table").results(Static))
        assert len(tables) >= 5
        for shown in tables:
            width = shown.content_region.width
            assert 0 < width <= 80
            table = shown.content
            assert isinstance(table, Table)
            console = Console(width=width, file=open(os.devnull, "w"))  # noqa: SIM115
            widths = table._calculate_column_widths(console, console.options)
            assert sum(widths) <= width and widths[2] >= 34, widths
        titles = {row[2] for row in app.screen.rows}
        assert "Import cards (.apkg / .txt)" in titles, "the palette still finds 'apkg'"
