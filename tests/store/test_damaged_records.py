"""Records damaged on disk (a hand edit with the checksum recomputed, or an older deskwork's):
every report names the file (or journal line), nothing is silently dropped."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from deskwork.cli import main
from deskwork.store.checksums import sum_of
from deskwork.store.manifest import read_manifest, write_manifest
from deskwork.store.store import Store
from tests.helpers import Clock, make_card


def _rewrite(data_dir: Path, table: str, edit: Any) -> str:
    """Rewrite `table`'s first file with `edit(bytes) -> bytes`, its checksum recomputed over the
    same ids (what a user who knows the format, or a buggy older version, would leave)."""
    manifest = read_manifest(data_dir)
    assert manifest is not None and manifest.sums is not None
    name = manifest.tables[table][0]
    path = data_dir / name
    raw = edit(path.read_bytes())
    path.write_bytes(raw)
    manifest.sums[name] = sum_of(raw, manifest.sums[name].id_set())
    write_manifest(data_dir, manifest)
    return name


def _two_cards(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("good"))
        tx.put("cards", make_card("bad"))
    store.close()


def test_a_bad_record_names_its_file_at_open_and_in_doctor(
    data_dir: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_cards(data_dir, clock)
    name = _rewrite(
        data_dir, "cards", lambda raw: raw.replace(b'"fields":["bad",', b'"fields":[42,')
    )
    store = Store.open(data_dir, clock=clock, readonly=True)
    store.cards.all()
    [problem] = store.report.problems
    assert problem.startswith(f"cards record 2 in {name}: fields.0")
    store.close()
    assert main(["--data-dir", str(data_dir), "doctor", "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert any(p.startswith(f"cards record 2 in {name}: ") for p in problems)


def test_a_bad_record_in_the_journal_names_the_journal_and_line(
    data_dir: Path, clock: Clock
) -> None:
    _two_cards(data_dir, clock)
    manifest = read_manifest(data_dir)
    assert manifest is not None
    body = json.dumps([["put", "presets", 7, {"id": 7, "name": "Broken", "desired_retention": 9}]])
    with open(data_dir / manifest.journal, "ab") as fh:
        fh.write(b"%08x %s\n" % (zlib.crc32(body.encode()), body.encode()))
    store = Store.open(data_dir, clock=clock, readonly=True)
    [problem] = store.report.problems
    assert problem.startswith(f"presets record 7 in {manifest.journal} line 1: desired_retention")
    store.close()


@pytest.mark.parametrize("spaced", [False, True])
def test_a_repeated_record_key_keeps_both_copies_and_says_so(
    data_dir: Path, clock: Clock, spaced: bool
) -> None:
    _two_cards(data_dir, clock)

    def repeat(raw: bytes) -> bytes:  # card 1's copy before card 2's, under key "2"
        table = json.loads(raw)["cards"]
        first = json.dumps(table["1"] | {"fields": ["first copy", ""]}, separators=(",", ":"))
        out = raw.replace(b'"2":{', b'"2":%s,"2":{' % first.replace('"id":1', '"id":2').encode())
        return out.replace(b'":{"id":', b'": {"id": ') if spaced else out

    name = _rewrite(data_dir, "cards", repeat)
    store = Store.open(data_dir, clock=clock)
    assert [c.front for c in store.cards.all()] == ["good", "bad"]  # the last copy, as before
    [problem] = store.report.problems
    assert problem.startswith(f"cards record 2 duplicate 1 in {name}: an earlier copy of record 2")
    with store.transaction() as tx:
        tx.put("cards", make_card("another"))
    store.close()  # compaction writes the earlier copy back, still apart
    again = Store.open(data_dir, clock=clock)
    assert [c.front for c in again.cards.all()] == ["good", "bad", "another"]
    assert "cards record 2 duplicate 1 in " in again.report.problems[0]
    again.close()
    written = (data_dir / read_manifest(data_dir).tables["cards"][0]).read_text()  # type: ignore[union-attr]
    assert "first copy" in written


def test_reimport_sees_a_damaged_media_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("anki")
    from tests.anki_rich import export
    from tests.interop.test_anki_media import build

    package = export(build(tmp_path / "anki"), tmp_path / "media.apkg", legacy=False)
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "cards", "import", str(package)]) == 0

    def damage(raw: bytes) -> bytes:
        doc = json.loads(raw)
        doc["media"]["1"]["size"] = "big"
        return json.dumps(doc, separators=(",", ":")).encode()

    _rewrite(home, "media", damage)
    damaged_name = json.loads((home / read_manifest(home).tables["media"][0]).read_bytes())  # type: ignore[union-attr]
    name = damaged_name["media"]["1"]["name"]
    assert main(["--data-dir", str(home), "cards", "import", str(package)]) == 0
    capsys.readouterr()
    store = Store.open(home, readonly=True)
    try:
        names = [m.name for m in store.media.all()]
        assert name not in names and len(names) == 2  # no second record of the damaged one's name
        assert list(store.media.invalid_raw()) == ["1"]
    finally:
        store.close()


def test_restore_names_the_damaged_records_it_loses(
    data_dir: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskwork.store.backups import list_backups

    store = Store.open(data_dir, clock=clock, backup_interval_s=0)
    with store.transaction() as tx:
        tx.put("cards", make_card("old"))
    store.close()  # the backup holds card 1
    backup = max(list_backups(data_dir), key=lambda p: p.name)
    store = Store.open(data_dir, clock=clock, backup_interval_s=10**9)
    with store.transaction() as tx:
        tx.put("cards", make_card("good"))
        tx.put("cards", make_card("bad"))
    store.close()
    _rewrite(data_dir, "cards", lambda raw: raw.replace(b'"fields":["bad",', b'"fields":[42,'))
    assert main(["--data-dir", str(data_dir), "restore", backup.name, "--yes"]) == 0
    err = capsys.readouterr().err
    assert "cards: 1 added since (ids 2) are gone; 1 damaged kept unchanged (3) are gone" in err


def test_a_damaged_preset_is_named_as_damaged_not_missing_and_can_be_mended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"

    def run(*args: str) -> tuple[int, str]:
        code = main(["--data-dir", str(home), "cards", "presets", *args])
        out, err = capsys.readouterr()
        return code, out + err

    assert run("add", "Heavy")[0] == 0

    def damage(raw: bytes) -> bytes:
        doc = json.loads(raw)
        doc["presets"]["1"]["desired_retention"] = 9
        return json.dumps(doc, separators=(",", ":")).encode()

    name = _rewrite(home, "presets", damage)
    code, said = run("set", "Heavy", "new_per_day=9")
    assert code != 0 and "no preset named" not in said
    assert f"preset 'Heavy' exists but is damaged (presets record 1 in {name}" in said
    assert "presets set 1 desired_retention=VALUE" in said
    code, said = run("add", "heavy")  # no second preset of that name
    assert code != 0 and "exists but is damaged" in said
    code, said = run("set", "Heavy", "desired_retention=0.85", "new_per_day=9")
    assert code == 0, said
    store = Store.open(home, readonly=True)
    try:
        [heavy] = store.tables["presets"].all()
        assert (heavy.name, heavy.desired_retention, heavy.new_per_day) == ("Heavy", 0.85, 9)
        assert not store.tables["presets"].invalid_raw()
    finally:
        store.close()


def test_a_repeated_table_name_makes_the_file_corrupt_and_it_is_moved_aside(
    data_dir: Path, clock: Clock
) -> None:
    _two_cards(data_dir, clock)
    name = _rewrite(data_dir, "cards", lambda raw: raw[:-1] + b',"cards":{}}')
    store = Store.open(data_dir, clock=clock)
    store.cards.all()
    assert any("'cards' appears more than once" in p for p in store.report.problems)
    store.close()
    assert list(data_dir.glob(f"{name}.corrupt-*"))  # kept for the user, never overwritten


def _journal_line(data_dir: Path, body: str) -> str:
    """`body` appended to the journal as one intact (checksummed) line; the journal's name."""
    manifest = read_manifest(data_dir)
    assert manifest is not None
    with open(data_dir / manifest.journal, "ab") as fh:
        fh.write(b"%08x %s\n" % (zlib.crc32(body.encode()), body.encode()))
    return manifest.journal


