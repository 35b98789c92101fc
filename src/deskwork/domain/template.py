"""Anki's card template language, following rslib/src/template.rs and template_filters.rs:
`{{Field}}`, `{{FrontSide}}`, `{{#Field}}…{{/Field}}`, `{{^Field}}…{{/Field}}`, filters applied
right to left (`{{text:cloze:Text}}`), `cloze`, `cloze-only`, `hint`, `text`, `type` (and
`type:cloze`, `type:nc`), `furigana` / `kanji` / `kana`, `tts`; the special fields Tags, Type, Deck,
Subdeck, Card, CardFlag, CardID; the legacy `{{=<% %>=}}` syntax. An unknown filter leaves the text
as it is (as Anki does without an add-on providing it).

The output is HTML, as Anki's; `ankihtml.html_to_text` turns it into what a terminal shows. A
`{{type:Field}}` stays the marker `[[type:Field]]` for the review pane to replace with an input."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b

from deskwork.domain import cloze

ALT_SYNTAX = "{{=<% %>=}}"
SPECIAL_FIELDS = ("FrontSide", "Card", "CardFlag", "Deck", "Subdeck", "Tags", "Type", "CardID")
_EMPTY = re.compile(r"^(?:\s|</?(?:br|div) ?/?>)*$", re.I | re.S)
_HTML = re.compile(
    r"(<!--.*?-->)|(<style.*?>.*?</style>)|(<script.*?>.*?</script>)|(<.*?>)", re.I | re.S
)
_FURIGANA = re.compile(r" ?([^ >]+?)\[(.+?)\]")
_CLOZE_CONDITIONAL = re.compile(r"c\d+")


class TemplateError(ValueError):
    """A template Anki would refuse to render; the message says what is wrong, like Anki's."""


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Replace:
    key: str
    filters: tuple[str, ...]  # in the order they apply (innermost first)


@dataclass(frozen=True)
class Section:
    key: str
    negated: bool
    children: tuple[Node, ...]


Node = Text | Replace | Section


def field_is_empty(text: str) -> bool:
    """Anki's rule: only whitespace, <br> and <div> tags."""
    return bool(_EMPTY.match(text))


def strip_html(text: str) -> str:
    return html.unescape(_HTML.sub("", text)).replace("\xa0", " ")


# ---------------------------------------------------------------------- parsing
def _tokens(template: str) -> list[tuple[str, str]]:
    start_tag, end_tag = "{{", "}}"
    if template.lstrip().startswith(ALT_SYNTAX):
        template = template.lstrip()[len(ALT_SYNTAX) :]
        start_tag, end_tag = "<%", "%>"
    out: list[tuple[str, str]] = []
    at = plain = 0
    n = len(template)
    while at < n:
        if template.startswith(start_tag, at):
            end = template.find(end_tag, at + len(start_tag))
            if end >= 0:
                if plain < at:
                    out.append(("text", template[plain:at]))
                out.append(_classify(template[at + len(start_tag) : end]))
                at = plain = end + len(end_tag)
                continue
        if template.startswith("<!--", at):
            end = template.find("-->", at + 4)
            if end >= 0:
                if plain < at:
                    out.append(("text", template[plain:at]))
                out.append(("text", template[at : end + 3]))
                at = plain = end + 3
                continue
        at += 1
    if plain < n:
        out.append(("text", template[plain:]))
    return out


def _classify(handle: str) -> tuple[str, str]:
    inner = handle.lstrip("{").strip()
    if len(inner) < 2:
        return ("replace", inner)
    for mark, kind in (("#", "open"), ("/", "close"), ("^", "negate")):
        if inner.startswith(mark):
            return (kind, inner[1:].lstrip())
    return ("replace", inner)


@lru_cache(maxsize=512)
def parse(template: str) -> tuple[Node, ...]:
    """The template's nodes; raises TemplateError for a section not closed or closed wrongly."""
    tokens = iter(_tokens(template))

    def inner(open_key: str | None) -> tuple[Node, ...]:
        nodes: list[Node] = []
        for kind, value in tokens:
            if kind == "text":
                nodes.append(Text(value))
            elif kind == "replace":
                *filters, key = value.split(":")
                nodes.append(Replace(key, tuple(reversed(filters))))
            elif kind in ("open", "negate"):
                nodes.append(Section(value, kind == "negate", inner(value)))
            elif open_key == value:
                return tuple(nodes)
            elif open_key is not None:
                raise TemplateError(f"Found '{{{{/{value}}}}}', but expected '{{{{/{open_key}}}}}'")
            else:
                raise TemplateError(
                    f"Found '{{{{/{value}}}}}', but missing '{{{{#{value}}}}}' or '{{{{^{value}}}}}'"
                )
        if open_key is not None:
            raise TemplateError(f"Missing '{{{{/{open_key}}}}}'")
        return tuple(nodes)

    return inner(None)


