"""The stats screen ("am I on track?") and the end-of-day summary.

Focus hours per day over the window as a contributions-style heatmap and a sparkline against the
daily target; pomodoros per track and item; planned against done points per track; each active
item's projected finish against the program's end; reviews per day, true retention, the due
forecast; drafts per status. This module owns the screen: computing the figures on a worker,
rendering them ahead at their widths and showing them in one frame, and the screen's height;
what each figure looks like is ui/screens/stats_figures.py."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.scalar import Unit
from textual.screen import ModalScreen, Screen
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from deskwork.domain.insight import Insight
from deskwork.domain.wording import plural, reviews_said
from deskwork.ui.screens.stats_figures import cards_text, forecast_label, heatmap, summary_tables
from deskwork.ui.widgets.footer import DeskFooter
from deskwork.ui.widgets.static_text import RenderedOnce

if TYPE_CHECKING:
    from collections.abc import Callable

    from deskwork.ui.host import PaneHost


def content_lines_at_least(insight: Insight) -> dict[str, int]:
    """A lower bound of each figure's own lines, at any width (wrapping only adds lines), by the
    id of the widget that shows it: the heatmap (seven days and the key), the three tables (a
    title, a header, a line a row, the plan's total); any other text, a line at least."""
    return {
        "stats-heatmap": 8,
        "stats-pomodoros": 2 + len(insight.pomodoros_by_track),
        "stats-items": 2 + min(8, len(insight.pomodoros_by_item)),
        "stats-plan": 3 + len(insight.points_planned_by_track),
    }


def lines_at_least(insight: Insight, scroll: Widget) -> int:
    """A lower bound of the height of the figures in `scroll`, at any width: each shown child's
    lines at least (its fixed height where its styles give one) with its padding and border, and
    the margins between them as the vertical layout applies them (adjacent ones collapsed), all
    read from the widgets' styles: a change of the screen's CSS is followed, not copied."""
    least = content_lines_at_least(insight)
    total = previous = 0
    for child in scroll.children:
        if not child.display:
            continue
        styles = child.styles
        margin = styles.margin
        total += max(previous, margin.top)
        height = styles.height
        if height is not None and height.unit is Unit.CELLS:
            total += int(height.value)  # a box-sizing border-box height holds the rest
        else:
            total += least.get(child.id or "", 1) + styles.gutter.height
        previous = margin.bottom
    return total + previous


class FiguresScroll(VerticalScroll):
    """The figures' scroll, the screen's focused widget: gaining or losing focus restyles only
    itself. Textual restyles a widget's every descendant when its focus changes; no rule here
    depends on the scroll's focus, and that was the auto-focus at each opening and, at Esc, the
    blur restyling all the figures of a screen being removed (the largest part of the close
    after the desk's repaint: ~65 of ~245 ms profiled at the power-user scale)."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        if self.is_attached and self.screen in self.app.screen_stack:
            self.app.stylesheet.update_nodes([self])


class StatsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="stats.close"),
        Binding("e", "app.day_end", "End of day", id="stats.day_end"),
        Binding("w", "weekly", "Weekly review draft", id="stats.weekly"),
    ]
    DEFAULT_CSS = """
    StatsScreen VerticalScroll { padding: 0 2; }
    StatsScreen Static { margin: 0 0 1 0; }
    StatsScreen Sparkline { height: 2; margin: 0 0 1 0; }
    StatsScreen .label { margin: 0; color: $text-muted; }
    """
    _asked = 0  # counts of the figures started (`_compute`)
    _shown = 0  # the one on screen

    @property
    def desk_app(self) -> PaneHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        # Painted at once, empty; the figures are computed in a worker and filled in (`_show`).
        # The figures are rendered once per width (a Static renders a table twice a frame).
        with FiguresScroll():
            yield RenderedOnce("Computing the figures…", id="stats-head")
            yield RenderedOnce("", id="stats-heatmap")
            yield Static("Focus hours per day", classes="label")
            yield Sparkline([], id="stats-focus")
            yield RenderedOnce("", id="stats-pomodoros")
            yield RenderedOnce("", id="stats-items")
            yield RenderedOnce("", id="stats-plan")
            yield RenderedOnce("", id="stats-pace")
            yield RenderedOnce("", id="stats-cards")
            yield Static("Reviews per day", classes="label", id="stats-reviews-label")
            yield Sparkline([], id="stats-reviews")
            yield Static("Due, next 30 days", classes="label", id="stats-due-label")
            yield Sparkline([], id="stats-due")
            yield RenderedOnce("", id="stats-drafts")
            yield Static(
                "e: end-of-day summary · w: this week's review as a new draft · Esc: back",
                classes="label",
            )
        yield DeskFooter()  # the keys, as on every screen (one widget: ui/widgets/footer.py)

    def on_mount(self) -> None:
        # The snapshot here (lists of the small tables: ~1 ms); the worker that computes the
        # figures starts once the skeleton's first frame is out (the layout's signal, published
        # after the frame is written), so the two do not contend for the interpreter.
        from textual.signal import SignalError

        from deskwork.services.insight import gather_job

        job = gather_job(self.desk_app.desk, 12)

        def start(_: object = None) -> None:
            self.screen_layout_refresh_signal.unsubscribe(anchor)
            if not getattr(self, "_started", False):
                self._started = True
                self._compute(job)

        anchor = self.query_one(VerticalScroll)
        try:  # a child: the screen's own subscription (tooltips) stays as it is
            self.screen_layout_refresh_signal.subscribe(anchor, start, immediate=True)
        except SignalError:  # not running yet: start now
            start()

    def _compute(self, job: Callable[[], Insight]) -> None:
        """The figures from `job` (a snapshot taken on the UI thread) counted on a worker; an
        older count still running is not shown once it ends."""
        self._asked += 1
        asked = self._asked

        def compute() -> None:
            insight = job()
            self.app.call_from_thread(self._arrived, insight, asked)

        self.run_worker(compute, thread=True, exclusive=True, group="stats", name="stats figures")

    def study_day_turned(self) -> None:
        """The study day turned while the screen is open (ui/day_turn.py): its "today" (the
        heatmap's last day, the cards due today, today's reviews) is counted again."""
        from deskwork.services.insight import gather_job

        if getattr(self, "_started", False):  # else the first count, still to come, is today's
            self._compute(gather_job(self.desk_app.desk, 12))

    @property
    def _open(self) -> bool:
        """Still on the app's stack (a figure arriving after Esc has nowhere to go: the screen's
        widgets are being removed)."""
        return self.is_mounted and self in self.app.screen_stack

    @property
    def busy(self) -> bool:
        """The figures still being computed (they are put on screen in the frame they arrive)."""
        return not hasattr(self, "insight") or self._shown != self._asked

    def _arrived(self, insight: Insight, asked: int = 1) -> None:
        if self._open and asked == self._asked:
            self.run_worker(
                self._put_on_screen(insight, asked),
                exclusive=True,
                group="stats-show",
                name="stats figures on screen",
            )

    async def _put_on_screen(self, insight: Insight, asked: int = 1) -> None:
        """Each figure rendered at the width it will have, one a turn of the event loop, then
        all shown in one frame (`_show`), whose layout and paint take the lines rendered here.
        (Rendered in that frame, the tables were half of its ~20 ms of UI CPU at the heavy year;
        put on screen a part per frame, each part cost a layout and repaint of the whole screen:
        13 parts, 13 of them.) Esc meanwhile ends this worker with the screen."""
        figures = self._figures(insight)
        scroll = self.query_one(VerticalScroll)
        taller = self._taller(insight, scroll)
        prepared: dict[str, VisualType] = {}
        for selector, content in figures.items():
            widget = self.query_one(selector, RenderedOnce)
            width = widget.content_region.width
            if taller and not scroll.show_vertical_scrollbar:
                width -= scroll.styles.scrollbar_size_vertical
            prepared[selector] = widget.prepare(content, width) if width > 0 else content
            await asyncio.sleep(0)  # the loop's turn: a key, a frame
            if not self._open:
                return
        self._show(insight, prepared, taller, asked)

    def _figures(self, insight: Insight) -> dict[str, VisualType]:
        """What each figure's widget shows, by its selector."""
        head, pomodoros, items, plan, pace = summary_tables(insight)
        drafts = (
            ", ".join(f"{n} {k}" for k, n in sorted(insight.drafts_by_status.items())) or "none yet"
        )
        return {
            "#stats-head": head,
            "#stats-heatmap": heatmap(insight),
            "#stats-pomodoros": pomodoros,
            "#stats-items": items,
            "#stats-plan": plan,
            "#stats-pace": pace,
            "#stats-cards": cards_text(insight),
            "#stats-drafts": f"Drafts: {drafts}",
        }

    def _taller(self, insight: Insight, scroll: VerticalScroll) -> bool:
        """Taller than the screen whatever the widths (the skeleton's frame is out: laid out)."""
        height = scroll.size.height
        return scroll.styles.overflow_y == "auto" and 0 < height < lines_at_least(insight, scroll)

    def _show(
        self, insight: Insight, figures: dict[str, VisualType], taller: bool, asked: int = 1
    ) -> None:
        """Every figure on screen in one frame: one layout and one repaint (a count older than
        the last asked, `asked`, is not shown: the day turned meanwhile)."""
        if not self._open or asked != self._asked:
            return
        self._shown = asked
        scroll = self.query_one(VerticalScroll)
        # `taller` was measured before the figures were rendered: a resize meanwhile (its
        # "auto" already given back) may have made a screen they fit, so it is measured again.
        if taller and self._taller(insight, scroll):
            # Taller than the screen whatever the widths: the scrollbar is there from this
            # layout on, as "auto" would put it after a first layout without it and a second
            # with it (each measures every table again: ~15-20 ms of the UI thread at the heavy
            # year). The same screen, one layout fewer. A resize gives "auto" back.
            scroll.styles.overflow_y = "scroll"
        with self.app.batch_update():
            self.insight = insight
            for selector, content in figures.items():
                self._static(selector).update(content)
            self.query_one("#stats-focus", Sparkline).data = list(
                insight.focus_hours_by_day.values()
            )
            static = self._static
            static("#stats-reviews-label").update(
                f"Reviews per day, last {plural(insight.weeks, 'week')}: "
                + reviews_said(insight.reviews_by_day)
            )
            self.query_one("#stats-reviews", Sparkline).data = insight.reviews_by_day or [0]
            # from tomorrow: today's backlog would flatten every later day
            self.query_one("#stats-due", Sparkline).data = insight.due_forecast[1:] or [0]
            static("#stats-due-label").update(
                forecast_label(insight.due_forecast, self.desk_app.desk.config)
            )

    def on_resize(self) -> None:
        self.query_one(VerticalScroll).styles.overflow_y = "auto"

    def _static(self, selector: str) -> Static:
        return self.query_one(selector, Static)

    def action_weekly(self) -> None:
        self.dismiss(None)
        self.desk_app.action_weekly_review()


class DayEndScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,q", "dismiss(None)", "Close", id="day_end.close")]
    DEFAULT_CSS = """
    DayEndScreen { align: center middle; }
    DayEndScreen > Vertical {
        width: 80; max-width: 95%; height: auto; border: round $primary; background: $surface;
        padding: 1 2;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("End of the study day", classes="title")
            yield Static(self.text, id="day-end-text", markup=False)
            yield Static("Enter or Esc closes", classes="hint")
