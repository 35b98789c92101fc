"""Pilot tests of insight: the stats screen on the generated 12-week history, the end-of-day
summary (a key, and printed on quitting after the day's end), the weekly review draft."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Sparkline, Static, TextArea

from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.card_browser import CardBrowserScreen
from deskwork.ui.screens.stats import DayEndScreen, StatsScreen
from deskwork.ui.widgets.footer import DeskFooter
from tests.helpers import Clock
from tests.insight_history import CONFIG, write_history
from tests.ui.factory import desk_app, ready, settled


def history_app(tmp_path: Path, clock: Clock) -> DeskworkApp:
    app = desk_app(tmp_path, clock, CONFIG)
    write_history(app.desk.store)
    return app


async def test_stats_screen_shows_the_figures(tmp_path: Path, clock: Clock) -> None:
    app = history_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await settled(pilot)  # the figures are computed in a worker, shown a part per frame
        head = str(screen.query_one("#stats-head", Static).render())
        assert "Last 12 weeks: 90.0 h of focus on 60 days (1.5 h a study day)" in head
        assert "met on 60 days" in head
        heatmap = str(screen.query_one("#stats-heatmap", Static).render())
        assert heatmap.splitlines()[0].startswith("Mon ") and heatmap.count("■") == 84 + 5
        assert screen.query_one("#stats-focus", Sparkline).data[-1] == 1.5
        pace = str(screen.query_one("#stats-pace", Static).render())
        assert "At this pace Linear algebra finishes on 30 Nov 2026 (after the end)" in pace
        assert "The program ends on 21 Nov 2026." in pace
        cards = str(screen.query_one("#stats-cards", Static).render())
        assert "true retention (30 days): 90.0% of" in cards and "3 due today" in cards
        assert "answers on cards in review" in cards, "what the share is of"
        # the forecast chart starts tomorrow: today's backlog (said in words) would flatten it
        forecast = screen.insight.due_forecast
        assert screen.query_one("#stats-due", Sparkline).data == forecast[1:]
        assert "2 ready" in str(screen.query_one("#stats-drafts", Static).render())
        footer = screen.query_one(DeskFooter)  # its keys, as every screen has them
        shown = {key.description for key in footer.keys or []}
        assert {"Close", "End of day", "Weekly review draft"} <= shown
        await pilot.press("e")
        assert isinstance(app.screen, DayEndScreen)
        assert "5 due tomorrow" in str(app.screen.query_one("#day-end-text", Static).render())
        await pilot.press("escape")
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)
        editing = app.draft_pane.editing
        assert editing is not None and editing.title == "Week 12 of my open-source masters"
        assert app.draft_pane.query_one("#draft-text", TextArea).text.startswith(
            "This week I studied **7.5 hours**"
        )


async def test_quitting_after_the_end_of_day_leaves_the_summary(
    tmp_path: Path, clock: Clock
) -> None:
    app = history_app(tmp_path, clock)  # end_of_day = 08:00; the clock says 09:30
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("alt+e")
        assert isinstance(app.screen, DayEndScreen)
        await pilot.press("enter")
        await pilot.press("q")
    assert app.day_end_text.startswith("Friday 20 November: 3 pomodoros, 90 minutes of focus")
    assert "Tomorrow's queue could be:\n  1. Linear algebra" in app.day_end_text


async def test_stats_never_contradict_themselves_on_a_first_morning(
    tmp_path: Path, clock: Clock
) -> None:
    """Bug 7: two pomodoros on an item beside "No focus logged yet" on it; 4 answers beside "no
    reviews in 30 days"; 50 minutes shown as 0.0 h."""
    from datetime import timedelta

    from deskwork.domain.cards import CardState, ReviewLog
    from deskwork.domain.curriculum import Item, ItemStatus
    from deskwork.domain.sessions import Session, SessionKind
    from tests.helpers import T0, make_card

    app = desk_app(tmp_path, clock, "[plan]\nstart = 2026-11-20\n")
    store = app.desk.store
    with store.transaction() as tx:
        item = tx.put("items", Item(title="MIT 18.06", status=ItemStatus.ACTIVE, added=T0,
                                    effort_points=0.5))  # fmt: skip
        for n in range(2):
            start = T0 - timedelta(hours=2) + timedelta(minutes=30 * n)
            tx.put("sessions", Session(kind=SessionKind.FOCUS, start=start,
                                       end=start + timedelta(minutes=25), planned_s=1500,
                                       actual_s=1500, completed=True, item_id=item.id))  # fmt: skip
        card = tx.put("cards", make_card("q", when=T0))
        for n in range(4):
            tx.append("reviews", ReviewLog(card_id=card.id, ts=T0 - timedelta(minutes=n), rating=3,
                                        state=CardState.LEARNING, duration_ms=1000))  # fmt: skip
    async with app.run_test(size=(120, 50)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        await settled(pilot)
        screen = app.screen
        head = str(screen.query_one("#stats-head", Static).render())
        assert "50 min of focus" in head and "0.0" not in head
        assert isinstance(screen, StatsScreen)
        assert screen.insight.pomodoros_by_item == {item.id: 2}  # the By-item row
        pace = str(screen.query_one("#stats-pace", Static).render())
        assert "No focus logged yet" not in pace and "no focus logged yet" not in pace
        assert "focus logged, but the program has not run a full day yet" in pace
        cards = str(screen.query_one("#stats-cards", Static).render())
        assert "no answers" not in cards and "none of the 4 answers" in cards
        label = [str(s.render()) for s in screen.query(".label")]
        # labelled as Anki's Reviews graph: total, days studied of the span, average
        said_reviews = "total 4 reviews · days studied 1 of 84 (1%) · average 4 a day studied"
        assert f"Reviews per day, last 12 weeks: {said_reviews}" in label
        said = "none of the 4 answers of the last 30 days was on a card in review"
        assert said in cards.replace("\n", " ")
        await pilot.press("escape", "ctrl+e")  # the card browser says the same (not "no reviews")
        await settled(pilot)
        assert isinstance(app.screen, CardBrowserScreen)
        browser = str(app.screen.query_one("#cb-stats", Static).render()).replace("\n", " ")
        assert said in browser
        assert "total 4 reviews · days studied 1 of 30 (3%) · average 4 a day studied" in browser


async def test_closing_before_the_figures_arrive_is_safe(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc while the figures are still being computed, and the moment they arrive: they are
    dropped, never put on a screen whose widgets are being removed. (The old part-per-frame fill
    once ended the app with NoMatches, looking up a removed part, in a loaded benchmark run; this
    test could not make that timing happen on demand.) The computation is held until the screen
    is closed; it is the real one."""
    from deskwork.services import insight as service

    gate = threading.Event()
    real_job = service.gather_job

    def held_job(desk, weeks):  # type: ignore[no-untyped-def]
        job = real_job(desk, weeks)

        def held():  # type: ignore[no-untyped-def]
            assert gate.wait(10)
            return job()

        return held

    monkeypatch.setattr(service, "gather_job", held_job)
    app = history_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        stats = app.screen
        assert isinstance(stats, StatsScreen) and stats.busy
        assert "Computing the figures" in str(stats.query_one("#stats-head", Static).render())
        await pilot.press("escape")
        assert app.screen is not stats
        gate.set()
        await settled(pilot)
        assert not hasattr(stats, "insight")  # nothing was put on the closed screen
        # Esc the moment the figures arrive (before, they were put on screen a part per frame,
        # and the parts still to come looked for widgets already removed)
        gate.clear()
        await pilot.press("ctrl+d")
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        gate.set()
        for _ in range(2000):
            if hasattr(stats, "insight"):
                break
            await asyncio.sleep(0.005)
        app.pop_screen()  # at once (Pilot's press waits for the app to look idle first)
        await pilot.pause()
        await settled(pilot)
        assert not isinstance(app.screen, StatsScreen)
        # open again: the figures come and are put on screen, Esc closes as before
        await pilot.press("ctrl+d")
        await settled(pilot)
        stats = app.screen
        assert isinstance(stats, StatsScreen) and not stats.busy
        assert "Last 12 weeks" in str(stats.query_one("#stats-head", Static).render())
        await pilot.press("escape")
        await settled(pilot)
        assert not isinstance(app.screen, StatsScreen)
        assert app.is_running and app.return_code is None


@pytest.mark.parametrize(("tracks", "height"), [(0, 60), (24, 40)])
async def test_the_scrollbar_is_there_from_the_figures_first_layout_only_when_needed(
    tmp_path: Path, clock: Clock, tracks: int, height: int
) -> None:
    """Figures taller than the screen whatever the widths get the scrollbar in their first
    layout (not a layout without it, then one with it); figures that may fit keep "auto". Either
    way the lower bound never exceeds the height the figures take, and the scrollbar is shown
    exactly when they do not fit."""
    from deskwork.domain.curriculum import Item, ItemStatus
    from deskwork.ui.screens.stats import lines_at_least
    from tests.helpers import T0

    app = history_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        for n in range(tracks):
            tx.put(
                "items",
                Item(
                    title=f"Course {n}", track=f"Track {n}", effort_points=0.5,
                    status=ItemStatus.ACTIVE, added=T0,
                ),
            )  # fmt: skip
    async with app.run_test(size=(120, height)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await settled(pilot)
        scroll = screen.query_one(VerticalScroll)
        bound = lines_at_least(screen.insight, scroll)
        assert bound <= scroll.virtual_size.height
        forced = tracks > 0
        assert (scroll.styles.overflow_y == "scroll") is forced
        assert (bound > scroll.size.height) is forced
        assert scroll.show_vertical_scrollbar is (scroll.virtual_size.height > scroll.size.height)
        await pilot.resize_terminal(120, 200)  # now everything fits: "auto" again, no scrollbar
        await settled(pilot)
        assert scroll.styles.overflow_y == "auto" and not scroll.show_vertical_scrollbar


async def test_the_lower_bound_reads_the_margins_heights_and_gutters_from_the_styles() -> None:
    """Figures of exactly their least lines, under CSS other than the screen's (bigger margins,
    collapsing where they meet, a padded figure, a fixed-height one, a hidden one): the bound is
    their height exactly, so a margin copied by hand instead of read would show."""
    from types import SimpleNamespace

    from textual.app import App, ComposeResult
    from textual.widget import Widget
    from textual.widgets import Static

    from deskwork.ui.screens.stats import lines_at_least

    class Figures(App[None]):
        CSS = """
        Static { margin: 2 0 1 0; }
        #stats-heatmap { margin: 0 0 3 0; padding: 1 0; }
        #fixed { height: 4; margin: 1 0; }
        """

        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Static("one line")
                yield Static("\n".join(["day"] * 8), id="stats-heatmap")
                yield Widget(id="fixed")
                hidden = Static("hidden")
                hidden.display = False
                yield hidden
                yield Static("\n".join(["row"] * 3), id="stats-pomodoros")

    insight = SimpleNamespace(
        pomodoros_by_track={"ml": 1}, pomodoros_by_item={}, points_planned_by_track={}
    )
    app = Figures()
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        scroll = app.query_one(VerticalScroll)
        # 2 + 1, max(1, 0) + 8 + 2, max(3, 1) + 4, max(1, 2) + 3, 1
        bound = lines_at_least(insight, scroll)  # type: ignore[arg-type]
        assert bound == scroll.virtual_size.height == 27


async def test_each_table_is_rendered_once_per_width_not_once_to_measure_and_again_to_paint(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures' frame: every table rendered once (a Static renders it at the layout, to
    measure its height, and again to paint it); a new width renders it again, once."""
    from rich.table import Table

    renders: dict[str, int] = {}
    rich_console = Table.__rich_console__

    def counted(self: Table, console: object, options: object) -> object:
        title = str(self.title)
        renders[title] = renders.get(title, 0) + 1
        return rich_console(self, console, options)  # type: ignore[arg-type]

    monkeypatch.setattr(Table, "__rich_console__", counted)
    app = history_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        await settled(pilot)
        await pilot.pause()
        assert len(renders) == 3 and set(renders.values()) == {1}, renders
        renders.clear()
        await pilot.resize_terminal(100, 40)
        await settled(pilot)
        await pilot.pause()
        assert set(renders.values()) == {1} and len(renders) == 3


async def test_the_tables_are_rendered_ahead_of_the_frame_that_shows_them(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each figure is rendered at its width before the figures are put on screen (a turn of the
    event loop each), and the layout and paint of the frame that shows them take those lines:
    no table is rendered once the screen shows its figures, every figure is shown."""
    from rich.table import Table

    app = history_app(tmp_path, clock)
    shown: list[bool] = []  # per table render: were the figures on screen already?
    rich_console = Table.__rich_console__

    def counted(self: Table, console: object, options: object) -> object:
        screen = app.screen
        shown.append(isinstance(screen, StatsScreen) and not screen.busy)
        return rich_console(self, console, options)  # type: ignore[arg-type]

    monkeypatch.setattr(Table, "__rich_console__", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        await settled(pilot)
        await pilot.pause()
        stats = app.screen
        assert isinstance(stats, StatsScreen) and not stats.busy
        assert len(shown) == 3 and not any(shown), shown  # three tables, all rendered ahead
        for name in ("pomodoros", "items", "plan"):
            widget = stats.query_one(f"#stats-{name}", Static)
            assert widget.size.height > 2 and widget.render_line(0).text.strip(), name
        assert "Last 12 weeks" in str(stats.query_one("#stats-head", Static).render())
        assert "Drafts:" in str(stats.query_one("#stats-drafts", Static).render())


async def test_esc_while_the_figures_are_being_rendered_drops_them(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc between two figures rendered ahead: the rest is dropped, nothing is put on the
    closed screen, the app goes on; opening again shows every figure."""
    from deskwork.ui.widgets.static_text import RenderedOnce

    app = history_app(tmp_path, clock)
    prepared = 0
    closed: list[object] = []
    real_prepare = RenderedOnce.prepare

    def prepare(self: RenderedOnce, content: object, width: int) -> object:
        nonlocal prepared
        prepared += 1
        if prepared == 2:
            closed.append(app.screen)
            app.pop_screen()  # Esc, between the second figure and the third
        return real_prepare(self, content, width)  # type: ignore[arg-type]

    monkeypatch.setattr(RenderedOnce, "prepare", prepare)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        await settled(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)
        [stats] = closed
        assert isinstance(stats, StatsScreen)
        assert prepared == 2 and not hasattr(stats, "insight")
        await pilot.press("ctrl+d")
        await settled(pilot)
        again = app.screen
        assert isinstance(again, StatsScreen) and not again.busy
        assert "Last 12 weeks" in str(again.query_one("#stats-head", Static).render())
        assert app.is_running and app.return_code is None


async def test_closing_restyles_none_of_the_figures(tmp_path: Path, clock: Clock) -> None:
    """Esc blurs the focused scroll of a screen being removed: Textual would restyle the
    scroll's every descendant; the figures' scroll restyles nothing then (nor its figures when
    it gains focus at the opening)."""
    app = history_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        await settled(pilot)
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        scroll = stats.query_one(VerticalScroll)
        assert scroll.has_focus
        figures = set(scroll.walk_children())
        restyled: list[object] = []
        stylesheet = app.stylesheet
        real_apply = stylesheet.apply

        def apply(node, *args, **kwargs):  # type: ignore[no-untyped-def]
            restyled.append(node)
            return real_apply(node, *args, **kwargs)

        stylesheet.apply = apply  # type: ignore[method-assign]
        try:
            scroll.blur()
            await pilot.pause()
            assert scroll in restyled and not figures & set(restyled)  # its own :focus rules
            restyled.clear()
            scroll.focus()
            await pilot.pause()
            assert scroll.has_focus and not figures & set(restyled)
            restyled.clear()
            await pilot.press("escape")
            await settled(pilot)
        finally:
            del stylesheet.apply
        assert not isinstance(app.screen, StatsScreen)
        assert not figures & set(restyled) and scroll not in restyled


async def test_a_resize_while_the_figures_are_rendered_ahead_is_followed(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terminal resized between the figures rendered ahead and the frame that shows them:
    the figures are laid out at the new width (not the lines rendered for the old one), and the
    scrollbar forced for figures taller than the old screen is not forced on a screen they now
    fit (it stayed until the next resize, an empty scrollbar beside every figure)."""
    from textual.visual import Visual

    from deskwork.domain.curriculum import Item, ItemStatus
    from deskwork.ui.screens import stats as stats_module
    from deskwork.ui.widgets.static_text import RenderedOnce
    from tests.helpers import T0

    app = history_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        for n in range(24):  # taller than a 40-line screen whatever the width
            tx.put(
                "items",
                Item(
                    title=f"Course {n}", track=f"Track {n}", effort_points=0.5,
                    status=ItemStatus.ACTIVE, added=T0,
                ),
            )  # fmt: skip
    turns = 0

    async def sleep(_delay: float) -> None:
        """The loop's turn in `_put_on_screen`; at the second, the terminal is resized and the
        turn lasts until the screen is laid out at the new size."""
        nonlocal turns
        turns += 1
        await asyncio.sleep(0)
        if turns == 2:
            await pilot.resize_terminal(90, 200)
            for _ in range(2000):
                if app.screen.query_one(VerticalScroll).size.height > 150:
                    break
                await asyncio.sleep(0.005)

    monkeypatch.setattr(stats_module, "asyncio", type("Loop", (), {"sleep": staticmethod(sleep)}))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        await settled(pilot)
        assert turns > 2 and not stats.busy
        scroll = stats.query_one(VerticalScroll)
        assert scroll.size.height > 150 and scroll.virtual_size.height <= scroll.size.height
        assert scroll.styles.overflow_y == "auto" and not scroll.show_vertical_scrollbar
        for widget in stats.query(RenderedOnce):
            width = widget.size.width
            assert width == scroll.size.width == 90 - 4  # the padding, no scrollbar
            lines = [widget.render_line(y) for y in range(widget.size.height)]
            fresh = Visual.to_strips(widget, widget.visual, width, None, widget.visual_style)
            assert lines == fresh, widget.id  # as rendered at the width shown
        assert "Last 12 weeks" in str(stats.query_one("#stats-head", Static).render())


async def test_no_style_of_the_figures_depends_on_the_scrolls_focus(
    tmp_path: Path, clock: Clock
) -> None:
    """The figures' scroll restyles only itself when its focus changes (`FiguresScroll`): that
    holds while no rule of the app's CSS (its .tcss, the screens' and widgets' CSS, the theme's)
    gives the scroll's children another style by the scroll's focus. Each focus change here is
    followed by a restyle of the scroll and every figure: none of them changes."""
    app = history_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+d")
        await settled(pilot)
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        scroll = stats.query_one(VerticalScroll)
        nodes = list(scroll.walk_children(with_self=True))

        def styles() -> list[object]:
            return [node._css_styles.get_rules() for node in nodes]

        for change in (scroll.blur, scroll.focus):
            change()
            await pilot.pause()
            before = styles()
            app.stylesheet.update_nodes(nodes)
            assert styles() == before, change
        assert scroll.has_focus
