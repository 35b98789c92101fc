"""How the store holds records in memory (store/lean.py, store/logs.py): a lean record behaves exactly
as the record pydantic built (values, ==, repr, dumps, copies), shares what repeats, and the review
log is never wholly resident: months are dropped and read again (verified) with nothing lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwork.domain.cards import Card, CardState, ReviewLog
from deskwork.store.codec import Codec
from deskwork.store.store import Store
from tests.helpers import T0, Clock, make_card

texts = st.text(max_size=40)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@st.composite
def card_json(draw: st.DrawFn, card_id: int) -> dict[str, object]:
    """A card as it is stored, with any subset of the optional fields present (fields-set)."""
    created = draw(moments)
    doc: dict[str, object] = {
        "id": card_id,
        "created": created.isoformat(),
        "modified": (created if draw(st.booleans()) else draw(moments)).isoformat(),
        "due": draw(moments).isoformat(),
    }
    optional = {
        "deck": draw(st.sampled_from(["Default", "ML::Deep", "Papers"])),
        "fields": draw(st.lists(texts, min_size=1, max_size=3)),
        "tags": draw(st.lists(st.sampled_from(["bayes", "loss", "leech"]), max_size=3)),
        "note_guid": draw(texts),
        "note_type": draw(st.sampled_from(["basic", "cloze", "anki:17"])),
        "ord": draw(st.integers(0, 5)),
        "state": draw(st.sampled_from([1, 2, 3])),
        "stability": draw(st.none() | st.floats(0.1, 300)),
        "last_review": draw(st.none() | moments.map(datetime.isoformat)),
        "reps": draw(st.integers(0, 50)),
        "flag": draw(st.integers(0, 7)),
    }
    for key, value in optional.items():
        if draw(st.booleans()):
            doc[key] = value
    return doc


def _same(lean: Card, plain: Card) -> None:
    assert lean == plain and repr(lean) == repr(plain)
    assert lean.model_dump() == plain.model_dump()
    assert lean.model_dump_json() == plain.model_dump_json()
    assert lean.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    assert lean.model_fields_set == plain.model_fields_set


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=6, unique=True).flatmap(
    lambda ids: st.tuples(*(card_json(i) for i in ids))
))  # fmt: skip
def test_lean_cards_equal_what_pydantic_builds(docs: tuple[dict[str, object], ...]) -> None:
    raw = json.dumps({"cards": {str(d["id"]): d for d in docs}}).encode()
    lean, invalid, problems = Codec("cards", Card).decode(raw)
    assert not invalid and not problems
    for doc in docs:
        plain = Card.model_validate_json(json.dumps(doc))  # the record as pydantic builds it
        card = lean[int(doc["id"])]  # type: ignore[call-overload]
        _same(card, plain)
        # A copy with a change (a grade): the same as the plain record's, and the shared
        # fields-set of the other cards is left alone.
        before = {c.id: set(c.model_fields_set) for c in lean.values()}
        when = datetime(2026, 1, 1, tzinfo=UTC)
        change = {"reps": card.reps + 1, "last_review": when}
        _same(card.model_copy(update=change), plain.model_copy(update=change))
        assert {c.id: set(c.model_fields_set) for c in lean.values()} == before


def test_lean_records_share_what_repeats(tmp_path: Path) -> None:
    clock = Clock()
    with Store.open(tmp_path / "data", clock=clock) as store, store.transaction() as tx:
        for n in range(3):
            tx.put("cards", make_card(f"q{n}", deck="ML::" + "Deep", tags=["bay" + "es"]))
    store = Store.open(tmp_path / "data", clock=clock, readonly=True)
    cards = store.cards.all()
    assert len({id(c.__pydantic_fields_set__) for c in cards}) == 1  # one set for all three
    assert len({id(c.deck) for c in cards}) == 1 and len({id(c.tags[0]) for c in cards}) == 1
    assert all(c.modified is c.created for c in cards)  # equal times: one object
    assert [c.front for c in cards] == ["q0", "q1", "q2"]
    # A record a service builds is made lean as it is written, with the same values.
    writer = Store.open(tmp_path / "w", clock=clock)
    card = make_card("new one", deck="Papers")
    with writer.transaction() as tx:
        tx.put("cards", card)
    stored = writer.cards.all()[0]
    assert stored.model_dump(exclude={"id"}) == card.model_dump(exclude={"id"})
    writer.close()


def _reviews_store(data_dir: Path, clock: Clock, months: int = 6, per_month: int = 10) -> Store:
    store = Store.open(data_dir, clock=clock)
    with store.transaction() as tx:
        tx.put("cards", make_card())
        for m in range(months):
            for n in range(per_month):
                ts = T0 - timedelta(days=31 * m, minutes=n)
                tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=ts, state=CardState.REVIEW))
    store.compact()
    return store


def test_the_review_log_is_never_wholly_resident(tmp_path: Path) -> None:
    clock = Clock()
    store = _reviews_store(tmp_path / "data", clock)
    store.close()
    store = Store.open(tmp_path / "data", clock=clock)
    log = store.reviews
    log.rows_resident = 25  # two months and a half
    assert len(log.months()) == 6
    every = [r.model_dump() for r in log.all()]
    assert len(every) == 60 and len({r["id"] for r in every}) == 60
    assert len(log.loaded_months()) <= 3  # read month by month, the oldest dropped
    assert sum(1 for _ in log.iter_all()) == 60 and len(log.loaded_months()) <= 3
    # A grade and an undo in months that are not in memory: kept, and seen when read again.
    first, last = log.months()[0], log.months()[-1]
    log.month(last)
    assert first not in log.loaded_months()
    gone = next(iter(log.month(first).values()))
    for m in log.months()[1:4]:
        log.month(m)
    assert first not in log.loaded_months()
    new = ReviewLog(card_id=1, rating=4, ts=datetime.fromisoformat(first + "-02T10:00+00:00"))
    with store.transaction() as tx:
        tx.append("reviews", new)
        tx.remove("reviews", gone)
    ids = {r.id for r in log.month(first).values()}
    assert gone.id not in ids and max(ids) == 61 and len(ids) == 10
    store.close()
    reopened = Store.open(tmp_path / "data", clock=clock, readonly=True)
    assert sorted(r.id for r in reopened.reviews.all()) == sorted(
        [r["id"] for r in every if r["id"] != gone.id] + [61]
    )


def test_a_month_stamp_changes_with_its_entries_without_loading_it(tmp_path: Path) -> None:
    clock = Clock()
    store = _reviews_store(tmp_path / "data", clock, months=2)
    log = store.reviews
    month = log.months()[0]
    log.forget(month)
    stamp = log.stamp(month)
    assert log.stamp(month) == stamp and month not in log.loaded_months()  # asking loads nothing
    ts = datetime.fromisoformat(month + "-03T10:00+00:00")
    with store.transaction() as tx:
        tx.append("reviews", ReviewLog(card_id=1, rating=3, ts=ts))
    assert log.stamp(month) != stamp
    stamp = log.stamp(month)
    entry = next(iter(log.month(month).values()))
    with store.transaction() as tx:
        tx.remove("reviews", entry)
    assert log.stamp(month) != stamp
    store.close()


def test_a_month_with_an_invalid_record_stays_loaded(tmp_path: Path) -> None:
    """Reading it again would report the same invalid record twice: it is not dropped."""
    clock = Clock()
    store = _reviews_store(tmp_path / "data", clock, months=3)
    month = store.reviews.months()[0]
    name = store.manifest.logs["reviews"][month][0]
    store.close()
    path = tmp_path / "data" / name
    data = json.loads(path.read_text())
    key = next(iter(data["reviews"]))
    data["reviews"][key]["rating"] = 9  # valid JSON, invalid record
    path.write_text(json.dumps(data))
    store = Store.open(tmp_path / "data", clock=clock)
    log = store.reviews
    log.rows_resident = 1
    log.month(month)
    reported = len(store.report.invalid) + len(store.report.recovered)
    for m in log.months():
        log.month(m)
    assert month in log.loaded_months()
    log.month(month)
    assert len(store.report.invalid) + len(store.report.recovered) == reported
    store.close()


def test_cards_share_their_keys_in_memory(tmp_path: Path) -> None:
    """In a fresh interpreter (as deskwork runs): a loaded card's instance dict holds only its
    values (CPython's key-sharing dicts), much smaller than the dict pydantic builds; the card is
    equal to the one pydantic builds from the same JSON."""
    import subprocess
    import sys

    clock = Clock()
    with Store.open(tmp_path / "data", clock=clock) as store, store.transaction() as tx:
        for n in range(50):
            tx.put("cards", make_card(f"q{n}", tags=["t"]))
    code = """
import json, sys
from pathlib import Path
from deskwork.domain.cards import Card
from deskwork.store.store import Store

store = Store.open(Path(sys.argv[1]), readonly=True)
cards = store.cards.all()
plain = [Card.model_validate_json(c.model_dump_json()) for c in cards]
print(json.dumps({
    "lean": max(sys.getsizeof(c.__dict__) for c in cards),
    "plain": min(sys.getsizeof(c.__dict__) for c in plain),
    "equal": cards == plain and [c.model_dump() for c in cards] == [p.model_dump() for p in plain],
}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "data")],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    assert found["equal"] is True
    if sys.implementation.name == "cpython" and sys.version_info >= (3, 11):
        assert found["lean"] * 2 < found["plain"], found


def test_a_migration_keeps_every_month_it_rewrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration upgrades every month as it reads it: none may be dropped and read again (it
    would come back un-migrated) before the compaction that writes the new version."""
    from deskwork.store import loading, logs, migrations, schema

    clock = Clock()
    store = _reviews_store(tmp_path / "data", clock, months=6, per_month=10)
    store.close()
    current = schema.SCHEMA_VERSION

    def step(name: str, doc: dict[str, object]) -> dict[str, object]:
        if name == "reviews":
            doc = {**doc, "duration_ms": 7}
        return doc

    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(loading, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, current, step)
    monkeypatch.setattr(logs, "ROWS_RESIDENT", 15)  # a month and a half
    again = Store.open(tmp_path / "data", clock=clock)
    assert again.report.migrated_from == current
    again.close()
    third = Store.open(tmp_path / "data", clock=clock, readonly=True)
    assert [r.duration_ms for r in third.reviews.all()] == [7] * 60
