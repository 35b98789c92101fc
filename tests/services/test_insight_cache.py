"""The stats' answers per day come from a per-month cache of past days: the same figures as a count
from scratch, and a change to a past month (an import adding history, an undo) is counted again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from deskwork.domain import cardstats
from deskwork.domain.cards import CardState, ReviewLog
from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.insight import gather, gather_job
from tests.helpers import Clock
from tests.insight_history import CONFIG
from tests.services.test_insight import history_desk


def from_scratch(desk, weeks: int = 12) -> list[int]:  # type: ignore[no-untyped-def]
    return cardstats.reviews_per_day(
        desk.store.reviews.all(), desk.today(), desk.config.study.day_start_hour, weeks * 7
    )


def test_cached_answers_per_day_follow_every_change(tmp_path: Path, clock: Clock) -> None:
    desk = history_desk(tmp_path, clock)
    first = gather(desk, 12)
    assert first.reviews_by_day == from_scratch(desk) and sum(first.reviews_by_day) == 100
    assert gather(desk, 12).reviews_by_day == first.reviews_by_day  # from the cache
    # A year's import adds answers to a past month: that month is counted again.
    old = clock() - timedelta(days=40)
    card_id = desk.store.cards.all()[0].id
    with desk.store.transaction() as tx:
        for n in range(7):
            tx.append(
                "reviews",
                ReviewLog(
                    card_id=card_id, rating=3, ts=old + timedelta(minutes=n),
                    duration_ms=1000, state=CardState.REVIEW,
                ),
            )  # fmt: skip
    after = gather(desk, 12)
    assert after.reviews_by_day == from_scratch(desk)
    assert sum(after.reviews_by_day) == 107
    # An undo takes one away again.
    last = max(desk.store.reviews.all(), key=lambda r: r.id)
    with desk.store.transaction() as tx:
        tx.remove("reviews", last)
    assert gather_job(desk, 12)().reviews_by_day == from_scratch(desk)
    assert sum(gather(desk, 12).reviews_by_day) == 106
    desk.close()


def test_an_imported_history_and_a_compaction_are_counted_again(
    tmp_path: Path, clock: Clock
) -> None:
    """The import's own path (one bulk op per month, as `anki_import` writes a revlog) landing in
    months already counted, then a compaction that rewrites those months as new files, then the
    store opened again: the answers per day always match a count from scratch."""
    desk = history_desk(tmp_path, clock)
    assert sum(gather(desk, 12).reviews_by_day) == 100  # every month of the window counted
    card_id = desk.store.cards.all()[0].id
    with desk.store.transaction() as tx:
        ids = tx.reserve_ids("reviews", 30)
        tx.append_many(
            "reviews",
            [
                ReviewLog(
                    id=doc_id, card_id=card_id, rating=3, duration_ms=1000,
                    ts=clock() - timedelta(days=10 + n % 9, hours=n % 5),  # the counted month
                    state=CardState.REVIEW,
                )
                for n, doc_id in enumerate(ids)
            ],
        )  # fmt: skip
    after = gather(desk, 12)
    assert after.reviews_by_day == from_scratch(desk) and sum(after.reviews_by_day) == 130
    desk.store.compact(force=True)
    assert gather(desk, 12).reviews_by_day == from_scratch(desk)
    desk.close()
    again = Desk.open(Paths(tmp_path, tmp_path), clock=clock)
    assert gather(again, 12).reviews_by_day == from_scratch(again)
    assert sum(from_scratch(again)) == 130
    again.close()


def _answers_in_september(desk: Desk, clock: Clock, n: int) -> None:
    card_id = desk.store.cards.all()[0].id
    with desk.store.transaction() as tx:
        for k in range(n):
            tx.append(
                "reviews",
                ReviewLog(
                    card_id=card_id, rating=3, duration_ms=1000, state=CardState.REVIEW,
                    ts=clock() - timedelta(days=70 - k % 5, hours=k % 7),  # 5-11 Sep
                ),
            )  # fmt: skip


def test_a_new_run_takes_past_months_counts_from_the_store(tmp_path: Path, clock: Clock) -> None:
    """Counted once, a month whose entries are all in saved files is kept in the store under
    those files' checksums: the next run (a new process: nothing in memory) does not read it.
    Changed files (an import, then a compaction), another day start or a damaged record: counted
    again, always equal to a count from scratch."""
    from deskwork.services.insight import SAVED_DAYS

    desk = history_desk(tmp_path, clock)
    _answers_in_september(desk, clock, 12)
    desk.store.compact(force=True)
    assert sum(gather(desk, 12).reviews_by_day) == 112
    desk.close()

    def fresh() -> Desk:
        return Desk.open(Paths(tmp_path, tmp_path), clock=clock)

    again = fresh()
    assert "2026-09" not in again.store.reviews.loaded_months()
    figures = gather(again, 12)
    assert "2026-09" not in again.store.reviews.loaded_months()  # from the kept counts
    assert figures.reviews_by_day == from_scratch(again) and sum(figures.reviews_by_day) == 112
    # An import adds to September: counted from memory now, and kept again once in files.
    _answers_in_september(again, clock, 3)
    assert gather(again, 12).reviews_by_day == from_scratch(again)
    again.store.compact(force=True)
    assert sum(gather(again, 12).reviews_by_day) == 115
    again.close()
    third = fresh()
    assert gather(third, 12).reviews_by_day == from_scratch(third)
    assert sum(from_scratch(third)) == 115
    assert "2026-09" in third.store.reviews.loaded_months()  # by from_scratch only
    # What is kept is what is used (so the checks below would see a wrong reuse): ...
    kept = third.store.setting(SAVED_DAYS)
    september = kept["2026-09"]
    wrong = {**september, "days": {"2026-09-06": 999}}
    third.store.set_setting(SAVED_DAYS, {**kept, "2026-09": wrong})
    third.close()
    fourth = fresh()
    assert sum(gather(fourth, 12).reviews_by_day) == 100 + 999
    # ... but not for other files, other study-day bounds, or a damaged entry.
    for bad in (
        {**wrong, "files": "other"},
        {**wrong, "days_of": "other"},
        {**september, "days": {"2026-09-06": "x"}},
        "not a month",
    ):
        fourth.store.set_setting(SAVED_DAYS, {**kept, "2026-09": bad})
        fourth.close()
        fourth = fresh()
        assert gather(fourth, 12).reviews_by_day == from_scratch(fourth), bad
        assert sum(from_scratch(fourth)) == 115
    fourth.store.set_setting(SAVED_DAYS, {**kept, "2026-09": wrong})
    fourth.close()
    (tmp_path / "config.toml").write_text(CONFIG + "[study]\nday_start_hour = 0\n")
    fifth = fresh()
    assert gather(fifth, 12).reviews_by_day == from_scratch(fifth)  # other day bounds
    fifth.close()
