"""Putting text into a Static only when it changes. Every `Static.update` lays out the whole
screen again (and repaints what moved): on a screen holding a 250 KB draft that was several
milliseconds, and the areas re-sent the same text four times a second (the timer's lines, the
draft's status). `RenderedOnce`: a Static whose content is rendered once per width, or ahead of the frame that
shows it (`prepare`)."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual, VisualType, visualize
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


class RenderedOnce(Static):
    """A `Static` whose content is rendered once per width and style. Textual renders a
    `Static`'s content to measure its height at a layout, then again to paint it: for the stats
    screen's rich Tables (columns measured, cells wrapped) that was half of its ~20 ms frame
    with the figures. Here the lines of the measure are the ones painted."""

    _once: tuple[int, Style, Visual, list[Strip]] | None = None

    def prepare(self, content: VisualType, width: int) -> Visual:
        """Render `content` at `width` now, without showing it; returns what `update` takes to
        show it with these lines (a layout at another width or style renders it again)."""
        visual = visualize(self, content, markup=self._render_markup)
        style = self.visual_style
        self._ahead = (width, style, visual, Visual.to_strips(self, visual, width, None, style))
        return visual

    _ahead: tuple[int, Style, Visual, list[Strip]] | None = None

    def _lines(self, width: int) -> list[Strip]:
        visual, style = self.visual, self.visual_style
        once = self._once
        if once is None or once[0] != width or once[1] != style or once[2] is not visual:
            ahead = self._ahead
            if ahead is not None and ahead[:2] == (width, style) and ahead[2] is visual:
                once = self._once = ahead
                self._ahead = None
            else:
                strips = Visual.to_strips(self, visual, width, None, style)
                once = self._once = (width, style, visual, strips)
        return once[3]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)) if width else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines(width)
        return lines[y] if y < len(lines) else Strip.blank(width, self.visual_style.rich_style)
