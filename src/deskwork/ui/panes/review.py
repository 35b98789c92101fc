"""Flashcard review: the front (rendered with the card's note type), a box to type the answer in
on type-in cards (Enter shows the answer with the comparison), Space/Enter shows the back, 1–4
answer (or the keys `[keys]` binds to them: the answer row names the keys bound; each button shows
its next interval), undo, bury, suspend, flag, edit in place, cram mode. When nothing is due it says when
the next card is. The session itself (today's queue, built on a worker when cards change, the
deck studied) is review_session.SessionPane's."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static

from deskwork.domain.scheduling import Grade, describe
from deskwork.domain.text import clean
from deskwork.domain.wording import figure, plural
from deskwork.ui.commands import REVIEW_COMMANDS
from deskwork.ui.panes.review_session import STUDY_DECK as STUDY_DECK
from deskwork.ui.panes.review_session import SessionPane
from deskwork.ui.widgets.long_text import LongStatic

if TYPE_CHECKING:
    # The card's rendering and order come with the first card shown (the cards load after the
    # first frame): not imported before it.
    from deskwork.domain.render import Rendered

FLAG_STYLES = {
    1: "red",
    2: "dark_orange",
    3: "green",
    4: "blue",
    5: "magenta",
    6: "cyan",
    7: "purple",
}
GRADE_NAMES = {Grade.AGAIN: "Again", Grade.HARD: "Hard", Grade.GOOD: "Good", Grade.EASY: "Easy"}


def image_widget() -> type | None:
    """The image widget class when textual-image was loaded before the app started (it asks the
    terminal what it speaks, which it can only do then): Kitty or Sixel graphics where the terminal
    has them, else half-block cells. None without it: images stay `[image: name]` in the text."""
    module = sys.modules.get("textual_image.widget")
    if module is None:
        return None
    chosen = module.Image
    from textual_image.renderable import UnicodeImage

    if getattr(chosen, "_Renderable", None) is UnicodeImage or (
        module.AutoRenderable is UnicodeImage
    ):
        return module.HalfcellImage  # type: ignore[no-any-return]
    return chosen  # type: ignore[no-any-return]


MAX_IMAGE_PIXELS = 40_000_000  # a bigger picture (or a decompression bomb) is not decoded


def drawn(widget: type, path: Path) -> Widget:
    """The image at `path` as `widget` draws it, decoded here so that a file Pillow cannot read
    (an SVG, a truncated PNG, a bomb) becomes a line saying so instead of an error while drawing:
    the card's text names the image either way."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as opened:
            width, height = opened.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValueError(f"{width}×{height} pixels is too large to draw")
            opened.load()
            picture = opened.copy()
        return widget(picture, classes="review-image")  # type: ignore[no-any-return]
    except Exception as exc:  # any file that does not decode is told, not drawn
        reason = str(exc).replace(str(path), "the file") or type(exc).__name__
        return Static(
            Text(f"(this image cannot be drawn here: {clean(reason, single_line=True)})", "dim"),
            classes="review-image-missing",
        )


