"""The retention chart: minutes of review a day and cards remembered at the end, one column per
desired retention, drawn with eighth blocks; the column under the cursor and the cheapest one per
card remembered stand out. Plain text and Rich styles only (no plotting library)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from deskwork.domain.retention import Row

BLOCKS = " ▁▂▃▄▅▆▇█"
GUTTER = 8
BAR, CURSOR, BEST = "cyan", "bold reverse", "bold green"


def _bars(values: Sequence[float], low: float, high: float, height: int) -> list[list[str]]:
    """For each row (top first), one character per value: eighth blocks of (v - low)/(high - low),
    at least one eighth for any value above `low` (so a small bar still shows)."""
    span = high - low if high > low else 1.0
    eighths = [
        max(round((v - low) / span * height * 8), 1 if v > low else 0) if v > 0 else 0
        for v in values
    ]
    rows = []
    for r in range(height):
        level = (height - 1 - r) * 8
        rows.append([BLOCKS[min(max(e - level, 0), 8)] for e in eighths])
    return rows


def _figure(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def chart(rows: Sequence[Row], cursor: int, best: int | None, width: int) -> Text:
    """The two panels and the retention axis, fitted to `width` columns."""
    out = Text(no_wrap=True, overflow="crop")
    if not rows:
        return out
    cell = 2 if GUTTER + 2 * len(rows) <= width else 1
    height = 6 if cell == 2 else 4

    def panel(title: str, values: list[float], low: float, high: float) -> None:
        out.append(f"{title}\n", style="bold")
        for r, line in enumerate(_bars(values, low, high, height)):
            label = _figure(high) if r == 0 else (_figure(low) if r == height - 1 else "")
            out.append(f"{label:>{GUTTER - 1}} ", style="dim")
            for i, ch in enumerate(line):
                style = CURSOR if i == cursor else (BEST if i == best else BAR)
                out.append(ch * cell, style=style)
            out.append("\n")

    minutes = [r.minutes_per_day for r in rows]
    panel("Minutes of review a day", minutes, 0.0, max(minutes))
    remembered = [r.memorized for r in rows]
    low = min(remembered)
    floor = max(low - (max(remembered) - low) * 0.1, 0.0)  # a visible stub at the lowest value
    panel("Cards remembered at the end", remembered, floor, max(remembered))

    axis = [" "] * (len(rows) * cell)
    step = 5 if cell == 2 else 10
    for i, row in enumerate(rows):
        if i % step == 0 and i * cell + 4 <= len(axis):
            axis[i * cell : i * cell + 4] = list(f"{row.retention:.2f}")
    out.append(" " * GUTTER + "".join(axis) + "\n", style="dim")
    marks = Text(" " * GUTTER)
    for i in range(len(rows)):
        if i == cursor:
            marks.append("▲".ljust(cell), style="bold")
        elif i == best:
            marks.append("★".ljust(cell), style=BEST)
        else:
            marks.append(" " * cell)
    out.append_text(marks)
    return out


class RetentionChart(Widget):
    """Draws `chart` at the widget's width; `show` sets the rows, the cursor and the best."""

    DEFAULT_CSS = "RetentionChart { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.cursor = 0
        self.best: int | None = None

    def show(self, rows: list[Row], cursor: int, best: int | None) -> None:
        self.rows, self.cursor, self.best = rows, cursor, best
        self.refresh(layout=True)

    def render(self) -> Text:
        return chart(self.rows, self.cursor, self.best, self.size.width or 80)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if not self.rows:
            return 0
        cell = 2 if GUTTER + 2 * len(self.rows) <= width else 1
        return 2 * ((6 if cell == 2 else 4) + 1) + 2
