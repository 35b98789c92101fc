"""The UI keeps up: keys pressed faster than they are handled end where the last one says, and the
work done per keystroke does not depend on the size of the document (what the stall meter in
benchmarks/stall.py measures; no timings here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Tabs

from tests.helpers import Clock
from tests.ui.test_shell import make_app


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])  # with the tabs row and without it
async def test_area_keys_queued_faster_than_handled_settle_on_the_last(
    tmp_path: Path, clock: Clock, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in ("f2", "f3", "f4", "f5", "f3", "f4"):  # all queued before any is handled
            app.post_message(events.Key(key, None))
        for _ in range(3):
            await pilot.pause()
        tabs = list(app.query("#pane-tabs").results(Tabs))
        seen = set()
        for _ in range(8):  # stale tab activations used to flip the areas back and forth for ever
            await pilot.pause(0.02)
            seen.add((tuple(t.active for t in tabs), app._focused_pane(), app._current_pane))
        shown = ("tab-review",) if size == (80, 24) else ()  # the four-area desk has no tabs
        assert seen == {(shown, "review", "review")}


LONG_POST = "# A long post\n\n" + "gradient descent, **bold** and `code`; TODO: check ??\n\n" * 3000


async def test_a_keystroke_in_a_long_draft_leaves_the_parse_and_the_counts_for_later(
    tmp_path: Path, clock: Clock
) -> None:
    from deskwork.ui.widgets.editor import MARGIN_LINES, DeferredSyntaxDocument, WindowedTextArea

    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        draft = app.drafts.create("Long", LONG_POST)
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        await app.workers.wait_for_complete()  # the first parse of a long text: on a worker
        await pilot.pause()
        editor = app.query_one("#draft-text", WindowedTextArea)
        document = editor.document
        assert isinstance(document, DeferredSyntaxDocument)
        # Highlights exist for what is on screen, and only around it.
        window = editor.highlight_window
        assert window is not None and window[0] <= editor.cursor_location[0] <= window[1]
        editor.move_cursor((0, 0))  # to the top (the draft opens where the cursor was left)
        editor.scroll_home(animate=False)
        await pilot.pause()
        window = editor.highlight_window
        assert window is not None and window[0] == 0
        assert window[1] - window[0] <= editor.size.height + 2 * MARGIN_LINES
        assert document.line_count > 5000
        assert {name for *_, name in editor._highlights[0]} == {"heading.marker", "heading"}
        status = app.draft_pane.query_one("#draft-status")
        counted: list[str] = []
        show_status = app.draft_pane._show_status
        app.draft_pane._show_status = lambda text=None: counted.append(text or "")  # type: ignore[method-assign]
        assert app._ticker is not None
        app._ticker.pause()
        await pilot.press("enter", "#", " ", "N", "e", "w")
        # The keystrokes neither reparsed the document nor counted its words.
        assert document.stale and counted == []
        app.draft_pane._show_status = show_status  # type: ignore[method-assign]
        app.draft_pane.autosave_tick(clock())  # the tick does, once (counting on a worker)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "unsaved" in str(status.render())
        assert f"{len(LONG_POST.split()) + 1:,} words" in str(status.render())
        editor.reparse_now()
        await pilot.pause()
        assert not document.stale
        assert {name for *_, name in editor._highlights[1]} == {"heading.marker", "heading"}
        # What is saved is what was typed.
        await pilot.press("escape")
        assert app.drafts.get(draft.id).body == "\n# New" + LONG_POST


def test_the_snapshot_reader_gives_tree_sitter_what_textuals_own_reader_gives() -> None:
    from textual._tree_sitter import get_language
    from textual.document._syntax_aware_document import SyntaxAwareDocument

    from deskwork.ui.widgets.editor import line_reader

    language = get_language("markdown")
    assert language is not None
    from tree_sitter import Parser

    for text, newline in (
        ("# Título ünïcode\n\n- a `b`\n- **c** ??\n\n```py\nx = 1\n```\n", "\n"),
        ("# Title\r\n\r\nsome *text*\r\n", "\r\n"),
        ("", "\n"),
    ):
        textual = SyntaxAwareDocument(text, language)
        assert textual.newline == newline
        parsed = Parser(language).parse(line_reader(list(textual.lines), newline))
        assert str(parsed.root_node) == str(textual._syntax_tree.root_node)


async def test_a_pause_in_typing_brings_the_highlights_up_to_date_from_a_worker(
    tmp_path: Path, clock: Clock
) -> None:
    from deskwork.ui.widgets.editor import (
        REPARSE_AFTER_S,
        DeferredSyntaxDocument,
        UnparsedSyntaxDocument,
        WindowedTextArea,
    )

    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        draft = app.drafts.create("Long", LONG_POST)
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        editor = app.query_one("#draft-text", WindowedTextArea)
        # Opened unparsed (no freeze for the first parse): the parse follows on a worker.
        assert isinstance(editor.document, UnparsedSyntaxDocument) and editor.document.stale
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not editor.document.stale
        editor.move_cursor((0, 0))
        editor.scroll_home(animate=False)
        await pilot.pause()
        assert {name for *_, name in editor._highlights[0]} == {"heading.marker", "heading"}
        document = editor.document
        assert isinstance(document, DeferredSyntaxDocument)
        tree = document._syntax_tree
        await pilot.press("enter", "#", " ", "N", "e", "w")
        assert document.stale and document._syntax_tree is tree
        for _ in range(100):  # the pause (REPARSE_AFTER_S), then the parse on its worker
            await pilot.pause(REPARSE_AFTER_S / 4)
            await app.workers.wait_for_complete()
            if not document.stale:
                break
        await pilot.pause()
        assert not document.stale and document._syntax_tree is not tree
        assert {name for *_, name in editor._highlights[1]} == {"heading.marker", "heading"}
        # Typed into while a parse runs: that tree is taken, and the document stays stale.
        editor._reparse_timer = None
        await pilot.press("x")
        parse, edits = document.parse_job(), document.edits
        await pilot.press("y")
        editor._parsed(document, parse(), edits)
        assert document.stale and editor._reparse_timer is not None
