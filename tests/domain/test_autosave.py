"""Autosave timing with a fake clock: at most `delay` after the first unsaved keystroke."""

from __future__ import annotations

from datetime import timedelta

from deskwork.domain.autosave import Autosave
from deskwork.domain.drafts import open_questions, reading_minutes, slugify
from tests.helpers import T0


def test_saves_after_a_pause_and_during_continuous_typing() -> None:
    a = Autosave(1.5)
    assert not a.dirty and not a.due(T0)
    a.edited(T0)
    for tenth in range(1, 15):  # typing without a pause for 1.4 s: not yet
        a.edited(T0 + timedelta(seconds=tenth / 10))
        assert not a.due(T0 + timedelta(seconds=tenth / 10))
    assert a.due(T0 + timedelta(seconds=1.5)), "continuous typing still saves every 1.5 s"
    a.saved()
    assert not a.dirty and not a.due(T0 + timedelta(hours=1))


def test_draft_text_helpers() -> None:
    assert slugify("Week 7: Attention — is all you need?") == "week-7-attention-is-all-you-need"
    assert reading_minutes(0) == 0 and reading_minutes(1) == 1 and reading_minutes(461) == 3
    body = "intro\nTODO: explain backprop\nfine\nwhy does this work ??\n"
    assert open_questions(body) == [(2, "TODO: explain backprop"), (4, "why does this work ??")]
