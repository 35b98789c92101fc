"""Keys pressed while the cards still load (a big store loads them in a background worker after
the first frame): they stay in the area they were typed in. Space in the review area never starts
the pomodoro, and the retention screen opens for the studied deck's preset."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deskwork.domain.presets import DeckOptions, Preset
from deskwork.domain.timer import Status
from deskwork.ui.app import DeskworkApp
from deskwork.ui.panes.review import STUDY_DECK, ReviewPane
from deskwork.ui.screens.retention import RetentionScreen
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app
from tests.ui.test_key_bursts import burst


def stored_app(tmp_path: Path, clock: Clock) -> DeskworkApp:
    """An app over a store that already holds cards on disk (so they load after start): deck
    Lang on preset Lang, studied last time."""
    first = desk_app(tmp_path, clock)
    with first.desk.store.transaction() as tx:
        lang = tx.put("presets", Preset(name="Lang"))
        tx.put("deck_options", DeckOptions(deck="Lang", preset_id=lang.id))
        for n in range(3):
            tx.put("cards", make_card(f"front {n}", when=T0, deck="Lang", note_guid=f"g{n}"))
    first.desk.store.set_setting(STUDY_DECK, "Lang")
    first.desk.close()
    app = desk_app(tmp_path, clock)
    app.lang_preset_id = lang.id  # type: ignore[attr-defined]
    return app


@contextmanager
def cards_held(app: DeskworkApp) -> Iterator[threading.Event]:
    """The start-up card loading waits until the event is set (as a big store's would)."""
    release = threading.Event()
    warm_up = app.desk.warm_up

    def held(*args: object, **kwargs: object) -> bool:
        release.wait(30)
        return warm_up(*args, **kwargs)  # type: ignore[arg-type]

    app.desk.warm_up = held  # type: ignore[method-assign]
    try:
        yield release
    finally:
        release.set()


async def test_space_in_the_loading_review_area_never_starts_the_timer(tmp_path: Path) -> None:
    app = stored_app(tmp_path, Clock(T0))
    with cards_held(app) as release:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.desk.summary(wait_for_cards=False).cards_loading
            await pilot.press("f4", "space")
            assert app.timer.service.state.status is Status.IDLE
            await burst(pilot, "f2", "f4", "space", "space")
            assert app.timer.service.state.status is Status.IDLE
            assert app._focused_pane() == "review"
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.timer.service.state.status is Status.IDLE


async def test_going_to_an_area_focuses_it_before_the_next_key_is_read(tmp_path: Path) -> None:
    """Widget.focus() queues the change behind the keys already read: the key after F4 met the
    timer's bindings (Space started a pomodoro). The desk moves the focus at once."""
    app = stored_app(tmp_path, Clock(T0))
    with cards_held(app):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.focused is app.timer_pane
            app.action_focus_pane("review")
            assert isinstance(app.focused, ReviewPane)
            app.action_focus_pane("timer")
            assert app.focused is app.timer_pane
            await pilot.pause()


async def test_retention_while_the_cards_load_is_for_the_studied_decks_preset(
    tmp_path: Path,
) -> None:
    app = stored_app(tmp_path, Clock(T0))
    with cards_held(app):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert not app.desk.store.cards.loaded
            await pilot.press("alt+r")
            screen = app.screen
            assert isinstance(screen, RetentionScreen)
            assert screen.preset_id == app.lang_preset_id  # type: ignore[attr-defined]
