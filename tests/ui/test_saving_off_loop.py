"""Saves off the event loop on a slow disk (journal.SLOW_DISK_S holds each fsync): while a grade
is being saved the loop runs on and its card stays; a key typed meanwhile lands on the next card,
shown once the grade is durable; a grade or an autosave that fails is told, and nothing of it is
saved or shown as done (the card stays unanswered, the text stays in the editor, unsaved)."""

from __future__ import annotations

import errno
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static, TextArea

from deskwork.store import journal
from deskwork.ui.app import DeskworkApp
from deskwork.ui.screens.card_dialogs import CardScreen
from tests.helpers import Clock
from tests.ui.factory import quick_capture, ready
from tests.ui.test_draft_pane import draft_app, new_draft
from tests.ui.test_review_pane import review_app, text_of


def _eio(*args: object) -> None:
    raise OSError(errno.EIO, "Input/output error")


async def _until(pilot: Any, done: Any, limit: int = 400) -> None:
    for _ in range(limit):
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


def _messages(app: DeskworkApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def test_the_loop_runs_while_a_grade_is_saved_and_a_key_typed_meanwhile_lands_next(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = review_app(tmp_path, clock, cards=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "space")
        ticks: list[int] = []
        app.set_interval(0.01, lambda: ticks.append(1))
        monkeypatch.setattr(journal, "SLOW_DISK_S", 0.4)
        await pilot.press("3", "space")  # Good, then Space at once: held until the next card
        pane = app.review_pane
        assert pane.saving, "the grade is still on its way to disk"
        assert text_of(app, "#review-question") == "question 00", "not shown done yet"
        assert app.desk.store.reviews.count() == 0
        before = len(ticks)
        await _until(pilot, lambda: not pane.saving)
        assert len(ticks) - before >= 5, "the loop waited for the fsync"
        monkeypatch.setattr(journal, "SLOW_DISK_S", 0.0)
        await pilot.pause(0.05)
        assert app.desk.store.reviews.count() == 1
        assert text_of(app, "#review-question") == "question 01"
        assert pane.revealed, "the Space typed during the save showed the next card's answer"
        assert text_of(app, "#review-answer") == "answer 01"


async def test_a_grade_that_cannot_be_saved_leaves_its_card_unanswered_and_says_why(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = review_app(tmp_path, clock, cards=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "space")
        monkeypatch.setattr(journal, "SLOW_DISK_S", 0.05)
        monkeypatch.setattr(journal.os, "fdatasync", _eio)
        await pilot.press("3")
        await _until(pilot, lambda: not app.review_pane.saving)
        await pilot.pause()
        assert app.desk.store.reviews.count() == 0
        assert text_of(app, "#review-question") == "question 00", "the card stays"
        assert app.write_guard.failure and "Input/output error" in app.write_guard.failure
        assert "nothing was saved" in _messages(app)
        assert app.review_pane.session is not None and not app.review_pane.session.undo_stack


async def test_typing_goes_on_while_the_autosave_is_saved(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_draft(pilot, "Week 1")
        pane = app.draft_pane
        draft_id = pane.editing.id  # type: ignore[union-attr]
        await pilot.press(*"Hello")
        gate = _gate(monkeypatch)
        clock.advance(seconds=1.6)
        await _until(pilot, lambda: pane._saving is not None)
        status = str(app.query_one("#draft-status", Static).render())
        assert "saving…" in status
        await pilot.press(*" world")  # typed while the fsync waits
        assert app.query_one("#draft-text", TextArea).text == "Hello world"
        assert pane._saving is not None
        assert app.drafts.get(draft_id).body == "", "visible only once durable"
        gate.set()
        await _until(pilot, lambda: pane._saving is None)
        assert app.drafts.get(draft_id).body == "Hello"
        assert pane.autosave.dirty, "what was typed during the save is still unsaved"
        monkeypatch.setattr(journal, "SLOW_DISK_S", 0.0)
        clock.advance(seconds=1.6)
        await _until(pilot, lambda: not pane.autosave.dirty and pane._saving is None)
        assert app.drafts.get(draft_id).body == "Hello world"


async def test_an_autosave_that_fails_keeps_the_text_unsaved_and_it_is_printed_at_quit(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = draft_app(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_draft(pilot, "Week 1")
        pane = app.draft_pane
        draft_id = pane.editing.id  # type: ignore[union-attr]
        await pilot.press(*"Keep me")
        monkeypatch.setattr(journal, "SLOW_DISK_S", 0.05)
        monkeypatch.setattr(journal.os, "fdatasync", _eio)
        clock.advance(seconds=1.6)
        await _until(pilot, lambda: pane._saving is not None)
        await _until(pilot, lambda: pane._saving is None)
        assert pane.autosave.dirty, "not saved: still unsaved"
        assert app.query_one("#draft-text", TextArea).text == "Keep me"
        assert app.drafts.get(draft_id).body == ""
        await pilot.pause()
        assert app.write_guard.failure and "Input/output error" in _messages(app)
        await pilot.press("ctrl+q")  # the last save fails too: the text is printed on exit
    assert "Keep me" in app.day_end_text and "Input/output error" in app.day_end_text


def _gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Each fsync waits until the test sets the event (and the bare Pilot: tests/ui/conftest)."""
    gate = threading.Event()
    real = journal.os.fdatasync

    def held(fd: int) -> None:
        gate.wait(5)
        real(fd)

    monkeypatch.setattr(journal, "SLOW_DISK_S", 0.001)
    monkeypatch.setattr(journal.os, "fdatasync", held)
    return gate


async def test_a_new_card_closes_its_dialog_once_durable_and_a_failed_one_keeps_the_text(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = review_app(tmp_path, clock, cards=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await quick_capture(pilot)
        await pilot.press(*"KL?")
        gate = _gate(monkeypatch)
        await pilot.press("ctrl+s")
        assert app.screen is screen, "open until the card is durable"
        assert "Saving" in str(screen.query_one("#card-error", Static).render())
        assert not app.desk.store.cards.all()
        gate.set()
        await _until(pilot, lambda: app.screen is not screen)
        [card] = app.desk.store.cards.all()
        assert card.front == "KL?"
        await pilot.pause()
        assert "Added 1 card" in _messages(app)

        screen = await quick_capture(pilot)
        await pilot.press(*"Lost?")
        monkeypatch.setattr(journal.os, "fdatasync", _eio)
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: getattr(screen, "_saving", None) is None)
        assert app.screen is screen and isinstance(screen, CardScreen), "the dialog stays"
        assert screen.draft().fields[0] == "Lost?", "what was typed is kept"
        assert "Not saved" in str(screen.query_one("#card-error", Static).render())
        assert len(app.desk.store.cards.all()) == 1
        assert app.write_guard.failure is not None
