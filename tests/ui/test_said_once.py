"""Things said once ever, not at every start: the desktop-notification fallback."""

from __future__ import annotations

import asyncio
from pathlib import Path

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.ui.app import DeskworkApp
from tests.helpers import Clock
from tests.ui.factory import desk_app


async def said(app: DeskworkApp) -> list[str]:
    app.timer.notifier.available = False  # this system has no desktop notifications
    app.timer.notifier.reason = "NotImplementedError"
    await asyncio.to_thread(app.timer._desktop, "Focus complete")  # as the worker calls it
    return [n.message for n in app._notifications if "desktop notifications" in n.message]


async def test_the_desktop_notification_fallback_is_said_once_ever(tmp_path: Path) -> None:
    clock = Clock()
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the desk drawn: what is told before waits for that (desk_areas.py)
        first = await said(app)
        await pilot.pause()
        assert len(first) == 1
        assert "NotImplementedError" not in first[0]
        assert "You will not see this message again" in first[0]
    home = tmp_path / "home"
    again = DeskworkApp(Desk.open(Paths(home, home), clock=clock), show_clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert await said(again) == []  # a new start: not again
