"""Pilot tests of the draft area: create, type with autosave, metadata, trash, revisions, citing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Markdown, OptionList, TextArea

from deskwork.domain.curriculum import Item, ItemStatus
from deskwork.services import Desk
from deskwork.ui.app import DeskworkApp
from deskwork.ui.panes.draft_editing import saved_at, status_line
from deskwork.ui.screens.draft_dialogs import (
    ConfirmScreen,
    MetadataScreen,
    NewDraftScreen,
    RevisionsScreen,
)
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app, ticks


def draft_app(tmp_path: Path, clock: Clock, config: str = "") -> DeskworkApp:
    paper = Item(
        title="Attention Is All You Need",
        url="https://arxiv.org/abs/1706.03762",
        status=ItemStatus.ACTIVE,
        added=T0,
    )
    return desk_app(tmp_path, clock, config, [paper])


async def new_draft(pilot: object, title: str) -> None:
    await pilot.press("f5", "n")  # type: ignore[attr-defined]
    await pilot.press(*title, "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_new_draft_typing_autosaves_within_the_delay(tmp_path: Path, clock: Clock) -> None:
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5", "n")
        assert isinstance(app.screen, NewDraftScreen)
        await pilot.press(*"Week 1", "enter")
        await pilot.pause()
        editor = app.query_one("#draft-text", TextArea)
        assert app.focused is editor
        await pilot.press(*"Hello world. TODO: cite")
        draft_id = app.draft_pane.editing.id  # type: ignore[union-attr]
        assert app.drafts.get(draft_id).body == "", "not yet: no delay has passed"
        clock.advance(seconds=1.6)
        await ticks(pilot)  # autosave runs on the ticker
        await pilot.pause()
        assert app.drafts.get(draft_id).body == "Hello world. TODO: cite"
        assert app.draft_pane.has_class("-narrow"), "a quarter of 120 columns: no questions column"
        await pilot.resize_terminal(220, 40)  # room for it: it shows, listing the questions
        await pilot.pause()
        assert not app.draft_pane.has_class("-narrow")
        questions = app.query_one("#draft-questions", OptionList)
        assert str(questions.get_option_at_index(0).prompt) == "1: TODO: cite"
        await pilot.press(*" more")
        await pilot.press("escape")  # leaving the editor saves at once
        assert app.drafts.get(draft_id).body == "Hello world. TODO: cite more"
        assert app.draft_pane.editing is None


async def test_a_long_title_is_cut_with_an_ellipsis_and_the_figures_stay_in_sight(
    tmp_path: Path, clock: Clock
) -> None:
    long_title = "Attention from the ground up: queries, keys, values and what the heads learn"
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        short = app.drafts.create("Week 1")
        draft = app.drafts.create(long_title, "one two three")
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        status = app.draft_pane.query_one("#draft-status")
        shown = str(status.render()).rstrip()
        # A quarter of 120 columns: the title gets what the figures leave, at least 24 cells;
        # the figures that do not fit go (the reading time first), the save state stays in sight
        saved = f"saved {draft.updated.astimezone():%H:%M:%S}"
        assert shown.startswith(long_title[:24]) and shown.endswith(f"… · 3 words · {saved}")
        assert "min read" not in shown and len(shown) <= status.size.width
        await pilot.resize_terminal(240, 40)  # a wider area: still at most 40 cells of title
        await pilot.pause()
        shown = str(status.render()).rstrip()
        assert shown.startswith(long_title[:39] + "… · 3 words")
        assert shown.endswith(f"saved {draft.updated.astimezone():%H:%M:%S}")
        await pilot.press("escape")
        await app.draft_pane.open_draft(short.id)
        await pilot.pause()
        assert str(status.render()).startswith("Week 1 · 0 words")  # a short title: whole


async def test_pane_switch_and_quit_save(tmp_path: Path, clock: Clock) -> None:
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_draft(pilot, "Notes")
        await pilot.press(*"abc")
        await pilot.press("f2")
        draft = app.drafts.listing()[0]
        assert draft.body == "abc"
        await pilot.press("f5")
        await pilot.press(*"def")
        await pilot.press("ctrl+q")
    assert Desk.open(app.desk.paths, readonly=True).store.drafts.get(draft.id).body == "abcdef"  # type: ignore[union-attr]


async def test_metadata_delete_trash_restore(tmp_path: Path, clock: Clock) -> None:
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_draft(pilot, "Draft one")
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, MetadataScreen)
        title = app.screen.query_one("#title")
        title.value = "Week 7 of my masters"  # type: ignore[attr-defined]
        app.screen.query_one("#tags").value = "ml, blog"  # type: ignore[attr-defined]
        app.screen.query_one("#date").value = "2026-13-01"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MetadataScreen), "a bad date keeps the dialog open"
        app.screen.query_one("#date").value = "2026-11-30"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        draft = app.drafts.listing()[0]
        assert (draft.title, draft.tags, draft.effective_slug) == (
            "Week 7 of my masters",
            ["ml", "blog"],
            "week-7-of-my-masters",
        )
        assert draft.date is not None and draft.date.date().isoformat() == "2026-11-30"
        await pilot.press("escape", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert app.drafts.listing() == [] and len(app.drafts.listing(trash=True)) == 1
        await pilot.press("t")
        assert app.draft_pane.showing_trash
        await pilot.press("u")
        assert [d.title for d in app.drafts.listing()] == ["Week 7 of my masters"]


async def test_revisions_dialog_restores(tmp_path: Path, clock: Clock) -> None:
    app = draft_app(tmp_path, clock, "[drafts]\nrevision_every_minutes = 1\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await new_draft(pilot, "Rev")
        await pilot.press(*"first")
        clock.advance(seconds=2)
        await ticks(pilot)  # autosave runs on the ticker
        clock.advance(minutes=2)
        await pilot.press("ctrl+a", *"second")  # ctrl+a: start of the line
        clock.advance(seconds=2)
        await ticks(pilot)  # autosave runs on the ticker
        draft_id = app.draft_pane.editing.id  # type: ignore[union-attr]
        assert app.drafts.get(draft_id).body == "secondfirst"
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RevisionsScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.drafts.get(draft_id).body == "first"
        assert app.query_one("#draft-text", TextArea).text == "first"


async def test_cite_the_selected_queue_item_and_preview(tmp_path: Path, clock: Clock) -> None:
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")  # selects the queue's first item
        await new_draft(pilot, "Transformers")
        await pilot.press(*"See ", "ctrl+l")
        await pilot.pause()
        draft = app.drafts.listing()[0]
        assert draft.body == "See [Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
        assert [s.title for s in draft.sources] == ["Attention Is All You Need"]
        await pilot.press("ctrl+g")
        preview = app.query_one("#draft-preview", Markdown)
        text = app.query_one("#draft-text", TextArea)
        assert preview.display and text.display, "beside the text"
        await pilot.press("ctrl+g")
        assert preview.display and not text.display, "swapped in"
        await pilot.press("ctrl+g")
        assert not preview.display and text.display and app.focused is text
        await pilot.press("f8")
        assert app.screen.maximized is app.query_one("#draft-text")
        await pilot.press("escape")
        assert app.screen.maximized is None


async def test_untrusted_titles_in_the_list_are_plain_text(tmp_path: Path, clock: Clock) -> None:
    app = draft_app(tmp_path, clock)
    app.drafts.create("[b]bold?[/b] \x1b[31mred")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listing = app.query_one("#draft-list", OptionList)
        prompt = str(listing.get_option_at_index(0).prompt)
        assert prompt.startswith("[b]bold?[/b] red") and "\x1b" not in prompt


async def test_f6_starts_the_timer_even_while_writing(tmp_path: Path, clock: Clock) -> None:
    from deskwork.domain.timer import Status

    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_draft(pilot, "Focus")
        await pilot.press("f6")
        assert app.timer.service.state.status is Status.RUNNING
        assert app.query_one("#draft-text", TextArea).text == ""


async def test_cite_a_flashcard_as_a_source(tmp_path: Path, clock: Clock) -> None:
    from tests.helpers import make_card

    app = draft_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card("What does the softmax in attention normalise?"))
        tx.put("cards", make_card("Rank of a projection matrix?"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the cards load in the background
        assert app.desk.store.cards.loaded
        await new_draft(pilot, "Attention")
        await pilot.press("ctrl+b")
        await pilot.press(*"softmax", "enter")
        await pilot.pause()
        [source] = app.drafts.listing()[0].sources
        assert (source.kind.value, source.title) == (
            "card",
            "What does the softmax in attention normalise?",
        )
        exported = app.drafts.export(app.drafts.listing()[0].id, "hugo", tmp_path / "out")
        assert "- What does the softmax in attention normalise?" in exported.read_text()


async def test_a_reopened_draft_puts_the_cursor_back_and_a_citation_keeps_the_heading(
    tmp_path: Path, clock: Clock
) -> None:
    """Bug 11: a reopened draft had its cursor at 1:0, so Ctrl+L glued the link onto the heading
    (`[MIT 18.06…](…)# Why the SVD`)."""
    app = draft_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put("drafts", make_draft("SVD", "# Why the SVD\n\nIt factors any matrix.", clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "f5", "enter")  # open the draft
        await pilot.pause()
        text = app.query_one("#draft-text", TextArea)
        assert text.cursor_location == (2, 22), "a draft never opened before: at the end"
        text.move_cursor((2, 3))
        await pilot.press("escape")  # close the editor
        await pilot.press("enter")
        await pilot.pause()
        assert text.cursor_location == (2, 3), "reopened where the cursor was"
        text.move_cursor((0, 0))
        await pilot.press("ctrl+l")
        await pilot.pause()
        link = "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
        body = app.drafts.listing()[0].body
        assert body.startswith(f"{link}\n\n# Why the SVD\n"), body
        await pilot.press("q")
    # the cursor survives a restart too
    again = DeskworkApp(Desk.open(app.desk.paths, clock=clock), show_clock=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5", "enter")
        await pilot.pause()
        row, _ = again.query_one("#draft-text", TextArea).cursor_location
        assert row == 2, "after the inserted link and its blank line"
        await pilot.press("q")


def make_draft(title: str, body: str, clock: Clock) -> object:
    from deskwork.domain.drafts import Draft, DraftStatus

    return Draft(
        title=title, body=body, status=DraftStatus.DRAFT, created=clock.now, updated=clock.now
    )


async def test_the_list_shows_the_word_count_of_the_text_just_edited(
    tmp_path: Path, clock: Clock
) -> None:
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        draft = app.drafts.create("Long", " ".join(["word"] * 1500))
        await pilot.press("f5")
        app.draft_pane.refresh_list()
        await pilot.pause()
        listing = app.query_one("#draft-list", OptionList)
        assert "1,500 words" in str(listing.get_option_at_index(0).prompt)
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        await pilot.press("ctrl+end", *" more words typed here")
        await pilot.pause()
        editor = app.query_one("#draft-text", TextArea)
        assert editor.text.endswith("word more words typed here"), (app.focused, editor.text[-40:])
        await pilot.press("escape")
        await pilot.pause()
        assert app.drafts.get(draft.id).words == 1504
        prompt = str(listing.get_option_at_index(0).prompt)
        assert "1,504 words" in prompt, prompt


async def test_the_side_column_fits_the_width_the_desk_starts_at(
    tmp_path: Path, clock: Clock
) -> None:
    """The draft area starts in its narrow layout (most terminals) and a wide one takes it off."""
    for size, narrow in (((240, 40), False), ((120, 40), True)):
        app = draft_app(tmp_path / str(size[0]), clock)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert app.draft_pane.has_class("-narrow") is narrow


async def test_an_autosave_writes_the_text_and_the_cursor_in_one_durable_line(
    tmp_path: Path, clock: Clock
) -> None:
    """Each durable write is an fsync on the UI thread (tens of ms on a busy disk: the worst
    stall of typing into a long draft). The autosave wrote the cursor's place, then the text."""
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_draft(pilot, "Week 1")
        store = app.desk.store
        journal = store.data_dir / store.manifest.journal
        lines = journal.read_bytes().count(b"\n")
        await pilot.press(*"Hello world")
        clock.advance(seconds=1.6)
        await ticks(pilot)  # autosave runs on the ticker
        await pilot.pause()
        draft_id = app.draft_pane.editing.id  # type: ignore[union-attr]
        assert app.drafts.get(draft_id).body == "Hello world"
        assert app.drafts.cursor(draft_id) == [0, 11]
        assert journal.read_bytes().count(b"\n") == lines + 1
        await pilot.press("left", "left", "escape")  # leaving: the cursor alone, no text to save
        assert app.drafts.cursor(draft_id) == [0, 9]
        assert journal.read_bytes().count(b"\n") == lines + 2


