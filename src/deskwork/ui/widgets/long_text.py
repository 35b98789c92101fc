"""Showing a very long text (a card with 100 KB pasted into a field) without freezing the screen.

A `Static` wraps its whole text at every layout and again at every repaint: ~15 ms of the UI
thread per 100 KB each time, two to four times for each card shown (the stall meter's compaction
and import rows: 70–90 ms with such a card on the review pane). `LongStatic` is a `Static` that,
for a text longer than `LONG_CHARS`, wraps it once per width, in slices: the first screenful at
once, the rest on the loop a slice of `SLICE_WORDS` words at a time (the frames and keys run
between slices), and draws only the lines on screen. Its lines are the ones Textual's own
wrapping gives (`Wrapping` follows rich's `divide_line`, word for word: a test holds it to it).
A shorter text is a plain `Static`'s business.
"""

from __future__ import annotations

import asyncio
import re
from functools import partial

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import VisualType
from textual.widgets import Static

LONG_CHARS = 10_000  # a text longer than this is wrapped in slices (a shorter one: ~1 ms)
FIRST_WORDS = 4_000  # wrapped at once at most: enough for two screenfuls (in steps of FIRST_STEP)
FIRST_STEP = 250
SLICE_WORDS = 2_000  # then this many a step (~1.5 ms), the loop running between steps

_WORD = re.compile(r"\s*\S+\s*")  # rich's own "word": the word and the blanks after it


class Wrapping:
    """A text's lines at one width, worked out a number of words at a time (`advance`).
    `lines` holds (start, end) offsets into the text, a paragraph's newline excluded; the breaks
    are rich's `divide_line`'s (fold on: a word longer than the width is cut across lines)."""

    def __init__(self, plain: str, width: int) -> None:
        self.plain = plain
        self.width = max(1, width)
        self.lines: list[tuple[int, int]] = []
        self.done = False
        self._base = 0  # the current paragraph's offset in the text
        self._para: str | None = None
        self._pos = 0  # the next word's offset in the paragraph
        self._cells = 0  # cells used on the current line
        self._line = 0  # the current line's start in the paragraph

    def advance(self, budget: int) -> bool:
        """Wrap about `budget` more words; True once the whole text is wrapped."""
        plain, width, lines = self.plain, self.width, self.lines
        match = _WORD.match
        while budget > 0 and not self.done:
            if self._para is None:
                end = plain.find("\n", self._base)
                self._para = plain[self._base : end if end >= 0 else len(plain)]
                self._pos = self._cells = self._line = 0
            para, base = self._para, self._base
            pos, cells, line = self._pos, self._cells, self._line
            while budget > 0:
                found = match(para, pos)
                if found is None:
                    break
                budget -= 1
                start, pos = found.span()
                word = found.group()
                length = cell_len(word.rstrip())
                if width - cells >= length:
                    cells += cell_len(word)
                elif length > width:  # folded across lines
                    pieces = chop_cells(word, width)
                    for index, piece in enumerate(pieces):
                        if start:
                            lines.append((base + line, base + start))
                            line = start
                        if index == len(pieces) - 1:
                            cells = cell_len(piece)
                        else:
                            start += len(piece)
                elif cells and start:
                    lines.append((base + line, base + start))
                    line = start
                    cells = cell_len(word)
            self._pos, self._cells, self._line = pos, cells, line
            if budget > 0 or match(para, pos) is None:  # the paragraph is done
                lines.append((base + line, base + len(para)))
                budget -= 1  # blank paragraphs count too
                self._base = base + len(para) + 1
                self._para = None
                self.done = self._base > len(plain)
        return self.done


class LongStatic(Static):
    """A `Static` that shows a text longer than `LONG_CHARS` without wrapping all of it in one
    frame (see the module docstring). Its `content` is what it was given, as a `Static`'s."""

    def __init__(self, content: VisualType = "", **kwargs: object) -> None:
        super().__init__(content, **kwargs)  # type: ignore[arg-type]
        self._long: Text | None = None
        self._wrapping: Wrapping | None = None
        self._strips: dict[int, Strip] = {}
        self._set_long(content)

    def _set_long(self, content: VisualType) -> None:
        text = Text(content) if isinstance(content, str) and not self._render_markup else content
        long: Text | None = None
        if isinstance(text, Text) and len(text) > LONG_CHARS:
            long = text
            if "\t" in text.plain:
                long = text.copy()
                long.expand_tabs()
        before, self._long = self._long, long
        self._strips = {}
        if long is None or before is None or before.plain != long.plain:
            self._wrapping = None  # the same words (a card shown again) keep their lines

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._set_long(content)
        super().update(content, layout=layout)

    @property
    def wrapped(self) -> bool:
        """False while a long text's lines are still being worked out."""
        return self._long is None or (self._wrapping is not None and self._wrapping.done)

    def _lines_at(self, width: int, screen: int = 100) -> Wrapping:
        """The lines at `width`: at once as many as fill `screen` lines twice, the rest in slices."""
        wrapping = self._wrapping
        if wrapping is None or wrapping.width != max(1, width):
            assert self._long is not None
            wrapping = self._wrapping = Wrapping(self._long.plain, width)
            self._strips = {}
            done, spent = False, 0
            while not done and len(wrapping.lines) <= 2 * screen and spent < FIRST_WORDS:
                done = wrapping.advance(FIRST_STEP)
                spent += FIRST_STEP
            if not done:
                self.run_worker(
                    partial(self._wrap_rest, wrapping),  # type: ignore[arg-type]
                    group="long-text",
                    exclusive=True,
                    exit_on_error=False,
                )
        return wrapping

    async def _wrap_rest(self, wrapping: Wrapping) -> None:
        while wrapping is self._wrapping and not wrapping.advance(SLICE_WORDS):
            await asyncio.sleep(0)  # the loop runs a frame, a key, between two slices
        if wrapping is self._wrapping:
            self._strips = {}
            self.refresh(layout=True)  # its whole height now

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._long is None or not width:
            return super().get_content_height(container, viewport, width)
        return len(self._lines_at(width, viewport.height).lines)

    def render_line(self, y: int) -> Strip:
        if self._long is None:
            return super().render_line(y)
        width = self.size.width
        strip = self._strips.get(y)
        if strip is None:
            lines = self._lines_at(width).lines
            style = self.visual_style.rich_style
            if y < len(lines):
                start, end = lines[y]
                line = self._long[start:end]
                line.rstrip_end(width)
                segments = [
                    Segment(s.text, style + s.style if s.style else style, s.control)
                    for s in line.render(self.app.console, end="")
                ]
                strip = Strip(segments).crop_extend(0, width, style)
            else:
                strip = Strip.blank(width, style)
            self._strips[y] = strip
        return strip
