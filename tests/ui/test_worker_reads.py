"""A worker's read of the desk's tables while the UI thread writes (ui/worker_reads.py): made
again when a dict changed size under it, given up after a few, stopped when cancelled."""

from __future__ import annotations

import pytest

from deskwork.ui.worker_reads import TRIES, ReadCancelled, read_while_written


def test_a_read_that_met_a_write_is_made_again() -> None:
    calls: list[int] = []

    def read() -> str:
        calls.append(1)
        if len(calls) < TRIES:
            raise RuntimeError("dictionary changed size during iteration")
        return "read"

    assert read_while_written(read) == "read" and len(calls) == TRIES


def test_reads_that_all_meet_a_write_give_none_and_other_errors_rise() -> None:
    calls: list[int] = []

    def never() -> str:
        calls.append(1)
        raise RuntimeError("dictionary changed size during iteration")

    assert read_while_written(never) is None and len(calls) == TRIES

    def broken() -> str:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        read_while_written(broken)


def test_a_cancelled_worker_reads_nothing() -> None:
    with pytest.raises(ReadCancelled):
        read_while_written(lambda: pytest.fail("read after the cancel"), lambda: True)
