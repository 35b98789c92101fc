"""A tags field: one line, as every Input, but a paste of several lines keeps all its tags.

Textual's Input keeps only the first line of a paste, so tags copied one a line (from a list, a
spreadsheet column, another app's tag pane) left all but the first behind, silently. Here a paste
of several lines is read by `domain.tags.paste_tags` (a line break separates as a comma does, so
a tag of several words on its line stays whole; the field's own text is read on its own, a tag
the cursor stands in kept whole) and the field is written again as the tags it then holds, in
order, separated by ", " (the form the field shows anyway). A paste of one line is Input's own.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from deskwork.domain.tags import format_tags, paste_tags


class TagsInput(Input):
    def __init__(self, *args: object, spaces_inside: bool = True, **kwargs: object) -> None:
        """`spaces_inside=False` (card tags): a space inside a tag becomes "_" (domain.tags)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.spaces_inside = spaces_inside

    def _on_paste(self, event: events.Paste) -> None:
        if len(event.text.splitlines()) <= 1:
            return  # Input's own handler runs next (Textual calls each class's, base last)
        event.prevent_default()  # not Input's: it would add the first line again
        event.stop()
        start, end = sorted(self.selection)
        before, after = self.value[:start], self.value[end:]
        tags = paste_tags(before, event.text, after, spaces_inside=self.spaces_inside)
        self.value = format_tags(tags)
        self.cursor_position = len(self.value)
