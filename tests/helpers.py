"""Helpers shared by tests: a settable clock, card factory, crash simulation."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from deskwork.domain.cards import Card
from deskwork.domain.sessions import Session, SessionKind
from deskwork.store.store import Store

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


class Clock:
    """A settable clock: domain and store code take the clock as a parameter."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_card(front: str = "What is backprop?", when: datetime = T0, **kw: object) -> Card:
    fields: dict[str, object] = {"created": when, "modified": when, "due": when}
    back = kw.pop("back", "the chain rule")
    return Card(fields=[front, back], **(fields | kw))  # type: ignore[arg-type]


def crash(store: Store) -> None:
    """Drop a store the way a killed process would: no compaction, the lock just goes away."""
    if store._journal is not None:
        store._journal.close()
        store._journal = None
    if store._lock is not None:
        store._lock.release()
        store._lock = None


def make_focus(start: datetime, minutes: float = 25, **kw: object) -> Session:
    """A completed 25-minute focus session starting at `start` (override any field)."""
    fields: dict[str, object] = {
        "kind": SessionKind.FOCUS,
        "start": start,
        "end": start + timedelta(minutes=minutes),
        "planned_s": 1500,
        "actual_s": minutes * 60,
        "completed": True,
    }
    return Session.model_validate(fields | kw)


def output_until_killed(script: str, args: list[str], delay: float) -> str:
    """Run `script` in a child Python; once it prints "ready", let it work `delay` seconds, then
    SIGKILL it (a crash at whatever instant it is at). What it printed after "ready"."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    return out


def child_json(code: str, *args: str) -> Any:
    """Run `code` in a fresh interpreter (Textual's own TEXTUAL settings cleared) with `args`;
    the JSON its last line of output prints."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL"} | {"TEXTUAL": ""}
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])
