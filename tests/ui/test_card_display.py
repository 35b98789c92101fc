"""How cards read in the TUI: a cloze answer highlights the asked deletion (no [[…]]), the browser
shows buried cards as "buried" and a learning card's due time, not just its day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Static

from deskwork.domain.cards import CardState, NoteType
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready, settled


async def test_the_cloze_answer_is_highlighted_not_bracketed(tmp_path: Path) -> None:
    clock = Clock()
    app = desk_app(tmp_path, clock)
    with app.desk.store.transaction() as tx:
        tx.put(
            "cards",
            make_card("{{c1::Adam}} adapts the {{c2::learning rate}}", note_type=NoteType.CLOZE,
                      back="", ord=1),
        )  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4", "space")
        await pilot.pause()
        shown = app.review_pane.query_one("#review-answer", Static).render()
        assert str(shown) == "Adam adapts the learning rate"
        spans = shown.spans  # type: ignore[attr-defined]
        highlighted = [str(shown)[s.start : s.end] for s in spans if s.style.reverse]
        assert highlighted == ["learning rate"]


async def test_the_browser_shows_buried_cards_and_learning_due_times(tmp_path: Path) -> None:
    clock = Clock(T0 + timedelta(days=2))
    app = desk_app(tmp_path, clock)
    now = clock.now
    with app.desk.store.transaction() as tx:
        buried = tx.put("cards", make_card("buried one", buried_until=now + timedelta(hours=20)))
        learning = tx.put(
            "cards",
            make_card("learning one", state=CardState.LEARNING, reps=1, last_review=T0,
                      due=now + timedelta(minutes=10)),
        )  # fmt: skip
        review = tx.put(
            "cards",
            make_card(
                "review one",
                state=CardState.REVIEW,
                reps=3,
                last_review=T0,
                due=now + timedelta(days=4),
            ),
        )
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+e")
        await settled(pilot)
        table = app.screen.query_one(DataTable)

        def row(card_id: int) -> list[str]:
            return [str(cell) for cell in table.get_row(str(card_id))]

        assert row(buried.id)[3] == "buried"
        due = (now + timedelta(minutes=10)).astimezone()
        assert row(learning.id)[3] == "learning" and row(learning.id)[4] == f"{due:%d %b %Y %H:%M}"
        assert row(review.id)[4] == f"{(now + timedelta(days=4)).astimezone():%d %b %Y}"
