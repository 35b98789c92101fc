"""The real Anki's load balancer as an oracle (the `anki` package, AGPL, test-only). Run as a script
in a subprocess WITHOUT `ANKI_TEST_MODE` (which turns Anki's fuzz, and so its load balancer, off
for the whole process): reads cases as JSON on stdin, prints Anki's picks as JSON.

A case: the review cards already due n days from today (`counts`, by n), the easy days (Monday
first) and the card to answer (stability, difficulty, days since its last review, its interval).
The card, due today, is answered Good; the pick is its new due day, counted from today. Also
returned: each day's weekday as Anki sees it (the weekday of the study day n days on).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from typing import Any

assert "ANKI_TEST_MODE" not in os.environ, "Anki's fuzz must be on"

from anki.collection import Collection  # noqa: E402, I001  (before anki.cards: its import cycle)
from anki.cards import FSRSMemoryState  # noqa: E402


def run_case(folder: str, n: int, case: dict[str, Any]) -> dict[str, Any]:
    col = Collection(os.path.join(folder, f"case{n}.anki2"))
    try:
        col.set_config("fsrs", True)
        conf = col.decks.config_dict_for_deck_id(1)
        conf["easyDaysPercentages"] = case["easy_days"]
        col.decks.update_config(conf)
        today = col.sched.today
        basic = col.models.by_name("Basic")
        now = int(time.time())

        def add(front: str, due_in: int, ivl: int, stability: float, days_ago: int) -> Any:
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, "back"
            col.add_note(note, 1)
            card = note.cards()[0]
            card.type = card.queue = 2
            card.ivl, card.due, card.reps = ivl, today + due_in, 3
            card.memory_state = FSRSMemoryState(stability=stability, difficulty=5.0)
            card.last_review_time = now - days_ago * 86400
            return card

        target = add("target", 0, case["interval"], case["stability"], case["days_ago"])
        target.memory_state = FSRSMemoryState(
            stability=case["stability"], difficulty=case["difficulty"]
        )
        fillers = [
            add(f"day {day} #{i}", int(day), max(int(day), 1), 100.0, 1)
            for day, count in case["counts"].items()
            for i in range(count)
        ]
        col.update_cards([target, *fillers])
        card = col.sched.getCard()
        assert card is not None and card.id == target.id, "the target is the only card due"
        card.start_timer()
        col.sched.answerCard(card, 3)
        card.load()
        cutoff = datetime.fromtimestamp(col.sched.day_cutoff)
        weekdays = {d: (cutoff + timedelta(days=d - 1)).weekday() for d in range(1, 100)}
        return {"pick": card.due - today, "weekdays": weekdays}
    finally:
        col.close()


def main() -> None:
    cases = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as folder:
        out = [run_case(folder, n, case) for n, case in enumerate(cases)]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
