"""Anki's day numbers and deskwork's study days, both ways, in a zone with DST (Europe/London).
Anki counts days on local dates from the collection's creation date (rslib scheduler/timing.rs);
the real `anki` package (a test-only oracle) runs in a child with TZ set, as Anki takes its
current offset from the process's local time."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deskwork.domain.cards import CardState
from deskwork.domain.studyday import day_bounds, study_day
from deskwork.interop.anki.days import AnkiDays, Timing, day_zero, minutes_west, read_timing
from deskwork.interop.anki.package import read_package
from deskwork.interop.anki.writer import write_package
from tests.helpers import make_card

pytest.importorskip("anki")

LONDON = ZoneInfo("Europe/London")

# Imports each package given into a fresh Anki collection (rollover = argv[1]) and prints, per
# card, (type, queue, due - today: days from Anki's today for a day number, left), Anki's counts
# (new, learning, review) and the real time Anki's today was taken at.
_IMPORT = """
import json, sys, time
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
out = []
for n, path in enumerate(sys.argv[2:]):
    col = Collection(f"{path}.target{n}.anki2")
    col.set_config("rollover", int(sys.argv[1]))
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=path, options=ImportAnkiPackageOptions(with_scheduling=True)))
    now, today = time.time(), col.sched.today
    rows = col.db.all("select type, queue, due, left from cards order by id")
    cards = [[t, q, d - today if q in (2, 3) else d, left] for t, q, d, left in rows]
    out.append({"cards": cards, "counts": list(col.sched.counts()), "now": now})
    col.close()
print(json.dumps(out))
"""


def _in_anki(rollover: int, *packages: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "TZ": "Europe/London"}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT, str(rollover), *map(str, packages)],
        check=True, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    result: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _review_card(now: datetime, due: datetime) -> Any:
    return make_card(
        "q", state=CardState.REVIEW, stability=30.0, difficulty=5.0,
        last_review=now - timedelta(days=3), due=due, note_guid="g1",
    )  # fmt: skip


@pytest.mark.parametrize("start_hour", [0, 4])
def test_an_export_at_0023_is_due_on_the_same_study_day_in_anki_and_back_in_deskwork(
    tmp_path: Path, start_hour: int
) -> None:
    """Written at 00:23 in London, once in summer (BST) and once in winter (GMT): whichever season
    the real clock is in, one of the two collections was created at another UTC offset than the
    one Anki has today. Anki must see each card due on its study day (counted from Anki's own
    today), and reading the package back gives the same study day. Without `creationOffset`
    Anki took crt's date at today's offset: with start hour 0 crt (00:00 BST) fell on the day
    before and every due moved a day; the old crt (UTC midnight) did the same."""
    packages, expected = [], []
    for n, day in enumerate((date(2026, 7, 14), date(2027, 1, 14))):
        now = datetime.combine(day, datetime.min.time().replace(minute=23), LONDON)
        due = day_bounds(
            study_day(now, start_hour, LONDON) + timedelta(days=45), start_hour, LONDON
        )
        due_at = due[0] + timedelta(hours=5)
        out = tmp_path / f"{n}.apkg"
        write_package(out, [_review_card(now, due_at)], {}, now, start_hour=start_hour, tz=LONDON)
        back = read_package(out, start_hour=start_hour, tz=LONDON).cards[0]
        assert study_day(back.due, start_hour, LONDON) == study_day(due_at, start_hour, LONDON)
        packages.append(out)
        expected.append(study_day(due_at, start_hour, LONDON))
    for seen, due_day in zip(_in_anki(start_hour, *packages), expected, strict=True):
        (ctype, queue, in_days, _), *_ = seen["cards"]
        today = study_day(datetime.fromtimestamp(seen["now"], UTC), start_hour, LONDON)
        assert (ctype, queue) == (2, 2)
        assert today + timedelta(days=in_days) == due_day


def test_the_export_writes_the_offset_and_rollover_anki_counts_dates_with(tmp_path: Path) -> None:
    """crt is the start of a study day, its local date Anki's day 0 at `creationOffset` (BST:
    60 minutes east) with `rollover` the start hour; day numbers count from that date."""
    now = datetime(2026, 7, 14, 0, 23, tzinfo=LONDON)
    due = datetime(2026, 12, 10, 9, 0, tzinfo=LONDON)
    out = tmp_path / "x.apkg"
    write_package(out, [_review_card(now, due)], {}, now, start_hour=0, tz=LONDON)
    import zipfile

    with zipfile.ZipFile(out) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    (crt, conf), (due_number,) = (
        db.execute("select crt, conf from col").fetchone(),
        db.execute("select due from cards").fetchone(),
    )
    db.close()
    conf = json.loads(conf)
    crt_local = datetime.fromtimestamp(crt, LONDON)
    assert (crt_local.hour, crt_local.minute) == (0, 0)
    assert crt_local.date() == date(2026, 7, 14) - timedelta(days=3650)
    assert conf["rollover"] == 0 and conf["creationOffset"] == -60
    assert crt_local.date() + timedelta(days=due_number) == date(2026, 12, 10)


# Builds a collection created on 1 July 2020 at 4 am BST (creationOffset -60) whose one card is
# due on 10 December 2026 (winter), exports it as Anki does and prints Anki's days to that due.
_SUMMER = """
import json, sys, time
from datetime import date, datetime
from zoneinfo import ZoneInfo
from anki.collection import Collection, ExportAnkiPackageOptions
folder = sys.argv[1]
col = Collection(f"{folder}/c.anki2")
col.db.execute("update col set crt=?", int(datetime(2020, 7, 1, 4, tzinfo=ZoneInfo("Europe/London")).timestamp()))
col.set_config("creationOffset", -60)
col.close(); col = Collection(f"{folder}/c.anki2")
note = col.new_note(col.models.by_name("Basic")); note["Front"] = "q"; note["Back"] = "a"
col.add_note(note, col.decks.id("Default"))
due = (date(2026, 12, 10) - date(2020, 7, 1)).days
col.db.execute("update cards set type=2, queue=2, due=?, ivl=20", due)
col.export_anki_package(out_path=f"{folder}/x.apkg", options=ExportAnkiPackageOptions(
    with_scheduling=True, with_media=False, legacy=True), limit=None)
