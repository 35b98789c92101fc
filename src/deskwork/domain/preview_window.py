"""What the draft's live preview shows beside the text: the part of the post the cursor is in.

Textual's Markdown widget mounts a widget per block: a 250 KB post with notes is thousands of
them, 0.6-0.8 s to draw and a 256 ms stall of the UI thread each time it is drawn (at the toggle,
and again after every autosave while it is open: measured by the stall meter's `preview` row).
So beside the text the preview is a window: the section around the cursor (from the heading
above it to the next heading), or, in a section longer than `LIMIT` characters, the paragraphs
around the cursor up to that size, cut only at blank lines outside fenced code. A post that fits
in `LIMIT` is shown whole, as before. The preview shown instead of the text (the third press of
Ctrl+G, to read the post) is the whole post."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deskwork.domain.wording import figure

LIMIT = 12_000  # characters the preview beside the text shows at most


@dataclass(frozen=True)
class Window:
    """Lines `first` (0-based) to `last` (exclusive) of a post of `lines` lines."""

    first: int
    last: int
    lines: int

    @property
    def whole(self) -> bool:
        return self.first == 0 and self.last >= self.lines

    def markdown(self, lines: Sequence[str]) -> str:
        """The window's text, headed by where it is in the post when it is not the whole."""
        text = "\n".join(lines[self.first : self.last])
        if self.whole:
            return text
        where = f"Lines {figure(self.first + 1)}–{figure(self.last)} of {figure(self.lines)}"
        return f"*{where}: the part the cursor is in.*\n\n{text}"


def _fence(line: str) -> str:
    """The fence a line opens or closes (``` or ~~~), '' for any other line."""
    stripped = line.lstrip()
    if len(line) - len(stripped) > 3:  # indented code, not a fence
        return ""
    for mark in ("```", "~~~"):
        if stripped.startswith(mark):
            return mark
    return ""


def _outside_fences(lines: Sequence[str]) -> list[bool]:
    """For each line: True if it is outside fenced code (a fence's own lines count as inside)."""
    outside: list[bool] = []
    open_mark = ""
    for line in lines:
        mark = _fence(line)
        if open_mark:
            outside.append(False)
            if mark == open_mark and not line.strip().strip(mark[0]):
                open_mark = ""
        elif mark:
            outside.append(False)
            open_mark = mark
        else:
            outside.append(True)
    return outside


def _heading(line: str) -> bool:
    stripped = line.lstrip()
    if len(line) - len(stripped) > 3 or not stripped.startswith("#"):
        return False
    hashes = len(stripped) - len(stripped.lstrip("#"))
    return hashes <= 6 and (len(stripped) == hashes or stripped[hashes] in " \t")


def window(lines: Sequence[str], cursor: int, limit: int = LIMIT) -> Window:
    """The window of `lines` the preview beside the text shows for the cursor on line `cursor`
    (see the module docstring)."""
    count = len(lines)
    if count == 0 or sum(map(len, lines)) + count <= limit:
        return Window(0, count, count)
    cursor = min(max(cursor, 0), count - 1)
    outside = _outside_fences(lines)
    start = cursor
    while start > 0 and not (outside[start] and _heading(lines[start])):
        start -= 1
    end = cursor + 1
    while end < count and not (outside[end] and _heading(lines[end])):
        end += 1
    if sum(len(line) + 1 for line in lines[start:end]) <= limit:
        return Window(start, end, count)
    # A long section: the paragraphs around the cursor, grown a line at a time each way.
    first, last, size = cursor, cursor + 1, len(lines[cursor]) + 1
    while size < limit and (first > start or last < end):
        if first > start:
            first -= 1
            size += len(lines[first]) + 1
        if last < end and size < limit:
            size += len(lines[last]) + 1
            last += 1
    # Out to a blank line outside code each way (no paragraph or code block cut), unless the
    # paragraph is itself longer than the limit: then it is cut.
    edge, spare = first, limit
    while edge > start and spare > 0 and not (outside[edge] and not lines[edge].strip()):
        edge -= 1
        spare -= len(lines[edge]) + 1
    first = edge if spare > 0 else first
    edge, spare = last, limit
    while edge < end and spare > 0 and not (outside[edge - 1] and not lines[edge - 1].strip()):
        spare -= len(lines[edge]) + 1
        edge += 1
    last = edge if spare > 0 else last
    return Window(first, last, count)
