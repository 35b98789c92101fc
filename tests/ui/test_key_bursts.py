"""Keys typed in one burst (a paste of keys, tmux send-keys, a fast typist) are handled in the order
typed: a save key (Ctrl+S, a priority binding that the app handles before the focused field has
read the keys queued for it) saves what the field holds once those keys are in, and a field's own
editing keys (Ctrl+U, Backspace: bindings that travel up to the app) apply before the characters
typed after them."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from deskwork.domain.presets import Preset
from deskwork.ui.screens.card_dialogs import CardScreen
from deskwork.ui.screens.preset_dialogs import PresetFormScreen
from deskwork.ui.screens.presets import PresetsScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app, quick_capture, ready


async def burst(pilot: Pilot[object], *keys: str) -> None:
    """Every key reaches the app before any is handled, as from a terminal's single read."""
    app: App[object] = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        char = key if len(key) == 1 else None
        name = {".": "full_stop", " ": "space"}.get(key, key)
        event = events.Key(name, char)
        event.set_sender(app)
        driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


def preset_app(tmp_path: Path, clock: Clock) -> App[object]:
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("presets", Preset(name="Lang", desired_retention=0.9))
    return app


async def open_form(pilot: Pilot[object]) -> PresetFormScreen:
    await ready(pilot)
    await pilot.press("alt+o")
    assert isinstance(pilot.app.screen, PresetsScreen)
    await pilot.press("down", "e")
    form = pilot.app.screen
    assert isinstance(form, PresetFormScreen)
    assert pilot.app.focused is form.query_one("#p-desired_retention", Input)
    return form


def saved_retention(app: App[object]) -> float:
    screen = app.screen
    assert isinstance(screen, PresetsScreen), screen
    return next(p for p in screen.presets if p.name == "Lang").desired_retention


async def test_preset_form_saves_keys_pressed_without_pauses(tmp_path: Path) -> None:
    app = preset_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await pilot.press("ctrl+u", *"0.85", "ctrl+s")
        assert saved_retention(app) == 0.85


async def test_preset_form_saves_a_burst_from_the_terminal(tmp_path: Path) -> None:
    app = preset_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await burst(pilot, "ctrl+u", *"0.85", "ctrl+s")
        assert saved_retention(app) == 0.85


async def test_a_fields_editing_key_applies_before_the_characters_after_it(
    tmp_path: Path,
) -> None:
    app = preset_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        field = form.query_one("#p-desired_retention", Input)
        await burst(pilot, "ctrl+u", *"0.87", "backspace", "5")
        assert field.value == "0.85"


async def test_quick_capture_saves_a_front_typed_in_one_burst(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await quick_capture(pilot)
        assert isinstance(app.focused, TextArea)
        await burst(pilot, *"Burst front only", "ctrl+s")
        assert not isinstance(app.screen, CardScreen), "saved and closed"
        fronts = [c.fields[0] for c in app.desk.store.cards.all()]
        assert "Burst front only" in fronts, fronts


async def test_keys_after_tab_in_a_burst_go_to_the_next_field(tmp_path: Path) -> None:
    """`Capital of France?` Tab `Paris` in one read: the front gets the question and the back
    the answer (before: both went to the front, the focus moving after the keys were handed out)."""
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await quick_capture(pilot)
        await burst(pilot, *"Capital of France?", "tab", *"Paris")
        await pilot.pause()
        front = screen.query_one("#card-front", TextArea).text
        back = screen.query_one("#card-back", TextArea).text
        assert (front, back) == ("Capital of France?", "Paris"), (front, back)