async def test_ctrl_home_and_end_go_to_the_draft_s_ends_and_select_with_shift(
    tmp_path: Path, clock: Clock
) -> None:
    """Ctrl+Home / Ctrl+End (Alt+Home / Alt+End where the terminal keeps the chord), with Shift
    selecting from the cursor; all rebindable (`draft.document_start` …)."""
    app = draft_app(
        tmp_path, clock, '[keys]\n"draft.document_end" = "ctrl+end,alt+end,ctrl+shift+down"\n'
    )
    async with app.run_test(size=(120, 40)) as pilot:
        draft = app.drafts.create("Notes", "first line\nsecond line\nthird")
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        editor = app.query_one("#draft-text", TextArea)
        assert app.focused is editor
        editor.move_cursor((1, 3))
        await pilot.press("ctrl+end")
        assert editor.cursor_location == (2, 5)
        await pilot.press("ctrl+home")
        assert editor.cursor_location == (0, 0)
        await pilot.press("ctrl+shift+down")  # the key from the config
        assert editor.cursor_location == (2, 5)
        await pilot.press("alt+home")
        assert editor.cursor_location == (0, 0) and editor.selected_text == ""
        editor.move_cursor((1, 6))
        await pilot.press("ctrl+shift+end")
        assert editor.selected_text == " line\nthird"
        editor.move_cursor((1, 6))
        await pilot.press("alt+shift+home")
        assert editor.selected_text == "first line\nsecond"
        await pilot.press("alt+end")
        assert editor.cursor_location == (2, 5) and editor.selected_text == ""
        assert editor.text == "first line\nsecond line\nthird", "moving never types"
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Draft start", "Draft end", "Select to draft start"} <= palette