def _card_json(card_id: int, front: str) -> str:
    card = make_card(front).model_copy(update={"id": card_id})
    return card.model_dump_json()


def test_a_field_repeated_inside_a_record_is_damage_kept_and_reported(
    data_dir: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """`{"id":2,"fields":["earlier",""],…,"fields":["bad",""]}`: JSON keeps the last copy
    silently. In a file the store reads whole (not its own layout) and in a journal line, the
    record is damaged: kept raw with the earlier copy beside it, reported; the doctor says it
    of a file in the store's own layout too."""
    _two_cards(data_dir, clock)

    def repeat_field(raw: bytes) -> bytes:
        return raw.replace(b'"id":2,', b'"id":2,"fields":["earlier",""],').replace(
            b'":{"id":', b'": {"id": '
        )

    name = _rewrite(data_dir, "cards", repeat_field)
    journal_name = _journal_line(
        data_dir,
        '[["put","cards",3,' + _card_json(3, "third")[:-1] + ',"deck":"Twice"}]]',
    )
    store = Store.open(data_dir, clock=clock)
    assert [c.front for c in store.cards.all()] == ["good"]
    problems = sorted(store.report.problems)
    assert problems[0].startswith(f"cards record 2 in {name}: fields: written more than once")
    assert problems[1].startswith(f"cards record 3 in {journal_name} line 1: deck: written more")
    kept = store.tables["cards"].invalid_raw()
    assert kept["2"]["fields duplicate 1"] == ["earlier", ""] and kept["2"]["fields"][0] == "bad"
    assert kept["3"]["deck duplicate 1"] != "Twice" and kept["3"]["deck"] == "Twice"
    with store.transaction() as tx:
        tx.put("cards", make_card("another"))
    store.close()  # compaction writes both back, the earlier copies still beside the last
    again = Store.open(data_dir, clock=clock, readonly=True)
    assert again.tables["cards"].invalid_raw() == kept
    again.close()


def test_the_doctor_names_a_field_repeated_in_a_file_of_the_stores_own_layout(
    data_dir: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_cards(data_dir, clock)
    name = _rewrite(
        data_dir, "cards", lambda raw: raw.replace(b'"id":2,', b'"id":2,"fields":["earlier",""],')
    )
    assert main(["--data-dir", str(data_dir), "doctor", "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert any(p.startswith(f"cards record 2 in {name}: fields: written more") for p in problems)


def test_a_record_id_repeated_in_a_bulk_op_keeps_both_copies_and_says_so(
    data_dir: Path, clock: Clock
) -> None:
    """An import's `["putm","cards",{"3":…,"3":…}]`: the last copy is the record, the earlier one
    a damaged record `3 duplicate 1`, reported with its journal line (JSON dropped it)."""
    _two_cards(data_dir, clock)
    first, last = _card_json(3, "earlier copy"), _card_json(3, "last copy")
    journal_name = _journal_line(data_dir, f'[["putm","cards",{{"3":{first},"3":{last}}}]]')
    store = Store.open(data_dir, clock=clock)
    assert [c.front for c in store.cards.all()] == ["good", "bad", "last copy"]
    [problem] = store.report.problems
    assert problem.startswith(
        f"cards record 3 duplicate 1 in {journal_name} line 1: an earlier copy of record 3"
    )
    assert store.tables["cards"].invalid_raw()["3 duplicate 1"]["fields"][0] == "earlier copy"
    store.close()
    again = Store.open(data_dir, clock=clock, readonly=True)  # compacted on close: still there
    assert "3 duplicate 1" in again.tables["cards"].invalid_raw()
    again.close()