print(json.dumps({"in_days": due - col.sched.today, "now": time.time()}))
col.close()
"""


def test_a_collection_made_in_summer_has_a_winter_due_on_its_date(tmp_path: Path) -> None:
    """Anki's day 2353 of a collection made on 1 July 2020 (BST) is 10 December 2026, from the
    rollover on: 2353 × 24 h after crt is 03:00 GMT on the 10th, before the 4 am start, so
    counting seconds put the card on the 9th."""
    env = {**os.environ, "TZ": "Europe/London"}
    done = subprocess.run(
        [sys.executable, "-c", _SUMMER, str(tmp_path)],
        check=True, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    today = study_day(datetime.fromtimestamp(seen["now"], UTC), 4, LONDON)
    assert today + timedelta(days=seen["in_days"]) == date(2026, 12, 10)  # Anki's own reading
    card = read_package(tmp_path / "x.apkg", start_hour=4, tz=LONDON).cards[0]
    assert study_day(card.due, 4, LONDON) == date(2026, 12, 10)
    assert card.due == datetime(2026, 12, 10, 4, tzinfo=LONDON)


def test_an_interday_learning_card_goes_to_anki_as_one_due_today(tmp_path: Path) -> None:
    """A learning step of a day (last answered yesterday, due later today) is due for the whole
    day in deskwork's queue: Anki keeps such a card in queue 3 with a day number and counts it
    today. Written as an intraday card (queue 1, a time) Anki hid it until its hour."""
    now = datetime.now(UTC)
    day_end = day_bounds(study_day(now, 4, LONDON), 4, LONDON)[1]
    due = min(now + timedelta(hours=2), day_end - timedelta(minutes=30))
    card = make_card(
        "q", state=CardState.LEARNING, step=1, stability=2.0, difficulty=5.0,
        last_review=now - timedelta(days=1, hours=1), due=due, note_guid="g1",
    )  # fmt: skip
    out = tmp_path / "x.apkg"
    write_package(out, [card], {}, now, start_hour=4, tz=LONDON)
    (seen,) = _in_anki(4, out)
    assert seen["cards"] == [[1, 3, 0, 1]]  # learning, interday queue, due today, last step
    assert seen["counts"] == [0, 1, 0]
    back = read_package(out, start_hour=4, tz=LONDON).cards[0]
    assert back.state is CardState.LEARNING
    assert study_day(back.due, 4, LONDON) == study_day(now, 4, LONDON)


def test_a_same_day_learning_step_stays_a_time() -> None:
    """A step within the study day keeps its moment (queue 1, seconds), as Anki keeps it."""
    from deskwork.interop.anki.schedule import to_anki

    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    card = make_card(
        state=CardState.RELEARNING, step=0, stability=3.0, difficulty=5.0,
        last_review=now, due=now + timedelta(minutes=10),
    )  # fmt: skip
    days = AnkiDays(date(2016, 11, 25), 4, UTC)
    assert to_anki(card, days, now, 0) == (3, 1, int((now + timedelta(minutes=10)).timestamp()), 3)


def _collection(conf: dict[str, Any] | None, config: dict[str, Any] | None) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("create table col (crt integer, conf text)")
    db.execute("insert into col values (0, ?)", (json.dumps(conf) if conf is not None else "",))
    if config is not None:
        db.execute("create table config (key text, val blob)")
        for key, value in config.items():
            db.execute("insert into config values (?, ?)", (key, json.dumps(value).encode()))
    return db


def test_the_timing_is_read_as_anki_reads_it() -> None:
    """schedVer below 2 (or none): v1; v2 without rollover counts from 4; the `config` table
    (current collections) before col.conf (schema 11); a creationOffset beyond ±23 h is absent."""
    tables11, tables18 = {"col"}, {"col", "config"}
    cases = [
        (({}, None), tables11, Timing(9, None, None)),
        (({"schedVer": 2}, None), tables11, Timing(9, 4, None)),
        (({"schedVer": 2, "rollover": 0, "creationOffset": -60}, None), tables11, Timing(9, 0, -60)),
        ((None, {"schedVer": 2, "rollover": 5, "creationOffset": 300}), tables18, Timing(9, 5, 300)),
        (({"schedVer": 2, "creationOffset": 99999}, None), tables11, Timing(9, 4, None)),
        (({"schedVer": 2, "rollover": "x"}, None), tables11, Timing(9, 4, None)),
    ]  # fmt: skip
    for (conf, config), tables, expected in cases:
        assert read_timing(_collection(conf, config), 9, tables) == expected


def test_day_zero_follows_each_of_ankis_timings() -> None:
    """crt at 00:30 BST on 1 July (23:30 UTC on 30 June). v2 with creationOffset: the date at that
    offset (1 July). Legacy v2: the date at today's offset (winter: GMT, 30 June), as Anki
    counts. v1: crt's own local date."""
    crt = int(datetime(2020, 7, 1, 0, 30, tzinfo=LONDON).timestamp())
    winter = datetime(2026, 12, 1, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert day_zero(Timing(crt, 4, -60), winter, LONDON) == date(2020, 7, 1)
    assert day_zero(Timing(crt, 4, None), winter, LONDON) == date(2020, 6, 30)
    assert day_zero(Timing(crt, 4, None), summer, LONDON) == date(2020, 7, 1)
    assert day_zero(Timing(crt, None, None), winter, LONDON) == date(2020, 7, 1)
    assert minutes_west(datetime(2020, 7, 1, tzinfo=LONDON), LONDON) == -60
    assert minutes_west(datetime(2020, 12, 1, tzinfo=ZoneInfo("America/New_York"))) in range(
        -14 * 60, 13 * 60
    )
    days = AnkiDays(date(2020, 7, 1), 4, LONDON)
    assert days.start(2353) == datetime(2026, 12, 10, 4, tzinfo=LONDON)
    assert days.number(datetime(2026, 12, 11, 3, 59, tzinfo=LONDON)) == 2353
    assert days.start(10**9).year == 9999  # a hostile due stays in the calendar


def test_the_import_service_counts_due_days_from_the_desks_start_hour(tmp_path: Path) -> None:
    """The desk's study day starts at midnight here: a review card of Anki's day N comes in due
    at 00:00 on that date (local time), not at the reader's default 4 am."""
    from deskwork.paths import Paths
    from deskwork.services import Desk
    from deskwork.services.anki import read_file

    (tmp_path / "config.toml").write_text("[study]\nday_start_hour = 0\n")
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    due_day = study_day(now, 0) + timedelta(days=9)
    out = tmp_path / "x.apkg"
    card = _review_card(now, day_bounds(due_day, 0)[0] + timedelta(hours=6))
    write_package(out, [card], {}, now, start_hour=0)
    desk = Desk.open(Paths(tmp_path / "data", tmp_path), clock=lambda: now)
    try:
        (got,) = read_file(out, desk).cards
    finally:
        desk.close()
    assert got.due == day_bounds(due_day, 0)[0]


def test_a_card_buried_in_anki_stays_buried_until_the_study_day_ends(tmp_path: Path) -> None:
    """Anki unburies at its rollover: the card comes in buried until the end of today's study
    day (midnight here, London time), whichever season the collection was made in. Counted in
    24-hour steps from crt, a collection made in summer unburied at 23:00 in winter."""
    for n, made in enumerate((date(2026, 7, 14), date(2027, 1, 14))):
        now = datetime.combine(made, datetime.min.time().replace(hour=12), LONDON)
        card = _review_card(now, now + timedelta(days=5))
        card = card.model_copy(update={"buried_until": datetime(9999, 1, 1, tzinfo=UTC)})
        out = tmp_path / f"{n}.apkg"
        write_package(out, [card], {}, now, start_hour=0, tz=LONDON)
        before = study_day(datetime.now(UTC), 0, LONDON)
        (got,) = read_package(out, start_hour=0, tz=LONDON).cards
        ends = {
            day_bounds(d, 0, LONDON)[1] for d in (before, study_day(datetime.now(UTC), 0, LONDON))
        }
        assert got.buried_until in ends


def test_a_learning_card_goes_with_the_steps_it_has_left(tmp_path: Path) -> None:
    """Anki's `left` counts the steps still to go (0 read as the last: one Good graduated every
    exported learning card). Steps 1 m, 10 m: step 0 leaves 2, step 1 leaves 1; relearning (one
    step, 10 m) leaves 1; the import maps each back to its step."""
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    cards = [
        make_card(f"q{n}", state=state, step=step, stability=2.0, difficulty=5.0, id=n + 1,
                  last_review=now, due=now + timedelta(minutes=5), note_guid=f"g{n}")
        for n, (state, step) in enumerate(
            [(CardState.LEARNING, 0), (CardState.LEARNING, 1), (CardState.RELEARNING, 0)]
        )
    ]  # fmt: skip
    out = tmp_path / "x.apkg"
    write_package(out, cards, {}, now, tz=UTC)
    import zipfile

    with zipfile.ZipFile(out) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    lefts = [
        row[0]
        for row in db.execute(
            "select c.left from cards c join notes n on n.id = c.nid order by n.guid"
        )
    ]
    db.close()
    assert lefts == [2, 1, 1]
    back = sorted(read_package(out, tz=UTC).cards, key=lambda c: c.note_guid or "")
    assert [(c.state, c.step) for c in back] == [(c.state, c.step) for c in cards]
