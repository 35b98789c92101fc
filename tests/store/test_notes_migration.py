"""A store written by the release before notes (schema 1: cards with front / back; written by
tests/fixtures/make_store_v1.py with that release's code, its last write still in the journal)
opens with every card as a note with fields, the schedule and history untouched, and is rewritten
at the current schema."""

from __future__ import annotations

import shutil
from pathlib import Path

from deskwork.domain.cards import CardState
from deskwork.store.manifest import read_manifest
from deskwork.store.schema import SCHEMA_VERSION
from deskwork.store.store import Store

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store_v1"


def test_a_schema_1_store_opens_as_notes(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    shutil.copytree(FIXTURE, data_dir)
    assert read_manifest(data_dir).schema_version == 1  # type: ignore[union-attr]
    store = Store.open(data_dir, backup_on_open=False)
    try:
        assert store.report.migrated_from == 1 and not store.report.invalid
        cards = {c.id: c for c in store.cards.all()}
        assert len(cards) == 6, "the journal's card too"
        assert cards[1].fields == ["What is backprop?", "the chain rule"]
        assert (cards[1].question(), cards[1].answer()) == (
            "What is backprop?", "What is backprop?\n\nthe chain rule",
        )  # fmt: skip
        assert [cards[n].question() for n in (2, 3)] == ["ReLU", "max(0, x)"]
        assert (
            cards[4].question() == "[...] uses momentum" and cards[5].question() == "Adam uses [m]"
        )
        assert cards[6].fields == ["journal only", "not compacted"]
        reviewed = cards[5]
        assert (reviewed.state, reviewed.stability, reviewed.difficulty, reviewed.reps) == (
            CardState.REVIEW, 12.5, 4.2, 3,
        )  # fmt: skip
        assert reviewed.flag == 2 and reviewed.lapses == 1
        assert [r.rating for r in store.reviews.all()] == [3, 1, 3]
    finally:
        store.close()
    assert read_manifest(data_dir).schema_version == SCHEMA_VERSION  # type: ignore[union-attr]
    again = Store.open(data_dir, readonly=True)
    try:
        assert again.report.migrated_from is None and len(again.cards.all()) == 6
    finally:
        again.close()