async def test_a_draft_saved_on_another_day_says_the_date(tmp_path: Path, clock: Clock) -> None:
    app = draft_app(tmp_path, clock)
    draft = app.drafts.create("Week 1 notes", "one two three")  # saved at T0: Fri 20 Nov 09:30
    clock.advance(days=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await app.draft_pane.open_draft(draft.id)
        await pilot.pause()
        shown = str(app.draft_pane.query_one("#draft-status").render()).rstrip()
        assert shown.endswith("saved Fri 20 Nov 09:30"), shown


def test_the_status_row_keeps_the_save_state_and_drops_the_least_needed_first() -> None:
    figures = [("120 words", 3), ("1 min read", 1), ("2 open", 2)]
    wide = str(status_line("Notes", figures, "saved 10:00:00", 100))
    assert wide == "Notes · 120 words · 1 min read · 2 open · saved 10:00:00"
    for width in range(20, 70):
        row = str(status_line("A title of thirty characters!!", figures, "saved 10:00:00", width))
        assert len(row) <= width
        assert row.endswith("saved 10:00:00"), (width, row)
        if "1 min read" in row:
            assert "2 open" in row and "120 words" in row  # the reading time went first
        if "2 open" in row:
            assert "120 words" in row
    now = T0.replace(hour=18)
    assert saved_at(T0, now) == "09:30:00"
    assert saved_at(T0, now + timedelta(days=2)) == "Fri 20 Nov 09:30"
    assert saved_at(T0, now.replace(year=2027)) == "20 Nov 2026"
