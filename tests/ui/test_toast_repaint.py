"""What a toast or a dialog covered is repainted once it goes (ui/compositor_repair.py), read from
the cells a terminal would show: over the zoomed draft editor, while the desk's ticker refreshes
the areas the zoom hides (Textual then compared the next layout with a map rebuilt without the
toast, and left its cells on screen)."""

from __future__ import annotations

from pathlib import Path

from deskwork.services.drafts import DraftService
from deskwork.ui.screens.draft_dialogs import ConfirmScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready, until
from tests.ui.screen_cells import ScreenCells

TOAST = "It's past 19:00: a good moment to wrap up and leave the desk."


async def test_a_toast_over_the_zoomed_editor_leaves_nothing_behind(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    body = "\n".join(f"Line {n}: KILLTEST words words words" for n in range(1, 80))
    DraftService(app.desk).create("trial", body)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        cells = ScreenCells(app, 120, 40)
        await ready(pilot)
        app.notify(TOAST, title="End of the study day", timeout=60)
        await pilot.press("f5", "enter", "f11")  # the draft open in its zoomed area
        pane = app.draft_pane
        await until(
            pilot, lambda: not pane.has_class("-narrow"), "the zoomed area's layout", limit=5
        )
        await until(pilot, lambda: any("wrap up" in line for line in cells.lines()), "the toast")
        # The desk's ticker refreshes the areas the zoom hides (the timer's digits): Textual then
        # rebuilt its map of the screen lazily, at the next read, without the toast (below).
        app.timer_pane.refresh()
        await pilot.pause()
        app.clear_notifications()  # the toast goes, as when it expires
        await pilot.pause()
        await pilot.press("down")  # and the keys go on
        await pilot.pause()
        assert_whole(cells.lines(), "wrap up", "End of the study")

        # A dialog closed over it the same way
        await app.push_screen(ConfirmScreen("Discard this card and quit? (y/n)"))
        await until(pilot, lambda: any("Discard" in line for line in cells.lines()), "the dialog")
        app.timer_pane.refresh()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert_whole(cells.lines(), "Discard", "(y/n)")


def assert_whole(screen: list[str], *gone: str) -> None:
    """The zoomed draft area as drawn: none of `gone`, its frame unbroken."""
    text = "\n".join(screen)
    assert not any(word in text for word in gone), text
    assert "▌" not in "".join(screen[2:39]), text  # a toast's edge
    assert screen[38].startswith("╰") and screen[38].rstrip().endswith("─╯"), text
    assert all(line.startswith("│") and line.rstrip().endswith("│") for line in screen[2:38]), text
