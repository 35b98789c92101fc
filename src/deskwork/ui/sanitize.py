"""Untrusted text typed or pasted into any field: terminal escape sequences and control characters
never reach a field's value, hence never what is saved.

One mechanism for every Input and TextArea of every screen: the app cleans a paste before any
widget sees it, and cleans a field whose value changed to something with control characters in
it (whatever the path: a paste, a key, a program), so what the screens save is clean. The text
areas' part is in ui/text_fields.py (Textual's TextArea is imported with the first one).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input

from deskwork.domain.text import clean


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


def __getattr__(name: str) -> Any:
    """`CleanTextArea` and `clean_text_area` live in ui/text_fields.py now (Textual's TextArea is
    loaded with them); still importable from here, loading them then."""
    if name in ("CleanTextArea", "clean_text_area"):
        from deskwork.ui import text_fields

        return getattr(text_fields, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
