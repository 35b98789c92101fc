"""Draft use-cases on a real store: revisions, trash, sources, export and import."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskwork.domain.drafts import DraftSource, SourceKind
from deskwork.interop import InteropError
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.drafts import DraftError, DraftService
from tests.helpers import Clock


def service(tmp_path: Path, clock: Clock, config: str = "") -> DraftService:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "config.toml").write_text(config)
    return DraftService(Desk.open(Paths(tmp_path, tmp_path), clock=clock))


def test_revisions_every_few_minutes_keep_n_and_restore(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock, "[drafts]\nrevision_every_minutes = 5\nkeep_revisions = 3\n")
    draft = drafts.create("Week 1")
    for n in range(1, 40):
        clock.advance(minutes=1)
        drafts.save_text(draft.id, f"version {n}")
    revisions = drafts.revisions(draft.id)
    assert len(revisions) == 3, "only the newest N are kept"
    assert [r.body for r in revisions] == ["version 36", "version 31", "version 26"]
    restored = drafts.restore_revision(revisions[-1].id)
    assert restored.body == "version 26"
    assert drafts.revisions(draft.id)[0].body == "version 39", "the replaced text is kept"


def test_trash_restore_and_purge_after_30_days(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock)
    keep, gone = drafts.create("keep"), drafts.create("gone")
    drafts.save_text(gone.id, "text")
    drafts.trash(keep.id)
    drafts.trash(gone.id)
    assert drafts.listing() == [] and {d.title for d in drafts.listing(trash=True)} == {
        "keep",
        "gone",
    }
    drafts.untrash(keep.id)
    clock.advance(days=29)
    assert drafts.purge_trash() == 0
    clock.advance(days=1)
    assert drafts.purge_trash() == 1
    assert [d.title for d in drafts.listing()] == ["keep"] and drafts.listing(trash=True) == []
    with pytest.raises(DraftError, match="no draft with id"):
        drafts.get(gone.id)


def test_sources_are_attached_once_and_exported(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock)
    draft = drafts.create("Reading list")
    source = DraftSource(
        kind=SourceKind.ITEM, ref_id=1, title="CS231n", url="https://cs231n.github.io"
    )
    drafts.add_source(draft.id, source)
    drafts.add_source(draft.id, source)
    assert drafts.get(draft.id).sources == [source]
    path = drafts.export(draft.id, "hugo", tmp_path / "site")
    assert path == tmp_path / "site" / "reading-list.md"
    assert "- [CS231n](https://cs231n.github.io)" in path.read_text()


def test_import_names_the_file_on_errors(tmp_path: Path, clock: Clock) -> None:
    drafts = service(tmp_path, clock)
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe not utf8")
    with pytest.raises(InteropError, match=r"bad\.md: not UTF-8"):
        drafts.import_file(bad)
    with pytest.raises(InteropError, match=r"^no such file: .*missing\.md; nothing imported$"):
        drafts.import_file(tmp_path / "missing.md")
    assert drafts.listing() == []
