"""Hostile files against the import caps (interop/limits.py, README "Limits on imports").

The big ones run in a child Python under a hard address-space limit (RLIMIT_AS); the child reports
its peak RSS, and each test states the bound it asserts. What they stand for, from issue 11: a
365-byte YAML post grew to 11.4 GB; a 1,000,000-row curriculum took 4.5-5.6 GB; a 30 KB zstd
package cost ~1 GB of RAM plus a 1 GB temp file; a SIGKILLed import left its collection in $TMPDIR.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskwork.cli import main
from deskwork.interop import InteropError
from deskwork.interop.anki import AnkiError, ImportLimits
from deskwork.interop.anki.package import read_package, write_package
from deskwork.interop.anki.unpack import unpack
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.store.store import Store
from tests.helpers import make_card

ADDRESS_SPACE_MB = 1024  # the child's hard limit: an unbounded reader dies of MemoryError
PEAK_RSS_MB = 200  # what each refusal below may cost at most (Python + deskwork alone: ~35-90)

# The child's own peak: Linux's VmHWM belongs to the process image (exec starts it afresh), while
# ru_maxrss survives the exec and so starts at the forking pytest's size (200+ MB late in a run).
CHILD = """
import json, resource, sys
from deskwork.cli import main
code = main(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    with open("/proc/self/status") as status:
        hwm = [line for line in status if line.startswith("VmHWM:")]
    peak = int(hwm[0].split()[1]) / 1024
except (OSError, IndexError, ValueError):
    pass
print(json.dumps({"code": code, "peak_mb": peak}))
"""


def bounded(*args: str) -> tuple[int, float, str]:
    """`deskwork ARGS` in a child with a hard address-space cap: (exit code, peak RSS MB, stderr)."""

    def limit() -> None:
        cap = ADDRESS_SPACE_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True, text=True, timeout=120, preexec_fn=limit,
    )  # fmt: skip
    assert done.stdout.strip(), f"the child died: {done.stderr[-2000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], result["peak_mb"], done.stderr


def lines(path: Path, head: str, row: str, count: int = 1_000_000) -> Path:
    """A file of `count` rows written from a generator (never held in memory here)."""

    def rows() -> Iterator[str]:
        yield head
        for n in range(count):
            yield row.format(n=n)

    with open(path, "w") as fh:
        fh.writelines(rows())
    return path


def stored(home: Path, table: str) -> int:
    if not (home / "manifest.json").exists():
        return 0
    store = Store.open(home, readonly=True)
    try:
        return (
            len(list(store.tables[table].values())) if table != "cards" else len(store.cards.all())
        )
    finally:
        store.close()


# ---------------------------------------------------------------------- text imports
BILLION_LAUGHS = """---
title: lol
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
---
body
"""


def test_a_billion_laughs_post_is_refused_at_its_first_alias(tmp_path: Path) -> None:
    post = tmp_path / "laughs.md"
    post.write_text(BILLION_LAUGHS)
    assert post.stat().st_size < 400
    home = tmp_path / "home"
    code, peak, err = bounded("--data-dir", str(home), "drafts", "import", str(post))
    assert code == 1
    assert f"{post}: line 4: front matter uses a YAML alias" in err, err
    assert "nothing imported" in err
    assert peak < PEAK_RSS_MB, f"{peak:.0f} MB"
    print(f"peak RSS {peak:.0f} MB")
    assert stored(home, "drafts") == 0


@pytest.mark.parametrize(
    ("name", "head", "row", "message"),
    [
        ("big.csv", "title,kind\n", "Item {n},course\n", "more than a curriculum file may be"),
        ("big.md", "| title | kind |\n|---|---|\n", "| Item {n} | course |\n", "may be (16.0 MB)"),
        ("short.csv", "title\n", "{n}\n", "line 20002: refused: more than 20,000 items"),
        ("short.md", "| title |\n|---|\n", "|{n}|\n", "line 20003: refused: more than 20,000"),
    ],
)
def test_a_million_row_curriculum_is_refused_in_bounded_memory(
    tmp_path: Path, name: str, head: str, row: str, message: str
) -> None:
    """Past 16 MB the file is refused before it is read; under it, at the 20,001st row."""
    source = lines(tmp_path / name, head, row)
    home = tmp_path / "home"
    code, peak, err = bounded("--data-dir", str(home), "queue", "import", str(source))
    assert code == 1
    assert str(source) in err and message in err and "nothing imported" in err, err
    assert peak < PEAK_RSS_MB, f"{peak:.0f} MB"
    print(f"peak RSS {peak:.0f} MB")
    assert stored(home, "items") == 0


def test_a_million_note_anki_text_file_is_counted_and_refused_before_any_card_is_built(
    tmp_path: Path,
) -> None:
    source = lines(tmp_path / "notes.txt", "#separator:tab\n", "q{n}\ta{n}\n")
    home = tmp_path / "home"
    code, peak, err = bounded("--data-dir", str(home), "cards", "import", str(source))
    assert code == 1
    assert f"{source}: refused: 1,000,000 notes" in err and "(500,000)" in err, err
    assert peak < PEAK_RSS_MB, f"{peak:.0f} MB"
    print(f"peak RSS {peak:.0f} MB")
    assert stored(home, "cards") == 0


def test_a_field_past_the_cap_names_the_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "long.csv"
    source.write_text("title,notes\nfine,ok\nlong," + "x" * 100_001 + "\n")
    desk = Desk.open(Paths.resolve(tmp_path / "home"))
    from deskwork.services.curriculum import import_file

    with pytest.raises(InteropError) as info:
        import_file(desk, source)
    message = str(info.value)
    assert message.startswith(f"{source}: line 3, column 'notes': refused: 100,001 characters")
    assert message.endswith("nothing imported")
    assert not list(desk.store.items.values())
    desk.close()


def test_titles_are_capped_and_huge_front_matter_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    pelican = tmp_path / "pelican.md"
    pelican.write_text("Title: " + "T" * 4_000_000 + "\nDate: 2026-01-01\n\nbody\n")
    code, _, err = bounded("--data-dir", str(home), "drafts", "import", str(pelican))
    assert code == 1 and "front matter is longer than 64 KB" in err and str(pelican) in err, err
    big = lines(
        tmp_path / "big-post.md", "Title: big\n\n", "a line of a very long post {n}\n", 600_000
    )
    code, peak, err = bounded("--data-dir", str(home), "drafts", "import", str(big))
    assert code == 1 and f"{big}: refused:" in err and "more than a post may be (16.0 MB)" in err
    assert peak < PEAK_RSS_MB, f"{peak:.0f} MB"
    heading = tmp_path / "heading.md"
    heading.write_text("# " + "T" * 4_000_000 + "\n\nbody\n")  # a title from the first heading
    assert main(["--data-dir", str(home), "drafts", "import", str(heading)]) == 0
    store = Store.open(home, readonly=True)
    [draft] = store.drafts.values()
    store.close()
    assert len(draft.title) == 300 and draft.title.endswith("…")


# ---------------------------------------------------------------------- packages
def zstd_bomb(gigabytes: int = 1) -> bytes:
    """~32 KB of zstd that expands to `gigabytes` GB of zeros (built in 16 MB steps)."""
    import zstandard

    out = io.BytesIO()
    with zstandard.ZstdCompressor(level=3).stream_writer(out, closefd=False) as writer:
        chunk = bytes(16 * 1024 * 1024)
        for _ in range(64 * gigabytes):
            writer.write(chunk)
    return out.getvalue()


def test_a_30_kb_zstd_bomb_is_refused_in_small_memory_and_leaves_no_temp_file(
    tmp_path: Path,
) -> None:
    bomb = zstd_bomb()
    assert len(bomb) < 40_000
    package = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki21b", bomb)
    home = tmp_path / "home"
    code, peak, err = bounded("--data-dir", str(home), "cards", "import", str(package))
    assert code == 1
    assert f"{package}: refused: collection.anki21b decompresses to more than 6 MB" in err, err
    assert peak < PEAK_RSS_MB, f"{peak:.0f} MB"
    print(f"peak RSS {peak:.0f} MB")
    assert list((home / "tmp").iterdir()) == []


@pytest.mark.parametrize("member", ["collection.anki2", "collection.anki21b"])
def test_unpacking_stops_at_the_cap_while_streaming(tmp_path: Path, member: str) -> None:
    """The temp file never grows past the cap, whatever the member claims or expands to."""
    import zstandard

    data = bytes(3 * 1024 * 1024)
    if member.endswith("b"):
        data = zstandard.ZstdCompressor().compress(data)
    package = tmp_path / "p.apkg"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    cap = 1024 * 1024
    target = tmp_path / "out.sqlite"
    limits = ImportLimits(max_total_bytes=cap, ratio_floor_bytes=cap)
    # zip: the declared size is over the cap, refused before a byte is written; zstd: the small
    # member expands while streaming and is cut at the cap.
    with zipfile.ZipFile(package) as archive, pytest.raises(AnkiError, match="more than 1 MB"):
        unpack(package, archive, member, target, limits)
    assert not target.exists() or target.stat().st_size <= cap


def _package(tmp_path: Path, change: str = "") -> Path:
    """A real .apkg from deskwork's own exporter, optionally with its collection altered by SQL."""
    import sqlite3

    when = datetime(2026, 1, 1, tzinfo=UTC)
    good = tmp_path / "good.apkg"
    write_package(good, [make_card(f"q{n}", id=n + 1) for n in range(3)], {}, when)
    if not change:
        return good
    db = tmp_path / "c.anki2"
    db.write_bytes(zipfile.ZipFile(good).read("collection.anki2"))
    with sqlite3.connect(db) as conn:
        conn.execute(change)
    conn.close()
    bad = tmp_path / "bad.apkg"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.write(db, "collection.anki2")
    return bad


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("update cards set mod = 9223372036854775", "): year 292278994 is out of range"),
        ("update col set decks = '[]'", "the deck list cannot be read ('list' object"),
        ("update col set crt = 1e300", "the collection's creation time (col.crt) cannot be read"),
        ("update notes set flds = zeroblob(4)", "its fields or tags are not text"),
        ("update notes set flds = printf('%.9000000c', 'x')", "refused: its fields hold 9,000,000"),
    ],
)
def test_odd_values_in_a_package_name_the_file_the_part_and_nothing_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str, expected: str
) -> None:
    package = _package(tmp_path, change)
    home = tmp_path / "home"
    code = main(["--data-dir", str(home), "cards", "import", str(package)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{package}: " in err and "nothing imported" in err, err
    assert expected in err, err
    assert "Traceback" not in err
    assert stored(home, "cards") == 0


def test_imports_unpack_inside_the_data_dir(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    package = _package(tmp_path)
    seen: list[list[str]] = []

    def progress(done: int, total: int) -> None:
        seen.append([str(p.relative_to(home)) for p in (home / "tmp").rglob("*.sqlite")])

    deck = read_package(package, progress=progress, data_dir=home)
    assert len(deck.cards) == 3
    assert seen and all(len(found) == 1 and found[0].startswith("tmp/") for found in seen), seen
    assert list((home / "tmp").iterdir()) == []  # removed once read

    from deskwork.store.scratch import scratch

    with scratch(home, "anki-export-") as busy:  # e.g. a read-only `cards export` beside the TUI
        (busy / "collection.anki2").write_bytes(b"in use")
        Desk.open(Paths.resolve(home)).close()  # a writer opens meanwhile: the sweep leaves it
        assert (busy / "collection.anki2").read_bytes() == b"in use"
    assert list((home / "tmp").iterdir()) == []

    assert os.stat(home / "tmp").st_mode & 0o777 == 0o700


KILLED_MID_IMPORT = """
import os, signal, sys
from pathlib import Path
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import import_file

desk = Desk.open(Paths.resolve(sys.argv[2]))
import_file(desk, Path(sys.argv[1]), "", lambda done, total: os.kill(os.getpid(), signal.SIGKILL))
"""


def test_a_sigkilled_import_leaves_nothing_in_tmpdir_and_the_next_writer_sweeps(
    tmp_path: Path,
) -> None:
    home, system_tmp = tmp_path / "home", tmp_path / "system-tmp"
    system_tmp.mkdir()
    package = _package(tmp_path)
    env = {**os.environ, "TMPDIR": str(system_tmp)}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_IMPORT, str(package), str(home)],
        env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    assert list(system_tmp.iterdir()) == []
    [left] = (home / "tmp").glob("anki-import-*/collection.sqlite")  # killed: it stays, for now
    assert left.stat().st_size > 0
    reader = subprocess.run(
        [sys.executable, "-m", "deskwork", "--data-dir", str(home), "queue", "list"],
        env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert reader.returncode == 0 and left.exists()  # a reader holds no lock: it leaves it
    writer = subprocess.run(
        [sys.executable, "-m", "deskwork", "--data-dir", str(home), "drafts", "new", "x"],
        env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert writer.returncode == 0, writer.stderr
    assert list((home / "tmp").iterdir()) == []
