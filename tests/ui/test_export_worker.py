"""Exporting cards in the app (Alt+X, `cards.export`): the file is built on a worker thread under a
progress bar, so the desk runs on meanwhile (timers fire, keys are handled); Esc cancels it and
nothing is written; a failure is said, naming the file, and leaves nothing half-written. The
worker is held in the writer (as a slow disk would hold it) to catch it mid-export without
depending on timing."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import ProgressBar, Static

from deskwork.interop.anki import writer
from deskwork.ui.screens.card_dialogs import ProgressScreen, TransferScreen
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready


def _hold_writer(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[str]]:
    """The writer waits at its first card until the returned event is set (only off the UI
    thread: on the UI thread it notes where it ran and goes on, as the old export did)."""
    real, release, threads = writer.to_anki, threading.Event(), []

    def held(*args: Any) -> Any:
        on_ui = threading.current_thread() is threading.main_thread()
        threads.append("ui" if on_ui else "worker")
        if not on_ui:
            assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(writer, "to_anki", held)
    return release, threads


def _app(tmp_path: Path, cards: int = 3) -> Any:
    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        for n in range(cards):
            tx.put("cards", make_card(f"question {n}", back=f"answer {n}"))
    return app


async def _export(pilot: Any, app: Any, target: str) -> None:
    await pilot.press("alt+x")  # the binding `cards.export`
    await pilot.pause()
    assert isinstance(app.screen, TransferScreen)
    app.screen.query_one("#transfer-path").value = target
    await pilot.press("enter")
    await pilot.pause()


async def _until(predicate: Any, pilot: Any, seconds: float = 30) -> None:
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


def _messages(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_export_runs_on_a_worker_while_the_desk_runs_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(tmp_path)
    target = tmp_path / "out" / "cards.apkg"
    target.parent.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        ticks: list[int] = []
        app.set_interval(0.01, lambda: ticks.append(1))
        release, threads = _hold_writer(monkeypatch)
        try:
            await _export(pilot, app, str(target))
            await _until(lambda: threads, pilot)  # the worker reached the writer's first card
            assert threads == ["worker"], "the file is built off the UI thread"
            progress = app.screen
            assert isinstance(progress, ProgressScreen)
            hint = str(progress.query_one("#progress-hint", Static).render())
            assert hint == "esc: cancel (nothing is written)"
            assert progress.query_one(ProgressBar).total == 3, "it counts the notes"
            before = len(ticks)
            await asyncio.sleep(0.2)
            await pilot.pause()
            assert len(ticks) > before + 5, "the event loop ran while the worker wrote"
            assert not target.exists(), "no file before it is whole"
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ProgressScreen)
        assert f"Wrote 3 notes, 3 cards to {target}" in _messages(app)
        assert target.is_file()


async def test_esc_cancels_the_export_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(tmp_path)
    target = tmp_path / "cards.apkg"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        release, threads = _hold_writer(monkeypatch)
        try:
            await _export(pilot, app, str(target))
            assert isinstance(app.screen, ProgressScreen)
            await _until(lambda: threads, pilot)  # the worker is in the writer
            await pilot.press("escape")  # handled while the worker is busy
            await pilot.pause()
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ProgressScreen)
        assert f"Export to {target} cancelled: nothing was written" in _messages(app)
        assert list(tmp_path.glob("cards*")) == [], "no file, no temp file"
        assert not list((tmp_path / "home").rglob("anki-export-*")), "the scratch folder is gone"


async def test_a_failed_export_names_the_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    app = _app(tmp_path)
    target = tmp_path / "cards.apkg"
    target.mkdir()  # a folder of that name: the rename into place is refused (even for root)
    (target / "keep.txt").write_text("mine")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _export(pilot, app, str(target))
        await app.workers.wait_for_complete()
        await pilot.pause()
        failed = [n for n in app._notifications if n.severity == "error"]
        assert failed and failed[0].title == "Export failed"
        assert str(failed[0].message).startswith(f"{target} was not written: ")
        assert not isinstance(app.screen, ProgressScreen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.apkg", "home"], "no temp file"
    assert (target / "keep.txt").read_text() == "mine"
    assert not list((tmp_path / "home").rglob("anki-export-*")), "the scratch folder is gone"


async def test_an_export_ending_under_another_screen_leaves_that_screen_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The palette opened over the progress bar (a review found `dismiss` popped whatever was
    on top: the palette went, the finished bar stayed with nothing to close it)."""
    from textual.command import CommandPalette

    app = _app(tmp_path)
    target = tmp_path / "cards.apkg"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        release, threads = _hold_writer(monkeypatch)
        try:
            await _export(pilot, app, str(target))
            await _until(lambda: threads, pilot)
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            app.cards.import_deck()  # a second transfer is refused while one runs
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            assert "An export is running already" in _messages(app)
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette), "the export's end left the palette open"
        assert isinstance(app.screen_stack[-2], ProgressScreen)
        await pilot.press("escape")  # the palette goes; the finished bar closes itself
        await pilot.pause()
        await pilot.pause()
        assert not any(isinstance(s, (ProgressScreen, CommandPalette)) for s in app.screen_stack)
        assert f"Wrote 3 notes, 3 cards to {target}" in _messages(app)
        assert target.is_file()
