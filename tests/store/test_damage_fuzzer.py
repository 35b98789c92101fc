"""Damage fuzzer: every kind of store file, many kinds of damage, opened through the service layer
(writer and reader), the CLI and once the TUI. Either the data is identical to what was acknowledged,
or every record that differs was reported (table and id): never a silent difference."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

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
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[int, str]]]:
    data_dir = tmp_path_factory.mktemp("template") / "data"
    acknowledged = build(data_dir, Clock())
    return data_dir, acknowledged


def _cases(template_dir: Path) -> list[tuple[str, str]]:
    cases = []
    for name in store_files(template_dir):
        kinds = JOURNAL_KINDS if name.endswith(".jsonl") else KINDS
        cases += [(name, kind) for kind in kinds]
    return cases


def _load_everything(store: Store) -> dict[str, dict[int, str]]:
    return state_of(store)


def test_every_damage_is_repaired_or_reported(
    template: tuple[Path, dict[str, dict[int, str]]], tmp_path: Path
) -> None:
    template_dir, acknowledged = template
    rng = random.Random(SEED)
    failures: list[str] = []
    cases = _cases(template_dir)
    assert len(cases) >= 60, "every kind of store file is damaged several ways"
    for n, (name, kind) in enumerate(cases):
        data_dir = fresh_copy(template_dir, tmp_path / f"case{n}")
        damage(data_dir / name, kind, rng)
        clock = Clock()
        clock.advance(hours=5)
        # a reader first: it must not crash, and must say what it cannot show
        try:
            reader = Store.open(data_dir, readonly=True, clock=clock)
            got = _load_everything(reader)
            reader.close()
            silent = silent_differences(acknowledged, got, told_ids(reader.report.problems))
            if silent:
                failures.append(f"reader {name} {kind}: silent {silent} {reader.report.problems}")
        except StoreError as exc:
            if name != "manifest.json":
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
        again = Store.open(data_dir, clock=clock)
        if state_of(again) != got:
            failures.append(f"writer {name} {kind}: the repair did not last")
        again.close()
    assert not failures, "\n".join(failures[:15]) + f"\n({len(failures)} of {len(cases)} cases)"
