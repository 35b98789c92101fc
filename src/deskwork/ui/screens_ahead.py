"""The modules of the screens a user opens from the desk, imported ahead on a worker once the app
has settled. Imported on first use they froze the loop as the screen opened: the plan's and the
card browser's ~15-20 ms each (their domain modules and Textual's DataTable), the add-card
dialog's ~25 ms (Textual's TextArea), on top of the
screen's own first frame. Start-up stays lazy: nothing here runs before the first frame."""

from __future__ import annotations

import importlib
from collections.abc import Callable

AHEAD_DELAY_S = 1.5  # after the cards are loaded: the user is reading the desk
SCREEN_MODULES = (
    "deskwork.ui.screens.card_browser",
    "deskwork.services.browse",
    "deskwork.ui.screens.curriculum",
    "deskwork.ui.screens.plan",
    "deskwork.ui.screens.decks",
    # Add a card (Ctrl+K, the quickest capture there is): its dialog and Textual's TextArea were
    # ~25 ms of imports on the UI thread at the first Ctrl+K.
    "deskwork.ui.screens.card_dialogs",
    # The draft editor, built at the first draft opened: its module and Textual's Markdown
    # preview (markdown_it) were ~35 ms of imports on the UI thread then.
    "deskwork.ui.widgets.editor",
    "textual.widgets._markdown",
)


def import_screens(cancelled: Callable[[], bool]) -> list[str]:
    """Import the screens' modules (a worker's job); the names imported."""
    done = []
    for name in SCREEN_MODULES:
        if cancelled():
            break
        importlib.import_module(name)
        done.append(name)
    return done
