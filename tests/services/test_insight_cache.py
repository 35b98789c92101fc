"""The stats' review-log figures (answers per day, the 30 days' true retention and counts) come from
a per-month cache of counts per study day: always the same figures as a count from scratch, after
grades, undos, an Anki import of past history, compactions and new runs."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from deskwork.domain import answer_days, cardstats
from deskwork.domain.cards import CardState, ReviewLog
from deskwork.domain.insight import Insight
from deskwork.domain.scheduling import Grade
from deskwork.paths import Paths
from deskwork.services import Desk, browse
from deskwork.services.insight import count_ahead, gather, gather_job
from tests.helpers import Clock, make_card
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
    wrong = {**september, "days": {"2026-09-06": [999, 999, 0, 0, 0]}}
    third.store.set_setting(SAVED_DAYS, {**kept, "2026-09": wrong})
    third.close()
    fourth = fresh()
    assert sum(gather(fourth, 12).reviews_by_day) == 100 + 999
    # ... but not for other files, other study-day bounds, or a damaged entry.
    for bad in (
        {**wrong, "files": "other"},
        {**wrong, "days_of": "other"},
        {**september, "days": {"2026-09-06": "x"}},
        {**september, "days": {"2026-09-06": [1, 2, 3]}},
        {**september, "days": {"2026-09-06": [-1, 0, 0, 0, 0]}},
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


def scratch(desk: Desk, weeks: int = 12) -> tuple[object, ...]:
    """Every review-log figure of the stats, from every entry of the log, each entry's study day
    worked out on its own (no month, no index, no cache)."""
    days = answer_days.by_day(desk.store.reviews.all(), desk.config.study.day_start_hour)
    log = answer_days.window(days, desk.today(), weeks * 7)
    return (log.answers_by_day, log.retention_30d, log.entries_30d, log.graded_30d)


def shown(figures: Insight) -> tuple[object, ...]:
    return (
        figures.reviews_by_day,
        figures.retention_30d,
        figures.answers_30d,
        figures.review_answers_30d,
    )


def _past_history(tmp_path: Path, clock: Clock) -> Path:
    """An Anki package of 12 new cards whose history falls in the stats' months: the window's
    first weeks, the 30 days' first day (either side of its start) and last week, some by hand."""
    from deskwork.interop.anki.package import write_package

    rng = random.Random(5)
    cards, history = [], {}
    for n in range(1, 13):
        cards.append(
            make_card(f"imported {n}", id=n, note_guid=f"imp{n}", anki_id=1_800_000_000_000 + n)
        )
        logs = []
        for k in range(9):
            back = rng.choice([80, 60, 29, 30, 31, 7, 2])
            manual = k == 4
            logs.append(
                ReviewLog(
                    card_id=n, duration_ms=1000, manual=4 if manual else 0,
                    rating=0 if manual else rng.randrange(1, 5),
                    ts=clock() - timedelta(days=back, hours=rng.randrange(-30, 30)),
                    state=rng.choice(list(CardState)),
                )
            )  # fmt: skip
        history[n] = sorted(logs, key=lambda log: log.ts)
    path = tmp_path / "past.apkg"
    write_package(path, cards, history, clock(), data_dir=tmp_path)
    return path


def test_every_log_figure_equals_a_count_from_scratch(tmp_path: Path, clock: Clock) -> None:
    """Grades, an undo, an import of past history, a compaction, a new run and a new day: the
    cached figures are the scratch figures each time; a stale count would fail one of them."""
    from deskwork.services.anki import import_file
    from deskwork.services.cards import ReviewSession

    desk = history_desk(tmp_path / "data", clock)
    figures = gather(desk, 12)
    assert shown(figures) == scratch(desk)
    assert figures.retention_30d == pytest.approx(0.9) and figures.answers_30d == 100
    with desk.store.transaction() as tx:  # the history's cards, as FSRS has them after reviews
        for card in desk.store.cards.all():
            if not card.is_new:
                tx.put("cards", card.model_copy(update={"stability": 12.0, "difficulty": 5.0}))
    session = ReviewSession(desk)
    for grade in (Grade.GOOD, Grade.AGAIN, Grade.EASY):
        assert session.current() is not None
        session.answer(grade, 2000)
    assert shown(gather(desk, 12)) == scratch(desk)
    assert sum(gather(desk, 12).reviews_by_day) == 103
    session.undo()
    assert shown(gather(desk, 12)) == scratch(desk)
    assert sum(gather(desk, 12).reviews_by_day) == 102
    # An import of past history into months already counted (and kept in the store).
    desk.store.compact(force=True)
    assert shown(gather(desk, 12)) == scratch(desk)
    report = import_file(desk, _past_history(tmp_path, clock))
    assert report.reviews == 12 * 9
    after = gather(desk, 12)
    assert shown(after) == scratch(desk)
    # The card browser's true retention over 30 days is the stats screen's: the same study days.
    assert browse.figures_job(desk)()[2] == pytest.approx(after.retention_30d)
    assert sum(after.reviews_by_day) > 102 and after.answers_30d > 102
    desk.store.compact(force=True)
    assert shown(gather(desk, 12)) == scratch(desk)
    desk.close()
    # A new run takes the months from the store (none read), then a new study day moves the
    # window and the 30 days by a day.
    again = Desk.open(Paths(tmp_path / "data", tmp_path / "data"), clock=clock)
    figures = gather(again, 12)
    assert again.store.reviews.loaded_months() == []
    assert shown(figures) == scratch(again)
    clock.advance(days=1)
    assert shown(gather(again, 12)) == scratch(again)
    again.close()


