"""The draft editor's word count and open questions, kept edit by edit, always equal a full
recount of the text: after any edits (hypothesis), and after typing, undo and redo in the app."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain.drafts import QUESTION_MARK, count_words
from deskwork.domain.line_tally import LineTally, question_text
from deskwork.ui.widgets.editor import TalliedDocument
from tests.helpers import Clock
from tests.ui.test_shell import make_app

PIECES = st.sampled_from(
    ["a", "b c", " ", "\n", "\n\n", "TODO:", "?", "??", "\t", "word\u2003x", ""]
)
TEXT = st.lists(PIECES, max_size=30).map("".join)


def recount(text: str) -> tuple[int, list[tuple[int, str]]]:
    lines = text.split("\n")
    questions = [(n, line.strip()) for n, line in enumerate(lines, 1) if QUESTION_MARK.search(line)]
    return count_words(text), questions


def location(document: TalliedDocument, row: int, column: int) -> tuple[int, int]:
    row %= document.line_count
    return row, column % (len(document[row]) + 1)


@settings(max_examples=300, deadline=None)
@given(
    TEXT,
    st.lists(
        st.tuples(
            st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), TEXT
        ),
        max_size=12,
    ),
)
def test_the_tally_after_any_edits_equals_a_full_recount(
    text: str, edits: list[tuple[int, int, int, int, str]]
) -> None:
    document = TalliedDocument(text)
    document.tally = tally = LineTally(document.lines)
    previous = tally.questions(document.lines)
    for row, column, end_row, end_column, inserted in edits:
        start = location(document, row, column)
        end = location(document, end_row, end_column)
        document.replace_range(start, end, inserted)
        words, questions = recount(document.text)
        assert tally.words == words
        changed = tally.questions_changed
        listed = tally.questions(document.lines)
        assert listed == questions
        if not changed:  # "unchanged" is only said when nothing in the list moved
            assert listed == previous
        previous = listed
    assert tally.words == count_words(document.text)


async def test_typing_undo_and_redo_keep_the_status_equal_to_a_recount(
    tmp_path: Path, clock: Clock
) -> None:
    from deskwork.ui.widgets.editor import WindowedTextArea

    app = make_app(tmp_path, clock)
    body = "# Post\n\nsome words here TODO: check\n\nmore ?? words\n" * 50
    async with app.run_test(size=(200, 40)) as pilot:
        draft = app.drafts.create("Post", body)
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        editor = app.query_one("#draft-text", WindowedTextArea)
        editor.move_cursor((2, 4))
        await pilot.press("enter", "x", "space", "?", "?", "enter", "backspace", "ctrl+z")
        await pilot.press("ctrl+z", "ctrl+y", "T", "O", "D", "O", ":")
        editor.move_cursor((1, 0))
        editor.selection = editor.selection.__class__((1, 0), (9, 3))
        await pilot.press("backspace", "ctrl+z")
        app.draft_pane.autosave_tick(clock())
        await pilot.pause()
        words, questions = recount(editor.text)
        status = str(app.draft_pane.query_one("#draft-status").render())
        assert f"{words} words" in status and f"{len(questions)} open" in status
        listing = app.draft_pane.query_one("#draft-questions")
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert shown == [f"{n}: {question_text(line)}" for n, line in questions]


def test_the_question_shown_is_the_sentence_holding_its_mark() -> None:
    paragraph = "gradient embedding eigenvalue " * 40
    assert question_text(paragraph + "TODO: check this") == "TODO: check this"
    assert question_text(paragraph + "TODO: check this. And more prose.") == "TODO: check this."
    assert question_text("Intro. Why does it converge?? Then prose.") == "Why does it converge??"
    assert question_text("Intro. Is it convex? ??") == "Is it convex? ??"
    assert question_text("- TODO: cite Smith") == "TODO: cite Smith"
    assert question_text("??") == "??"
    long_ask = question_text(paragraph + "so why??")
    assert len(long_ask) == 60 and long_ask.endswith("so why??") and long_ask[0] == "\u2026"
    long_todo = question_text("TODO: " + paragraph)
    assert len(long_todo) == 60 and long_todo.startswith("TODO: gradient")


async def test_a_question_at_the_end_of_a_long_paragraph_is_listed_by_its_text(
    tmp_path: Path, clock: Clock
) -> None:
    app = make_app(tmp_path, clock)
    paragraph = "gradient embedding embedding eigenvalue " * 60
    async with app.run_test(size=(220, 40)) as pilot:
        draft = app.drafts.create("Long", paragraph)
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        from deskwork.ui.widgets.editor import WindowedTextArea

        editor = app.query_one("#draft-text", WindowedTextArea)
        editor.move_cursor((0, len(paragraph)))
        await pilot.press(*"TODO: check this")
        app.draft_pane.autosave_tick(clock())
        await pilot.pause()
        listing = app.draft_pane.query_one("#draft-questions")
        assert str(listing.get_option_at_index(0).prompt) == "1: TODO: check this"
