"""The browsing screens open in steps (ui/screens/opening.py): the first resume does not style
their widgets a second time, and nothing drawn differs from what styling them again draws (their
snapshots too: tests/ui/test_snapshots.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deskwork.ui.screens.card_dialogs import CardScreen
from deskwork.ui.screens.curriculum import CurriculumScreen
from deskwork.ui.screens.plan import PlanScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready, settled


@pytest.mark.parametrize(
    ("key", "kind"), [("ctrl+y", PlanScreen), ("f7", CurriculumScreen), ("ctrl+k", CardScreen)]
)
async def test_styled_at_mount_not_again_at_the_first_resume(
    tmp_path: Path, clock: Clock, key: str, kind: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    restyled: list[object] = []
    original = kind.update_node_styles

    def counting(self: Any, animate: bool = True) -> None:
        restyled.append(self)
        original(self, animate=animate)

    monkeypatch.setattr(kind, "update_node_styles", counting)
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(key)
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, kind)
        assert restyled == [], "styled as its widgets mounted, not again"
        before = [list(strip) for strip in app.screen._compositor.render_strips()]
        original(screen, animate=False)  # what the skipped restyle would have done
        await pilot.pause()
        after = [list(strip) for strip in app.screen._compositor.render_strips()]
        assert after == before
