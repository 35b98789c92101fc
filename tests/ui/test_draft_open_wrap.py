"""Opening a long draft wraps its text once, at the width it is shown at: Textual wrapped the
whole document again at every resize and when the scrollbar came (a 250 KB draft: ~30-60 ms of
the UI thread each). A resize that changes the width still wraps again, as it must."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.document._wrapped_document import WrappedDocument

from deskwork.ui.panes.draft_editing import tall
from deskwork.ui.widgets.text_rows import RowCachedTextArea
from tests.helpers import Clock
from tests.ui.test_draft_pane import draft_app


def test_tall_is_a_lower_bound_of_the_rows() -> None:
    assert tall("a\n" * 40, 80, 40) and not tall("a\n" * 38, 80, 40)
    assert tall("x" * 3300, 80, 40) and not tall("x" * 3000, 80, 40)


async def test_a_long_draft_is_wrapped_once_on_opening(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    widths: list[int] = []
    wrap = WrappedDocument.wrap

    def fresh_height(text: RowCachedTextArea) -> int:
        """The rows of the text wrapped afresh at its width (not counted)."""
        monkeypatch.setattr(WrappedDocument, "wrap", wrap)
        try:
            return WrappedDocument(text.document, width=text.wrap_width).height
        finally:
            monkeypatch.setattr(WrappedDocument, "wrap", counted)

    def counted(self: WrappedDocument, width: int, tab_width: int | None = None) -> None:
        if width and len(self.document.lines) > 100:
            widths.append(width)
        wrap(self, width, tab_width)

    monkeypatch.setattr(WrappedDocument, "wrap", counted)
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        body = ("a few words on a long line that wraps " * 4 + "\n") * 400
        draft = app.drafts.create("Long", body)
        short = app.drafts.create("Short", "two lines\nonly")
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        await pilot.pause()
        text = app.query_one("#draft-text", RowCachedTextArea)
        assert text.has_class("-long") and text.show_vertical_scrollbar
        assert widths == [text.wrap_width]  # once, at the width it shows at
        assert text.wrapped_document.height == fresh_height(text) > 400  # as a fresh wrap
        await pilot.resize_terminal(120, 30)  # the height alone: sized, not wrapped again
        await pilot.pause()
        assert len(widths) == 1
        await pilot.resize_terminal(90, 30)  # narrower: wrapped again, to the new width
        await pilot.pause()
        assert len(widths) > 1 and widths[-1] == text.wrap_width != widths[0]
        assert text.wrapped_document.height == fresh_height(text)
        await pilot.press("escape")
        await app.draft_pane.open_draft(short.id)
        await pilot.pause()
        assert not text.has_class("-long")  # a short text keeps every column
