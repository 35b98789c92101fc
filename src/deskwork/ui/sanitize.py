"""Untrusted text typed or pasted into any field: terminal escape sequences and control characters
never reach a field's value, hence never what is saved.

One mechanism for every Input and TextArea of every screen: the app cleans a paste before any
widget sees it, and cleans a field whose value changed to something with control characters in
it (whatever the path: a paste, a key, a program), so what the screens save is clean.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import events
from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.widgets import Input, TextArea

from deskwork.domain.text import clean
from deskwork.ui.widgets.text_rows import RowCachedTextArea


def clean_paste(event: events.Paste) -> events.Paste:
    """The same paste without escape sequences (`\\x1b[1mBBB` -> `BBB`); tabs and newlines kept."""
    text = clean(event.text.replace("\r\n", "\n"))
    return event if text == event.text else events.Paste(text)


def clean_input(field: Input) -> None:
    cleaned = clean(field.value, single_line=False).replace("\n", " ").replace("\t", " ")
    if cleaned != field.value:
        field.value = cleaned


class CleanTextArea(RowCachedTextArea):
    """A TextArea that cleans what enters it as it enters: the text of each edit (a key, a
    paste, a program's insert or replace) and any text loaded. The cost follows the change, not
    the document: the app's catch-all (`clean_text_area`, the whole text after every change)
    cost ~2 ms a keystroke in a 250 KB draft and is skipped for these."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(clean(text.replace("\r\n", "\n")), *args, **kwargs)

    def edit(self, edit: Edit) -> EditResult:
        text = clean(edit.text.replace("\r\n", "\n"))
        return super().edit(edit if text == edit.text else replace(edit, text=text))

    def load_text(self, text: str) -> None:
        super().load_text(clean(text.replace("\r\n", "\n")))


def clean_text_area(area: TextArea) -> None:
    if isinstance(area, CleanTextArea):
        return  # cleaned edit by edit
    cleaned = clean(area.text.replace("\r\n", "\n"))
    if cleaned != area.text and not area.read_only:
        cursor = area.cursor_location
        area.load_text(cleaned)
        area.move_cursor(cursor)
