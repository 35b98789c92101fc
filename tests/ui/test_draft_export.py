"""The draft area's export (`x`) never replaces another post's file: the first press names it and
writes nothing, the second replaces it; the draft's own unchanged export is replaced silently."""

from __future__ import annotations

from pathlib import Path

from deskwork.domain.drafts import Draft
from tests.helpers import T0, Clock
from tests.ui.factory import desk_app, ready


def _messages(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_x_names_a_file_in_the_way_and_x_again_replaces_it(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    blog.mkdir()
    theirs = blog / "bold-claims.md"
    theirs.write_text("my older post, a year of work\n")
    app = desk_app(tmp_path, Clock(), f'[drafts]\nexport_dir = "{blog}"\nflavour = "hugo"\n')
    with app.desk.store.transaction() as tx:
        tx.put("drafts", Draft(title="Bold claims", body="new text", created=T0, updated=T0))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f5", "x")
        await pilot.pause()
        assert theirs.read_text() == "my older post, a year of work\n", "nothing written"
        assert f"{theirs} already exists: not replaced. Press x again to replace it." in _messages(
            app
        )
        await pilot.press("x")
        await pilot.pause()
        assert "new text" in theirs.read_text()
        assert f"Exported to {theirs}" in _messages(app)
        app.clear_notifications()
        await pilot.press("x")  # its own export now, unchanged: replaced without a word
        await pilot.pause()
        assert _messages(app) == [f"Exported to {theirs}"]
