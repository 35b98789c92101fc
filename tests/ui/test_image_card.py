"""A card with an image in the review pane: the image file from deskwork's media shown under the
question (half-block cells when the terminal has no graphics protocol — the snapshot), its name in
the text; a card with a sound names the play key."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import textual_image.widget  # noqa: F401  (loaded before the app starts, as the CLI does)
from PIL import Image as PILImage
from textual.pilot import Pilot
from textual.widgets import Static

from deskwork.domain.media import MediaFile
from tests.helpers import T0, Clock, make_card
from tests.ui.factory import desk_app, ready


def gradient_png() -> bytes:
    image = PILImage.new("RGB", (32, 16))
    for x in range(32):
        for y in range(16):
            image.putpixel((x, y), (x * 8, y * 16, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def image_app(tmp_path: Path) -> Any:
    app = desk_app(tmp_path, Clock(T0), "[cards]\nfuzz = false\n")
    store = app.desk.store
    sha = store.media_folder.put(gradient_png())
    with store.transaction() as tx:
        tx.put("media", MediaFile(name="fig.png", sha256=sha, size=1))
        tx.put("cards", make_card('Which colours? <img src="fig.png">', back="a gradient",
                                  html=True, note_guid="img"))  # fmt: skip
        tx.put("cards", make_card("Say it [sound:hello.mp3]", back="hello", html=True,
                                  note_guid="snd", when=T0.replace(second=1)))  # fmt: skip
    return app


async def test_an_image_card_shows_the_image_and_a_sound_card_names_the_key(
    tmp_path: Path,
) -> None:
    app = image_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        pane = app.review_pane
        question = str(pane.query_one("#review-question", Static).render())
        assert question == "Which colours? [image: fig.png]"
        shown = pane.query(".review-image")
        assert len(shown) == 1 and type(shown.first()).__name__ == "HalfcellImage"
        await pilot.press("space", "3")
        assert not pane.query(".review-image"), "the next card has no image"
        assert "♪ p plays hello.mp3" in str(pane.query_one("#review-buttons", Static).render())


def test_image_card_in_half_blocks(snap_compare: Any, tmp_path: Path) -> None:
    async def show(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("f4", "z")
        await pilot.pause()

    assert snap_compare(image_app(tmp_path), terminal_size=(100, 30), run_before=show)


async def test_an_image_pillow_cannot_read_is_told_not_a_crash(tmp_path: Path) -> None:
    """An SVG on the question, a truncated PNG on the answer (both came in with an Anki deck):
    the card is studied as usual, each image replaced by a line saying it cannot be drawn."""
    app = desk_app(tmp_path, Clock(T0), "[cards]\nfuzz = false\n")
    store = app.desk.store
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
    cut = gradient_png()[:60]  # a PNG header and the start of its data
    with store.transaction() as tx:
        for name, data in (("diagram.svg", svg), ("cut.png", cut)):
            tx.put("media", MediaFile(name=name, sha256=store.media_folder.put(data), size=1))
        tx.put("cards", make_card('What is shown? <img src="diagram.svg">', html=True,
                                  back='a square <img src="cut.png">', note_guid="bad"))  # fmt: skip
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        pane = app.review_pane
        assert "[image: diagram.svg]" in str(pane.query_one("#review-question", Static).render())
        told = pane.query(".review-image-missing")
        assert len(told) == 1 and "cannot be drawn" in str(told.first(Static).render())
        assert not pane.query(".review-image")
        await pilot.press("space")
        await pilot.pause()
        told = pane.query(".review-image-missing")  # the answer side repeats the question's
        assert len(told) == 2 and all("cannot be drawn" in str(t.render()) for t in told)
        await pilot.press("4")  # Easy: due in days, nothing left today
        await pilot.pause()
        assert "Nothing due" in str(pane.query_one("#review-question", Static).render())
        assert app.is_running and not pane.query(".review-image-missing")
