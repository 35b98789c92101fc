"""Untrusted text typed or pasted into any field: terminal escape sequences and control characters
never reach a field's value, hence never what is saved.

One mechanism for every Input and TextArea of every screen: the app cleans a paste before any
widget sees it, and cleans a field whose value changed to something with control characters in
it (whatever the path: a paste, a key, a program), so what the screens save is clean.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from deskwork.domain.text import clean


def clean_paste(event: events.Paste) -> events.Paste:
    """The same paste without escape sequences (`\\x1b[1mBBB` -> `BBB`); tabs and newlines kept."""
    text = clean(event.text.replace("\r\n", "\n"))
    return event if text == event.text else events.Paste(text)


def clean_input(field: Input) -> None:
    cleaned = clean(field.value, single_line=False).replace("\n", " ").replace("\t", " ")
    if cleaned != field.value:
        field.value = cleaned


def clean_text_area(area: TextArea) -> None:
    cleaned = clean(area.text.replace("\r\n", "\n"))
    if cleaned != area.text and not area.read_only:
        cursor = area.cursor_location
        area.load_text(cleaned)
        area.move_cursor(cursor)
