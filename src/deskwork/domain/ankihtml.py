"""HTML from Anki fields as readable text: line breaks and blocks become new lines, lists get
bullets, sub/sup become _x / ^x, images and sounds a short marker, entities decoded, every other
tag dropped; the deletion a cloze answer reveals is marked [[like this]]. The result is plain text (the UI never interprets it as markup)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from deskwork.domain.text import clean

_BLOCKS = {
    "div",
    "p",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "table",
    "hr",
}
_SOUND = re.compile(r"\[sound:([^\]]+)\]")


class _Text(HTMLParser):
    def __init__(self, marks: tuple[str, str] = ("[[", "]]")) -> None:
        super().__init__(convert_charrefs=True)
        self.marks = marks
        self.out: list[str] = []
        self._skip = 0
        self._spans: list[bool] = []  # for each open <span>: is it a revealed cloze?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\x00• ")
        elif tag in _BLOCKS:
            self.out.append("\x00")
        elif tag == "sub":
            self.out.append("_")
        elif tag == "sup":
            self.out.append("^")
        elif tag == "img":
            src = dict(attrs).get("src") or "image"
            self.out.append(f"[image: {src}]")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag == "span":
            values = dict(attrs)
            revealed = values.get("class") == "cloze" and "data-cloze" not in values
            self._spans.append(revealed)
            if revealed:
                self.out.append(self.marks[0])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.out.append("\x00")
        elif tag == "span" and self._spans and self._spans.pop():
            self.out.append(self.marks[1])

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.out.append(data)


_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(html: str, marks: tuple[str, str] = ("[[", "]]")) -> str:
    """The text; `marks` go around a cloze deletion an answer reveals."""
    if "<" not in html and "&" not in html and "[sound:" not in html:
        text = html  # no tags: what the parser would give back as it is
    else:
        parser = _Text(marks)
        parser.feed(_SOUND.sub(r"[sound: \1]", html))
        parser.close()
        # Block boundaries (\x00) in a row are one line break; <br> is always one.
        text = re.sub(r"[ \t]*(\x00[ \t]*)+", "\n", "".join(parser.out))
    # Runs of spaces are one, as a browser shows them (the fast path included: `q  x` and
    # `<b>q</b>  x` read the same); a no-break space is not collapsed, as in a browser (code
    # indented with &nbsp; keeps its indentation), and reads as a plain space.
    lines = [
        _SPACES.sub(" ", line).strip(" ").replace("\xa0", " ").rstrip() for line in text.split("\n")
    ]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return clean(text)


_IMAGE_SRC = re.compile(r"""<img[^>]*?\ssrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))""", re.I)


def images(html: str) -> list[str]:
    """The image files an HTML side shows, in order, each once."""
    found: list[str] = []
    for m in _IMAGE_SRC.finditer(html):
        name = next(g for g in m.groups() if g).strip()
        if name not in found:
            found.append(name)
    return found


def sounds(html: str) -> list[str]:
    found: list[str] = []
    for m in _SOUND.finditer(html):
        if m.group(1).strip() not in found:
            found.append(m.group(1).strip())
    return found
