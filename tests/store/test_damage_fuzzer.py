"""Damage fuzzer: every kind of store file, many kinds of damage, opened through the service layer
(writer and reader), the CLI and once the TUI. Either the data is identical to what was acknowledged,
or every record that differs was reported (table and id): never a silent difference."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from deskwork.store.manifest import read_manifest
from deskwork.store.store import Store, StoreError
from tests.helpers import Clock
from tests.store.damage import (
    JOURNAL_KINDS,
    KINDS,
    build,
    damage,
    fresh_copy,
    silent_differences,
    state_of,
    store_files,
    told_ids,
)

SEED = 20261122


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[int, object]]]:
    data_dir = tmp_path_factory.mktemp("template") / "data"
    acknowledged = build(data_dir, Clock())
    return data_dir, acknowledged


def _cases(template_dir: Path) -> list[tuple[str, str]]:
    cases = []
    for name in store_files(template_dir):
        kinds = JOURNAL_KINDS if name.endswith(".jsonl") else KINDS
        cases += [(name, kind) for kind in kinds]
    return cases


def _load_everything(store: Store) -> dict[str, dict[int, object]]:
    return state_of(store)


# The cases in this many parts (every part its own test, each case in exactly one): under xdist
# the parts share the workers instead of one 80-second test holding one of them to the end.
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_every_damage_is_repaired_or_reported(
    template: tuple[Path, dict[str, dict[int, object]]], tmp_path: Path, part: int
) -> None:
    template_dir, acknowledged = template
    failures: list[str] = []
    cases = _cases(template_dir)
    assert len(cases) >= 60, "every kind of store file is damaged several ways"
    for n, (name, kind) in list(enumerate(cases))[part::PARTS]:
        data_dir = fresh_copy(template_dir, tmp_path / f"case{n}")
        rng = random.Random(SEED * 1000 + n)  # each case its own seed: the same in any part
        damage(data_dir / name, kind, rng)
        clock = Clock()
        # every other case a backup is due at open: the backup's own verification finds the damage
        clock.advance(hours=5 if n % 2 else 0.5)
        # a reader first: it must not crash, and must say what it cannot show
        try:
            reader = Store.open(data_dir, readonly=True, clock=clock)
            got = _load_everything(reader)
            reader.close()
            silent = silent_differences(acknowledged, got, told_ids(reader.report.problems))
            if silent:
                failures.append(f"reader {name} {kind}: silent {silent} {reader.report.problems}")
        except StoreError as exc:  # only if the manifest and its copy are both unusable
            failures.append(f"reader {name} {kind}: refused: {exc}")
        # then a writer: repairs, and the repair lasts
        try:
            store = Store.open(data_dir, clock=clock)
            got = _load_everything(store)
            told = told_ids(store.report.problems)
            store.close()
        except Exception as exc:  # an unreadable store is a failure of its own
            failures.append(f"writer {name} {kind}: {type(exc).__name__}: {exc}")
            continue
        silent = silent_differences(acknowledged, got, told)
        if silent:
            failures.append(f"writer {name} {kind}: silent {silent}; told {store.report.problems}")
        again = Store.open(data_dir, readonly=True, clock=clock)
        if state_of(again) != got or again.report.recovered:
            failures.append(f"writer {name} {kind}: the repair did not last")
        again.close()
    assert not failures, (
        "\n".join(failures[:15]) + f"\n({len(failures)} of the {len(cases) // PARTS}-odd cases "
        f"of part {part} of {PARTS})"
    )


def _deskwork(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKWORK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "deskwork", *args], env=env, capture_output=True, text=True
    )


def test_through_the_cli_damage_is_repaired_or_reported(
    template: tuple[Path, dict[str, dict[int, object]]], tmp_path: Path
) -> None:
    """A bounded, seeded sample through the real command: a reader, then a writer (doctor
    --repair); what differs afterwards must have been named on stderr."""
    template_dir, acknowledged = template
    rng = random.Random(SEED + 1)
    cases = rng.sample(_cases(template_dir), 6)
    failures = []
    for n, (name, kind) in enumerate(cases):
        home = fresh_copy(template_dir, tmp_path / f"cli{n}")
        damage(home / name, kind, rng)
        today = _deskwork(home, "today", "--json")
        repair = _deskwork(home, "doctor", "--repair")
        for result in (today, repair):
            if "Traceback" in result.stderr or "error:" in result.stderr:
                failures.append(f"{name} {kind}: {result.stderr[-300:]}")
        store = Store.open(home, readonly=True)
        told = told_ids((today.stderr + repair.stderr).splitlines())
        silent = silent_differences(acknowledged, state_of(store), told)
        if silent:
            failures.append(f"{name} {kind}: silent {silent}: {repair.stderr[-500:]}")
    assert not failures, "\n".join(failures)


async def test_the_tui_tells_exactly_what_a_damaged_shard_cost(tmp_path: Path) -> None:
    """A cards shard damaged, its journals since the backup gone too: the TUI names the loss."""
    from tests.helpers import make_card
    from tests.ui.factory import desk_app, ready

    clock = Clock()
    app = desk_app(tmp_path, clock)
    store = app.desk.store
    with store.transaction() as tx:
        for front in ("a", "b", "c"):
            tx.put("cards", make_card(front))
    app.desk.close()
    clock.advance(hours=2)
    home = tmp_path / "home"
    Store.open(home, clock=clock).close()  # the backup holds a, b, c
    store = Store.open(home, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card("after the backup"))
    store.close()
    manifest = read_manifest(home)
    assert manifest is not None
    for kept in manifest.kept_journals().values():
        (home / kept).unlink()  # the chain of journals since the backup is broken
    (home / manifest.tables["cards"][0]).write_bytes(b'{"cards": {}}')
    again = desk_app(tmp_path, clock)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.pause()
        messages = " ".join(str(n.message) for n in again._notifications)
        assert "cards: 1 record could not be recovered (ids 4)" in messages, messages
        assert sorted(c.front for c in again.desk.store.cards.values()) == ["a", "b", "c"]
