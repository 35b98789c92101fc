"""How even the daily load is with Anki's load balancer on and off (and with easy days), on the heavy
workload's cards (benchmarks/workload.py: 20,000 cards, 18,000 in review).

Each variant starts from the same cards and reviews them for N days (default 60) the way a learner
would: every card due by the end of the study day is answered (Again 8 %, Hard 7 %, Good 75 %,
Easy 10 %, the same draws in every variant), lapses relearn the same day, 20 new cards a day. The
scheduling is deskwork's own (domain.scheduling.grade with the default preset); the balancer reads
the per-day counts (domain.loadbalance.DueDays) kept up to date answer by answer, as the review
session does.

Figures per variant: the reviews done per day over the last 30 simulated days and the 30-day due
forecast at the end, each as standard deviation and max - min (the "flatter" figure); for easy
days, the load on the reduced / minimum weekdays as a share of a normal day's. Also the cost of the
balancer: building the counts from every card (once per session) and the time per answer.

    python benchmarks/balance.py [--days 60] [--scale heavy|power|tiny] [--json] [--cards-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import report
from workload import END, Scale, generate

from deskwork.domain import loadbalance as lb
from deskwork.domain.cards import Card, CardState
from deskwork.domain.scheduling import Grade, SchedulerSettings, grade
from deskwork.domain.studyday import day_bounds
from deskwork.store.store import Store

# The cards of workload.py's scales (the same seed: the same cards), without the rest.
CARDS = {
    name: Scale(f"{name} cards", cards=n, reviews=1, items=0, sessions=0, drafts=0)
    for name, n in (("tiny", 500), ("heavy", 20_000), ("power", 100_000))
}
START_HOUR = 4
RATINGS = (Grade.AGAIN,) * 8 + (Grade.HARD,) * 7 + (Grade.GOOD,) * 75 + (Grade.EASY,) * 10
NEW_PER_DAY = 20
EASY_WEEK = (1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0)  # Saturday reduced, Sunday minimum


def workload_cards(scale: str, folder: Path | None) -> list[Card]:
    """A workload's cards (the same seed: the same cards as benchmarks/run.py's)."""
    with tempfile.TemporaryDirectory() as tmp:
        data = folder or Path(tmp) / "data"
        if not (data / "manifest.json").exists():
            generate(data, CARDS[scale])
        store = Store.open(data, clock=lambda: END, backup_interval_s=10**9)
        try:
            return list(store.cards.all())
        finally:
            store.close()


@dataclass
class Run:
    done_per_day: list[int]
    forecast: list[int]
    weekdays_done: dict[int, list[int]]
    answer_us: float
    build_ms: float


def simulate(
    cards: list[Card], days: int, balance: bool, easy: tuple[float, ...], seed: int = 1
) -> Run:
    settings = SchedulerSettings()
    scheduler = settings.scheduler()
    ratings = random.Random(seed)
    random.seed(seed)  # grade's fuzz draw
    by_id = {c.id: c for c in cards}
    new = sorted((c for c in cards if c.is_new), key=lambda c: c.id)
    first_day = END.date()
    t = time.perf_counter()
    start, end = day_bounds(first_day, START_HOUR)
    due = lb.DueDays.build(by_id.values(), first_day, end, lambda deck: 0)
    build_ms = (time.perf_counter() - t) * 1000
    done: list[int] = []
    weekdays: dict[int, list[int]] = {}
    answers, spent = 0, 0.0
    for d in range(days):
        today = first_day + timedelta(days=d)
        start, end = day_bounds(today, START_HOUR)
        now = start + timedelta(hours=6)
        queue = [c for c in by_id.values() if not c.is_new and c.due < end]
        queue.sort(key=lambda c: (c.due, c.id))
        fresh = new[d * NEW_PER_DAY : (d + 1) * NEW_PER_DAY]
        count = 0
        for card in [*queue, *fresh]:
            current = card
            for _ in range(6):  # learning and relearning steps, the same day
                rating = ratings.choice(RATINGS) if current is card else Grade.GOOD
                balancer = lb.Balancer(due, 0, today, easy) if balance else None
                t = time.perf_counter()
                after, _ = grade(scheduler, settings, current, rating, now, 8000, end, balancer)
                before_day = lb.due_day(current, today, end)
                due.move(0, before_day, lb.due_day(after, today, end))
                spent += time.perf_counter() - t
                answers += 1
                count += 1
                current = after
                now += timedelta(seconds=8)
                if after.state is CardState.REVIEW or after.due >= end:
                    break
                now = max(now, after.due)
            by_id[card.id] = current
        done.append(count)
        weekdays.setdefault(today.weekday(), []).append(count)
    last = first_day + timedelta(days=days)
    _, end = day_bounds(last, START_HOUR)
    forecast = [0] * 30
    for card in by_id.values():
        day = lb.due_day(card, last, end)
        if day is not None and 0 <= day - last.toordinal() < 30:
            forecast[day - last.toordinal()] += 1
    return Run(done, forecast, weekdays, spent / max(answers, 1) * 1e6, build_ms)


def day_to_day(counts: list[int]) -> float:
    """Spikiness with the trend taken out: the RMS gap between a day and its neighbours' mean."""
    gaps = [c - (a + b) / 2 for a, c, b in zip(counts, counts[1:], counts[2:], strict=False)]
    return round(statistics.fmean(g * g for g in gaps) ** 0.5, 1) if gaps else 0.0


