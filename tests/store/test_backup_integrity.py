"""Backups you can bet on: verified, linked only by checksum, generations never reused, restore
that neither rotates away nor backs up over what it restores, and says what it costs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from deskwork.store import backups
from deskwork.store.backups import list_backups
from deskwork.store.manifest import read_manifest
from deskwork.store.store import Store
from tests.helpers import Clock, make_card


def _write(data_dir: Path, clock: Clock, *fronts: str, keep: int = 10) -> None:
    store = Store.open(data_dir, clock=clock, keep_backups=keep)
    with store.transaction() as tx:
        for front in fronts:
            tx.put("cards", make_card(front))
    store.close()
    clock.advance(hours=2)


def _touch(data_dir: Path, clock: Clock, keep: int = 10) -> None:
    """Open, write a setting (the cards file unchanged), close: a backup is due at the next open
    after the interval (an unchanged store is not backed up again)."""
    store = Store.open(data_dir, clock=clock, keep_backups=keep)
    store.set_setting("touched", clock().isoformat())
    store.close()


def test_a_damaged_copy_in_an_older_backup_is_not_linked_into_the_next(
    data_dir: Path, clock: Clock
) -> None:
    _write(data_dir, clock, "a")
    Store.open(data_dir, clock=clock).close()
    older = list_backups(data_dir)[0]
    name = next(n for n in os.listdir(older) if n.startswith("cards-"))
    (older / name).write_bytes(b'{"cards": {}}')  # bit rot in the backup: same name, other bytes
    _touch(data_dir, clock)
    clock.advance(hours=2)
    Store.open(data_dir, clock=clock).close()
    newest = list_backups(data_dir)[0]
    assert newest != older
    assert (newest / name).stat().st_ino != (older / name).stat().st_ino, "copied, not linked"
    assert b'"a"' in (newest / name).read_bytes()


def test_same_name_same_size_other_content_is_never_linked(data_dir: Path, clock: Clock) -> None:
    """The other timeline after a restore: a file of the same name and size is not the same file."""
    _write(data_dir, clock, "x")
    Store.open(data_dir, clock=clock).close()
    older = list_backups(data_dir)[0]
    manifest = read_manifest(data_dir)
    assert manifest is not None
    name = manifest.tables["cards"][0]
    live = (data_dir / name).read_bytes()
    (older / name).write_bytes(live.replace(b'"x"', b'"y"'))  # same size, other bytes
    _touch(data_dir, clock)
    clock.advance(hours=2)
    Store.open(data_dir, clock=clock).close()
    newest = list_backups(data_dir)[0]
    assert (newest / name).read_bytes() == live


def test_generations_are_never_reused_after_a_restore(data_dir: Path, clock: Clock) -> None:
    _write(data_dir, clock, "one")
    Store.open(data_dir, clock=clock).close()
    first = list_backups(data_dir)[0]
    _write(data_dir, clock, "two")
    _write(data_dir, clock, "three")
    before = backups.highest_gen(data_dir)
    store = Store.open(data_dir, clock=clock, for_restore=True)
    store.restore(first)
    store.close()
    after = read_manifest(data_dir)
    assert after is not None and after.gen > before, "a new generation, above every one used"
    names = set(after.files())
    for backup in list_backups(data_dir):
        m = backups.backup_manifest(backup)
        assert m is not None
        for other in m.files():
            if other in names:
                assert (backup / other).read_bytes() == (data_dir / other).read_bytes()


def test_rotation_keeps_the_newest_copy_of_every_live_file(data_dir: Path, clock: Clock) -> None:
    _write(data_dir, clock, "a", keep=2)
    for _ in range(4):
        Store.open(data_dir, clock=clock, keep_backups=2).close()
        clock.advance(hours=2)
    manifest = read_manifest(data_dir)
    assert manifest is not None
    found = list_backups(data_dir)
    assert len(found) == 2
    for name in manifest.files():
        assert any((b / name).exists() for b in found)


def _deskwork(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKWORK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "deskwork", *args], env=env, capture_output=True, text=True
    )


def test_cli_restore_of_the_oldest_backup_keeps_it_and_says_what_is_lost(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home).mkdir()
    (home / "config.toml").write_text("[store]\nkeep_backups = 2\nbackup_interval_minutes = 1\n")
    clock = Clock()
    store = Store.open(home, clock=clock, keep_backups=2)
    with store.transaction() as tx:
        tx.put("cards", make_card("old"))
    store.close()
    clock.advance(hours=2)
    Store.open(home, clock=clock, keep_backups=2).close()  # backs up "old"
    for front in ("new 1", "new 2"):
        clock.advance(hours=2)
        store = Store.open(home, clock=clock, keep_backups=2)
        with store.transaction() as tx:
            tx.put("cards", make_card(front))
        store.close()
    found = list_backups(home)
    assert len(found) == 2
    oldest = found[-1]
    result = _deskwork("restore", oldest.name, "--yes", home=home)
    assert result.returncode == 0, result.stderr
    assert oldest.exists(), "the backup being restored is never rotated away"
    # a backup is made when one is due and the store changed since the last: at the close after
    # "new 1" and at the one after "new 2"; the oldest kept one holds "new 1" but not "new 2"
    assert "cards: 1 added since (ids 3) are gone" in result.stderr, result.stderr
    check = Store.open(home, readonly=True)
    assert sorted(c.front for c in check.cards.all()) == ["new 1", "old"]
    result = _deskwork("restore", home=home)
    safety = result.stdout.split()[0]  # newest first: the state before the restore
    again = _deskwork("restore", safety, "--yes", home=home)
    assert again.returncode == 0, again.stderr
    check = Store.open(home, readonly=True)
    assert sorted(c.front for c in check.cards.all()) == ["new 1", "new 2", "old"]
