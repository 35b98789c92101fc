"""An import out of the cyclic collector's way without freezing (store/collector.py,
services/anki_import.out_of_collections): once the collector is armed (the TUI), a file's records
are untracked as they are read, the dicts a bulk write makes of them are untracked, and nothing is
frozen — the freeze it made before cost a full collection holding the GIL and froze whatever the
interface held then until the next sweep. Unarmed (a command), it still freezes. No timings: the
pauses are measured by benchmarks/stall.py (`gc_max_cpu_ms` of the import row)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.domain.sessions import Session, SessionKind
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.anki import export_file, import_deck, read_file, release
from deskwork.store import collector
from deskwork.store.lean import Lean
from tests.helpers import T0, Clock, make_card


@pytest.fixture
def armed() -> Iterator[None]:
    if not collector.arm():
        pytest.skip("this interpreter cannot untrack objects")
    yield


@pytest.fixture
def package(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    desk = Desk.open(Paths(source, source), clock=Clock())
    with desk.store.transaction() as tx:
        for n in range(60):
            card = tx.put("cards", make_card(f"question {n}", back=f"answer {n}", tags=["t"]))
            for k in range(5):
                when = T0 - timedelta(days=40 * k + 1)  # answers in several months
                tx.append(
                    "reviews", ReviewLog(card_id=card.id, rating=3, ts=when, state=CardState.REVIEW)
                )
    path = tmp_path / "year.apkg"
    export_file(desk, path)
    desk.close()
    return path


def _session(n: int) -> Session:
    start = T0 - timedelta(hours=n + 1)
    return Session(
        kind=SessionKind.FOCUS, start=start, end=start + timedelta(minutes=25),
        planned_s=1500, actual_s=1500, completed=True,
    )  # fmt: skip


class _Key:
    pass


def _review(card_id: int = 1) -> ReviewLog:
    return Lean(ReviewLog)(ReviewLog(card_id=card_id, rating=3, ts=T0, state=CardState.REVIEW))


def test_a_dict_of_untracked_records_is_untracked_and_tracked_again_by_an_insert(
    armed: None,
) -> None:
    record = _review()
    assert not gc.is_tracked(record)
    docs = {n: record for n in range(5)}
    assert gc.is_tracked(docs)  # CPython tracks a dict of any record, untracked or not
    assert collector.exempt_dict(docs) is docs and not gc.is_tracked(docs)
    assert not gc.is_tracked(dict(docs))  # a copy stays so
    docs[9] = record
    assert gc.is_tracked(docs)  # an insert tracks it again: nothing can hide a cycle later


def test_a_dict_holding_anything_tracked_stays_tracked(armed: None) -> None:
    loop = _Key()
    loop.me = loop  # type: ignore[attr-defined]
    docs: dict[object, object] = {1: _review(), 2: loop}
    collector.exempt_dict(docs)
    assert gc.is_tracked(docs)
    keyed = {_Key(): _review()}  # a tracked key
    collector.exempt_dict(keyed)
    assert gc.is_tracked(keyed)
    ref = weakref.ref(loop)  # the cycle in the tracked dict is still found once dropped
    del docs, loop
    gc.collect()
    assert ref() is None


def test_lists_of_untracked_records_are_untracked_the_others_left(armed: None) -> None:
    records, mixed = [_review(), _review(2)], [_review(), []]
    assert collector.exempt_lists([records, mixed]) == 1
    assert not gc.is_tracked(records) and gc.is_tracked(mixed)


def test_an_answer_with_anki_fields_is_untracked_with_its_tuple(armed: None) -> None:
    log = ReviewLog(
        card_id=1, rating=3, ts=T0, state=CardState.REVIEW, anki=(1_700_000_000_000, 0, 0, 0)
    )
    assert collector.exempt(log)
    assert not gc.is_tracked(log) and not gc.is_tracked(log.__dict__)


def test_a_bulk_write_leaves_the_stores_dicts_untracked(tmp_path: Path, armed: None) -> None:
    desk = Desk.open(Paths(tmp_path / "d", tmp_path / "d"), clock=Clock())
    try:
        store = desk.store
        with store.transaction() as tx:
            ids = tx.reserve_ids("cards", 40)
            tx.put_many("cards", [make_card(f"q{n}", id=i) for n, i in enumerate(ids)])
            first = tx.reserve_ids("reviews", 30)
            answers = [
                ReviewLog(id=i, card_id=ids[0], rating=3, ts=T0 - timedelta(days=20 * k))
                for k, i in enumerate(first)
            ]
            tx.append_many("reviews", answers)
        shards = [s for s in store.tables["cards"]._shards.values() if s]
        assert shards and not any(map(gc.is_tracked, shards))
        months = [m for m in store.logs["reviews"].pending_put.values() if m]
        assert len(months) > 1 and not any(map(gc.is_tracked, months))
    finally:
        desk.close()


def test_an_armed_import_freezes_nothing_and_makes_no_full_collection(
    tmp_path: Path, package: Path, armed: None
) -> None:
    desk = Desk.open(Paths(tmp_path / "d", tmp_path / "d"), clock=Clock())
    full: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    frozen = gc.get_freeze_count()
    gc.callbacks.append(count)
    try:
        read = read_file(package, desk)
        assert read.revlog and not any(map(gc.is_tracked, read.revlog))
        assert not any(map(gc.is_tracked, read.cards))
        assert not gc.is_tracked(read.revlog) and not gc.is_tracked(read.cards)
        assert not any(map(gc.is_tracked, read.history.values()))
        report = import_deck(desk, read)
        release(read)
    finally:
        gc.callbacks.remove(count)
    try:
        assert report.cards == 60
        assert not full  # the freeze's collection first is gone (on the worker: the GIL held)
        assert gc.get_freeze_count() == frozen  # nothing of the moment frozen with it
        assert not desk.store.froze
        cards = desk.store.cards.all()
        assert len(cards) == 60 and not any(map(gc.is_tracked, cards))
    finally:
        desk.close()


def test_an_unarmed_import_still_freezes_what_it_made(tmp_path: Path, package: Path) -> None:
    """A command (no TUI, the collector not armed): records stay tracked, so the import freezes
    them as before, and the store's close gives them back."""
    gc.unfreeze()
    collector.disarm()
    desk = Desk.open(Paths(tmp_path / "d", tmp_path / "d"), clock=Clock())
    try:
        read = read_file(package, desk)
        assert gc.get_freeze_count() > 0
        import_deck(desk, read)
        release(read)
        assert desk.store.froze
        assert all(isinstance(c, Card) for c in desk.store.cards.all())
    finally:
        desk.close()
        collector.arm()
    assert gc.get_freeze_count() == 0


