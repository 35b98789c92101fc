"""Shared fixtures: an isolated data dir per test (real files, real TinyDB), a fixed clock."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskwork.store.store import Store
from tests.helpers import Clock

# Local time is part of what the UI shows (study days, the end-of-day nudge): pin it for every test.
os.environ["TZ"] = "UTC"
time.tzset()
# pytest-xdist gives its workers COLUMNS=80 and LINES=24, and Textual sizes itself from them before
# its terminal: every `deskwork` the terminal and browser tests start (their environment is this
# one) drew at 80x24 in its 120x40 pseudo-terminal. Each program sizes itself from its terminal.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)
# The real Anki (a test oracle) without its fuzz, whichever test starts its backend first.
os.environ.setdefault("ANKI_TEST_MODE", "1")


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the real user's data or config."""
    monkeypatch.setenv("DESKWORK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: Clock) -> Iterator[Store]:
    s = Store.open(data_dir, clock=clock)
    yield s
    s.close()
