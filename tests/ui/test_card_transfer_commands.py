"""Importing and exporting flashcards from anywhere: palette commands (with their own keys) open
the dialogs the card browser uses, and the empty review pane names the in-app key."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Static

from deskwork.ui.screens.card_dialogs import TransferScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready


@pytest.mark.parametrize(
    ("title", "heading", "suffixes"),
    [
        ("Import cards", "Import flashcards", (".apkg", ".colpkg", ".txt")),
        ("Export cards", "Export flashcards", (".apkg", ".txt")),
    ],
)
async def test_apkg_in_the_palette_opens_the_import_and_export_dialogs(
    tmp_path: Path, clock: Clock, title: str, heading: str, suffixes: tuple[str, ...]
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("colon")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"apkg")
        found: list[str] = []
        for _ in range(100):  # the palette searches in a worker
            await pilot.pause(0.01)
            commands = app.screen.query_one(CommandList)
            found = [
                str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
            ]
            if len(found) >= 2:
                break
        for listed in ("Import cards (.apkg / .txt)", "Export cards (.apkg / .txt)"):
            assert any(text.startswith(listed) for text in found), (listed, found)
        chosen = next(i for i, text in enumerate(found) if text.startswith(title))
        while commands.highlighted != chosen:
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TransferScreen), screen
        assert screen.heading.startswith(heading)
        assert set(suffixes) <= set(screen.suffixes)


async def test_both_are_commands_and_the_empty_review_pane_names_the_key(
    tmp_path: Path, clock: Clock
) -> None:
    app = desk_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Import cards (.apkg / .txt)", "Export cards (.apkg / .txt)"} <= titles
        hint = str(app.review_pane.query_one("#review-answer", Static).render())
        assert "deskwork cards import" not in hint
        assert app.bound["cards.import"] in hint and "Anki" in hint
        await pilot.press("alt+i")
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen)
        assert app.screen.heading.startswith("Import flashcards")
