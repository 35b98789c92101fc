"""SVG snapshots of the desk (fixed clock, fixed data). The 120x40 one is the README screenshot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from deskwork.domain.curriculum import Item, ItemKind, ItemStatus
from deskwork.domain.drafts import Draft, DraftStatus
from deskwork.paths import Paths
from deskwork.services import WELCOME_DONE, Desk
from deskwork.ui.app import DeskworkApp
from tests.helpers import T0, Clock, make_card, make_focus


def desk_app(tmp_path: Path, *, welcomed: bool = True) -> DeskworkApp:
    clock = Clock(T0)
    home = tmp_path / "home"
    desk = Desk.open(Paths(home, home), clock=clock)
    if welcomed:
        desk.store.set_setting(WELCOME_DONE, True)
    with desk.store.transaction() as tx:
        for rank, (title, kind, track, points, units) in enumerate(
            [
                (
                    "fast.ai Practical Deep Learning, part 1",
                    ItemKind.COURSE,
                    "Deep learning",
                    1.5,
                    7,
                ),
                ("MIT 18.06 Linear Algebra", ItemKind.COURSE, "Math", 0.7, 34),
                ("Attention Is All You Need", ItemKind.PAPER, "Deep learning", 0.05, 0),
                ("Statistical Rethinking", ItemKind.BOOK, "Bayesian", 0.6, 16),
            ]
        ):
            picked = rank < 2  # the first two are in today's queue
            tx.put(
                "items",
                Item(
                    title=title, kind=kind, track=track, effort_points=points,
                    status=ItemStatus.ACTIVE if rank < 3 else ItemStatus.PLANNED,
                    units_done=rank * 3 if units else 0, units_total=units,
                    queued_on=T0.date() if picked else None, queue_rank=rank, added=T0,
                ),
            )  # fmt: skip
        for i in range(12):
            tx.put(
                "cards",
                make_card(
                    f"card {i}: what does the <b>softmax</b> in attention do?",
                    back="turns scores into weights that sum to 1<br>(see Vaswani et al. 2017)",
                    html=True,
                    when=T0 - timedelta(days=1 if i < 5 else -1),
                ),
            )
        tx.put(
            "drafts",
            Draft(
                title="Week 1 of my open-source masters",
                status=DraftStatus.DRAFT,
                body="word " * 420,
                created=T0,
                updated=T0,
            ),
        )
        for n in range(3):
            tx.put("sessions", make_focus(T0 - timedelta(hours=2, minutes=30 * n)))
    return DeskworkApp(desk, show_clock=False)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_desk_at_120x40(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(desk_app(tmp_path), terminal_size=(120, 40), run_before=_settle)


def test_desk_at_80x24_shows_one_area_with_tabs(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(desk_app(tmp_path), terminal_size=(80, 24), run_before=_settle)


def test_help_screen(snap_compare: Any, tmp_path: Path) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(desk_app(tmp_path), terminal_size=(120, 40), run_before=open_help)


def test_first_run_welcome(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        desk_app(tmp_path, welcomed=False), terminal_size=(120, 40), run_before=_settle
    )


def test_timer_paused_mid_focus_on_an_item(snap_compare: Any, tmp_path: Path) -> None:
    async def run_focus(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        app = pilot.app
        assert isinstance(app, DeskworkApp)
        clock = app.desk.clock
        assert isinstance(clock, Clock)
        await pilot.press("f3", "down", "f2", "space")  # second item in the queue, start
        clock.advance(minutes=9, seconds=30)
        await pilot.press("space")  # pause at 15:30 left
        await pilot.pause()

    assert snap_compare(desk_app(tmp_path), terminal_size=(120, 40), run_before=run_focus)


def test_draft_editor_with_open_questions(snap_compare: Any, tmp_path: Path) -> None:
    async def open_editor(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("f5", "enter", "f11")  # open the first draft, zoomed
        await pilot.press(*"TODO: explain attention ??", "enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # the words and questions counted
        await pilot.pause()

    assert snap_compare(desk_app(tmp_path), terminal_size=(120, 40), run_before=open_editor)


def test_curriculum_table(snap_compare: Any, tmp_path: Path) -> None:
    async def open_table(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("f7")
        await pilot.pause()

    assert snap_compare(desk_app(tmp_path), terminal_size=(120, 40), run_before=open_table)


def test_plan_screen(snap_compare: Any, tmp_path: Path) -> None:
    async def open_plan(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()

    assert snap_compare(desk_app(tmp_path), terminal_size=(120, 40), run_before=open_plan)


def test_review_answer_with_button_intervals(snap_compare: Any, tmp_path: Path) -> None:
    async def reveal(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("f4", "space", "z")  # the review area zoomed, the answer shown
        await pilot.pause()

    assert snap_compare(desk_app(tmp_path), terminal_size=(100, 30), run_before=reveal)


def test_stats_screen_on_twelve_weeks(snap_compare: Any, tmp_path: Path) -> None:
    from tests.insight_history import CONFIG, write_history
    from tests.ui.factory import desk_app as factory_app
    from tests.ui.factory import settled

    app = factory_app(tmp_path, Clock(T0), CONFIG)
    write_history(app.desk.store)

    async def open_stats(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("ctrl+d")
        await settled(pilot)  # the figures are computed in a worker, shown a part per frame

    assert snap_compare(app, terminal_size=(120, 50), run_before=open_stats)
