"""The compositor repair (ui/compositor_repair.py) keeps a scrolled container right: scrolled back
in the same frame as a layout change, the rows on screen are the rows at the top (the first
version of the repair left the scrolled-to rows there; a review found it)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tests.ui.screen_cells import ScreenCells


class A(App):
    CSS = "Static { height: 1; } VerticalScroll { height: 10; border: none; }"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="vs"):
            for i in range(60):
                yield Static(f"row {i:02d}", id=f"r{i}")
        yield Static("footer", id="foot")


@pytest.mark.parametrize("patched", [False, True])
async def test_scroll_back_with_layout(patched: bool) -> None:
    from textual._compositor import Compositor

    import deskwork.ui.compositor_repair as cr

    saved = (Compositor.full_map, Compositor.reflow, Compositor.clear, cr._INSTALLED)
    if patched:
        cr.repair_compositor()
    try:
        app = A()
        async with app.run_test(size=(30, 14)) as pilot:
            cells = ScreenCells(app, 30, 14)
            await pilot.pause()
            vs = app.query_one("#vs", VerticalScroll)
            app.screen.refresh()  # full paint into cells
            await pilot.pause()
            vs.scroll_to(y=20, animate=False, immediate=True)
            for _ in range(2):
                await pilot.pause()
            _ = app.query_one("#r0").region  # a read: the lazy full map is rebuilt
            await pilot.pause()
            # the same frame: back to the top and a layout change
            vs.scroll_to(y=0, animate=False, immediate=True)
            app.query_one("#foot").update("footer changed")
            app.query_one("#foot").styles.height = 2
            for _ in range(3):
                await pilot.pause()
            lines = cells.lines()
            assert lines[0].startswith("row 00"), lines
    finally:
        Compositor.full_map, Compositor.reflow, Compositor.clear, cr._INSTALLED = saved


def test_the_repair_is_installed_on_this_textual() -> None:
    from deskwork.ui.compositor_repair import installed, repair_compositor

    assert repair_compositor() and installed()
