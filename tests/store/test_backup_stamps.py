"""A backup folder's time is read from its name without strptime (start-up lists the backups):
the same moment strptime reads, for every name `STAMP` writes and for the odd ones it accepts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from deskwork.store.backups import STAMP, stamp_of


def _strptime(name: str) -> datetime | None:
    try:
        return datetime.strptime(name.split("-")[0], STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_every_written_stamp_reads_back_as_its_moment(moment: datetime) -> None:
    moment = moment.replace(tzinfo=UTC)
    name = moment.strftime(STAMP)
    assert stamp_of(Path(name)) == moment == _strptime(name)
    assert stamp_of(Path(f"{name}-partial")) == moment


@given(st.text(alphabet="0123456789TZ-x", max_size=26))
def test_any_other_name_reads_as_strptime_reads_it(name: str) -> None:
    assert stamp_of(Path(name or "x")) == _strptime(name or "x")


def test_names_that_are_not_stamps_are_none() -> None:
    for name in ("junk", "20261322T155109447857Z", "20260230T000000000000Z", ".tmp"):
        assert stamp_of(Path(name)) is None