class ReviewPane(SessionPane):
    pane_id = "review"
    title = "Review"
    binding_id = "pane.review"
    BINDINGS = [c.binding() for c in REVIEW_COMMANDS]

    DEFAULT_CSS = """
    ReviewPane #review-status { color: $text-muted; height: 1; }
    ReviewPane #review-card { height: 1fr; scrollbar-gutter: stable; }
    ReviewPane #review-question { text-style: bold; margin: 1 0 0 0; }
    ReviewPane #review-answer { margin: 1 0 0 0; border-top: solid $panel-lighten-2; }
    ReviewPane #review-buttons { height: auto; color: $text-muted; }
    ReviewPane #review-typed { margin: 1 0 0 0; display: none; }
    ReviewPane #review-images { height: auto; max-height: 14; display: none; }
    ReviewPane .review-image { width: auto; height: 12; margin: 0 1 0 0; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._typed_for: int | None = None  # the card the type-in box was cleared for
        self.sounds: list[str] = []  # sounds of the side shown
        self._media_shown: tuple[int, tuple[str, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="review-status", markup=False)
        with VerticalScroll(id="review-card"):
            # A card's side can be a 100 KB paste: wrapped in slices, drawn a screenful at a time
            yield LongStatic(id="review-question")
            # The type-in box and the images row are made for the first card that has them
            # (`_typing_box`, `_images_box`), the answer for the first answer or hint shown
            # (`_answer`): the first frame, while the cards load, shows none of them.
        yield Static(id="review-buttons")

    def _answer(self, make: bool = False) -> Static | None:
        """The answer (or the hint under an idle text), last in the card; made when `make`."""
        answer = next(self.query("#review-answer").results(Static), None)
        if answer is None and make:
            answer = LongStatic(id="review-answer")
            self.query_one("#review-card", VerticalScroll).mount(answer)
        return answer

    def _typing_box(self, make: bool = False) -> Input | None:
        """The type-in box under the question; made when `make` and not made yet."""
        found = self.query("#review-typed").results(Input)
        box = next(found, None)
        if box is None and make:
            box = Input(placeholder="type the answer, Enter to check", id="review-typed")
            box.display = False
            self.query_one("#review-card", VerticalScroll).mount(box, after="#review-question")
        return box

    def _images_box(self) -> Horizontal:
        """The row of the side's images, above the answer; made for the first card with one."""
        box = next(self.query("#review-images").results(Horizontal), None)
        if box is None:
            box = Horizontal(id="review-images")
            box.display = False
            card = self.query_one("#review-card", VerticalScroll)
            if self._answer() is None:
                card.mount(box)  # the answer, made later, goes after it
            else:
                card.mount(box, before="#review-answer")
        return box

    # ------------------------------------------------------------------ the card shown
    def _idle(self, text: str, hint: str = "") -> None:
        self.query_one("#review-status", Static).update("")
        self.query_one("#review-question", Static).update(Text(text, style="bold"))
        answer = self._answer(make=bool(hint))
        if answer is not None:
            answer.update(Text(hint, style="dim"))
            answer.display = bool(hint)
        self.query_one("#review-buttons", Static).update("")
        self._show_media(0, "")  # the last card's images and sounds go with it

    def render_card(self) -> None:
        session = self.session
        if session is None:
            return
        card = session.current()
        new, learning, review = session.remaining()
        mode = "CRAM (schedule untouched) · " if session.cram else ""
        if self.deck:
            mode = f"{mode}deck {clean(self.deck, single_line=True)} · "
        if card is None:
            text, hint = self._nothing_due()
            if self.deck:
                text = f"{clean(self.deck, single_line=True)}: {text}"
                hint = "d: the deck list (another deck, or a: every deck). " + hint
            self._idle(text, hint)
            return
        flag = f" ⚑{card.flag}" if card.flag else ""
        recall = session.retrievability(card)
        from deskwork.domain.revieworder import describe_retrievability

        shown_r = f" · R {describe_retrievability(recall)}" if recall is not None else ""
        # The card's own figures before its deck (a long deck name is what the pane's edge cuts),
        # and the deck only when it is not the one being studied.
        deck = "" if card.deck == self.deck else f" · {clean(card.deck, single_line=True)}"
        counts = f"{figure(new)} new · {figure(learning)} learning · {figure(review)} to review"
        status = f"{mode}{counts}{shown_r}{flag}{deck}"
        self.query_one("#review-status", Static).update(status)
        rendered = session.render(card)
        question = rendered.question_shown(folded=not self.revealed)
        self.query_one("#review-question", Static).update(Text(question))
        asks = rendered.type_in is not None and not self.revealed
        typing = self._typing_box(make=asks)
        if typing is not None:
            typing.display = asks
            if asks and self._typed_for != card.id:
                self._typed_for = card.id
                typing.value = ""
                typing.focus()
        answer = self._answer(make=self.revealed)
        if answer is not None:
            answer.display = self.revealed
            typed = typing.value if typing is not None and rendered.type_in is not None else None
            answer.update(answer_text(rendered, typed) if self.revealed else "")
        side = rendered.answer_html if self.revealed else rendered.question_html
        self._show_media(card.id, side)
        buttons = self.query_one("#review-buttons", Static)
        if not self.revealed:
            hint = (
                f"{self.key('review.reveal')}: show the answer · {self.key('review.edit')} edit"
                f" · {self.key('review.bury')} bury · {self.key('review.suspend')} suspend"
                f" · {self.key('review.undo')} undo"
            )
            if self.sounds:
                hint = f"♪ {self.key('review.play')} plays {', '.join(self.sounds)} · " + hint
            if asks:
                hint = "Type the answer; Enter shows the answer and the comparison"
            buttons.update(Text(hint, style="dim"))
            return
        intervals = {} if session.cram else session.intervals(card)
        line = Text()
        for g in Grade:
            # the key bound now (after `[keys]`), not the default digit
            label = f"{self.key(f'review.{GRADE_NAMES[g].lower()}')} {GRADE_NAMES[g]}"
            if g in intervals:
                label += f" {describe(intervals[g])}"
            line.append(label, style="bold" if g is Grade.GOOD else "")
            line.append("   ")
        buttons.update(line)

    def _nothing_due(self) -> tuple[str, str]:
        session = self.session
        assert session is not None
        total = len(self.desk_app.desk.store.cards)
        if not total:
            return (
                "No cards yet.",
                f"{self.key('cards.add')} adds one from anywhere; "
                f"{self.key('cards.import')} imports your Anki decks (.apkg) or text.",
            )
        if session.cram:
            return "Cram done.", f"{self.key('review.cram')} leaves cram mode."
        hint = (
            f"{self.key('review.cram')}: cram (practice without touching the schedule)"
            f" · {self.key('review.browse')} browse · {self.key('cards.add')} add"
        )
        reached = session.limits_reached()
        if reached:
            hint = f"{reached}. " + hint
        up = session.next_up()
        if up is None:
            return f"Nothing due ({plural(total, 'card')}).", hint
        moment, by_day = up
        when = (
            f"{moment.astimezone():%a %d %b}" if by_day else f"{moment.astimezone():%a %d %b %H:%M}"
        )
        return f"Nothing due. Next card: {when}", hint

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "grade":
            return self.revealed and self.current() is not None
        if action in ("bury", "suspend", "flag", "edit", "reveal"):
            return self.current() is not None
        return True

    def _after(self) -> None:
        self._session_changed()
        self.revealed = False
        self._typed_for = None  # the card may come back (a learning step): a fresh box then
        self.query_one("#review-card", VerticalScroll).scroll_home(animate=False)
        self.shown_at = time.monotonic()
        self.render_card()

    def action_reveal(self) -> None:
        if self.current() is None:
            return
        if self.revealed:  # Space on the answer side answers Good, as in Anki
            self.action_grade(int(Grade.GOOD))
            return
        self.revealed = True
        self.render_card()
        # a long question would push the answer out of sight: bring its start into view
        self.call_after_refresh(self._answer_into_view)

    def _answer_into_view(self) -> None:
        card = self.query_one("#review-card", VerticalScroll)
        answer = self._answer()
        if answer is not None:
            card.scroll_to_widget(answer, animate=False, top=True)

    def action_scroll_card(self, lines: int) -> None:
        """Arrow keys (±1 line) / PgUp / PgDn (±2: a page) / Home / End (±3: the card's start or
        end) scroll a card longer than the area. At once, not at the next refresh: each key of a
        burst (a held PgDn) counts from where the last one left the card, where they all counted
        from the same place and most were lost."""
        card = self.query_one("#review-card", VerticalScroll)
        if abs(lines) == 3:
            (card.scroll_end if lines > 0 else card.scroll_home)(animate=False, immediate=True)
            return
        page = max(1, card.size.height - 1)
        step = lines if abs(lines) == 1 else (page if lines > 0 else -page)
        card.scroll_relative(y=step, animate=False, immediate=True)

    def action_grade(self, rating: int) -> None:
        if self.session is None or not self.revealed or not self._writable():
            return
        duration = int((time.monotonic() - self.shown_at) * 1000)
        self.session.answer(Grade(rating), min(duration, 3_600_000))
        self._after()

    def action_undo(self) -> None:
        if self.session is None or not self._writable():
            return
        if self.session.undo() is None:
            self.app.notify(self.session.undo_said or "Nothing to undo")
        self._after()

    def action_bury(self) -> None:
        if self.session and self._writable():
            self.session.bury()
            self.app.notify("Buried until tomorrow's study day (u undoes)")
            self._after()

    def action_suspend(self) -> None:
        if self.session and self._writable():
            self.session.suspend()
            self.app.notify("Suspended: it will not come up until unsuspended (u undoes)")
            self._after()

    def action_flag(self) -> None:
        if self.session and self._writable():
            self.session.flag(1)
            self._session_changed()
            self.render_card()

    def action_cram(self) -> None:
        cram = not (self.session.cram if self.session else False)
        self.restart(cram)
        self.app.notify(
            "Cram mode: the schedule is left alone" if cram else "Back to scheduled review"
        )

    def action_edit(self) -> None:
        card = self.current()
        if card is not None and self._writable():
            self.desk_app.cards.edit(card)

    def _show_media(self, card_id: int, html: str) -> None:
        """The side's images under the text (Kitty / Sixel where the terminal speaks them, else
        half-blocks), and its sounds named for the play key."""
        if html:
            from deskwork.domain.ankihtml import images, sounds

            self.sounds = sounds(html)
            names = images(html)[:3]
        else:  # no card (the first frame, while the cards load): Anki's HTML reader not needed
            self.sounds, names = [], []
        key = (card_id, tuple(names))
        if key == self._media_shown:
            return
        self._media_shown = key
        widget = image_widget()
        if widget is None or not names:
            for shown in self.query("#review-images"):
                shown.remove_children()
                shown.display = False
            return
        box = self._images_box()
        box.remove_children()
        desk = self.desk_app.desk
        from deskwork.services.notes import media_path

        paths = [p for p in (media_path(desk, n) for n in names) if p is not None]
        box.display = bool(paths)
        box.mount_all([drawn(widget, p) for p in paths])

    def action_play(self) -> None:
        from deskwork.services.notes import media_path, play

        if not self.sounds:
            self.app.notify("This side has no sound")
            return
        path = media_path(self.desk_app.desk, self.sounds[0])
        if path is None:
            self.app.notify(f"{self.sounds[0]} is not in deskwork's media", severity="warning")
            return
        player = play(path)
        if not player:
            self.app.notify("No sound player found (mpv, ffplay, paplay, afplay or aplay)")

    def on_focus(self) -> None:
        """On a type-in card the box takes the keys until the answer is shown."""
        typing = self._typing_box()
        if typing is not None and typing.display and not self.revealed:
            typing.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the type-in box shows the answer with the comparison."""
        if event.input.id == "review-typed":
            event.stop()
            if not self.revealed and self.current() is not None:
                self.revealed = True
                self.render_card()
                self.focus()

    def _writable(self) -> bool:
        return self.desk_app.writable()


def answer_text(rendered: Rendered, typed: str | None = None) -> Text:
    """The answer, a cloze's asked deletion highlighted (bold, reversed) rather than bracketed."""
    text = Text()
    for run, highlighted in rendered.answer_runs(typed):
        text.append(run, style="bold reverse" if highlighted else "")
    return text
