"""Putting text into a Static only when it changes. Every `Static.update` lays out the whole
screen again (and repaints what moved): on a screen holding a 250 KB draft that was several
milliseconds, and the areas re-sent the same text four times a second (the timer's lines, the
draft's status)."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static


def same_content(old: VisualType, new: VisualType) -> bool:
    if isinstance(old, Content) and isinstance(new, Content):
        return old.is_same(new)
    if isinstance(old, Text) and isinstance(new, Text):
        return (old.plain, old.spans, old.style, old.justify, old.overflow, old.no_wrap) == (
            new.plain,
            new.spans,
            new.style,
            new.justify,
            new.overflow,
            new.no_wrap,
        )
    return type(old) is type(new) is str and old == new


def update_static(widget: Static, content: VisualType, *, layout: bool = True) -> None:
    """`widget.update(content)` unless it already shows that. `layout=False` where the widget's
    size cannot follow its text (a fixed height and a width set by its container)."""
    if not same_content(widget.content, content):
        widget.update(content, layout=layout)
