"""The keys of the study screens that have their own: the deck list, presets, retention, the card
browser and the curriculum table."""

from __future__ import annotations

from deskwork.ui.commands.base import Command


# Keys of the deck list (a screen of its own).
def _decks(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="decks")


DECK_COMMANDS: tuple[Command, ...] = (
    _decks("decks.study", "enter,s", "study", "Study", "Review only this deck and its subdecks"),
    _decks("decks.study_all", "a", "study_all", "Study all", "Review every deck again"),
    _decks("decks.options", "o", "options", "Preset", "This deck's preset (view, edit, change)"),
    _decks(
        "decks.limits", "l", "limits", "Deck limits", "This deck's own daily limits / retention"
    ),
    _decks("decks.close", "escape", "close", "Close", "Back to the desk"),
)


# Keys of the presets screen.
def _presets(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="presets")


PRESET_COMMANDS: tuple[Command, ...] = (
    _presets("presets.edit", "e,enter", "edit", "Edit", "Edit the preset's options"),
    _presets("presets.add", "n", "add", "New", "A new preset, a copy of the one selected"),
    _presets("presets.assign", "u", "assign", "Use for deck", "Study a deck with this preset"),
    _presets("presets.delete", "d,delete", "delete", "Delete", "Delete the preset (asks)"),
    _presets(
        "presets.optimize", "o", "optimize", "Optimize", "Fit its FSRS parameters to your history"
    ),
    _presets("presets.retention", "r", "retention", "Retention", "Simulate retentions; apply one"),
    _presets("presets.close", "escape", "close", "Close", "Back"),
)


# Keys of the retention screen (a preset's year simulated at each desired retention).
def _retention(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="retention")


RETENTION_COMMANDS: tuple[Command, ...] = (
    _retention("retention.left", "left", "move(-1)", "Lower", "A lower retention"),
    _retention("retention.right", "right", "move(1)", "Higher", "A higher retention"),
    _retention("retention.best", "b", "best", "Best", "The retention cheapest per card remembered"),
    _retention("retention.apply", "enter,a", "apply", "Apply", "Use this retention in the preset"),
    _retention("retention.close", "escape", "close", "Close", "Back"),
)


# Keys of the card browser (a screen of its own).
def _browser(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="browser")


BROWSER_COMMANDS: tuple[Command, ...] = (
    _browser("browser.search", "slash", "search", "Search", "Type a search"),
    _browser("browser.mark", "space", "mark", "Mark", "Mark / unmark the card"),
    _browser(
        "browser.mark_all",
        "a",
        "mark_all",
        "Mark all",
        "Mark every match too, drawn or not (again: unmark them)",
    ),
    _browser("browser.move", "m", "move", "Move", "Move the marked cards to a deck"),
    _browser("browser.tag", "t", "tag", "Tag", "Add (or -remove) tags on the marked cards"),
    _browser("browser.suspend", "s", "suspend", "Suspend", "Suspend / unsuspend the marked cards"),
    _browser("browser.delete", "d,delete", "delete", "Delete", "Delete the marked cards (asks)"),
    _browser("browser.edit", "e", "edit", "Edit", "Edit the card (Enter too)"),
    _browser("browser.import", "i", "import", "Import", "Import an Anki deck or plain text"),
    _browser(
        "browser.export",
        "x",
        "export",
        "Export",
        "Export the marked cards, else the search",
    ),
    _browser("browser.close", "escape", "close", "Close", "Back to the desk"),
)


# Keys of the curriculum table (a screen of its own).
def _curriculum(id_: str, keys: str, action: str, title: str, help_: str) -> Command:
    return Command(id_, keys, action, title, help_, scope="curriculum")


CURRICULUM_COMMANDS: tuple[Command, ...] = (
    _curriculum("curriculum.new", "n", "new", "New", "Add an item through the form"),
    _curriculum("curriculum.edit", "e", "edit", "Edit", "Edit the item (Enter too)"),
    _curriculum("curriculum.delete", "d,delete", "delete", "Delete", "Delete the item (asks)"),
    _curriculum("curriculum.unit", "u", "unit_done", "Unit done", "One more unit done"),
    _curriculum("curriculum.today", "space", "today", "Today", "Pick for today / take it off"),
    _curriculum("curriculum.sort", "s", "sort", "Sort", "Sort by the next column"),
    _curriculum("curriculum.reverse", "S", "reverse", "Reverse", "Reverse the sort order"),
    _curriculum("curriculum.filter", "slash", "filter", "Filter", "Type a filter"),
    _curriculum("curriculum.add_link", "a", "app.add_link", "Add link", "A URL or an arXiv id"),
    _curriculum(
        "curriculum.refresh", "R", "app.refresh_metadata", "Refresh", "Fetch pending metadata"
    ),
    _curriculum(
        "curriculum.import", "i", "import_file", "Import", "Add items from a .csv or .md file"
    ),
    _curriculum(
        "curriculum.export", "x", "export_file", "Export", "Write the curriculum to .csv, .md, .bib"
    ),
    _curriculum("curriculum.close", "escape", "close", "Close", "Back to the desk"),
)
