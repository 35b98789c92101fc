"""The one-widget footer: it draws what Textual's Footer draws (every cell of the line compared:
text and style, plain / disabled / grouped keys, compact, a hovered key), a click on a key runs
it, the keys read as the user's keymap binds them, a hovered key shows its tooltip, and keys that
do not fit scroll with the wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import Footer, Static

from deskwork.ui.screens.draft_dialogs import NewDraftScreen
from deskwork.ui.widgets.footer import DeskFooter, Shown, layout
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready

MOVE = Binding.Group("Move")
PICK = Binding.Group("Pick", compact=True)


class Body(Static, can_focus=True):
    BINDINGS = [
        Binding("n", "note('n')", "New draft"),
        Binding("ctrl+s", "note('save')", "Save", tooltip="Saves the draft"),
        Binding("x", "off", "Disabled"),
        Binding("h", "note('left')", "Left", group=MOVE),
        Binding("l", "note('right')", "Right", group=MOVE),
        Binding("1", "note('one')", "One", group=PICK),
        Binding("2", "note('two')", "Two", group=PICK),
        Binding("q", "note('solo')", "Solo", group=Binding.Group("Solo")),
        Binding("question_mark", "note('help')", "Help"),
        Binding("k", "hidden", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__("body")
        self.notes: list[str] = []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "off" else True  # None: shown, dimmed, does nothing

    def action_note(self, what: str) -> None:
        self.notes.append(what)

    def action_off(self) -> None:
        self.notes.append("off")


class FooterApp(App[None]):
    def __init__(self, textual: bool, compact: bool = False) -> None:
        super().__init__()
        self.textual, self.compact = textual, compact
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Body()
        if self.textual:
            yield Footer(show_command_palette=False, compact=self.compact)
        else:
            footer = DeskFooter()
            footer.compact = self.compact
            yield footer

    def on_mount(self) -> None:
        self.query_one(Body).focus()

    def bell(self) -> None:
        self.bells += 1


def cells(strip: Strip) -> list[tuple[str, str]]:
    """Each cell of a drawn line: its character and its style (without the mouse's meta)."""
    return [
        (char, str(segment.style.clear_meta_and_links() if segment.style else None))
        for segment in strip
        for char in segment.text
    ]


async def drawn(textual: bool, compact: bool, hover_x: int | None, width: int = 100) -> list[Any]:
    app = FooterApp(textual, compact)
    async with app.run_test(size=(width, 8)) as pilot:
        await pilot.pause()
        await pilot.pause()
        if hover_x is not None:
            await pilot.hover(Footer if textual else DeskFooter, offset=(hover_x, 0))
            await pilot.pause()
        return cells(app.screen._compositor.render_strips()[-1])


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("hover_x", [None, 2, 24])  # a key; the dimmed (disabled) key
async def test_the_line_is_textuals_footer_cell_for_cell(
    compact: bool, hover_x: int | None
) -> None:
    ours = await drawn(False, compact, hover_x)
    textual = await drawn(True, compact, hover_x)
    start = "n New draft ^s Save x Disabled" if compact else " n New draft  ^s Save  x Disabled"
    assert "".join(c for c, _ in ours).startswith(start)
    assert ours == textual
    if hover_x is not None:
        assert ours != await drawn(False, compact, None), "the hovered key is highlighted"


def test_layout_of_groups_and_compact_keys() -> None:
    def key(display: str, description: str, group: str | None = None, tight: bool = False) -> Shown:
        return Shown(display, display, description, display, True, "", group, tight)

    keys = [key("n", "New"), key("h", "", "Move"), key("l", "", "Move"), key("1", "", "Pick", True)]
    keys += [key("2", "", "Pick", True)]
    line = layout(keys)
    assert "".join(r.text for r in line) == " n New  h l Move  12 Pick "
    assert [r.key for r in line if r.role == "key"] == [0, 1, 2, 3, 4]
    assert "".join(r.text for r in layout(keys[:1], compact=True)) == "n New "


async def test_clicking_a_key_runs_it_and_a_disabled_key_rings_the_bell() -> None:
    app = FooterApp(False)
    async with app.run_test(size=(100, 8)) as pilot:
        await pilot.pause()
        body, footer = app.query_one(Body), app.query_one(DeskFooter)
        line = "".join(r.text for r in layout(footer.keys or []))
        for word, note in (("New draft", "n"), ("^s", "save"), ("Help", "help"), ("l", "right")):
            x = line.index(f" {word}") + 1
            assert footer.key_at(x) is not None
            await pilot.click(DeskFooter, offset=(x, 0))
            await pilot.pause()
            assert body.notes[-1] == note, word
        clicks = len(body.notes)
        await pilot.click(DeskFooter, offset=(line.index("Disabled"), 0))
        await pilot.click(DeskFooter, offset=(line.index("Move"), 0))  # the group's label
        await pilot.click(DeskFooter, offset=(98, 0))  # past the keys
        await pilot.pause()
        assert len(body.notes) == clicks and "off" not in body.notes
        assert app.bells == 1


async def test_a_hovered_key_shows_its_tooltip() -> None:
    app = FooterApp(False)
    async with app.run_test(size=(100, 8)) as pilot:
        await pilot.pause()
        footer = app.query_one(DeskFooter)
        line = "".join(r.text for r in layout(footer.keys or []))
        await pilot.hover(DeskFooter, offset=(line.index("Save"), 0))
        assert footer.tooltip == "Saves the draft"
        await pilot.hover(DeskFooter, offset=(line.index(" h ") + 1, 0))
        assert footer.tooltip == "Left", "a grouped key: its description"
        await pilot.hover(Body)
        assert footer.tooltip is None


async def test_keys_that_do_not_fit_scroll_with_the_wheel() -> None:
    app = FooterApp(False)
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        footer = app.query_one(DeskFooter)
        assert footer.line_width > 30
        first = footer.key_at(1)
        y = footer.region.y
        app.post_message(events.MouseScrollDown(None, 1, y, 0, 1, 0, False, False, False, 1, y))
        await pilot.pause()
        assert footer.key_at(1) != first
        shown = "".join(c for c, _ in cells(app.screen._compositor.render_strips()[-1]))
        assert shown.startswith(" ^s Save"), shown
        app.post_message(events.MouseScrollUp(None, 1, y, 0, -1, 0, False, False, False, 1, y))
        await pilot.pause()
        assert footer.key_at(1) == first


async def test_the_footer_reads_the_users_keymap_and_its_click_runs_the_rebound_key(
    tmp_path: Path, clock: Clock
) -> None:
    config = '[keys]\n"draft.new" = "N"\n"app.help" = "h"\n'
    app = desk_app(tmp_path, clock, config)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f5")  # the drafts: "N New draft"
        await pilot.pause()
        await pilot.pause()
        footer = app.screen.query_one(DeskFooter)
        shown = {k.description: k.display for k in footer.keys or []}
        assert shown["New draft"] == "N" and shown["Help"] == "h", shown
        line = "".join(c for c, _ in cells(app.screen._compositor.render_strips()[-1]))
        assert " N New draft " in line and " h Help " in line, line
        await pilot.click(DeskFooter, offset=(line.index(" N New draft") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, NewDraftScreen), "the click pressed N: a new draft"


async def test_the_footer_stays_while_an_area_is_zoomed(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f11")
        await pilot.pause()
        assert app.screen.maximized is not None
        footer = app.screen.query_one(DeskFooter)
        assert footer.region.height == 1 and footer.region.y == 39
        assert footer.keys
