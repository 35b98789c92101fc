"""Anki's search wildcards (`*` any run of characters, `_` one; `\\*` `\\_` `\\\\` the
characters themselves, as domain/search_tokens.py leaves them) matched in time linear in the
text for each piece of the pattern, never backtracking.

A regular expression with one `.*` for each `*` backtracks catastrophically when it fails:
`*e*e*e*e*e*e*e*e*q` over one card of prose tried every way to place eight `e`s before giving up
(an hour over 20,000 cards, holding the GIL, so the UI froze). Here the pattern is split at its
runs of `*` into pieces of fixed length (literal characters and `_`); the first piece must
stand at the start of the text, the last at its end, and each piece between is looked for
leftmost after the one before it. Leftmost is always right for `*`: a piece found earlier leaves
more text for the pieces after it. Each piece is a regular expression without repetition, so
looking for it cannot blow up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskwork.domain.search_tokens import glob_re

_SPACE = re.compile(r"\s")
NO_SPACE = r"\S"  # what a `*` or `_` in a tag stands for, as in Anki


@dataclass(frozen=True)
class _Piece:
    pattern: re.Pattern[str]
    length: int  # every match of `pattern` is this many characters long


class Wildcards:
    """A wildcard pattern (`text` as `unescape` leaves it) to test whole texts against
    (`fullmatch`), texts holding it (`search`), or a `::` path or one of its ancestors
    (`fullmatch_path`: a deck or tag and its parents). Case is ignored as `re.IGNORECASE` ignores
    it, or, with `fold`, by casefolding the text and the pattern ("strasse" finds "Straße", as
    deck names are compared elsewhere). `one` is what `_` and each character of a `*` stand for:
    any character, or `NO_SPACE` (in tags, as Anki)."""

    def __init__(self, text: str, one: str = ".", fold: bool = False) -> None:
        self.fold = fold
        self.one = one
        flags = re.DOTALL if fold else re.DOTALL | re.IGNORECASE
        pieces: list[list[str]] = [[]]
        lengths = [0]
        literal_space = False
        star = False
        for part in re.findall(r"\\?.", text, re.DOTALL):
            if part == "*":
                if not star:
                    pieces.append([])
                    lengths.append(0)
                star = True
                continue
            star = False
            if part == "_":
                pieces[-1].append(one)
                lengths[-1] += 1
                continue
            char = part[-1].casefold() if fold else part[-1]
            literal_space = literal_space or _SPACE.match(char) is not None
            pieces[-1].append(re.escape(char))
            lengths[-1] += len(char)
        self.pieces = [
            _Piece(re.compile("".join(p), flags), n) for p, n in zip(pieces, lengths, strict=True)
        ]
        empty = _Piece(re.compile(""), 0)
        self._inside = [empty, *self.pieces, empty]  # `*text*`: the text anywhere
        # A `*` in a tag stands for no space: a text with a space matches only where the pattern
        # has one; that rare case is left to the regular expression (tags are short).
        self._spaced = literal_space
        self._regex = re.compile(glob_re(text, one), flags) if one != "." else None

    def fullmatch(self, text: str) -> bool:
        """The whole of `text` matches."""
        return self._fits(self.pieces, text)

    def search(self, text: str) -> bool:
        """`text` holds a match somewhere."""
        return self._fits(self._inside, text)

    def fullmatch_path(self, text: str) -> bool:
        """`text` (a deck or tag: `A::B::C`) or one of its ancestors (`A`, `A::B`) matches."""
        if self.fullmatch(text):
            return True
        at = text.find("::")
        while at >= 0:
            if self.fullmatch(text[:at]):
                return True
            at = text.find("::", at + 1)
        return False

    def _fits(self, pieces: list[_Piece], text: str) -> bool:
        if self.fold:
            text = text.casefold()
        if self._regex is not None and _SPACE.search(text):
            if pieces is self._inside:  # (unused: tags are matched whole)
                return self._regex.search(text) is not None
            if not self._spaced:
                return False  # no piece and no `*` can stand for the space
            return self._regex.fullmatch(text) is not None
        if len(pieces) == 1:
            return pieces[0].pattern.fullmatch(text) is not None
        first, middle, last = pieces[0], pieces[1:-1], pieces[-1]
        end = len(text) - last.length  # where the last piece must begin
        if end < first.length or first.pattern.match(text) is None:
            return False
        at = first.length
        for piece in middle:
            found = piece.pattern.search(text, at, end)
            if found is None:
                return False
            at = found.end()
        return last.pattern.fullmatch(text, end) is not None
