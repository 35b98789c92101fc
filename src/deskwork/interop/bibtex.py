"""Curriculum papers as BibTeX (export only): @misc entries, arXiv style, with keys like
`vaswani2017attention` made unique within the file."""

from __future__ import annotations

import re
from collections.abc import Iterable

from deskwork.domain.curriculum import Item
from deskwork.domain.text import clean

_BIB_SPECIAL = re.compile(r"([&%$#_{}])")


def _bib(text: str) -> str:
    text = clean(text, single_line=True).replace("\\", "\\textbackslash{}")
    return _BIB_SPECIAL.sub(r"\\\1", text).replace("~", "\\textasciitilde{}").replace("^", "\\^{}")


def bibtex_key(item: Item, taken: set[str]) -> str:
    first = item.authors.split(",")[0].split()
    surname = re.sub(r"[^a-z]", "", first[-1].lower()) if first else "anon"
    year = str(item.published.year) if item.published else ""
    word = next(
        (
            w
            for w in re.findall(r"[a-z]+", item.title.lower())
            if w not in {"a", "an", "the", "on", "of"}
        ),
        "paper",
    )
    key = f"{surname or 'anon'}{year}{word}"
    n, base = 1, key
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2)}" if n <= 27 else f"{base}{n}"
    taken.add(key)
    return key


def items_to_bibtex(items: Iterable[Item]) -> str:
    """The papers (kind paper, or with an arXiv id) as BibTeX @misc entries, arXiv style."""
    taken: set[str] = set()
    entries = []
    for item in items:
        if item.kind.value != "paper" and not item.arxiv_id:
            continue
        fields = [("title", "{" + _bib(item.title) + "}")]
        if item.authors:
            fields.append(
                (
                    "author",
                    " and ".join(_bib(a.strip()) for a in item.authors.split(",") if a.strip()),
                )
            )
        if item.published:
            fields.append(("year", str(item.published.year)))
        if item.arxiv_id:
            fields += [("eprint", item.arxiv_id), ("archivePrefix", "arXiv")]
            if item.categories:
                fields.append(("primaryClass", item.categories[0]))
            fields.append(("doi", f"10.48550/arXiv.{item.arxiv_id}"))
        if item.url:
            fields.append(("url", item.url.replace("%", "\\%").replace("#", "\\#")))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        entries.append(f"@misc{{{bibtex_key(item, taken)},\n{body}\n}}\n")
    return "\n".join(entries)
