"""The TUI on a full disk: a failed save is told, the app stays up and read-only, and writes again
once space returns; a damaged store file is told in a notification."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from deskwork.store import journal
from deskwork.store.manifest import read_manifest
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready


def _no_space(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


async def test_disk_full_keeps_the_app_up_read_only_until_space_returns(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(journal.os, "fdatasync", _no_space)
        await pilot.press("f5", "n")
        await pilot.press(*"Lost post", "enter")
        await pilot.pause()
        assert app.is_running, "the app stays up"
        assert app.write_guard.failure and "No space left" in app.write_guard.failure
        messages = [str(n.message) for n in app._notifications]
        assert any("nothing was saved" in m and "Read-only" in m for m in messages)
        assert not app.writable(), "read-only while saving fails"
        assert not any(d.title == "Lost post" for d in app.desk.store.drafts.values())
        app.write_guard.retry()
        assert app.write_guard.failure is not None, "still failing: still read-only"
        monkeypatch.undo()
        app.write_guard.retry()
        assert app.write_guard.failure is None and app.writable()
        await pilot.press("f5", "n")
        await pilot.press(*"Saved post", "enter")
        await pilot.pause()
        assert any(d.title == "Saved post" for d in app.desk.store.drafts.values())


async def test_a_damaged_file_is_told_in_the_tui(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    app.desk.close()
    home = tmp_path / "home"
    manifest = read_manifest(home)
    assert manifest is not None
    (home / manifest.tables["settings"][0]).write_bytes(b"{}")
    clock.advance(hours=3)
    again = desk_app(tmp_path, clock)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        messages = " ".join(str(n.message) for n in again._notifications)
        assert "is damaged" in messages and "settings" in messages
