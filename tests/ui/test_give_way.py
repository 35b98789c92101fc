"""Workers give way to the event loop (ui/give_way.py): a worker's pause waits while the loop runs
a callback (never on the loop's own thread); the card browser's search and figures pause
between slices and find what a search in one go finds. Nothing is timed: the order of events is
what is checked."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from deskwork.domain.cards import Card
from deskwork.domain.cardsearch import search
from deskwork.paths import Paths
from deskwork.services import browse, pacing
from deskwork.services.desk import Desk
from deskwork.services.pacing import paced
from deskwork.ui import give_way
from deskwork.ui.give_way import GiveWay
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


async def test_a_pause_waits_for_the_loops_callback_to_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(give_way, "MAX_WAIT_S", 30.0)  # only the loop's wait ends a pause here
    way = GiveWay()
    loop = asyncio.get_running_loop()
    assert way.install(loop) and way.installed
    events: list[str] = []
    started = threading.Event()
    go = threading.Event()

    def worker() -> None:
        go.wait(30)
        way.pause()  # the loop is inside `busy`: this waits for it to end
        events.append("worker after pause")

    def busy() -> None:
        events.append("loop busy")
        started.set()
        go.set()
        # The worker is let go and pauses meanwhile (it cannot have finished: the loop waits for
        # it to reach its pause, which needs no GIL once it sleeps).
        while way.pauses == 0 and thread.is_alive():
            threading.Event().wait(0.001)
        events.append("loop done")

    thread = threading.Thread(target=worker)
    thread.start()
    await asyncio.sleep(0.01)  # the loop waits: `busy` runs as a callback of its own
    loop.call_soon(busy)
    await asyncio.sleep(0.01)
    await asyncio.to_thread(thread.join, 30)
    assert events == ["loop busy", "loop done", "worker after pause"]
    assert way.pauses == 1 and started.is_set()
    way.uninstall()


async def test_a_pause_on_the_loops_thread_or_before_install_never_waits() -> None:
    way = GiveWay()
    way.pause()  # not installed: nothing to wait for
    loop = asyncio.get_running_loop()
    way.install(loop)
    assert way.loop_busy()  # this coroutine runs: the loop is not waiting
    way.pause()  # on the loop's own thread: never waits for itself
    assert way.pauses == 0
    selector = loop._selector  # type: ignore[attr-defined]
    assert "select" in vars(selector)
    way.uninstall()
    assert "select" not in vars(selector) and not way.loop_busy()


def _desk(tmp_path: Path, cards: list[Card]) -> Desk:
    desk = Desk.open(Paths(tmp_path, tmp_path), clock=Clock())
    with desk.store.transaction() as tx:
        for card in cards:
            tx.put("cards", card)
    return desk


def test_the_search_pauses_between_slices_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browse, "SLICE", 40)
    cards = [
        make_card(f"{'gradient' if n % 3 == 0 else 'other'} {n}", id=n + 1, deck=f"D{n % 7}")
        for n in range(250)
    ]
    desk = _desk(tmp_path, cards)
    try:
        pauses: list[int] = []
        found = browse.search_job(desk, "gradient", 30, lambda: pauses.append(1))()
        expected = search(desk.store.cards.all(), "gradient", T0)
        expected.sort(key=lambda c: (c.deck, c.note_guid, c.ord, c.id))
        assert [c.id for c in found.cards] == [c.id for c in expected] and len(expected) == 84
        assert len(found.questions) == 30 and "gradient" in found.questions[0]
        assert len(pauses) >= 250 // 40 + 30 // 4  # the matching and the rendering both
        with pytest.raises(ValueError):  # a bad term still names itself
            browse.search_job(desk, "prop:r<", 30, lambda: None)()
        figure_pauses: list[int] = []
        figures = browse.figures_job(desk, pause=lambda: figure_pauses.append(1))()
        assert figures == browse.figures_job(desk)() and len(figure_pauses) >= 4
    finally:
        desk.close()


def test_paced_pauses_before_each_slice_and_yields_everything() -> None:
    pauses: list[int] = []
    seen: list[int] = []
    for n in paced(range(2500), lambda: pauses.append(len(seen)), every=1000):
        seen.append(n)
    assert seen == list(range(2500)) and pauses == [0, 1000, 2000]


async def test_the_app_gives_the_desk_its_way_once_drawn(tmp_path: Path, clock: Clock) -> None:
    """The services' passes over the cards on workers (the review queue, the load balancer's
    counts, the warm-up's shards) pause through `desk.give_way`: the app's, once it runs."""
    app = desk_app(tmp_path, clock)
    assert app.desk.give_way is pacing.nothing
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.give_way.installed
        assert app.desk.give_way == app.give_way.pause
    assert not app.give_way.installed  # the app ended: the loop's selector as it was


def test_the_review_queue_and_the_balancers_count_pause_through_the_desk(tmp_path: Path) -> None:
    from deskwork.services.cards import ReviewSession

    desk = _desk(tmp_path, [make_card(f"q {n}", id=n + 1) for n in range(1200)])
    try:
        pauses: list[int] = []
        desk.give_way = lambda: pauses.append(1)
        session = ReviewSession(desk)
        assert len(pauses) >= 2  # the queue's pass over 1,200 cards: a pause per 1,000
        job = session.counting_job()
        assert job is not None
        before = len(pauses)
        job()
        assert len(pauses) - before >= 2
    finally:
        desk.close()


def test_the_drafts_parse_pauses_as_it_goes_and_parses_the_same() -> None:
    """tree-sitter's progress callback calls the pause all along a long draft's parse (it holds
    the GIL between reads of the text); the tree is the one a parse in one go makes."""
    from textual._tree_sitter import get_language

    from deskwork.ui.widgets.editor import DeferredSyntaxDocument

    language = get_language("markdown")
    assert language is not None
    text = "".join(f"# Part {n}\n\nsome *text* and `code` {n}\n\n- a\n- b\n\n" for n in range(400))
    document = DeferredSyntaxDocument(text, language)
    pauses: list[int] = []
    tree = document.parse_job(lambda: pauses.append(1))()
    assert len(pauses) > 10
    assert str(tree.root_node) == str(document.parse_job()().root_node)
    assert tree.root_node.child_count >= 400  # the whole text: a section per part
