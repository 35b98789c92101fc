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


def lines_of(text: str) -> str:
    """Line ends as a text field keeps them: CR LF and a lone CR become LF. Many terminals (xterm,
    tmux's paste-buffer) send a paste's line ends as CR, which the cleaning below would drop as a
    control character, running the pasted lines together."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def clean_paste(event: events.Paste) -> events.Paste:
    """The same paste without escape sequences (`\\x1b[1mBBB` -> `BBB`); tabs and newlines kept."""
    text = clean(lines_of(event.text))
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
        super().__init__(clean(lines_of(text)), *args, **kwargs)

    def edit(self, edit: Edit) -> EditResult:
        text = clean(lines_of(edit.text))
        return super().edit(edit if text == edit.text else replace(edit, text=text))

    def load_text(self, text: str) -> None:
        super().load_text(clean(lines_of(text)))


def clean_text_area(area: TextArea) -> None:
    if isinstance(area, CleanTextArea):
        return  # cleaned edit by edit
    cleaned = clean(lines_of(area.text))
    if cleaned != area.text and not area.read_only:
        cursor = area.cursor_location
        area.load_text(cleaned)
        area.move_cursor(cursor)
