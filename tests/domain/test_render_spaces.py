"""Spaces on a card as a browser shows them: runs collapse in HTML, typed ones survive in plain text."""

from __future__ import annotations

from datetime import UTC, datetime

from deskwork.domain.ankihtml import html_to_text
from deskwork.domain.cards import Card
from deskwork.domain.notetypes import STOCK
from deskwork.domain.render import render_card

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_html_without_tags_collapses_runs_of_spaces_as_html_with_tags_does() -> None:
    assert html_to_text("q q  q x") == html_to_text("<style>.c{}</style>q q  q x") == "q q q x"
    assert html_to_text("a \t b") == "a b"


def test_no_break_spaces_keep_their_width() -> None:
    assert html_to_text("<div>&nbsp;&nbsp;&nbsp;&nbsp;return 1</div>") == "return 1"
    assert html_to_text("x<br>&nbsp;&nbsp;&nbsp;&nbsp;return 1") == "x\n    return 1"
    assert html_to_text("a&nbsp;&nbsp;b") == "a  b"


def test_a_plain_text_card_keeps_its_code_indented() -> None:
    body = "def loss(y, p):\n    return -(y * log(p))\n\ncols:  a  b"
    card = Card(fields=["Write the loss", body], note_type="basic", created=T0, modified=T0, due=T0)
    shown = render_card(card, STOCK["basic"])
    assert "def loss(y, p):\n    return -(y * log(p))\n\ncols:  a  b" in shown.answer()
