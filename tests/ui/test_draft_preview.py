"""The draft's live preview of a long post (ui/panes/draft_tools.py `show_preview`): beside the
text it shows the part the cursor is in (a 250 KB post drew for most of a second and stalled the
app at every autosave), and follows the cursor on the app's tick; instead of the text, the whole
post."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown, TextArea

from tests.helpers import Clock
from tests.ui.factory import ticks
from tests.ui.test_draft_pane import draft_app


async def test_the_preview_beside_a_long_post_shows_the_cursors_part(
    tmp_path: Path, clock: Clock
) -> None:
    app = draft_app(tmp_path, clock)
    paragraph = "gradient descent on a loss surface " * 20
    body = "\n\n".join(f"## Part {n}\n\n{paragraph}\n\n{paragraph}" for n in range(40))
    draft = app.drafts.create("A long post", body)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        text = app.query_one("#draft-text", TextArea)
        lines = body.split("\n")
        text.move_cursor((lines.index("## Part 3") + 2, 0))
        await pilot.press("ctrl+g")
        await pilot.pause()
        preview = app.query_one("#draft-preview", Markdown)
        shown = app.draft_pane._preview_shown
        assert shown is not None and "## Part 3\n" in shown
        assert "## Part 2\n" not in shown and "## Part 4\n" not in shown
        assert shown.startswith("*Lines ") and len(shown) < len(body) // 10
        # The cursor moves to another part, no edit: the preview follows on the tick.
        text.move_cursor((lines.index("## Part 30") + 2, 0))
        await ticks(pilot, 2)
        shown = app.draft_pane._preview_shown
        assert shown is not None and "## Part 30\n" in shown and "## Part 3\n" not in shown
        # Instead of the text: the whole post, to read.
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert preview.display and not text.display
        assert app.draft_pane._preview_shown == body
