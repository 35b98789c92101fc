"""The TUI on a full disk: a failed save is told, the app stays up and read-only, and writes again
once space returns; a sync that fails after the write (group commit) is told, naming what may not
be on disk, and retried; a damaged store file is told in a notification."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.store import fsutil
from deskwork.store.journal_writer import SyncFailure
from deskwork.store.manifest import read_manifest
from deskwork.ui import write_guard
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
        monkeypatch.setattr(fsutil, "write_all", _no_space)  # the write itself fails
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


async def test_a_sync_that_fails_after_the_save_is_told_and_retried(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(200, 40)) as pilot:
        await ready(pilot)
        store = app.desk.store
        assert store.flusher is not None, "the TUI saves by group commit"
        failing = [True]

        def sync(fd: int) -> None:
            if failing[0]:
                raise OSError(errno.EIO, "Input/output error")
            os.fdatasync(fd)

        draft = app.drafts.create("Field notes")
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        status = app.draft_pane.query_one("#draft-status")
        store.flusher.gate.clear()  # the flusher holds its sync: "saved" must wait for it
        await pilot.press(*"hi ")
        app.draft_pane.flush()
        await pilot.pause()
        assert str(status.render()).rstrip().endswith("saving…")
        store.flusher.gate.set()
        for _ in range(100):
            await pilot.pause(0.01)
            if "saved " in str(status.render()):
                break
        assert "saved " in str(status.render()), "shown once the sync returned"
        assert store._journal is not None
        store._journal.sync_fn = sync  # (a write never switches journals at this size)
        await pilot.press(*"hello")
        app.draft_pane.flush()
        for _ in range(100):
            await pilot.pause(0.01)
            if app.write_guard.sync_failure is not None:
                break
        failure = app.write_guard.sync_failure
        assert isinstance(failure, SyncFailure) and f"drafts {draft.id}" in failure.what()
        messages = [str(n.message) for n in app._notifications]
        assert any("may not be on disk" in m and f"drafts {draft.id}" in m for m in messages)
        assert str(status.render()).rstrip().endswith("NOT on disk")
        assert app.writable(), "the app goes on: the sync is retried"
        failing[0] = False
        app.write_guard.retry_sync()  # (its timer's work, without the 10 s)
        for _ in range(100):
            await pilot.pause(0.01)
            if app.write_guard.sync_failure is None:
                break
        assert app.write_guard.sync_failure is None and store.sync_failure is None
        assert any("on disk now" in str(n.message) for n in app._notifications)
        assert "saved " in str(status.render())
    again = Desk.open(Paths(tmp_path / "home", tmp_path / "home"), readonly=True, clock=clock)
    assert again.store.drafts.get(draft.id).body == "hi hello"


async def test_the_sync_retry_timer_fires_and_makes_the_changes_durable(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard hears a failed sync on the flusher's thread; the retry timer it sets then must
    run in the app's context (before: LookupError active_app when it fired, no retry ever)."""
    monkeypatch.setattr(write_guard, "RETRY_S", 0.1)
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(200, 40)) as pilot:
        await ready(pilot)
        store = app.desk.store
        assert store._journal is not None
        failing = [True]

        def sync(fd: int) -> None:
            if failing[0]:
                raise OSError(errno.EIO, "Input/output error")
            os.fdatasync(fd)

        store._journal.sync_fn = sync
        app.drafts.create("Field notes")  # written; the flusher's sync fails
        for _ in range(200):
            await pilot.pause(0.01)
            if app.write_guard.sync_failure is not None:
                break
        assert app.write_guard.sync_failure is not None
        assert write_guard.NOT_ON_DISK in app.sub_title, "a marker that stays while it fails"
        failing[0] = False  # nothing else writes or syncs: only the timer's retry can
        for _ in range(300):
            await pilot.pause(0.01)
            if app.write_guard.sync_failure is None:
                break
        assert store.sync_failure is None and store._journal.pending == 0
        assert app.write_guard.sync_failure is None
        assert any("on disk now" in str(n.message) for n in app._notifications)
        assert write_guard.NOT_ON_DISK not in app.sub_title


async def test_a_save_another_thread_synced_first_shows_saved(tmp_path: Path, clock: Clock) -> None:
    """A compaction's or a backup's sync covered the draft's save before the flusher got to it:
    the status still turns to "saved" (before: "saving…" forever)."""
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(200, 40)) as pilot:
        await ready(pilot)
        store = app.desk.store
        assert store.flusher is not None and store._journal is not None
        draft = app.drafts.create("Field notes")
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        status = app.draft_pane.query_one("#draft-status")
        store.flusher.gate.clear()  # the flusher is still busy with an earlier slow sync
        await pilot.press(*"hello")
        app.draft_pane.flush()
        other = threading.Thread(target=store._journal.sync)
        other.start()
        other.join()
        store.flusher.gate.set()
        for _ in range(200):
            await pilot.pause(0.01)
            if "saved " in str(status.render()):
                break
        assert "saved " in str(status.render())


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


QUIT_WHILE_SYNC_FAILS = r"""
import argparse, errno, sys
from pathlib import Path
from deskwork import cli
from deskwork.paths import Paths
from deskwork.ui.app import DeskworkApp

def eio(fd: int) -> None:
    raise OSError(errno.EIO, "Input/output error")

run = DeskworkApp.run

def headless(app: DeskworkApp) -> object:
    def first_frame() -> None:
        if app.desk.store.flusher is None:  # group commit starts after the first frame
            app.set_timer(0.02, first_frame)
            return
        app.desk.store._journal.sync_fn = eio  # the disk refuses every sync from now on
        app.drafts.create("Field notes")  # written; its sync (the flusher's) fails
        app.exit()

    app.call_after_refresh(first_frame)
    return run(app, headless=True, size=(100, 30))

DeskworkApp.run = headless
home = Path(sys.argv[1])
sys.exit(cli.run_tui(argparse.Namespace(), Paths(home, home)))
"""


def test_quitting_while_the_sync_fails_exits_1_and_claims_nothing_safe(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Desk.open(Paths(home, home)).close()
    done = subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_SYNC_FAILS, str(home)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "could not make the last changes durable" in done.stderr, done.stderr[-2000:]
    assert "may not be on disk: drafts" in done.stderr
    assert "safe" not in done.stderr, "nothing may be called safe while the sync fails"
    assert done.returncode == 1
