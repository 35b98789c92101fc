"""The UI keeps up: keys pressed faster than they are handled end where the last one says, and the
work done per keystroke does not depend on the size of the document (what the stall meter in
benchmarks/stall.py measures; no timings here)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Tabs

from tests.helpers import Clock
from tests.ui.test_shell import make_app


async def test_area_keys_queued_faster_than_handled_settle_on_the_last(
    tmp_path: Path, clock: Clock
) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in ("f2", "f3", "f4", "f5", "f3", "f4"):  # all queued before any is handled
            app.post_message(events.Key(key, None))
        for _ in range(3):
            await pilot.pause()
        tabs = app.query_one("#pane-tabs", Tabs)
        seen = set()
        for _ in range(8):  # stale tab activations used to flip the areas back and forth for ever
            await pilot.pause(0.02)
            seen.add((tabs.active, app._focused_pane()))
        assert seen == {("tab-review", "review")}
