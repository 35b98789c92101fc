"""Atomicity under SIGKILL: a child process writes and reports each acknowledged write; we kill it at
random instants (also mid-compaction, with a tiny journal limit) and check that the store opens and
holds every acknowledged write."""

from __future__ import annotations

import random
from pathlib import Path

from deskwork.store.store import Store
from tests.helpers import output_until_killed

CHILD = r"""
import sys
from datetime import datetime, UTC
from pathlib import Path
from deskwork.domain.cards import Card, ReviewLog
from deskwork.store.store import Store

store = Store.open(Path(sys.argv[1]), backup_interval_s=0.5)
store.journal_limit = int(sys.argv[2])
start = int(sys.argv[3])
print("ready", flush=True)
i = start
while True:
    now = datetime.now(UTC)
    with store.transaction() as tx:
        card = tx.put("cards", Card(fields=[f"card {i}", "x" * (i % 300)], created=now, modified=now, due=now))
        tx.append("reviews", ReviewLog(card_id=card.id, rating=1 + i % 4, ts=now))
    print(i, flush=True)
    i += 1
"""


def _run_and_kill(data_dir: Path, limit: int, start: int, delay: float) -> list[int]:
    out = output_until_killed(CHILD, [str(data_dir), str(limit), str(start)], delay)
    return [int(line) for line in out.split() if line.isdigit()]


def test_sigkill_at_random_instants_loses_no_acknowledged_write(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(1234)
    acknowledged: list[int] = []
    start = 0
    for round_ in range(12):
        limit = rng.choice([600, 3000, 1 << 20])  # small limits: kills land inside compactions
        got = _run_and_kill(data_dir, limit, start, rng.uniform(0.05, 0.4))
        acknowledged += got
        start = (max(acknowledged) + 1) if acknowledged else start
        store = Store.open(data_dir, readonly=True)
        fronts = {c.front for c in store.cards.all()}
        missing = [i for i in acknowledged if f"card {i}" not in fronts]
        assert not missing, f"round {round_}: acknowledged writes lost: {missing[:10]}"
        assert store.reviews.count() >= len(acknowledged)
        assert not store.report.problems, store.report.problems
    assert len(acknowledged) > 50, "the child should have made real progress"
    final = Store.open(data_dir)
    assert not final.report.recovered
    final.close()
