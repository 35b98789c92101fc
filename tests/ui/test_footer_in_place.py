"""The footer keeps showing exactly the keys bound now while the user moves between desk areas and
screens, and it does so by repainting its one line: switching areas never changes its size (a
new size laid the whole screen out again, most of an area switch's frozen frame)."""

from __future__ import annotations

from pathlib import Path

from deskwork.ui.app import DeskworkApp
from deskwork.ui.widgets.footer import DeskFooter
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready


def expected(app: DeskworkApp) -> list[tuple[str, str, bool]]:
    """What Textual's own footer would show: each shown action once, first binding wins."""
    seen: dict[str, tuple[str, str, bool]] = {}
    for _node, binding, enabled, _tip in app.screen.active_bindings.values():
        if binding.show and binding.action not in seen:
            seen[binding.action] = (app.get_key_display(binding), binding.description, enabled)
    return list(seen.values())


def shown(footer: DeskFooter) -> list[tuple[str, str, bool]]:
    return [(k.display, k.description, k.enabled) for k in footer.keys or []]


async def test_switching_areas_updates_the_footer_in_place(tmp_path: Path, clock: Clock) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        footer = app.screen.query_one(DeskFooter)
        size, region = footer.size, footer.region
        seen_sets = set()
        for key in ("f2", "f3", "f4", "f5", "f2", "tab", "shift+tab", "f5"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert shown(footer) == expected(app), key
            seen_sets.add(tuple(shown(footer)))
            assert (footer.size, footer.region) == (size, region), key
        assert len(seen_sets) >= 3, "the areas bind different keys: the footer followed them"
        assert footer.repaints >= 3
        assert not footer.children, "one widget: no key widgets"


async def test_screens_over_the_desk_have_their_own_keys_and_the_desk_gets_its_back(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await pilot.pause()
        desk_keys = shown(app.screen.query_one(DeskFooter))
        await pilot.press("f7")  # the curriculum table: its own footer, its own keys
        await ready(pilot)
        await pilot.pause()
        assert shown(app.screen.query_one(DeskFooter)) == expected(app)
        assert shown(app.screen.query_one(DeskFooter)) != desk_keys
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert shown(app.screen.query_one(DeskFooter)) == expected(app) == desk_keys
