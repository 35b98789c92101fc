"""A card holding a very long text (a 100 KB paste) on the review pane: its lines are the ones a
Static shows, worked out in slices with the loop running between them (ui/widgets/long_text.py).
Order of events, not timing."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from deskwork.ui.widgets import long_text
from deskwork.ui.widgets.long_text import LongStatic, Wrapping
from tests.helpers import Clock, make_card
from tests.ui.factory import desk_app, ready

PIECES = ["a", "bb", " ", "  ", "\n", "\n\n", "wordlongerthananyline", "界", "界界界 ", "x\u0301"]


def wrapped(text: str, width: int, budget: int) -> list[str]:
    wrapping = Wrapping(text, width)
    while not wrapping.advance(budget):
        pass
    return [text[start:end].rstrip() for start, end in wrapping.lines]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.integers(2, 16),
    st.integers(1, 9),
)
def test_the_lines_are_the_ones_textual_wraps_whatever_the_slices(
    text: str, width: int, budget: int
) -> None:
    textual = [line.plain.rstrip() for line in Content(text).wrap(width)]
    assert wrapped(text, width, budget) == textual


def screen_text(widget: LongStatic, rows: range) -> list[str]:
    return ["".join(s.text for s in widget.render_line(y)).rstrip() for y in rows]


async def test_a_long_card_is_wrapped_in_slices_between_frames_and_shown_whole(
    tmp_path: Path, monkeypatch: object
) -> None:
    words = [f"w{i}" for i in range(12_000)]  # ~75 KB, one paragraph: slices of 2,000 words
    front = "START " + " ".join(words) + " END"
    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        tx.put("cards", make_card(front, back="short"))
    events: list[str] = []
    advance = Wrapping.advance

    def logged(self: Wrapping, budget: int) -> bool:
        done = advance(self, budget)
        step = "slice" if budget == long_text.SLICE_WORDS else "first"
        events.append(f"{step} {len(self.lines)} {done}")
        return done

    monkeypatch.setattr(Wrapping, "advance", logged)  # type: ignore[attr-defined]
    loop = asyncio.get_running_loop()

    def tick() -> None:  # a loop callback: the loop ran between two slices
        if events and events[-1] != "loop":
            events.append("loop")
        if not any(e.endswith("True") for e in events):  # till the text is wrapped
            loop.call_soon(tick)

    loop.call_soon(tick)
    async with app.run_test(size=(100, 30)) as pilot:
        question = app.review_pane.query_one("#review-question", LongStatic)
        await ready(pilot)
        for _ in range(100):
            if question._long is not None and question.wrapped:
                break
            await pilot.pause()
        await pilot.pause()
        slices = [e for e in events if e.startswith("slice")]
        # the first screenful at once, then slices with the loop running between each two
        assert events[0].startswith("first") and len(slices) >= 3
        assert slices[-1].endswith("True") and events[-2] == slices[-1]
        assert all(e.endswith("False") for e in slices[:-1])
        worker = [e for e in events if not e.startswith("first")]
        assert all(
            not (a.startswith("slice") and b.startswith("slice"))
            for a, b in itertools.pairwise(worker)
        ), worker
        width = question.size.width
        expected = [line.plain.rstrip() for line in Content(front).wrap(width)]
        assert question.size.height == len(expected) > 100
        assert screen_text(question, range(3)) == expected[:3]
        last = range(len(expected) - 2, len(expected))
        assert screen_text(question, last) == expected[-2:]
        assert str(question.content) == front  # what a Static would hold


async def test_a_long_cloze_answer_keeps_its_highlight(tmp_path: Path) -> None:
    from deskwork.domain.cards import NoteType

    filler = "context " * 2_000
    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        tx.put(
            "cards",
            make_card(f"{filler}the {{{{c1::learning rate}}}} here", note_type=NoteType.CLOZE,
                      back="", ord=0),
        )  # fmt: skip
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "space")
        answer = app.review_pane.query_one("#review-answer", LongStatic)
        for _ in range(100):
            await pilot.pause()
            if answer.wrapped:
                break
        assert answer._long is not None  # the long path, not the Static's
        last = answer.size.height - 1
        strip = answer.render_line(last)
        reversed_text = "".join(s.text for s in strip if s.style and s.style.reverse)
        assert reversed_text == "learning rate"


def test_a_short_text_is_a_plain_static() -> None:
    widget = LongStatic("short", markup=False)
    assert widget._long is None and widget.wrapped
    widget.update("x" * (long_text.LONG_CHARS + 1))
    assert widget._long is not None
