"""Cloze deletions as Anki parses them (rslib/src/cloze.rs): `{{c1::text}}`, `{{c1::text::hint}}`,
`{{c1,2::shared}}`, and deletions nested inside deletions (`{{c1::Outer {{c2::inner}} part}}`, up to
ten deep). One card per cloze number; a deletion left open at the end of the text is dropped, a stray
`}}` is kept as text, exactly as Anki does.

`reveal` produces the same HTML Anki's `{{cloze:Field}}` filter does (spans with class `cloze` /
`cloze-inactive`), so the text a terminal shows matches what Anki shows once HTML is reduced."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_OPEN = re.compile(r"\{\{c([\d,]*)::")
_MATHJAX = re.compile(r"(\\[(\[])(.*?)(\\[)\]])", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
MAX_DEPTH = 10


@dataclass
class Deletion:
    ordinals: list[int]
    nodes: list[str | Deletion] = field(default_factory=list)
    hint: str | None = None

    def shown_hint(self) -> str:
        return self.hint if self.hint is not None else "..."

    def text(self) -> str:
        """The deleted text with every inner deletion revealed (no markup added)."""
        return "".join(n if isinstance(n, str) else n.text() for n in self.nodes)

    @property
    def image_occlusion(self) -> bool:
        return (
            bool(self.nodes)
            and isinstance(self.nodes[0], str)
            and (self.nodes[0].startswith("image-occlusion:"))
        )


def _open_at(text: str, at: int) -> tuple[list[int], int] | None:
    m = _OPEN.match(text, at)
    if m is None:
        return None
    ordinals = sorted({int(p) for p in m.group(1).split(",") if p.isdigit() and int(p) < 65536})
    return (ordinals, m.end()) if ordinals else None


def _tokens(text: str) -> list[tuple[str, object]]:
    """("open", ordinals) / ("close", None) / ("text", str), as Anki's tokenizer yields them."""
    out: list[tuple[str, object]] = []
    at, start, n = 0, 0, len(text)
    while at < n:
        if text.startswith("{{c", at):
            opened = _open_at(text, at)
            if opened is not None:
                if start < at:
                    out.append(("text", text[start:at]))
                out.append(("open", opened[0]))
                at = start = opened[1]
                continue
        if text.startswith("}}", at):
            if start < at:
                out.append(("text", text[start:at]))
            out.append(("close", None))
            at = start = at + 2
            continue
        at += 1
    if start < n:
        out.append(("text", text[start:]))
    return out


def parse(text: str) -> list[str | Deletion]:
    """The text as plain runs and (nested) deletions."""
    open_: list[Deletion] = []
    output: list[str | Deletion] = []
    for kind, value in _tokens(text):
        if kind == "open":
            if len(open_) < MAX_DEPTH:
                open_.append(Deletion(list(value)))  # type: ignore[call-overload]
        elif kind == "text":
            run = str(value)
            if open_:
                current = open_[-1]
                if not run.startswith("image-occlusion:") and "::" in run:
                    run, current.hint = run.split("::", 1)
                current.nodes.append(run)
            else:
                output.append(run)
        elif open_:
            done = open_.pop()
            (open_[-1].nodes if open_ else output).append(done)
        else:
            output.append("}}")
    return output


def _collect(nodes: list[str | Deletion], into: set[int]) -> None:
    for node in nodes:
        if isinstance(node, Deletion):
            into.update(o for o in node.ordinals if o != 0)
            _collect(node.nodes, into)


def numbers(text: str) -> list[int]:
    """The cloze numbers in `text`, nested ones included, sorted, each once (c0 is not a cloze)."""
    found: set[int] = set()
    if "{{c" in text:
        _collect(parse(text), found)
    return sorted(found)


def has_image_occlusion(text: str) -> bool:
    def walk(nodes: list[str | Deletion]) -> bool:
        return any(isinstance(n, Deletion) and (n.image_occlusion or walk(n.nodes)) for n in nodes)

    return "image-occlusion:" in text and walk(parse(text))


def _ords(d: Deletion) -> str:
    return ",".join(str(o) for o in d.ordinals)


def _reveal(d: Deletion, number: int, question: bool, found: list[bool], buf: list[str]) -> None:
    active = number in d.ordinals
    found[0] |= active
    if d.image_occlusion:
        cls = "cloze" if (question and active) or 0 in d.ordinals else (
            "cloze-inactive" if not active else "cloze-highlight"
        )  # fmt: skip
        buf.append(f'<div class="{cls}" data-ordinal="{_ords(d)}"></div>')
        return
    if question and active:
        inner: list[str] = []
        for node in d.nodes:
            if isinstance(node, str):
                inner.append(node)
            else:
                _reveal(node, number, question, found, inner)
        content = html.escape("".join(inner), quote=True)
        buf.append(
            f'<span class="cloze" data-cloze="{content}" data-ordinal="{_ords(d)}">'
            f"[{d.shown_hint()}]</span>"
        )
        return
    cls = "cloze" if active else "cloze-inactive"
    buf.append(f'<span class="{cls}" data-ordinal="{_ords(d)}">')
    for node in d.nodes:
        if isinstance(node, str):
            buf.append(node)
        else:
            _reveal(node, number, question, found, buf)
    buf.append("</span>")


def reveal(text: str, number: int, question: bool) -> str:
    """Anki's cloze filter: deletion `number` hidden (question) or shown marked (answer), the others
    shown; "" when the text has no deletion `number` (Anki then shows an empty-card message)."""
    buf: list[str] = []
    found = [False]
    for node in parse(text):
        if isinstance(node, str):
            buf.append(node)
        else:
            _reveal(node, number, question, found, buf)
    if not found[0]:
        return ""
    return _MATHJAX.sub(lambda m: m.group(1) + _TAG.sub("", m.group(2)) + m.group(3), "".join(buf))


def _texts(nodes: list[str | Deletion], number: int, question: bool, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, Deletion):
            if number in node.ordinals:
                out.append(node.shown_hint() if question else node.text())
            _texts(node.nodes, number, question, out)


def reveal_only(text: str, number: int, question: bool) -> str:
    """Anki's `cloze-only` filter: just the deletions of `number`, joined by ", "."""
    out: list[str] = []
    _texts(parse(text), number, question, out)
    return ", ".join(out)


def for_typing(text: str, number: int) -> str:
    """What `{{type:cloze:Field}}` expects: the deleted text of `number` (one value when they are
    all the same, else joined by ", ")."""
    out: list[str] = []
    _texts(parse(text), number, False, out)
    if not out:
        return ""
    return out[0] if len(set(out)) == 1 else ", ".join(out)


def question(text: str, number: int) -> str:
    """Plain-text convenience: the question side of `text` for card `number`."""
    from deskwork.domain.ankihtml import html_to_text

    return html_to_text(reveal(text, number, True))


def answer(text: str, number: int) -> str:
    from deskwork.domain.ankihtml import html_to_text

    return html_to_text(reveal(text, number, False))


# Around the asked deletion in an answer, for a UI to highlight it (private-use characters, removed
# from the text first so a card cannot fake them).
MARK_START, MARK_END = "\ue000", "\ue001"


def marked_runs(text: str) -> list[tuple[str, bool]]:
    """A text with MARK_START…MARK_END as (run, marked) pieces, in order (empty runs left out)."""
    runs: list[tuple[str, bool]] = []
    for n, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", text)):
        if piece:
            runs.append((piece, n % 2 == 1))
    return runs