def renders_with_fields(template: str, nonempty: set[str]) -> bool:
    """Would the template show anything, given which fields are non-empty? (Anki's card rule.)"""
    try:
        return not _is_empty(parse(template), nonempty)
    except TemplateError:
        return False


def _is_empty(nodes: tuple[Node, ...], nonempty: set[str]) -> bool:
    for node in nodes:
        if isinstance(node, Replace):
            if node.key in nonempty:
                return False
        elif isinstance(node, Section):
            if node.negated and node.key in nonempty:
                continue
            if not node.negated and node.key not in nonempty:
                continue
            if not _is_empty(node.children, nonempty):
                return False
    return True


def referenced_fields(template: str) -> set[str]:
    out: set[str] = set()

    def walk(nodes: tuple[Node, ...]) -> None:
        for node in nodes:
            if isinstance(node, Replace):
                out.add(node.key)
            elif isinstance(node, Section):
                out.add(node.key)
                walk(node.children)

    walk(parse(template))
    return out


# ---------------------------------------------------------------------- rendering
@dataclass(frozen=True)
class Context:
    fields: Mapping[str, str]  # note fields and special fields, by name
    card_ord: int
    frontside: str | None  # None while rendering the question

    def nonempty(self) -> set[str]:
        return {k for k, v in self.fields.items() if not field_is_empty(v)}


def render(template: str, context: Context) -> str:
    nonempty = context.nonempty()
    out: list[str] = []
    _render_into(out, parse(template), context, nonempty)
    return "".join(out)


def _render_into(out: list[str], nodes: tuple[Node, ...], ctx: Context, nonempty: set[str]) -> None:
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Replace):
            if node.key == "FrontSide":
                out.append(ctx.frontside or "")
            elif not node.key and node.filters:
                continue  # {{tts-voices:}} and the like: nothing to show
            elif node.key not in ctx.fields:
                shown = ":".join((*reversed(node.filters), node.key))
                raise TemplateError(
                    f"Found '{{{{{shown}}}}}', but there is no field called '{node.key}'"
                )
            else:
                out.append(_apply(ctx.fields[node.key], node.filters, node.key, ctx))
        else:
            if node.key in nonempty:
                visible = not node.negated
            elif node.key in ctx.fields or _CLOZE_CONDITIONAL.fullmatch(node.key):
                visible = node.negated
            else:
                mark = "^" if node.negated else "#"
                raise TemplateError(
                    f"Found '{{{{{mark}{node.key}}}}}', but there is no field called '{node.key}'"
                )
            _render_into(out if visible else [], node.children, ctx, nonempty)


def _apply(text: str, filters: tuple[str, ...], name: str, ctx: Context) -> str:
    if filters[-2:] == ("cloze", "type") and len(filters) == 2:
        return f"[[type:cloze:{name}]]"
    if filters[-2:] == ("nc", "type") and len(filters) == 2:
        return f"[[type:nc:{name}]]"
    if filters and filters[-1] == "type":
        return f"[[type:{name}]]"
    for f in filters:
        if f == "text":
            text = strip_html(text)
        elif f == "cloze":
            text = cloze.reveal(text, ctx.card_ord + 1, ctx.frontside is None)
        elif f == "cloze-only":
            text = cloze.reveal_only(text, ctx.card_ord + 1, ctx.frontside is None)
        elif f == "hint":
            text = _hint(text, name)
        elif f in ("furigana", "kanji", "kana"):
            text = _furigana(text, f)
        elif f.startswith("tts "):
            text = f"[anki:tts lang={f[4:]}]{text}[/anki:tts]"
        elif f:
            break  # unknown: Anki hands it to add-ons; without one the text stays as it is
    return text


def _hint(text: str, name: str) -> str:
    if not text.strip():
        return text
    ident = blake2b(text.encode() + name.encode(), digest_size=8).hexdigest()
    return (
        f'\n<a class=hint href="#"\nonclick="this.style.display=\'none\';\n'
        f"document.getElementById('hint{ident}').style.display='block';\n"
        f'return false;" draggable=false>\n{name}</a>\n'
        f'<div id="hint{ident}" class=hint style="display: none">{text}</div>\n'
    )


def _furigana(text: str, kind: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(2).startswith("sound:"):
            return m.group(0)
        if kind == "kana":
            return m.group(2)
        if kind == "kanji":
            return m.group(1)
        return f"<ruby><rb>{m.group(1)}</rb><rt>{m.group(2)}</rt></ruby>"

    return _FURIGANA.sub(sub, text.replace("&nbsp;", " "))


TYPE_MARK = re.compile(r"\[\[type:(?:(cloze|nc):)?([^\]]+)\]\]")
