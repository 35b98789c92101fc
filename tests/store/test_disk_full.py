"""ENOSPC and EIO are ordinary: a write reports success iff it is durable; a compaction or backup
that fails after it is a warning. Injected faults at the OS boundary, and a real full tmpfs."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskwork import cli
from deskwork.store import fsutil, journal_writer
from deskwork.store.store import Store, StoreWriteError
from tests.helpers import Clock, make_card


def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_append_saves_nothing_and_says_so(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("kept"))
    monkeypatch.setattr(journal_writer.os, "fdatasync", _no_space)
    with pytest.raises(StoreWriteError, match="nothing was saved"), store.transaction() as tx:
        tx.put("cards", make_card("not saved"))
    assert [c.front for c in store.cards.all()] == ["kept"], "not visible either"
    monkeypatch.undo()
    with store.transaction() as tx:
        tx.put("cards", make_card("after"))
    store.close()
    again = Store.open(data_dir, clock=clock)
    assert sorted(c.front for c in again.cards.all()) == ["after", "kept"]
    assert not again.report.problems
    again.close()


def test_a_failed_compaction_after_a_durable_write_is_a_warning(
    data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, clock=clock)
    store.journal_limit = 10  # every write compacts
    monkeypatch.setattr(fsutil.os, "fsync", _no_space)  # atomic writes fail; appends do not
    with store.transaction() as tx:
        tx.put("cards", make_card("durable"))  # no exception: the journal holds it
    assert any("compaction failed" in w for w in store.report.warnings)
    store.close()  # neither the compaction nor the backup at close raises
    monkeypatch.undo()
    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["durable"]
    again.close()


def test_cli_reports_success_iff_the_write_is_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("DESKWORK_HOME", str(home))
    assert cli.main(["drafts", "new", "first"]) == 0
    monkeypatch.setattr(fsutil.os, "fsync", _no_space)  # the compaction at close fails
    assert cli.main(["drafts", "new", "saved anyway"]) == 0
    assert "compaction failed" in capsys.readouterr().err
    monkeypatch.setattr(journal_writer.os, "fdatasync", _no_space)  # now the write itself fails
    assert cli.main(["drafts", "new", "not saved"]) == 1
    assert "nothing was saved" in capsys.readouterr().err
    monkeypatch.undo()
    store = Store.open(home, readonly=True)
    assert sorted(d.title for d in store.drafts.values()) == ["first", "saved anyway"]


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _deskwork(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKWORK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "deskwork", *args], env=env, capture_output=True, text=True
    )


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_never_reports_a_saved_write_as_failed(small_tmpfs: Path) -> None:
    home = small_tmpfs / "home"
    assert _deskwork(home, "drafts", "new", "before").returncode == 0
    filler = _fill(small_tmpfs)
    outcomes = []
    for i in range(6):
        result = _deskwork(home, "drafts", "new", f"try {i}")
        outcomes.append((f"try {i}", result.returncode))
        assert "Traceback" not in result.stderr
    filler.unlink()
    assert _deskwork(home, "doctor", "--repair").returncode in (0, 1)
    store = Store.open(home, readonly=True)
    saved = {d.title for d in store.drafts.values()}
    for title, code in outcomes:
        assert (title in saved) == (code == 0), f"{title}: exit {code} but saved={title in saved}"
    assert "before" in saved
