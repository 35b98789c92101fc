"""The desk's first frame: the same picture for less work. What start-up tells waits for the
frame; the lists lay out and draw their options once; a resize to the size the desk has already is
not laid out again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.domain.drafts import Draft
from deskwork.ui.app import DeskworkApp
from deskwork.ui.widgets.list_pane import DeskList, fill_options
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def at_first_frame(app: App[Any], look: Any) -> list[Any]:
    """`look(app)` when the first frame is out (what the benchmark's first frame waits for)."""
    seen: list[Any] = []
    app.call_after_refresh(lambda: seen.append(look(app)))
    return seen


def widget_names(app: App[Any]) -> list[str]:
    return [type(w).__name__ for w in app.screen.walk_children(with_self=False)]


async def test_start_up_notes_are_shown_once_the_desk_is_drawn(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock, '[keys]\n"app.help" = "ctrl+shift+alt+nonsense"\n')
    seen = at_first_frame(app, lambda a: (widget_names(a), list(a._notifications)))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        names, told = seen[0]
        assert "Toast" not in names and not told  # the first frame is the desk alone
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any("'app.help'" in m and "not a key name" in m for m in messages)
        await pilot.pause()
        assert "Toast" in widget_names(app)  # then shown, as before


def long_lists_app(tmp_path: Path, clock: Clock) -> DeskworkApp:
    items = [Item(title=f"Course {n}", status=ItemStatus.ACTIVE, added=T0) for n in range(150)]
    app = desk_app(tmp_path, clock, items=items)
    with app.desk.store.transaction() as tx:
        for n in range(130):
            tx.put("drafts", Draft(title=f"Post {n}", created=T0, updated=T0))
        for n in range(5):
            tx.put("cards", make_card(f"question {n}", when=T0))
    return app


async def test_the_desk_lists_draw_each_option_once_at_start(
    tmp_path: Path, clock: Clock, monkeypatch: Any
) -> None:
    """Textual's list drew its options without a scrollbar, found it needed one, and drew them
    all again a column narrower (and once more for its first Resize)."""
    drawn: dict[str | None, int] = {}
    draw = OptionList._get_option_render

    def counted(self: OptionList, option: Option, style: Any) -> Any:
        key = (option, style, self.get_component_styles("option-list--option").padding)
        if key not in self._option_render_cache:
            drawn[self.id] = drawn.get(self.id, 0) + 1
        return draw(self, option, style)

    monkeypatch.setattr(OptionList, "_get_option_render", counted)
    app = long_lists_app(tmp_path, clock)
    seen = at_first_frame(app, lambda a: dict(drawn))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for name in ("queue-list", "draft-list"):
            listing = app.query_one(f"#{name}", DeskList)
            assert listing.show_vertical_scrollbar
            assert 0 < seen[0][name] <= listing.size.height  # each row drawn once, at its width


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DeskList(id="list")


async def test_a_list_keeps_its_scrollbar_only_while_it_cannot_fit() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        listing = app.query_one(DeskList)
        fill_options(listing, [Option(f"option {n}") for n in range(60)])
        await pilot.pause()
        assert listing.show_vertical_scrollbar  # 60 options, 20 rows
        fill_options(listing, [Option(f"option {n}") for n in range(5)])
        await pilot.pause()
        assert not listing.show_vertical_scrollbar  # Textual's own choice again
        fill_options(listing, [Option(f"option {n}") for n in range(60)])
        await pilot.pause()
        assert listing.show_vertical_scrollbar
        await pilot.resize_terminal(60, 80)  # now the 60 fit
        await pilot.pause()
        assert not listing.show_vertical_scrollbar
        assert listing.get_option_at_index(59).prompt == "option 59"


async def test_a_list_draws_again_at_a_new_width(tmp_path: Path, clock: Clock) -> None:
    """Its lines are kept over a Resize only at the width they were made for."""
    app = long_lists_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listing = app.query_one("#queue-list", DeskList)
        before = listing._lines_width
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert listing._lines_width is not None and before is not None
        assert listing._lines_width > before
        row = listing.render_line(0)
        assert row.cell_length == listing.scrollable_content_region.width


async def test_a_resize_to_the_same_size_lays_nothing_out(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        layouts: list[Any] = []
        lay_out = screen._refresh_layout
        screen._refresh_layout = lambda *a, **k: (layouts.append(a), lay_out(*a, **k))[1]  # type: ignore[method-assign]
        screen.post_message(events.Resize(app.size, app.size))
        await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(80, 24)  # a real one: the one-area layout
        await pilot.pause()
        assert layouts and screen.has_class("-compact")


async def test_the_first_frame_mounts_only_what_it_shows(tmp_path: Path, clock: Clock) -> None:
    """A desk with items and drafts, while its cards load: no text for an empty list, no answer
    (nor type-in box, images, tabs, block clock), no toast. A widget count to keep it there:
    every widget is styled twice, laid out and drawn before the first frame."""
    app = long_lists_app(tmp_path, clock)
    seen = at_first_frame(
        app, lambda a: [w.id or type(w).__name__ for w in a.screen.walk_children()]
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        shown = seen[0]
        later = {"queue-empty", "draft-empty", "review-answer", "review-typed", "pane-tabs"}
        assert later.isdisjoint(shown) and "Toast" not in shown, " ".join(shown)
        assert len(shown) <= 26, shown  # 26 today (a bare four-pane Textual app: 12)


async def test_empty_lists_and_idle_review_still_say_why(tmp_path: Path, clock: Clock) -> None:
    """The texts made on first use: an empty queue and draft list (and an empty trash), and the
    hint under an idle review, all shown when there is something to say."""
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "Nothing in the curriculum yet" in str(app.query_one("#queue-empty").render())
        hint = app.query_one("#draft-empty")
        assert hint.display and "No drafts yet" in str(hint.render())
        app.draft_pane.action_toggle_trash()
        await pilot.pause()
        assert "The trash is empty" in str(app.query_one("#draft-empty").render())
        app.draft_pane.action_toggle_trash()
        await pilot.pause()
        assert "No drafts yet" in str(app.query_one("#draft-empty").render())
        answer = app.query_one("#review-answer")
        assert answer.display and str(answer.render())  # what to do with no cards


async def test_the_stylesheet_is_parsed_once_and_a_theme_still_restyles(
    tmp_path: Path, clock: Clock, monkeypatch: Any
) -> None:
    """The theme set before the screen existed made Textual parse app.tcss twice at start; a
    theme chosen later restyles the desk as ever."""
    import textual.css.stylesheet as stylesheet

    parsed: list[str] = []
    parse = stylesheet.parse

    def counted(scope: str, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(str(read_from[0]))
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet, "parse", counted)
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert sum(p.endswith("app.tcss") for p in parsed) == 1
        before = app.timer_pane.styles.border.top
        app.theme = "deskwork-paper" if app.theme != "deskwork-paper" else "deskwork-dusk"
        await pilot.pause()
        assert app.timer_pane.styles.border.top != before  # the frame's colour follows
        assert sum(p.endswith("app.tcss") for p in parsed) == 2  # parsed anew for it


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (120, 100)])
async def test_the_first_fill_fills_every_row_the_list_shows(
    tmp_path: Path, clock: Clock, size: tuple[int, int]
) -> None:
    """The first fill takes as many options as the list can show in the first frame (half the
    screen's rows on the four-area desk, all of them in the one-area layout), no fewer."""
    app = long_lists_app(tmp_path, clock)

    def rows(a: App[Any]) -> list[tuple[int, int]]:
        lists = [a.query_one(f"#{n}", DeskList) for n in ("queue-list", "draft-list")]
        return [(w.option_count, w.size.height) for w in lists if w.display and w.size.height]

    seen = at_first_frame(app, rows)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if app.screen.has_class("-compact"):
            assert seen[0] == []  # one area, the timer's: neither list shows
            return
        assert len(seen[0]) == 2
        for count, height in seen[0]:
            assert height <= count < 150  # every row shown, the rest still to come


async def test_the_start_restyles_no_widget_twice_and_a_dialog_closed_restyles(
    tmp_path: Path, clock: Clock, monkeypatch: Any
) -> None:
    """Each widget is styled as it is mounted; the desk's first resume does not restyle the whole
    tree again. A later resume (a dialog closed) still does, as Textual does."""
    import textual.css.stylesheet as stylesheet

    restyled: list[int] = []
    update_nodes = stylesheet.Stylesheet.update_nodes

    def counted(self: Any, nodes: Any, animate: bool = False) -> None:
        nodes = list(nodes)
        restyled.append(len(nodes))
        update_nodes(self, nodes, animate)

    monkeypatch.setattr(stylesheet.Stylesheet, "update_nodes", counted)
    app = long_lists_app(tmp_path, clock)
    seen = at_first_frame(app, lambda a: list(restyled))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert seen[0] and max(seen[0]) < 10  # a frame, a focused area: never the whole desk
        await pilot.press("question_mark")  # help, over the desk
        await pilot.pause()
        restyled.clear()
        await pilot.press("escape")
        await pilot.pause()
        assert max(restyled) > 20  # back on the desk: restyled whole, as Textual does
