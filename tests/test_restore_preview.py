"""`deskwork restore BACKUP` without --yes first says what the restore would lose (the lines it
prints after restoring), computed without changing a byte, then asks for --yes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.store.backups import list_backups
from deskwork.store.store import Store
from tests.helpers import Clock, make_card


def _tree(folder: Path) -> dict[str, bytes]:
    out = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if name != "journal.mark":  # the writer's note, rewritten by any writer open
                out[str(path.relative_to(folder))] = path.read_bytes()
    return out


def test_restore_without_yes_lists_the_losses_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    clock = Clock()
    store = Store.open(home, clock=clock)  # backs up the empty store
    with store.transaction() as tx:
        for n in range(10):
            tx.put("cards", make_card(f"card {n}"))
    store.close()
    oldest = list_backups(home)[-1]
    before = _tree(home)

    code = main(["--data-dir", str(home), "restore", oldest.name])
    _, stderr = capsys.readouterr()
    assert code == 2
    assert "would be lost by the restore: cards: 10 added since (ids 1-10) are gone" in stderr
    assert stderr.index("lost by the restore") < stderr.index("confirm with --yes")
    assert _tree(home) == before, "the preview changed nothing"

    code = main(["--data-dir", str(home), "restore", oldest.name, "--yes"])
    _, stderr = capsys.readouterr()
    assert code == 0
    assert "lost by the restore: cards: 10 added since (ids 1-10) are gone" in stderr


def test_restore_preview_of_an_identical_backup_says_nothing_is_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    store = Store.open(home, clock=Clock())
    with store.transaction() as tx:
        tx.put("cards", make_card("kept"))
    store.backup()
    store.close()
    newest = list_backups(home)[0]
    code = main(["--data-dir", str(home), "restore", newest.name])
    _, stderr = capsys.readouterr()
    assert code == 2
    assert "the restore would lose nothing" in stderr
    assert "lost by the restore:" not in stderr


def test_restore_preview_refuses_a_damaged_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    store = Store.open(home, clock=Clock())
    with store.transaction() as tx:
        tx.put("cards", make_card("x"))
    store.backup()
    store.close()
    newest = list_backups(home)[0]
    journal = next(newest.glob("journal-*.jsonl"))
    journal.write_bytes(journal.read_bytes().replace(b'"x"', b'"y"'))
    code = main(["--data-dir", str(home), "restore", newest.name])
    _, stderr = capsys.readouterr()
    assert code != 0
    assert f"backup {newest.name}: journal" in stderr and "nothing was changed" in stderr
