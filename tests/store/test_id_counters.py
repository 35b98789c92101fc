"""No id is handed out twice: a record written with its own id (an import, an undo, a restore of a
record) raises its table's counter, a store whose manifest counts below the ids its files hold is
caught at open (from the manifest's checksum id ranges), and a restore never lowers a counter.
Every test runs the real store on real files and checks that an insert overwrites nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import ReviewLog
from deskwork.domain.records import Record
from deskwork.store.backups import list_backups
from deskwork.store.manifest import read_manifest, write_manifest
from deskwork.store.store import Store
from tests.helpers import T0, Clock, crash, make_card


def _review(card_id: int = 1, days: int = 0, doc_id: int = 0) -> ReviewLog:
    return ReviewLog(id=doc_id, card_id=card_id, rating=3, ts=T0 - timedelta(days=days))


def _fronts(store: Store) -> dict[int, str]:
    return {c.id: c.front for c in store.cards.all()}


Own = tuple[str, int]  # a card written with its own id: (front, id)


def _write(
    store: Store, cards: Sequence[str | Own] = (), reviews: Sequence[int | tuple[int, int]] = ()
) -> list[Record]:
    """One transaction: cards by front (or (front, own id)), reviews by days back (or (days, own
    id)); the records as written, cards first."""
    out: list[Record] = []
    with store.transaction() as tx:
        for card in cards:
            front, own = card if isinstance(card, tuple) else (card, 0)
            out.append(tx.put("cards", make_card(front).model_copy(update={"id": own})))
        for review in reviews:
            days, own = review if isinstance(review, tuple) else (review, 0)
            out.append(tx.append("reviews", _review(days=days, doc_id=own)))
    return out


def test_a_card_written_with_its_own_id_is_never_overwritten_by_an_insert(
    data_dir: Path, clock: Clock
) -> None:
    store = Store.open(data_dir, clock=clock)
    _write(store, ["first"])  # the counter now exists: 2
    _write(store, [(f"imported {n}", n) for n in (2, 3, 4)])  # an import that keeps its ids
    [new] = _write(store, ["new"])
    assert new.id not in (1, 2, 3, 4)
    assert _fronts(store) == {1: "first"} | {n: f"imported {n}" for n in (2, 3, 4)} | {
        new.id: "new"
    }
    store.close()


def test_a_review_appended_with_its_own_id_is_never_overwritten(
    data_dir: Path, clock: Clock
) -> None:
    store = Store.open(data_dir, clock=clock)
    _write(store, reviews=[0])
    _write(store, reviews=[(1, 2), (2, 3)])
    [new] = _write(store, reviews=[3])
    assert new.id == 4
    assert sorted(r.id for r in store.reviews.all()) == [1, 2, 3, 4]
    store.close()


def test_explicit_ids_survive_a_close_and_reopen(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, clock=clock)
    _write(store, ["first"])
    _write(store, [("kept id", 7)], reviews=[(0, 40)])
    store.close()
    again = Store.open(data_dir, clock=clock)
    card, review = _write(again, ["new"], reviews=[1])
    assert card.id == 8 and review.id == 41
    assert _fronts(again) == {1: "first", 7: "kept id", 8: "new"}
    again.close()


def test_a_crash_between_the_write_and_the_compaction_keeps_the_ids(
    data_dir: Path, clock: Clock
) -> None:
    """One record with its own id compacted into the table files, one only in the journal (its
    mark lost as well): the manifest and the journal's replay each count it."""
    store = Store.open(data_dir, clock=clock)
    _write(store, ["first", ("compacted", 12)])
    store.compact()
    _write(store, [("journal only", 9)])
    (data_dir / "journal.mark").unlink()  # the mark's header lost too: the journal alone counts
    crash(store)
    again = Store.open(data_dir, clock=clock)
    assert _write(again, ["new"])[0].id == 13
    assert _fronts(again) == {1: "first", 9: "journal only", 12: "compacted", 13: "new"}
    crash(again)  # the insert itself only in the journal: a reopen counts past it too
    third = Store.open(data_dir, clock=clock)
    assert _write(third, ["newer"])[0].id == 14
    third.close()


def _lower_counters(data_dir: Path, counters: dict[str, int], **more: object) -> None:
    manifest = read_manifest(data_dir)
    assert manifest is not None and manifest.counters == {"cards": 4, "reviews": 4}
    write_manifest(data_dir, manifest.model_copy(update={"counters": counters, **more}))


