"""When a preset's FSRS parameters were last optimised (kept in the store's settings), and the
monthly nudge to optimise again once enough new answers are in (services/optimize.py does the
optimising)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from deskwork.domain.wording import counted
from deskwork.services.desk import Desk

REMIND_AFTER_DAYS = 30
REMIND_AFTER_REVIEWS = 1000  # Anki suggests optimising once 1000+ reviews are in
LAST_KEY = "optimize.last"  # {preset id: {"at": iso time, "reviews": answers then}}
REMINDED_KEY = "optimize.reminded"  # iso time of the last reminder

T = TypeVar("T")
# How a step that reads or writes the store runs: on the store's thread in the app, directly in
# the CLI and in tests.
OnStore = Callable[[Callable[[], Any]], Any]


def direct(work: Callable[[], T]) -> T:
    return work()


def remember(desk: Desk, preset_id: int, tx: Any = None) -> None:
    """Record that `preset_id` was optimised now (in `tx` when given)."""
    last = dict(desk.store.setting(LAST_KEY) or {})
    last[str(preset_id)] = {"at": desk.clock().isoformat(), "reviews": desk.store.reviews.count()}
    if tx is not None:
        tx.set_setting(LAST_KEY, last)
    else:
        desk.store.set_setting(LAST_KEY, last)


def last_optimized(desk: Desk) -> datetime | None:
    found = [
        datetime.fromisoformat(v["at"])
        for v in (desk.store.setting(LAST_KEY) or {}).values()
        if isinstance(v, dict) and isinstance(v.get("at"), str)
    ]
    return max(found) if found else None


def reminder(desk: Desk, on_store: OnStore = direct) -> str | None:
    """A one-line nudge when optimising would pay off: 30+ days since the last optimisation (or
    never) with 1000+ answers since, and no nudge in the last 30 days; records that it nudged.
    The cheap checks come first: the review log is read only when the dates say so."""
    now = desk.clock()
    month = timedelta(days=REMIND_AFTER_DAYS)
    reminded = desk.store.setting(REMINDED_KEY)
    if isinstance(reminded, str) and now - datetime.fromisoformat(reminded) < month:
        return None
    last = last_optimized(desk)
    if last is not None and now - last < month:
        return None
    since = last or datetime.fromisoformat("1970-01-01T00:00:00+00:00")
    new = sum(1 for log in desk.store.reviews.between(since, now) if not log.manual)
    if new < REMIND_AFTER_REVIEWS:
        return None
    if not desk.store.readonly:
        on_store(lambda: desk.store.set_setting(REMINDED_KEY, now.isoformat()))
    if last is None:
        head = f"{counted(new, 'review')}, and your FSRS parameters were never optimised on them"
    else:
        head = (
            f"{counted(new, 'review')} since you last optimised your FSRS parameters "
            f"({last:%Y-%m-%d})"
        )
    return (
        f"{head}: optimising fits them to your memory (Alt+O then o, or `deskwork cards optimize`)."
    )
