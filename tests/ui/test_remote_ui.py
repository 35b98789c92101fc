"""The app's side of commands from outside (Pilot, real socket, real `deskwork` main() in a
thread): the timer area and the queue show what the command did, with a short toast."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.timer import Status
from deskwork.paths import Paths
from deskwork.remote_channel import Channel
from deskwork.services import WELCOME_DONE, Desk
from deskwork.ui.app import DeskworkApp
from tests.ui.factory import settled


async def test_commands_from_outside_show_in_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    desk = Desk.open(Paths(home, home))
    desk.store.set_setting(WELCOME_DONE, True)
    app = DeskworkApp(desk, show_clock=False, channel=Channel(desk))
    async with app.run_test(size=(120, 40)) as pilot:
        code = await asyncio.to_thread(main, ["--data-dir", str(home), "timer", "start"])
        await pilot.pause()
        assert code == 0  # (its output is checked in tests/test_remote.py)
        assert app.timer.service.state.status is Status.RUNNING  # the app's own timer
        code = await asyncio.to_thread(
            main, ["--data-dir", str(home), "queue", "add", "--offline", "1706.03762"]
        )
        await pilot.pause()
        assert code == 0
        queue = "\n".join(str(o.prompt) for o in app.queue_pane.query_one("#queue-list")._options)  # type: ignore[attr-defined]
        assert "arXiv:1706.03762" in queue
        toasts = [str(n.message) for n in app._notifications]
        assert any("From the command line: deskwork timer start" in t for t in toasts)
        # a keypress in the app works on the state the command left
        await pilot.press("space")
        assert app.timer.service.state.status is Status.PAUSED
    # the app closed its channel: nothing listens any more, the command runs on its own
    assert not (home / "deskwork.sock").exists()
    assert main(["--data-dir", str(home), "timer", "resume"]) == 0


async def test_an_open_card_browser_shows_cards_imported_from_outside(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    from deskwork.ui.screens.card_browser import CardBrowserScreen

    home = tmp_path / "home"
    deck = tmp_path / "deck.txt"
    deck.write_text("What is a gradient?\tThe direction of steepest ascent\n")
    desk = Desk.open(Paths(home, home))
    desk.store.set_setting(WELCOME_DONE, True)
    app = DeskworkApp(desk, show_clock=False, channel=Channel(desk))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+e")
        await settled(pilot)
        browser = app.screen
        assert isinstance(browser, CardBrowserScreen)
        assert browser.query_one(DataTable).row_count == 0
        code = await asyncio.to_thread(
            main, ["--data-dir", str(home), "cards", "import", str(deck)]
        )
        await pilot.pause()
        await settled(pilot)
        assert code == 0
        assert browser.query_one(DataTable).row_count == 1
