"""The tag fields of the curriculum form and the card dialog follow the same rule (domain.tags)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from deskwork.ui.screens.card_dialogs import CardScreen
from deskwork.ui.screens.curriculum_dialogs import ItemFormScreen
from tests.helpers import Clock
from tests.ui.factory import desk_app, ready


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
