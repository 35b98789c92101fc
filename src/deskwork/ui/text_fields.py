"""Multi-line text fields that clean what enters them (see ui/sanitize.py for the one mechanism
for every field): `CleanTextArea`, and the app's catch-all for any other TextArea. A module of its
own so that Textual's TextArea (~6 ms to import) comes with the first text area, not at start; the
in-order editing keys (ui/key_order.py) are installed on TextArea here, before any is made."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.widgets import TextArea

from deskwork.domain.text import clean
from deskwork.ui.key_order import run_own_bindings_inline
from deskwork.ui.sanitize import lines_of
from deskwork.ui.widgets.text_rows import RowCachedTextArea

run_own_bindings_inline(TextArea)


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
