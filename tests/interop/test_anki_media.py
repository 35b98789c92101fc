"""Media with the real Anki: an image and a sound come in from both package formats (bytes equal,
stored once per content under the data dir), go out again in deskwork's .apkg and arrive in a fresh
Anki; a hostile media name never reaches the file system; a name clash keeps both files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from deskwork.cli import main
from deskwork.store.store import Store
from tests.anki_rich import PNG, export

SOUND = b"ID3" + bytes(range(256)) * 4


def run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out) if out.strip().startswith("{") else {}


def build(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "media.anki2"))
    try:
        for name, data in (("fig.png", PNG), ("hello.mp3", SOUND), ("same.png", PNG)):
            (folder / name).write_bytes(data)
            col.media.add_file(str(folder / name))
        note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
        note["Front"] = 'Which figure? <img src="fig.png">'
        note["Back"] = 'a square [sound:hello.mp3] <img src="same.png">'
        col.add_note(note, col.decks.id("Media"))  # type: ignore[arg-type]
    finally:
        col.close()
    return folder / "media.anki2"


@pytest.mark.parametrize("legacy", [False, True], ids=["current", "legacy"])
def test_media_in_and_out(legacy: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = export(build(tmp_path / "anki"), tmp_path / "media.apkg", legacy=legacy)
    report = run(capsys, "cards", "import", str(package), "--json")
    assert report["media_added"] == 3 and report["media_skipped"] == 0
    home = tmp_path / "home"
    store = Store.open(home, readonly=True)
    try:
        files = {m.name: m for m in store.media.all()}
        folder = store.media_folder
        assert folder.read(files["fig.png"].sha256) == PNG
        assert folder.read(files["hello.mp3"].sha256) == SOUND
        assert files["same.png"].sha256 == files["fig.png"].sha256
    finally:
        store.close()
    blobs = [p for p in (home / "media").rglob("*") if p.is_file()]
    assert len(blobs) == 2, "the same bytes are stored once"
    listed = run(capsys, "cards", "list", "--json")["cards"]
    assert listed[0]["question"] == "Which figure? [image: fig.png]"
    out = tmp_path / "back.apkg"
    run(capsys, "cards", "export", str(out))
    names = json.loads(zipfile.ZipFile(out).read("media"))
    assert sorted(names.values()) == ["fig.png", "hello.mp3", "same.png"]
    fresh = Collection(str(tmp_path / "fresh.anki2"))
    try:
        fresh.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        media_dir = Path(fresh.media.dir())
        assert (media_dir / "fig.png").read_bytes() == PNG
        assert (media_dir / "hello.mp3").read_bytes() == SOUND
    finally:
        fresh.close()


def test_hostile_media_names_never_reach_the_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = export(build(tmp_path / "anki"), tmp_path / "media.apkg", legacy=True)
    hostile = tmp_path / "hostile.apkg"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(hostile, "w") as out:
        for info in src.infolist():
            if info.filename != "media":
                out.writestr(info.filename, src.read(info.filename))
        out.writestr("media", json.dumps({"0": "../../escape.png", "1": "/etc/x", "2": "ok.mp3"}))
    report = run(capsys, "cards", "import", str(hostile), "--json")
    assert report["media_skipped"] == 2 and report["media_added"] == 1
    assert (
        not (tmp_path / "escape.png").exists() and not (tmp_path / "home" / "escape.png").exists()
    )


def test_a_name_clash_keeps_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = export(build(tmp_path / "a"), tmp_path / "a.apkg", legacy=True)
    run(capsys, "cards", "import", str(first))
    col_dir = tmp_path / "b"
    col_path = build(col_dir)
    col = Collection(str(col_path))
    try:
        other = col_dir / "other" / "fig.png"
        other.parent.mkdir()
        other.write_bytes(PNG + b"different")
        Path(col.media.dir(), "fig.png").write_bytes(PNG + b"different")
        note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
        note["Front"], note["Back"] = 'another <img src="fig.png">', "x"
        col.add_note(note, col.decks.id("Media"))  # type: ignore[arg-type]
    finally:
        col.close()
    second = export(col_path, tmp_path / "b.apkg", legacy=True)
    run(capsys, "cards", "import", str(second))
    listed = run(capsys, "cards", "list", "--json")["cards"]
    renamed = [c for c in listed if c["question"].startswith("another")]
    assert renamed and renamed[0]["question"].startswith("another [image: fig-")
    old = [c for c in listed if c["question"] == "Which figure? [image: fig.png]"]
    assert old, "the first note still shows the first file"


def test_the_report_counts_media_in_words() -> None:
    from deskwork.services.import_report import ImportReport

    report = ImportReport()
    report.media_added, report.media_skipped = 1, 2
    assert report.lines()[1:] == ["1 media file added", "2 media files refused (unsafe names)"]
