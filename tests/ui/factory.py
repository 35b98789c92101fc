"""One way for UI tests to get an app on a fresh, isolated data dir."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.worker import WorkerCancelled

from deskwork.domain.curriculum import Item
from deskwork.paths import Paths
from deskwork.services import WELCOME_DONE, Desk
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.card_dialogs import CardScreen
from tests.helpers import Clock


def desk_app(
    tmp_path: Path, clock: Clock, config: str = "", items: Iterable[Item] = ()
) -> DeskworkApp:
    """The app past its welcome screen, with `config` as config.toml and `items` stored."""
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(config)
    desk = Desk.open(Paths(home, home), clock=clock)
    desk.store.set_setting(WELCOME_DONE, True)
    with desk.store.transaction() as tx:
        for item in items:
            tx.put("items", item)
    return DeskworkApp(desk, show_clock=False)


async def ready(pilot: Any) -> None:
    """Wait for the start-up workers (cards loaded, backup) and the screen that follows."""
    await pilot.pause()  # the first frame: the warm-up worker starts after it (not yet running)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def ticks(pilot: Any, count: int = 1, limit: float = 60.0) -> None:
    """Until the app's own ticker (every 0.25 s: the timer, autosave, the store's news) has run
    `count` more times, and the screen has caught up. A wait on the ticks themselves, not on the
    wall clock: `pause(0.4)` "for a tick" came too early on a loaded machine (the suite runs on
    every core). `limit` only bounds a ticker that stopped (a failure, said as such)."""
    timer = pilot.app._ticker
    tick = timer._callback
    seen = 0
    done = asyncio.Event()

    def counted() -> None:
        nonlocal seen
        tick()
        seen += 1
        if seen >= count:
            done.set()

    timer._callback = counted
    try:
        await asyncio.wait_for(done.wait(), limit)
    except TimeoutError:
        raise AssertionError(f"the app's ticker ran {seen} of {count} times in {limit} s") from None
    finally:
        timer._callback = tick
    await pilot.pause()


async def until(pilot: Any, done: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    """Until `done()` holds (checked after each idle of the app): for what the app does in its
    own time (the command palette's search, a debounced search). `limit` only bounds a wait
    that would never end (a failure naming `what`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not done():
        if loop.time() > deadline:
            raise AssertionError(f"never happened within {limit} s: {what}")
        await pilot.pause(0.02)


async def palette_offers(pilot: Any, text: str) -> None:
    """Until the open command palette's search has highlighted a command naming `text` (its
    search runs in the palette's own time): then Enter runs that command."""
    from textual.command import CommandList

    def offered() -> bool:
        found = pilot.app.screen.query(CommandList)
        if not found:
            return False
        commands = found.first()
        at = commands.highlighted
        return (
            at is not None and text.lower() in str(commands.get_option_at_index(at).prompt).lower()
        )

    await until(pilot, offered, f"the command palette offers {text!r}")


async def settled(pilot: Any, limit: float = 120.0) -> None:
    """Until the background work is done: the workers finished and, where the screen fills
    itself a part per frame (the card browser, stats) or the review queue is being built again,
    nothing left. Two idles in a row must find nothing to do: a message still on its way up to
    the screen (a filter's `Changed`) after the first can start a fill the second sees. `limit`
    only bounds a wait that would never end (a failure, said as such): a number of rounds ran
    out on a loaded machine, where the Pilot's idle (process time against wall time) comes
    early."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    quiet = 0
    while quiet < 2:
        if loop.time() > deadline:
            raise AssertionError(f"{pilot.app.screen} still busy after {limit} s")
        with contextlib.suppress(WorkerCancelled):  # a newer search / build replaced it
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        building = any(w.group == "review-build" for w in pilot.app.workers)
        busy = getattr(pilot.app.screen, "busy", False) or building
        quiet = 0 if busy else quiet + 1


async def quick_capture(pilot: Any) -> CardScreen:
    """Ctrl+K on the desk: the add-card dialog, open (asserted)."""
    await pilot.press("ctrl+k")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CardScreen)
    return screen


async def type_text(pilot: Any, text: str) -> None:
    """Type `text` into the focused field as a quick typist would: one key event per character,
    through the app's own key handling, but without the Pilot's two idle waits after every key
    (at least 40 ms each: a 70-character path took three seconds). For plain text only: a key
    that opens a dialog or moves focus belongs in `pilot.press`."""
    from textual import events

    driver = pilot.app._driver
    for char in text:
        key = events.Key(char if char.isalnum() else _key_name(char), char)
        key.set_sender(pilot.app)
        driver.send_message(key)
    await pilot.pause()


def _key_name(char: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(char)


def record_session_builds(monkeypatch: Any) -> list[str]:
    """The name of the thread each review session is built on, from now on (a pytest
    MonkeyPatch undoes it): whether a queue was built on the event loop or on a worker."""
    import threading

    from deskwork.services.cards import ReviewSession

    built_on: list[str] = []
    real_init = ReviewSession.__init__

    def observed(self: ReviewSession, *args: object, **kwargs: object) -> None:
        built_on.append(threading.current_thread().name)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ReviewSession, "__init__", observed)
    return built_on
