"""How the browsing screens (plan, curriculum, card browser) open with shorter frozen stretches.

Textual handles a new screen's messages back to back in one turn of the event loop: composing and
mounting it, its `on_mount` (the plan computed, the first rows added), then its first resume,
which styles every widget of the screen again and lays out and draws it whole. Nothing else runs
meanwhile (a key, a frame, a timer): one stall of 25-30 ms at the heavy year. Here:

- `on_mount` ends by handing the loop a turn (`yield_to_loop`): the screen's own work and its
  first layout and drawing become two stretches; the first paint still comes after both, so
  what is drawn is the same;
- the first resume does not style the widgets again: they were styled as they were mounted, a
  moment ago (Textual restyles on every resume for a screen coming back after a theme change,
  which later resumes still do)."""

from __future__ import annotations

import asyncio

from textual import events


async def yield_to_loop() -> None:
    """Let the event loop run what is due (a frame, a key) before the rest of this handler."""
    await asyncio.sleep(0)


class OpensInSteps:
    """A screen whose first resume skips restyling what its mount has just styled."""

    _styled_at_mount = True

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if self._styled_at_mount:
            self._styled_at_mount = False
            event.refresh_styles = False
