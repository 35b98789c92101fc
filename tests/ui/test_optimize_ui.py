"""Pilot tests of optimising from the TUI: from the presets screen (`o` on the selected preset) the
run shows its progress, then the log loss and RMSE before and after and "adopted", the preset
schedules with the new parameters; Esc while it runs cancels and nothing changes; the palette's
command optimises every preset; too little history is said. And an SVG
snapshot of the finished screen (fixed history, fixed clock: the figures are deterministic)."""

from __future__ import annotations

import asyncio
import io
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from deskwork.services import presets as ps
from deskwork.services.optimize_reminder import LAST_KEY
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.optimize import OptimizeScreen
from deskwork.ui.screens.presets import PresetsScreen
from tests.helpers import T0, Clock
from tests.optimize_history import history, store_history
from tests.ui.factory import desk_app, ready

CARDS = 200


def history_app(tmp_path: Path, cards: int = CARDS) -> DeskworkApp:
    app = desk_app(tmp_path, Clock(T0))
    store_history(app.desk.store, history(cards, T0, seed=7), cards)
    return app


async def finished(pilot: Pilot[Any], screen: OptimizeScreen, limit_s: float = 60) -> None:
    start = time.monotonic()
    while not screen.worker.is_finished:
        assert time.monotonic() - start < limit_s, "the optimiser did not finish"
        await asyncio.sleep(0.05)
    await pilot.pause()


def text_of(screen: OptimizeScreen, selector: str) -> str:
    """What a Static shows, as plain text (a Rich table rendered)."""
    console = Console(width=110, record=True, file=io.StringIO())
    console.print(screen.query_one(selector, Static).content)
    return " ".join(console.export_text().split())


async def test_optimise_from_the_presets_screen(tmp_path: Path) -> None:
    app = history_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("alt+o")
        assert isinstance(app.screen, PresetsScreen)
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, OptimizeScreen)
        await finished(pilot, screen)
        result = text_of(screen, "#optimize-result")
        assert "Default" in result and "adopted" in result and "→" in result
        status = text_of(screen, "#optimize-status")
        assert "new parameters adopted" in status and "log loss" in status
        assert f"memory states of {CARDS} cards recomputed" in status
        params = ps.default_preset(app.desk).parameters
        assert params is not None
        assert app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, PresetsScreen)
        detail = text_of(app.screen, "#presets-detail")  # type: ignore[arg-type]
        assert f"{params[0]:.4g}" in detail
        assert f"FSRS optimised: {T0:%Y-%m-%d}" in detail


async def test_escape_cancels_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc while the training runs: nothing is written. The training is held until Esc has been
    pressed (a short history trains in well under a second: under load the test once saw the whole
    run end before it could press Esc), then runs for real and sees the cancellation."""
    from deskwork.services import fsrs_train as ft

    real, training = ft.train_in_child, threading.Event()

    def held(*args: Any) -> Any:
        training.set()
        cancelled = args[-1]
        deadline = time.monotonic() + 30
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(*args)

    monkeypatch.setattr(ft, "train_in_child", held)
    app = history_app(tmp_path)
    cards = {c.id: c for c in app.desk.store.cards.all()}
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("alt+f")  # the palette command: every preset
        screen = app.screen
        assert isinstance(screen, OptimizeScreen)
        start = time.monotonic()
        while not training.is_set():  # the worker is in the training step
            assert time.monotonic() - start < 30 and not screen.worker.is_finished
            await asyncio.sleep(0.005)
        await pilot.press("escape")
        await finished(pilot, screen)
        assert "Cancelled: nothing was changed." in text_of(screen, "#optimize-status")
        await pilot.press("escape")
        assert not isinstance(app.screen, OptimizeScreen)
    assert ps.default_preset(app.desk).parameters is None
    assert app.desk.store.setting(LAST_KEY) is None
    assert {c.id: c for c in app.desk.store.cards.all()} == cards


async def test_too_little_history_is_said(tmp_path: Path) -> None:
    app = history_app(tmp_path, cards=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("alt+f")
        screen = app.screen
        assert isinstance(screen, OptimizeScreen)
        await finished(pilot, screen)
        assert "not enough review history" in text_of(screen, "#optimize-result")
        assert "Nothing optimised" in text_of(screen, "#optimize-status")


def test_optimise_screen_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("alt+o", "o")
        screen = pilot.app.screen
        assert isinstance(screen, OptimizeScreen)
        await finished(pilot, screen)

    assert snap_compare(history_app(tmp_path), terminal_size=(120, 40), run_before=run)
