"""A draft's export never replaces another post's file: `<slug>.md` already there is replaced only
when it is this draft's own earlier export, unchanged since (or holds exactly what would be
written); otherwise nothing is written and the file is named — `--replace` (the CLI) or an agreed
replacement (the TUI's second press) replaces it. On a real store and real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.drafts import DraftService, ExportRefused
from tests.helpers import Clock


def service(tmp_path: Path, clock: Clock) -> DraftService:
    (tmp_path / "config.toml").write_text("")
    return DraftService(Desk.open(Paths(tmp_path, tmp_path), clock=clock))


def test_another_posts_file_of_that_name_is_never_replaced(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock)
    blog = tmp_path / "blog"
    blog.mkdir()
    theirs = blog / "attention.md"
    theirs.write_text("---\ntitle: Attention, my post from 2024\n---\n\nA year of work.\n")
    draft = drafts.create("Attention")
    drafts.save_text(draft.id, "New notes.")
    with pytest.raises(ExportRefused, match=r"attention\.md already exists: not replaced") as err:
        drafts.export(draft.id, "hugo", blog)
    assert err.value.path == theirs
    assert theirs.read_text().endswith("A year of work.\n"), "untouched"
    path = drafts.export(draft.id, "hugo", blog, agreed=err.value.seen)
    assert path == theirs and "New notes." in theirs.read_text()


def test_the_drafts_own_unchanged_export_is_replaced_silently(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock)
    draft = drafts.create("Week 1")
    drafts.save_text(draft.id, "first version")
    path = drafts.export(draft.id, "jekyll", tmp_path / "blog")
    clock.advance(hours=1)
    drafts.save_text(draft.id, "second version")
    assert drafts.export(draft.id, "jekyll", tmp_path / "blog") == path
    assert "second version" in path.read_text()
    drafts.desk.close()
    reopened = service(tmp_path, clock)  # the record of its exports is kept in the store
    reopened.save_text(draft.id, "third version")
    assert reopened.export(draft.id, "jekyll", tmp_path / "blog") == path
    assert "third version" in path.read_text()


def test_the_drafts_export_edited_by_hand_is_not_replaced(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock)
    draft = drafts.create("Week 1")
    path = drafts.export(draft.id, "jekyll", tmp_path / "blog")
    path.write_text(path.read_text() + "\nA paragraph written in the blog's own editor.\n")
    drafts.save_text(draft.id, "new text")
    with pytest.raises(ExportRefused, match="was changed since this draft was exported to it"):
        drafts.export(draft.id, "jekyll", tmp_path / "blog")
    assert "own editor" in path.read_text()
    drafts.export(draft.id, "jekyll", tmp_path / "blog", replace=True)
    assert "new text" in path.read_text() and "own editor" not in path.read_text()


def test_a_second_draft_of_the_same_slug_does_not_replace_the_firsts_export(
    tmp_path: Path, clock: Clock
) -> None:
    drafts = service(tmp_path, clock)
    first, second = drafts.create("Backprop"), drafts.create("Backprop")
    drafts.save_text(first.id, "the first post")
    drafts.save_text(second.id, "another post")
    path = drafts.export(first.id, "hugo", tmp_path / "blog")
    with pytest.raises(ExportRefused, match=r"holds another draft's export \(Backprop\)"):
        drafts.export(second.id, "hugo", tmp_path / "blog")
    assert "the first post" in path.read_text()


def test_an_agreement_holds_for_the_file_as_it_was_seen_only(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock)
    blog = tmp_path / "blog"
    blog.mkdir()
    (blog / "notes.md").write_text("version one")
    draft = drafts.create("Notes")
    with pytest.raises(ExportRefused) as err:
        drafts.export(draft.id, "hugo", blog)
    (blog / "notes.md").write_text("version two, saved meanwhile")
    with pytest.raises(ExportRefused):
        drafts.export(draft.id, "hugo", blog, agreed=err.value.seen)
    assert (blog / "notes.md").read_text() == "version two, saved meanwhile"


def test_cli_refuses_names_the_file_and_replace_replaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Path(os.environ["DESKWORK_HOME"])
    blog = tmp_path / "blog"
    blog.mkdir()
    theirs = blog / "bold-claims.md"
    theirs.write_text("an older post\n")
    assert main(["drafts", "new", "Bold claims"]) == 0
    capsys.readouterr()
    assert main(["drafts", "export", "1", "--out", str(blog)]) != 0
    err = capsys.readouterr().err
    assert f"{theirs} already exists: not replaced (`--replace` replaces it)" in err
    assert theirs.read_text() == "an older post\n"
    assert main(["drafts", "export", "1", "--out", str(blog), "--replace"]) == 0
    assert capsys.readouterr().out.strip() == str(theirs)
    assert "title: Bold claims" in theirs.read_text() or "Title: Bold claims" in theirs.read_text()
    assert main(["drafts", "export", "1", "--out", str(blog)]) == 0, "its own export now"
    assert not (home / "exports").exists(), "nothing written anywhere else"


def test_beside_the_running_app_the_export_is_handed_to_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export records itself, so it writes to the store: beside the TUI it is handed to the
    app like every writing command, a relative --out still the caller's folder."""
    from tests.test_remote import FakeAppThread

    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "drafts", "new", "Bold claims"]) == 0
    folder = tmp_path / "where-i-typed"
    (folder / "blog").mkdir(parents=True)
    (folder / "blog" / "bold-claims.md").write_text("an older post\n")
    monkeypatch.chdir(folder)
    capsys.readouterr()
    app = FakeAppThread(home)
    try:
        args = ["--data-dir", str(home), "drafts", "export", "1", "--out", "blog"]
        assert main(args) == 1
        assert "bold-claims.md already exists: not replaced" in capsys.readouterr().err
        assert main([*args, "--replace"]) == 0
        assert capsys.readouterr().out.strip() == str(folder / "blog" / "bold-claims.md")
        assert main(args) == 0, "its own export now, as the app's store records"
    finally:
        app.quit()
    assert "an older post" not in (folder / "blog" / "bold-claims.md").read_text()
