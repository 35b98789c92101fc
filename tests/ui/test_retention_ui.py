"""Pilot tests of the retention screen: reached from the presets screen (r) and from anywhere
(Alt+R, the command palette); it paints at once and simulates in a worker; the chart marks the
retention cheapest per card remembered; ←/→ move the cursor and Enter applies the retention to
the preset (stored, confirmed); leaving while it computes stops the worker. An SVG snapshot at
80×24."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, ProgressBar, Static

from deskwork.services import presets as ps
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.presets import PresetsScreen
from deskwork.ui.screens.retention import RetentionScreen
from deskwork.ui.widgets.retention_chart import RetentionChart
from tests.helpers import T0, Clock
from tests.retention_fixture import write_collection
from tests.ui.factory import desk_app, ready


def lang_app(tmp_path: Path, **kw: int) -> DeskworkApp:
    app = desk_app(tmp_path, Clock(T0))
    write_collection(app.desk.store, **kw)
    return app


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_for_lang(pilot: Pilot[Any]) -> RetentionScreen:
    await ready(pilot)
    await pilot.press("alt+o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PresetsScreen)
    await pilot.press("down")  # Default, then Lang
    await pilot.press("r")
    screen = pilot.app.screen
    assert isinstance(screen, RetentionScreen)
    return screen


async def test_choose_and_apply_a_retention(tmp_path: Path) -> None:
    app = lang_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_for_lang(pilot)
        assert screen.query_one(ProgressBar) is not None, "painted at once, with a progress bar"
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = screen.report
        assert report is not None and len(report.rows) == 28
        assert not screen.query_one(ProgressBar).display, "the bar goes once the table is there"
        best = report.best
        assert best is not None
        assert f"★ {report.rows[best].retention:.2f} costs least" in text(
            screen, "#retention-status"
        )
        chart = str(screen.query_one(RetentionChart).render())
        assert "Minutes of review a day" in chart and "Cards remembered at the end" in chart
        assert "★" in chart or best == screen.cursor
        assert report.rows[screen.cursor].retention == 0.9, "the cursor starts at the current value"
        await pilot.press("left", "left", "left")
        assert "▲ 0.87:" in text(screen, "#retention-detail")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen), "applied: back to the presets"
        assert ps.find(app.desk, "Lang").desired_retention == 0.87
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(1)[1]) == "0.87", "the presets table shows the new value"
        assert any(
            "desired retention 0.87 (was 0.90)" in str(n.message) for n in app._notifications
        )


async def test_reached_from_anywhere_and_the_default_preset_says_where_it_lives(
    tmp_path: Path,
) -> None:
    app = lang_app(tmp_path, studied=10, new=5)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("alt+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RetentionScreen) and screen.report is not None
        assert screen.report.preset == "Default"
        assert "Nothing to simulate" in text(screen, "#retention-status")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RetentionScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Desired retention" in titles, "in the command palette"


async def test_leaving_while_it_computes_stops_the_worker(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock(T0))
    lang = write_collection(app.desk.store, studied=3000, new=500)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = RetentionScreen(lang, days=3650)  # ten years at 28 retentions: many seconds
        await app.push_screen(screen)
        await pilot.press("escape")
        started = time.perf_counter()
        await app.workers.wait_for_complete()
        assert time.perf_counter() - started < 5, "the worker stopped at the next simulated day"
        assert screen.report is None and screen._stop.is_set()
        assert not isinstance(app.screen, RetentionScreen)


def test_retention_screen_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    async def open_screen(pilot: Pilot[Any]) -> None:
        await open_for_lang(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.press("left", "left")
        await pilot.pause()

    assert snap_compare(lang_app(tmp_path), terminal_size=(80, 24), run_before=open_screen)
