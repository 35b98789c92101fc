"""`deskwork doctor` reports every check and never crashes; `--repair` fixes what it can and says
what — including a directory where a store file belongs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from deskwork.store.backups import list_backups
from deskwork.store.doctor import check
from deskwork.store.manifest import read_manifest
from deskwork.store.store import Store
from tests.helpers import Clock, crash, make_card


def _store(home: Path) -> None:
    clock = Clock()
    store = Store.open(home, clock=clock)
    with store.transaction() as tx:
        for front in ("a", "b", "c"):
            tx.put("cards", make_card(front))
    store.close()
    clock.advance(hours=2)
    Store.open(home, clock=clock).close()  # a backup holding the cards


def _deskwork(home: Path, *args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKWORK_HOME": str(home)}
    command = [sys.executable, "-m", "deskwork", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
        env["HOME"] = "/tmp"
    return subprocess.run(command, env=env, capture_output=True, text=True)


def test_a_healthy_store_reports_every_check(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _store(home)
    report = check(home)
    assert not report.problems, report.problems
    text = " ".join(report.ok)
    for what in (
        "schema version",
        "data file matches its checksum",
        "journal",
        "backups (2 verified)",
    ):
        assert what in text
    assert report.counts["cards"] == 3


def test_before_the_first_compaction_doctor_says_everything_is_in_the_journal(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    store = Store.open(home, clock=Clock())
    with store.transaction() as tx:
        tx.put("cards", make_card("a"))
    crash(store)  # no compaction yet: the card is only in the journal
    report = check(home)
    text = " ".join(report.ok)
    assert "0 data files" not in text, report.ok
    assert "no data files yet: everything is in the journal" in text, report.ok
    assert not report.problems, report.problems


def test_checksums_references_permissions_and_backups_are_checked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _store(home)
    manifest = read_manifest(home)
    assert manifest is not None
    shard = manifest.tables["cards"][0]
    data = (home / shard).read_bytes()
    (home / shard).write_bytes(data.replace(b'"a"', b'"A"'))  # one changed letter
    os.chmod(home / manifest.journal, 0o644)
    os.chmod(home, 0o755)
    backup = sorted((home / "backups").iterdir())[-1]
    (backup / shard).write_bytes(b"{}")
    report = check(home)
    problems = " | ".join(report.problems)
    assert f"{shard}: its content does not match its checksum" in problems
    files = sum(len(s) for s in manifest.tables.values()) + sum(
        len(segs) for months in manifest.logs.values() for segs in months.values()
    )
    said = f"1 of {files} data files fails the check (named above); {files - 1} match"
    assert said in problems, "not among the ok lines: a file failed"
    assert not any("data file" in line for line in report.ok)
    assert f"backup {backup.name}: {shard}" in problems
    assert "readable by others" in problems


@pytest.mark.parametrize("victim", ["shard", "manifest", "journal", "lock"])
def test_repair_moves_a_directory_out_of_a_files_place(tmp_path: Path, victim: str) -> None:
    home = tmp_path / "home"
    _store(home)
    manifest = read_manifest(home)
    assert manifest is not None
    name = {
        "shard": manifest.tables["cards"][0],
        "manifest": "manifest.json",
        "journal": manifest.journal,
        "lock": "deskwork.lock",
    }[victim]
    path = home / name
    if path.exists():
        path.unlink()
    path.mkdir()
    (path / "inside").write_text("someone's file")
    assert _deskwork(home, "doctor").returncode in (0, 1), "the doctor reports, it does not crash"
    repaired = _deskwork(home, "doctor", "--repair")
    assert "Traceback" not in repaired.stderr
    assert "moved aside" in repaired.stderr, repaired.stderr
    kept = [p for p in home.iterdir() if p.name.startswith(f"{name}.corrupt-")]
    assert kept and (kept[0] / "inside").read_text() == "someone's file", "kept, not deleted"
    after = _deskwork(home, "doctor", "--json")
    assert after.returncode == 0, after.stdout
    assert json.loads(after.stdout)["counts"]["cards"] == 3
    store = Store.open(home, readonly=True)
    assert sorted(c.front for c in store.cards.all()) == ["a", "b", "c"]


def test_doctor_never_crashes_on_a_permission_error(tmp_path: Path) -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root to run the doctor as another user")
    outside = Path(tempfile.mkdtemp(prefix="deskwork-doctor-"))  # pytest's tmp is root-only
    os.chmod(outside, 0o755)
    home = outside / "home"
    _store(home)
    shutil.chown(home, "nobody", "nogroup")
    for path in home.rglob("*"):
        shutil.chown(path, "nobody", "nogroup")
    manifest = read_manifest(home)
    assert manifest is not None
    shard = home / manifest.tables["cards"][0]
    shutil.chown(shard, "root", "root")
    os.chmod(shard, 0o600)  # nobody cannot read it
    try:
        result = _deskwork(home, "doctor", user="65534")
    finally:
        shutil.rmtree(outside, ignore_errors=True)
    assert "Traceback" not in result.stderr and "error:" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert f"{shard.name}: cannot be read (permission denied)" in result.stdout, result.stdout


def _flip_a_byte(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("in_backup", [False, True], ids=["rebuilt-from-journals", "intact-copy"])
def test_read_only_doctor_says_a_damaged_file_can_be_repaired_and_changes_nothing(
    tmp_path: Path, in_backup: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --repair nothing is repaired: the report says what a repair would do and how,
    never that it was done; --repair then does it."""
    from deskwork.cli import main

    home = tmp_path / "home"
    clock = Clock()
    store = Store.open(home, clock=clock)  # the backup of the empty store
    with store.transaction() as tx:
        for n in range(10):
            tx.put("cards", make_card(f"card {n}"))
    store.compact()
    if in_backup:
        store.backup()  # a backup holding the very file
    store.close()
    manifest = read_manifest(home)
    assert manifest is not None
    shard = home / manifest.tables["cards"][0]
    damaged = _flip_a_byte(shard)
    listing = sorted(p.name for p in home.iterdir())

    report = check(home)
    text = "\n".join(report.problems)
    if in_backup:
        assert (
            f"{shard.name}: backup {list_backups(home)[0].name} holds an intact copy (read from "
            "there; nothing was changed): `deskwork doctor --repair` puts it back"
        ) in report.problems, text
    else:
        assert (
            f"{shard.name}: can be rebuilt exactly from backup {list_backups(home)[-1].name} and "
            "the journals since (10 records; read that way, nothing was changed): "
            "`deskwork doctor --repair` rebuilds it"
        ) in report.problems, text
    assert "restored from backup" not in text and ": rebuilt" not in text
    about = [p for p in report.problems if shard.name in p]
    assert len(about) == 2, about  # the damage, said once, and what a repair would do
    assert f"{shard.name}: its content does not match its checksum" in about
    assert shard.read_bytes() == damaged and sorted(p.name for p in home.iterdir()) == listing

    assert main(["--data-dir", str(home), "doctor", "--repair"]) == 0
    _, err = capsys.readouterr()
    assert ("restored from backup" if in_backup else "rebuilt exactly from backup") in err
    assert check(home).problems == []
    with Store.open(home, readonly=True) as fixed:
        assert len(fixed.cards.all()) == 10