def test_an_export_gives_young_collections_no_big_container_to_walk(
    tmp_path: Path, armed: None
) -> None:
    """The rows an export gathers for its collection and the sets of ids it has written hold
    only leaves: out of the collector's walks, a young collection meeting them no longer
    visits every row (a year's 250,000 answers: two collections of 14 ms holding the GIL)."""
    desk = Desk.open(Paths(tmp_path / "d", tmp_path / "d"), clock=Clock())
    with desk.store.transaction() as tx:
        for n in range(30):
            card = tx.put("cards", make_card(f"q{n}", anki_id=1_000 + n))
            for k in range(100):
                when = T0 - timedelta(hours=k + 1)
                log = ReviewLog(card_id=card.id, rating=3, ts=when, state=CardState.REVIEW)
                tx.append("reviews", log.model_copy(update={"anki": (5_000 * n + k, 0, 0, 0)}))
    desk.store.compact()
    export_file(desk, tmp_path / "first.apkg")  # modules imported, tables loaded
    gc.collect()
    gc.freeze()  # what exists before the export: out of the young generations
    biggest: list[int] = []

    def measure(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] < 2:
            kinds = (list, set, dict)
            young = [o for g in range(info["generation"] + 1) for o in gc.get_objects(g)]
            biggest.append(max((len(o) for o in young if type(o) in kinds), default=0))

    usual = gc.get_threshold()
    gc.set_threshold(100, 10, usual[2])
    gc.callbacks.append(measure)
    try:
        export_file(desk, tmp_path / "out.apkg")
    finally:
        gc.callbacks.remove(measure)
        gc.set_threshold(*usual)
        gc.unfreeze()
        desk.close()
    assert biggest  # young collections ran during the export
    assert max(biggest) < 1_000, max(biggest)  # never its 3,000 rows or answer ids


def test_records_loaded_before_the_warm_up_armed_the_collector_are_untracked_by_it(
    tmp_path: Path,
) -> None:
    """Start-up reads the desk's sessions (4,000 at the heavy year) and items before the
    warm-up arms the collector: they are untracked then, not frozen with start-up and walked by
    every sweep of the frozen set."""
    data = tmp_path / "d"
    desk = Desk.open(Paths(data, data), clock=Clock())
    with desk.store.transaction() as tx:
        for n in range(20):
            tx.put("sessions", _session(n))
    desk.close()
    gc.unfreeze()
    collector.disarm()
    desk = Desk.open(Paths(data, data), clock=Clock())
    try:
        early = desk.store.sessions.all()  # read before arming, as the desk's first frame does
        assert len(early) == 20 and all(map(gc.is_tracked, early))
        assert desk.warm_up()
        assert not any(map(gc.is_tracked, desk.store.sessions.all()))
        shards = [s for s in desk.store.sessions._shards.values() if s]
        assert shards and not any(map(gc.is_tracked, shards))
    finally:
        desk.close()
        collector.arm()