def test_a_manifest_counting_below_its_files_ids_is_raised_at_open(
    data_dir: Path, clock: Clock
) -> None:
    """A store an older deskwork left with counters behind its records (the bug this guards):
    the manifest's checksum id ranges name the ids its files hold."""
    store = Store.open(data_dir, clock=clock)
    _write(store, ["a", "b", "c"], reviews=[0, 1, 2])
    store.close()
    _lower_counters(data_dir, {"cards": 2, "reviews": 1})
    again = Store.open(data_dir, clock=clock)
    card, review = _write(again, ["new"], reviews=[5])
    assert card.id == 4 and review.id == 4
    assert _fronts(again) == {1: "a", 2: "b", 3: "c", 4: "new"}
    assert len(again.reviews.all()) == 4
    again.close()


def test_a_restore_never_hands_out_an_id_the_state_before_it_used(
    data_dir: Path, clock: Clock
) -> None:
    first = Store.open(data_dir, clock=clock)
    _write(first, ["in the backup"], reviews=[0])
    first.close()  # backed up
    clock.advance(hours=2)
    store = Store.open(data_dir, clock=clock)
    _write(store, ["after it"], reviews=[1, 2])
    clock.advance(minutes=1)
    safety = store.restore(list_backups(data_dir)[-1])
    assert safety is not None
    card, review = _write(store, ["after the restore"], reviews=[3])
    assert card.id == 3 and review.id == 4, "ids the state before the restore used stay used"
    store.close()
    again = Store.open(data_dir, clock=clock)
    assert _write(again, reviews=[4])[0].id == 5
    again.close()
    # Restoring the state before the restore back: every record it held comes back, none of
    # them mistaken for one written since (same id, another record).
    before = Store.open(safety, readonly=True)
    ids_before = {"cards": set(_fronts(before)), "reviews": {r.id for r in before.reviews.all()}}
    before.close()
    assert ids_before == {"cards": {1, 2}, "reviews": {1, 2, 3}}
    assert card.id not in ids_before["cards"] and review.id not in ids_before["reviews"]


# ---------------------------------------------------------------------- property
actions = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.just(0)),
        st.tuples(st.just("own_id"), st.integers(1, 8)),
        st.tuples(st.just("append"), st.just(0)),
        st.tuples(st.just("append_own"), st.integers(1, 8)),
        st.tuples(st.just("delete"), st.integers(1, 8)),
        st.tuples(st.sampled_from(["compact", "crash", "close"]), st.just(0)),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_inserts_never_reuse_an_id_whatever_came_before(
    sequence: list[tuple[str, int]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        clock = Clock()
        store = Store.open(data_dir, clock=clock)
        cards: dict[int, str] = {}
        reviews: set[int] = set()
        ever: set[int] = set()  # card ids ever used: an insert takes none of them
        for step, (kind, n) in enumerate(sequence):
            if kind == "insert":
                with store.transaction() as tx:
                    card = tx.put("cards", make_card(f"insert {step}"))
                assert card.id not in ever, f"insert reused card id {card.id}"
                cards[card.id] = card.front
                ever.add(card.id)
            elif kind == "own_id":
                with store.transaction() as tx:
                    tx.put("cards", make_card(f"own {step}").model_copy(update={"id": n}))
                cards[n] = f"own {step}"
                ever.add(n)
            elif kind in ("append", "append_own"):
                own = n if kind == "append_own" and n not in reviews else 0
                with store.transaction() as tx:
                    log = tx.append("reviews", _review(days=step % 40, doc_id=own))
                assert own or log.id not in reviews, f"append reused review id {log.id}"
                reviews.add(log.id)
            elif kind == "delete":
                with store.transaction() as tx:
                    tx.delete("cards", n)
                cards.pop(n, None)
            elif kind == "compact":
                store.compact()
            else:
                crash(store) if kind == "crash" else store.close()
                store = Store.open(data_dir, clock=clock)
            assert _fronts(store) == cards
        assert {r.id for r in store.reviews.all()} == reviews
        store.close()


def test_a_store_from_before_checksums_without_counters_counts_its_records(
    data_dir: Path, clock: Clock
) -> None:
    """No checksum id ranges to read and no counter at all: the records themselves are counted,
    the review log's as well as the tables'."""
    store = Store.open(data_dir, clock=clock)
    _write(store, ["a", "b", "c"], reviews=[0, 40, 80])  # three months
    store.close()
    _lower_counters(data_dir, {}, sums=None)
    again = Store.open(data_dir, clock=clock)
    card, review = _write(again, ["new"], reviews=[1])
    assert card.id == 4 and review.id == 4
    assert sorted(r.id for r in again.reviews.all()) == [1, 2, 3, 4]
    again.close()
