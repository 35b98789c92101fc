"""Exports land in a documented folder (DIR/exports with --data-dir / DESKWORK_HOME, else
~/Documents/deskwork), never the current folder, and the full path written is shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.domain.drafts import Draft
from deskwork.paths import Paths
from deskwork.ui.screens.card_dialogs import TransferScreen
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def test_the_exports_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Paths.resolve(tmp_path / "d").exports_dir == tmp_path / "d" / "exports"
    monkeypatch.delenv("DESKWORK_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "me" / "Documents"))
    assert Paths.resolve().exports_dir == tmp_path / "me" / "Documents" / "deskwork"


def test_cli_drafts_export_goes_to_the_exports_folder_not_the_current_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "a-git-clone"
    clone.mkdir()
    monkeypatch.chdir(clone)
    home = Path(os.environ["DESKWORK_HOME"])
    assert main(["drafts", "new", "Bold claims"]) == 0
    capsys.readouterr()
    assert main(["drafts", "export", "1"]) == 0
    written = Path(capsys.readouterr().out.strip())
    assert written == home / "exports" / "bold-claims.md" and written.is_file()
    assert list(clone.iterdir()) == []


async def test_tui_exports_show_the_full_path_written(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("What is a gradient?"))
        tx.put("drafts", Draft(title="Bold claims", body="text", created=T0, updated=T0))
    folder = tmp_path / "home" / "exports"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.cards.export_deck()
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen)
        await pilot.press("enter")  # the proposed name, in the exports folder
        await app.workers.wait_for_complete()  # written on a worker thread
        await pilot.pause()
        assert (folder / "deskwork-cards.apkg").is_file()
        await pilot.press("f5", "x")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert f"Wrote 1 note, 1 card to {folder / 'deskwork-cards.apkg'}" in messages
        assert f"Exported to {folder / 'bold-claims.md'}" in messages
