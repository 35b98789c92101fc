"""One writer per data dir; rotating backups; restore."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deskwork.store.backups import list_backups
from deskwork.store.lock import StoreLocked, is_locked
from deskwork.store.store import Store
from tests.helpers import Clock, make_card


def test_a_second_writer_is_told_who_holds_the_store(data_dir: Path, clock: Clock) -> None:
    first = Store.open(data_dir, clock=clock, what="the deskwork TUI")
    with pytest.raises(StoreLocked) as info:
        Store.open(data_dir, clock=clock)
    message = str(info.value)
    assert f"pid {os.getpid()}" in message and "the deskwork TUI" in message
    assert is_locked(data_dir) is not None
    first.close()
    assert is_locked(data_dir) is None
    Store.open(data_dir, clock=clock).close()


def test_the_lock_dies_with_its_process(data_dir: Path) -> None:
    code = (
        "import sys, os; from pathlib import Path; from deskwork.store.store import Store;"
        "Store.open(Path(sys.argv[1])); os._exit(0)"  # exits holding the lock, no cleanup
    )
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    Store.open(data_dir).close()


def _open_write_close(data_dir: Path, clock: Clock, keep: int = 2) -> None:
    store = Store.open(data_dir, clock=clock, keep_backups=keep)
    store.set_setting("touched", clock().isoformat())
    store.close()


def test_backup_at_most_once_per_interval_and_rotation(data_dir: Path, clock: Clock) -> None:
    for _ in range(3):
        _open_write_close(data_dir, clock)
        clock.advance(minutes=10)
    assert len(list_backups(data_dir)) == 1, "three opens within the hour make one backup"
    for _ in range(4):
        clock.advance(hours=1, seconds=1)
        _open_write_close(data_dir, clock)
    assert len(list_backups(data_dir)) == 2, "only the newest two are kept"


def test_an_unchanged_store_is_not_backed_up_again(data_dir: Path, clock: Clock) -> None:
    """Hours of opening and closing (or a desk left open) with nothing written do not fill the
    backup slots with copies of one state, rotating away the backups of the days before."""
    for front in ("monday", "tuesday"):
        store = Store.open(data_dir, clock=clock, keep_backups=3)
        with store.transaction() as tx:
            tx.put("cards", make_card(front))
        store.close()
        clock.advance(hours=2)
    Store.open(data_dir, clock=clock, keep_backups=3).close()  # backs up "tuesday"
    clock.advance(hours=2)
    before = list_backups(data_dir)
    for _ in range(10):
        Store.open(data_dir, clock=clock, keep_backups=3).close()
        clock.advance(hours=2)
    assert list_backups(data_dir) == before, "nothing new: no backup, none rotated away"
    _open_write_close(data_dir, clock, keep=3)
    clock.advance(hours=2)
    Store.open(data_dir, clock=clock, keep_backups=3).close()
    after = list_backups(data_dir)
    assert after[0] not in before and after[1:] == before[: len(after) - 1], "a change: backed up"


def test_backups_are_copies_not_links_to_live_files(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card())
    store.close()
    clock.advance(hours=2)
    store = Store.open(data_dir, clock=clock)
    backup = list_backups(data_dir)[0]
    live = data_dir / store.manifest.tables["cards"][0]
    assert (backup / live.name).stat().st_ino != live.stat().st_ino
    store.close()


def test_unchanged_files_are_shared_between_backups(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card())
    store.close()
    clock.advance(hours=2)
    Store.open(data_dir, clock=clock).close()
    clock.advance(hours=2)
    _open_write_close(data_dir, clock, keep=10)  # a setting changes, the cards file does not
    clock.advance(hours=2)
    Store.open(data_dir, clock=clock).close()
    newest, older = list_backups(data_dir)[:2]
    name = next(p.name for p in newest.iterdir() if p.name.startswith("cards-"))
    assert (newest / name).stat().st_ino == (older / name).stat().st_ino


def test_restore_backs_up_the_current_state_first(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("in the backup"))
    store.close()
    clock.advance(hours=2)
    store = Store.open(data_dir, clock=clock)
    backup = list_backups(data_dir)[0]
    with store.transaction() as tx:
        tx.put("cards", make_card("after it"))
    clock.advance(minutes=1)
    safety = store.restore(backup)
    assert [c.front for c in store.cards.all()] == ["in the backup"]
    store.close()
    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["in the backup"]
    again.close()
    check = Store.open(data_dir, clock=clock)
    check.restore(safety)
    assert sorted(c.front for c in check.cards.all()) == ["after it", "in the backup"]
    check.close()


def test_a_background_backup_keeps_its_files_through_a_compaction(
    data_dir: Path, clock: Clock
) -> None:
    import threading

    store = Store.open(data_dir, clock=clock, backup_on_open=False)
    with store.transaction() as tx:
        tx.put("cards", make_card("before"))
    store.compact()
    old_file = store.manifest.tables["cards"][0]
    clock.advance(hours=2)
    job = store.prepare_backup()
    with store.transaction() as tx:
        tx.put("cards", make_card("after"))
    store.compact()  # replaces the cards file; the pinned old one must survive for the backup
    assert (data_dir / old_file).exists()
    worker = threading.Thread(target=job)
    worker.start()
    worker.join(30)
    backup = list_backups(data_dir)[0]
    assert (backup / old_file).exists()
    store.compact(force=True)
    assert not (data_dir / old_file).exists(), "unpinned after the backup: cleaned up"
    clock.advance(minutes=1)
    store.restore(backup)
    assert [c.front for c in store.cards.all()] == ["before"]
    store.close()