@pytest.mark.parametrize("how", ["open", "doctor --repair"])
def test_two_damaged_files_are_both_rebuilt_exactly(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each file is rebuilt from a backup and the journals since. The first rebuilt used to be
    written at once, in a compaction that retired those journals: the second came back only as
    of the backup (a user's 2,000 cards' changes lost)."""
    from deskwork.cli import main
    from deskwork.store.tables import SHARD_SIZE

    home = tmp_path / "home"
    clock = Clock()
    store = Store.open(home, clock=clock)
    with store.transaction() as tx:
        cards = [tx.put("cards", make_card(f"card {n}")) for n in range(2 * SHARD_SIZE + 10)]
    store.compact(force=True)
    store.backup()  # holds every file as it is now
    changed = [cards[10], cards[SHARD_SIZE + 10]]  # one card in each of two files
    with store.transaction() as tx:
        for card in changed:
            tx.put("cards", card.model_copy(update={"reps": 7}))
    store.compact(force=True)  # the two files now differ from the backup's
    manifest = store.manifest
    store.close()
    names = {manifest.tables["cards"][n] for n in (0, 1)}
    for name in names:
        _flip_a_byte(home / name)
    clock.advance(hours=2)
    if how == "open":
        with Store.open(home, clock=clock) as reopened:  # the backup at opening finds both
            said = " | ".join(reopened.report.recovered)
            assert [reopened.cards.get(c.id).reps for c in changed] == [7, 7], said
    else:
        assert main(["--data-dir", str(home), "doctor", "--repair"]) == 0
        said = capsys.readouterr().err
    for name in names:
        assert f"{name}: rebuilt exactly" in said, said
    assert "could not be recovered" not in said and "as of backup" not in said, said
    with Store.open(home, readonly=True) as fixed:
        assert [fixed.cards.get(c.id).reps for c in changed] == [7, 7]
        assert len(fixed.cards.all()) == 2 * SHARD_SIZE + 10
    assert check(home).problems == []
