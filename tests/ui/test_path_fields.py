"""Import dialogs pick a file by completion (Tab takes the rest of the first match) and say
"no such file: PATH" in the dialog for a path that is not there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import export_file
from deskwork.ui.screens.card_dialogs import TransferScreen
from deskwork.ui.widgets.paths import complete_path
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready, until


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "files"
    (root / "decks").mkdir(parents=True)
    (root / "deck-ml.apkg").write_bytes(b"")
    (root / "deck-notes.pdf").write_bytes(b"")
    (root / ".deck-hidden.apkg").write_bytes(b"")
    (root / "decks" / "anki.txt").write_text("gradient\tsteepest ascent\n")
    return root


def test_completion_prefers_folders_then_files_of_the_wanted_kind(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = f"{folder}/"
    assert complete_path(base + "dec", (".apkg",)) == base + "decks/"
    assert complete_path(base + "deck-", (".apkg",)) == base + "deck-ml.apkg"
    assert complete_path(base + "deck-n", (".apkg",)) is None  # a .pdf is not offered
    assert complete_path(base + ".deck", (".apkg",)) == base + ".deck-hidden.apkg"
    assert complete_path(base + "decks/a", ()) == base + "decks/anki.txt"
    monkeypatch.setenv("HOME", str(folder))
    assert complete_path("~/deck-m", (".apkg",)) == "~/deck-ml.apkg"
    assert complete_path(str(folder / "nowhere" / "x"), ()) is None


async def test_the_import_dialog_completes_and_names_a_missing_file(
    folder: Path, tmp_path: Path
) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.cards.import_deck()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        field = dialog.query_one("#transfer-path", Input)
        await pilot.press(*f"{folder}/decks/an")
        # the suggester runs in the app's own time: 0.2 s of pause was not enough under load
        await until(pilot, lambda: field._suggestion != "", "the path's completion offered")
        await pilot.press("tab")
        assert field.value == f"{folder}/decks/anki.txt"
        field.value = f"{folder}/missing.apkg"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "the dialog stays to fix the path"
        error = str(dialog.query_one("#transfer-error", Static).render())
        assert error == f"no such file: {folder}/missing.apkg"
        field.value = f"{folder}/decks/anki.txt"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [c.front for c in app.desk.store.cards.all()] == ["gradient"]


async def test_the_export_dialog_asks_before_replacing_a_file(tmp_path: Path) -> None:
    """A previous export under the name typed is replaced only after a second Enter; until then
    the dialog says so and the file is as it was."""
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        folder = app.desk.paths.exports_dir
        folder.mkdir(parents=True, exist_ok=True)
        old = folder / "old.apkg"
        old.write_bytes(b"last week's export")
        app.cards.export_deck()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        dialog.query_one("#transfer-path", Input).value = "old.apkg"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "asked first"
        error = str(dialog.query_one("#transfer-error", Static).render())
        assert error == f"{old} exists: Enter again replaces it (or type another name)"
        assert old.read_bytes() == b"last week's export"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not dialog
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert old.read_bytes()[:2] == b"PK", "replaced by the new export"


def _package(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    desk = Desk.open(Paths(source, source), clock=Clock())
    with desk.store.transaction() as tx:
        tx.put("cards", make_card("softmax", back="normalised exponentials"))
    path = tmp_path / "made.apkg"
    export_file(desk, path)
    desk.close()
    return path


async def test_an_import_reads_a_bare_name_from_the_folder_exports_write_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export typed as a bare name goes to the exports folder; typed the same way in the
    import dialog, the name is found there (the folder deskwork was started in first)."""
    monkeypatch.chdir(tmp_path)  # where deskwork was started: the file is not here
    package = _package(tmp_path)
    app = desk_app(tmp_path / "app", Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        folder = app.desk.paths.exports_dir
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(package, folder / "ml.apkg")
        app.cards.import_deck()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TransferScreen)
        field = dialog.query_one("#transfer-path", Input)
        field.value = "nope.apkg"
        await pilot.press("enter")
        await pilot.pause()
        error = str(dialog.query_one("#transfer-error", Static).render())
        assert error == f"no such file: nope.apkg (nor in {folder})"
        field.value = "ml.apkg"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [c.front for c in app.desk.store.cards.all()] == ["softmax"]


async def test_a_curriculum_import_reads_a_bare_name_from_the_exports_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = desk_app(tmp_path / "app", Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        folder = app.desk.paths.exports_dir
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.csv").write_text("title,notes\nDeep Learning book,chapters 1-5\n")
        before = len(app.desk.store.items.all())
        app.curriculum.import_file()
        await pilot.pause()
        field = app.screen.query_one("#title", Input)
        field.value = "plan.csv"
        await pilot.press("enter")
        await until(pilot, lambda: len(app.desk.store.items.all()) > before, "imported")
        titles = [i.title for i in app.desk.store.items.all()]
        assert "Deep Learning book" in titles
