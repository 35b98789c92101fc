"""The draft area gives the text the room (the questions/sources column folds away when the text
would get narrow), and restoring a draft from the trash goes back to the drafts."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, TextArea

from deskwork.domain.drafts import Draft
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app


def side_shown(app: object) -> bool:
    return bool(app.draft_pane.query_one("#draft-side").display and  # type: ignore[attr-defined]
                app.draft_pane.query_one("#draft-side").region.width > 0)  # type: ignore[attr-defined]  # fmt: skip


async def test_the_text_keeps_its_room_at_every_size(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("f5", "n", *"Why the SVD", "enter")
        await pilot.pause()
        text = app.draft_pane.query_one("#draft-text", TextArea)
        assert side_shown(app) and text.region.width >= 60  # ~100 columns: both fit
        await pilot.press("ctrl+g")  # preview beside the text: the side column folds
        await pilot.pause()
        assert not side_shown(app) and text.region.width >= 40
        await pilot.press("ctrl+g", "ctrl+g")  # back to the text alone
        await pilot.pause()
        assert side_shown(app)
    for size in ((120, 40), (80, 24)):
        app = desk_app(tmp_path / f"{size[0]}", Clock())
        async with app.run_test(size=size) as pilot:
            await pilot.press("f5", "n", *"Why the SVD", "enter")
            await pilot.pause()
            text = app.draft_pane.query_one("#draft-text", TextArea)
            assert not side_shown(app), size
            assert text.region.width >= app.draft_pane.size.width - 2, size


async def test_restoring_a_draft_leaves_the_trash(tmp_path: Path) -> None:
    app = desk_app(tmp_path, Clock())
    with app.desk.store.transaction() as tx:
        kept = tx.put("drafts", Draft(title="Kept", created=T0, updated=T0))
        gone = tx.put("drafts", Draft(title="Gone", created=T0, updated=T0))
    app.drafts.trash(gone.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5", "t")
        assert app.draft_pane.showing_trash
        await pilot.press("u")
        await pilot.pause()
        assert not app.draft_pane.showing_trash
        listing = app.draft_pane.query_one("#draft-list", OptionList)
        assert listing.highlighted is not None
        assert listing.get_option_at_index(listing.highlighted).id == str(gone.id)
        assert {d.id for d in app.drafts.listing()} == {kept.id, gone.id}
