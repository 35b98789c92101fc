"""A backup on quit: the TUI's close backs up whatever was written since the newest backup (the
README's "every hour … and on quit"), never an unchanged store again; CLI commands keep the hourly
rule (a backup at their close only when one is due), and the TUI's quit picks up what they wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deskwork.cli import build_tui, main
from deskwork.paths import Paths
from deskwork.store.backups import list_backups
from deskwork.store.store import Store
from tests.helpers import Clock, make_card


def _fronts_in(backup: Path, tmp_path: Path) -> list[str]:
    """The cards a backup holds, read by opening a copy of it as a store."""
    copy = tmp_path / f"open-{backup.name}"
    shutil.copytree(backup, copy)
    store = Store.open(copy, readonly=True)
    try:
        return sorted(c.front for c in store.cards.all())
    finally:
        store.close()


def _tui_session(data_dir: Path, clock: Clock, *fronts: str, keep: int = 10) -> None:
    store = Store.open(data_dir, clock=clock, backup_on_quit=True, keep_backups=keep)
    if fronts:
        with store.transaction() as tx:
            for front in fronts:
                tx.put("cards", make_card(front))
    store.close()


def _cli_write(data_dir: Path, clock: Clock, front: str) -> None:
    store = Store.open(data_dir, clock=clock)  # a CLI command: the hourly rule only
    with store.transaction() as tx:
        tx.put("cards", make_card(front))
    store.close()


def test_quit_backs_up_what_cli_commands_wrote_within_the_hour(
    data_dir: Path, clock: Clock, tmp_path: Path
) -> None:
    _cli_write(data_dir, clock, "one")  # its open backs up the empty store
    clock.advance(minutes=5)
    _cli_write(data_dir, clock, "two")
    assert len(list_backups(data_dir)) == 1, "CLI commands within the hour: no backup each"
    clock.advance(minutes=5)
    _tui_session(data_dir, clock)  # open the TUI, change nothing, quit
    found = list_backups(data_dir)
    assert len(found) == 2
    assert _fronts_in(found[0], tmp_path) == ["one", "two"]


def test_quit_of_an_unchanged_store_takes_no_backup(data_dir: Path, clock: Clock) -> None:
    _tui_session(data_dir, clock, "a")
    before = list_backups(data_dir)
    for _ in range(3):
        clock.advance(minutes=1)
        _tui_session(data_dir, clock)
    assert list_backups(data_dir) == before


def test_quit_backs_up_the_session_writes_even_after_a_backup_and_compaction_in_it(
    data_dir: Path, clock: Clock, tmp_path: Path
) -> None:
    _tui_session(data_dir, clock, "a")
    clock.advance(minutes=1)
    store = Store.open(data_dir, clock=clock, backup_on_quit=True)
    with store.transaction() as tx:
        tx.put("cards", make_card("b"))
    clock.advance(minutes=1)
    store.backup()  # the hourly backup on the background thread, mid-session
    store.compact(force=True)  # then a compaction: a new generation, no new write
    clock.advance(minutes=1)
    taken = list_backups(data_dir)
    store.close()
    assert list_backups(data_dir) == taken, "nothing written since the session's backup"

    clock.advance(minutes=1)
    store = Store.open(data_dir, clock=clock, backup_on_quit=True)
    store.backup()
    with store.transaction() as tx:
        tx.put("cards", make_card("c"))
    store.compact(force=True)
    clock.advance(minutes=1)
    store.close()
    newest = list_backups(data_dir)[0]
    assert _fronts_in(newest, tmp_path) == ["a", "b", "c"]


def test_quit_backups_keep_rotating(data_dir: Path, clock: Clock) -> None:
    for n in range(5):
        clock.advance(minutes=1)
        _tui_session(data_dir, clock, f"card {n}", keep=2)
    assert len(list_backups(data_dir)) == 2


async def test_the_tui_quit_backs_up_after_cli_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The user's path: CLI commands within the hour, open the TUI, quit (ctrl+q)."""
    home = tmp_path / "home"
    cards = tmp_path / "cards.txt"
    cards.write_text("q1\ta1\nq2\ta2\n")
    for args in (["drafts", "new", "First post"], ["cards", "import", str(cards)]):
        assert main(["--data-dir", str(home), *args]) == 0
    capsys.readouterr()
    assert len(list_backups(home)) == 1  # the empty store, from the first open

    app = build_tui(Paths(home, home))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    found = list_backups(home)
    assert len(found) == 2
    assert _fronts_in(found[0], tmp_path) == ["q1", "q2"]