def test_the_months_counted_ahead_are_the_ones_the_screen_uses(
    tmp_path: Path, clock: Clock
) -> None:
    """`count_ahead` (what the app runs once started) leaves nothing for the screen to read,
    keeps no past month in memory (the current one stays: grades change it), and its counts are
    the scratch ones."""
    _answers_in_september(desk := history_desk(tmp_path, clock), clock, 4)
    desk.store.compact(force=True)
    _answers_in_september(desk, clock, 1)  # September has entries in files and in memory
    log = desk.store.reviews
    assert count_ahead(desk)
    assert log.loaded_months() == ["2026-11"]
    reads: list[str] = []
    month = log.month

    def reading(name: str, **kw: bool) -> dict[int, ReviewLog]:
        reads.append(name)
        return month(name, **kw)

    log.month = reading  # type: ignore[method-assign]
    figures = gather(desk, 12)
    assert reads == []  # nothing read for the figures
    log.month = month  # type: ignore[method-assign]
    assert log.loaded_months() == ["2026-11"]
    assert shown(figures) == scratch(desk)
    desk.close()


def test_the_counts_an_older_version_kept_are_replaced(tmp_path: Path, clock: Clock) -> None:
    """The answers-only counts of an older version (`stats.answers_per_day`) are not read (they
    lack retention's counts) and go when the new ones are kept."""
    from deskwork.services.insight import OLD_SAVED_DAYS, SAVED_DAYS

    desk = history_desk(tmp_path, clock)
    desk.store.set_setting(OLD_SAVED_DAYS, {"2026-11": {"files": "x", "days": {}}})
    desk.store.compact(force=True)
    assert shown(gather(desk, 12)) == scratch(desk)
    assert desk.store.setting(OLD_SAVED_DAYS) is None
    assert "2026-11" in desk.store.setting(SAVED_DAYS)
    desk.close()


def test_the_browser_and_the_stats_count_true_retention_over_the_same_30_days(
    tmp_path: Path, clock: Clock
) -> None:
    """A failed review just before the first of the 30 study days, yet less than 30 times 24
    hours ago: neither screen counts it (the browser counted it, the stats did not, under one
    label)."""
    from deskwork.domain.studyday import day_bounds

    desk = history_desk(tmp_path / "data", clock)
    first = day_bounds(desk.today() - timedelta(days=29), desk.config.study.day_start_hour)[0]
    just_before = first - timedelta(minutes=1)
    assert just_before > clock() - timedelta(days=30), "the case this test is about"
    with desk.store.transaction() as tx:
        tx.append("reviews", ReviewLog(card_id=1, rating=1, ts=just_before, state=CardState.REVIEW))
    figures = gather(desk, 12)
    assert figures.retention_30d == pytest.approx(0.9)
    assert browse.figures_job(desk)()[2] == pytest.approx(figures.retention_30d)
    # "90% of N answers": N the answers the percentage is of, not a manual entry (Anki's
    # "reschedule cards" writes one per card) on a card in review.
    with desk.store.transaction() as tx:
        manual = ReviewLog(card_id=1, rating=0, manual=4, ts=clock(), state=CardState.REVIEW)
        tx.append("reviews", manual)
    after = gather(desk, 12)
    assert after.review_answers_30d == figures.review_answers_30d
    assert after.answers_30d == figures.answers_30d + 1  # every entry still counts there
    desk.close()
