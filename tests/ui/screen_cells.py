"""What a real terminal would show: the cells the app's screen updates wrote, one update after
another (Pilot runs headless, where nothing is written; a test reads these instead)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.segment import ControlType
from textual._compositor import CompositorUpdate
from textual.app import App


class ScreenCells:
    """Every compositor update the app sends from now on, applied to a grid of cells."""

    def __init__(self, app: App[Any], width: int, height: int) -> None:
        self.rows = [[" "] * width for _ in range(height)]
        self.console = Console(width=width, height=height, color_system=None)
        sent = app._display

        def display(screen: Any, renderable: Any) -> None:
            if isinstance(renderable, CompositorUpdate):
                self._apply(renderable)
            sent(screen, renderable)

        app._display = display  # type: ignore[method-assign]

    def _apply(self, update: CompositorUpdate) -> None:
        x = y = 0
        for segment in self.console.render(update, self.console.options):
            if segment.control:
                for code in segment.control:
                    if code[0] is ControlType.CURSOR_MOVE_TO:
                        x, y = int(code[1]), int(code[2])  # type: ignore[misc]
                continue
            if segment.text == "\n":
                continue
            for char in segment.text:  # (the tests' text is one cell per character)
                if 0 <= y < len(self.rows) and 0 <= x < len(self.rows[y]):
                    self.rows[y][x] = char
                x += 1

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.rows]