def figures(run: Run, last_days: int) -> dict[str, object]:
    tail = run.done_per_day[-last_days:]
    ahead = run.forecast[1:]  # from tomorrow: today holds the backlog
    low, high, sd = lb.spread(tail)
    f_low, f_high, f_sd = lb.spread(ahead)
    return {
        "done_per_day_sd": round(sd, 1),
        "done_per_day_max_minus_min": high - low,
        "done_per_day_to_day": day_to_day(tail),
        "done_per_day_mean": round(statistics.mean(tail), 1),
        "forecast_sd": round(f_sd, 1),
        "forecast_max_minus_min": f_high - f_low,
        "forecast_day_to_day": day_to_day(ahead),
        "forecast": run.forecast,
        "answer_us": round(run.answer_us, 1),
    }


def weekday_share(counts: list[int], first: date, weekday: int) -> float:
    """A weekday's count as a share of the normal days within 3 days of it (the trend cancels),
    averaged over its occurrences."""
    shares = []
    for n, count in enumerate(counts):
        if (first + timedelta(days=n)).weekday() != weekday:
            continue
        near = [
            counts[m]
            for m in range(max(0, n - 3), min(len(counts), n + 4))
            if EASY_WEEK[(first + timedelta(days=m)).weekday()] == 1.0
        ]
        if near and statistics.mean(near):
            shares.append(count / statistics.mean(near))
    return round(statistics.mean(shares), 2) if shares else 0.0


def shares(run: Run, days: int, last: int) -> dict[str, float]:
    first = END.date()
    end_day = first + timedelta(days=days)
    done_first = first + timedelta(days=days - last)
    return {
        "forecast_saturday_share": weekday_share(run.forecast[1:], end_day + timedelta(days=1), 5),
        "forecast_sunday_share": weekday_share(run.forecast[1:], end_day + timedelta(days=1), 6),
        "done_saturday_share": weekday_share(run.done_per_day[-last:], done_first, 5),
        "done_sunday_share": weekday_share(run.done_per_day[-last:], done_first, 6),
    }


def ratio(on: list[int], off: list[int]) -> float:
    return round(lb.spread(on)[2] / max(lb.spread(off)[2], 0.1), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--scale", choices=sorted(CARDS), default="heavy")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cards-dir", type=Path, help="keep the generated cards here")
    args = parser.parse_args()
    os.environ["TZ"] = "UTC"  # study days in UTC: the same figures on every machine
    time.tzset()
    cards = workload_cards(args.scale, args.cards_dir)
    last = min(30, args.days)
    off = simulate(cards, args.days, False, lb.NORMAL_WEEK)
    on = simulate(cards, args.days, True, lb.NORMAL_WEEK)
    easy = simulate(cards, args.days, True, EASY_WEEK)
    result: dict[str, object] = {
        "scale": args.scale,
        "cards": len(cards),
        "days": args.days,
        "off": figures(off, last),
        "on": figures(on, last),
        "on_easy_days": figures(easy, last)
        | {"easy_days": dict(zip(lb.WEEKDAYS, EASY_WEEK, strict=True))}
        | shares(easy, args.days, last),
        "off_weekday_shares": shares(off, args.days, last),
        "due_days_build_ms": round(on.build_ms, 1),
        "done_sd_on_vs_off": ratio(on.done_per_day[-last:], off.done_per_day[-last:]),
        "forecast_day_to_day_on_vs_off": round(
            day_to_day(on.forecast[1:]) / max(day_to_day(off.forecast[1:]), 0.1), 2
        ),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "first_day": date.isoformat(END.date()),
    }
    report(result, args.json)


if __name__ == "__main__":
    main()
