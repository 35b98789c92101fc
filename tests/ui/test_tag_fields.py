"""The tag fields of the curriculum form and the card dialog follow the same rule (domain.tags)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Input, TextArea

from deskwork.ui.screens.card_dialogs import CardScreen
from deskwork.ui.screens.curriculum_dialogs import ItemFormScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app, quick_capture, ready


async def test_curriculum_form_and_card_dialog_take_commas_semicolons_or_spaces(
    tmp_path: Path,
) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.curriculum.edit(None)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemFormScreen)
        form.query_one("#f-title", Input).value = "CS224n"
        tags = form.query_one("#f-tags", Input)
        assert "commas" in str(tags.placeholder)
        tags.value = "Deep Learning, nlp; stanford"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [item] = app.desk.store.items.values()
        assert item.tags == ["Deep Learning", "nlp", "stanford"]

        await pilot.press("ctrl+k")
        card = app.screen
        assert isinstance(card, CardScreen)
        assert "commas" in str(card.query_one("#card-tags", Input).placeholder)
        card.query_one("#card-front", TextArea).text = "What does attention compute?"
        card.query_one("#card-back", TextArea).text = "A weighted sum of values"
        card.query_one("#card-tags", Input).value = "deep learning, nlp"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [saved] = app.desk.store.cards.all()
        assert saved.tags == ["deep_learning", "nlp"]


def paste(app: Any, text: str) -> None:
    """A bracketed paste from the terminal."""
    event = events.Paste(text)
    event.set_sender(app)
    app._driver.send_message(event)


async def test_tags_pasted_on_several_lines_are_all_kept(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        card = await quick_capture(pilot)
        card.query_one("#card-front", TextArea).text = "What does attention compute?"
        card.query_one("#card-back", TextArea).text = "A weighted sum of values"
        tags = card.query_one("#card-tags", Input)
        tags.focus()
        await pilot.press(*"papers")
        # one a line (a list copied from elsewhere), a line with commas, one of two words: a
        # line break separates as a comma does, so the words of a line stay one tag
        paste(app, "nlp\nattention, deep learning\r\nmachine learning\n")
        await pilot.pause()
        assert tags.value == "papers, nlp, attention, deep_learning, machine_learning"
        tags.cursor_position = 2  # in the middle of "papers": kept whole, the paste after it
        paste(app, "cs224n\nstanford")
        await pilot.pause()
        assert tags.value == (
            "papers, cs224n, stanford, nlp, attention, deep_learning, machine_learning"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        [saved] = app.desk.store.cards.all()
        assert saved.tags == [
            "papers", "cs224n", "stanford", "nlp", "attention", "deep_learning", "machine_learning",
        ]  # fmt: skip

        app.curriculum.edit(None)  # the curriculum's tags keep words together after commas
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemFormScreen)
        field = form.query_one("#f-tags", Input)
        field.focus()
        await pilot.pause()
        paste(app, "Deep Learning,\nnlp")
        await pilot.pause()
        assert field.value == "Deep Learning, nlp"
        paste(app, "one line, as Input pastes it")
        await pilot.pause()
        assert field.value == "Deep Learning, nlpone line, as Input pastes it"
