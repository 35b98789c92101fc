"""A clock drawn in block digits that grows with the room it has (the timer on a big terminal).

Each digit is a 3×5 grid of "pixels"; a pixel is 2·scale columns by scale rows, so at scale 1 the
clock is 5 rows high and at scale 2 it is 10. `scale_for` picks the largest scale that fits.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from deskwork.ui.widgets.static_text import update_static

_FONT = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": ("  #", "  #", "  #", "  #", "  #"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
}
ROWS = 5


def pixel_width(text: str) -> int:
    """Width in pixels: glyphs plus one pixel between them."""
    return sum(len(_FONT[c][0]) for c in text if c in _FONT) + max(0, len(text) - 1)


def render(text: str, scale: int) -> str:
    """`text` ("25:00", "1:02:03") as block digits at `scale`."""
    lines = []
    for row in range(ROWS):
        pixels = " ".join(_FONT[c][row] for c in text if c in _FONT)
        line = "".join(("█" if p == "#" else " ") * 2 * scale for p in pixels)
        lines += [line.rstrip()] * scale
    return "\n".join(lines)


def scale_for(text: str, width: int, height: int) -> int:
    """The largest scale (up to 4) whose clock fits in width × height cells; 0 if none does."""
    scale = 0
    for candidate in range(1, 5):
        if pixel_width(text) * 2 * candidate <= width and ROWS * candidate <= height:
            scale = candidate
    return scale


class BigClock(Static):
    """Block digits at a given scale (set by the timer area from the room it has)."""

    def show(self, text: str, scale: int) -> None:
        update_static(self, Text(render(text, max(1, scale))))
