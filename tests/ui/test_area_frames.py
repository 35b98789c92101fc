"""The frame of the area holding the keyboard: drawn from the `-has-focus` class the desk keeps
(not Textual's `:focus-within`), and a move between areas restyles the two frames and the widgets
that gained or lost the focus, never everything inside the areas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.content import Content
from textual.dom import DOMNode

from deskwork.ui.widgets.pane import FOCUSED_TITLE, Pane
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready


def frames(app: Any) -> dict[str, bool]:
    return {pane.id: pane.has_class("-has-focus") for pane in app.desk_screen.query(Pane)}


def holder(app: Any) -> str | None:
    node = app.desk_screen.focused
    while node is not None and not isinstance(node, Pane):
        node = node.parent
    return node.id if node is not None else None


async def test_the_frame_follows_the_keyboard(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        primary = app.query_one("#timer", Pane).styles.border.top[1]
        for key, area in (
            ("f3", "queue"),
            ("f5", "draft"),
            ("f4", "review"),
            ("f2", "timer"),
            ("tab", "queue"),
            ("shift+tab", "timer"),
            ("shift+tab", "draft"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert holder(app) == area
            assert frames(app) == {name: name == area for name in frames(app)}, key
            colours = {p.id: p.styles.border.top[1] for p in app.desk_screen.query(Pane)}
            assert colours[area] == primary  # the focused frame is drawn in the primary colour
            assert all(c != primary for name, c in colours.items() if name != area)


async def test_a_click_and_a_dialog(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.click("#review")
        await pilot.pause()
        assert frames(app)["review"] and sum(frames(app).values()) == 1
        await pilot.press("ctrl+k")  # quick capture: a dialog over the desk
        await pilot.pause()
        assert app.screen is not app.desk_screen
        assert frames(app)["review"]  # the desk still shows where the keyboard goes back to
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.desk_screen and holder(app) == "review"
        assert frames(app) == {n: n == "review" for n in frames(app)}


async def test_a_move_restyles_frames_not_area_contents(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        restyled: list[DOMNode] = []
        original = app.stylesheet.update_nodes

        def counting(nodes: Any, animate: bool = False) -> None:
            nodes = list(nodes)
            restyled.extend(nodes)
            original(nodes, animate=animate)

        app.stylesheet.update_nodes = counting  # type: ignore[method-assign]
        try:
            for key in ("f5", "f4", "f2", "f3"):
                before, after_focus = app.focused, None
                restyled.clear()
                await pilot.press(key)
                await pilot.pause()
                after_focus = app.focused
                inside = [
                    node
                    for node in restyled
                    if any(isinstance(a, Pane) for a in node.ancestors)
                    and node not in (before, after_focus)
                ]
                assert inside == [], f"{key}: {inside}"
        finally:
            del app.stylesheet.update_nodes


async def test_a_move_repaints_no_widget_inside_the_areas(tmp_path: Path, clock: Clock) -> None:
    """The focused frame's title is bold in the border's colour by its own text style: a rule
    changing a colour or a text style (border-title-color / -style) made Textual repaint every
    widget inside both areas."""
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        repainted: list[str] = []
        inside = [
            w
            for pane in app.desk_screen.query(Pane)
            for w in pane.query("*")
            if not w.can_focus and w.id not in ("timer-digits", "timer-progress", "bar")
        ]
        assert len(inside) > 10
        for widget in inside:

            def counting(*args: Any, _w: Any = widget, _r: Any = widget.refresh, **kw: Any) -> Any:
                repainted.append(f"{type(_w).__name__}#{_w.id}")
                return _r(*args, **kw)

            widget.refresh = counting  # type: ignore[method-assign]
        for key in ("f5", "f4", "f2", "f3", "tab"):
            await pilot.press(key)
            await pilot.pause()
            area = holder(app)
            for pane in app.desk_screen.query(Pane):
                focused = Content.styled(pane.title, FOCUSED_TITLE).markup
                shown = focused if pane.id == area else pane.title
                assert pane.border_title == shown, (key, pane.id)
        assert repainted == []
