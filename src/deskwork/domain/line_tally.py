"""The word count and the open questions of a text being edited, kept per line and brought up to
date by the lines each edit replaced: the cost of an edit is the lines it touched, not the text.

`words` always equals `count_words` of the whole text (whitespace splits at every line break, so
the words of a text are the sum of its lines' words); `questions(lines)` equals the lines marked
`TODO:` or `??`, numbered from 1 as the editor numbers its lines. `question_text` is what the
open-questions list shows of such a line: the sentence holding its mark, not the line's start (a
paragraph is one line, and its question is often at its end)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from deskwork.domain.drafts import QUESTION_MARK

QUESTION_SHOWN = 60  # characters of a question the list shows
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")  # a sentence ends here (`??` ends at its second ?)


def question_text(line: str, limit: int = QUESTION_SHOWN) -> str:
    """The open question of a line marked `TODO:` or `??`, at most `limit` characters: from a
    `TODO:` to the end of its sentence; the sentence a `??` ends (its end kept when cut); the
    line stripped when it holds no mark."""
    mark = QUESTION_MARK.search(line)
    if mark is None:
        return line.strip()[:limit]
    if mark.group() == "TODO:":
        after = SENTENCE_END.search(line, mark.end())
        text = " ".join(line[mark.start() : after.end() if after else len(line)].split())
        return text if len(text) <= limit else text[: limit - 1] + "\u2026"
    ends = [0] + [before.end() for before in SENTENCE_END.finditer(line, 0, mark.start())]
    text = " ".join(line[ends[-1] : mark.end()].split())
    if text == mark.group() and len(ends) > 1:  # a bare `??` after a sentence: that one asks
        text = " ".join(line[ends[-2] : mark.end()].split())
    return text if len(text) <= limit else "\u2026" + text[-(limit - 1) :]


class LineTally:
    def __init__(self, lines: Sequence[str]) -> None:
        self._words = [len(line.split()) for line in lines]
        self._asks = [QUESTION_MARK.search(line) is not None for line in lines]
        self.words = sum(self._words)
        self.questions_changed = True  # the question lines (or their numbers) may differ

    def replace(self, first: int, old_last: int, new_lines: Sequence[str]) -> None:
        """Lines `first`..`old_last` (inclusive) of the text are now `new_lines`."""
        stop = old_last + 1
        words = [len(line.split()) for line in new_lines]
        asks = [QUESTION_MARK.search(line) is not None for line in new_lines]
        self.words += sum(words) - sum(self._words[first:stop])
        old_asks = self._asks[first:stop]
        if any(old_asks) or any(asks) or (len(asks) != len(old_asks) and any(self._asks[stop:])):
            self.questions_changed = True  # a question line edited, added, removed or renumbered
        self._words[first:stop] = words
        self._asks[first:stop] = asks

    def questions(self, lines: Sequence[str]) -> list[tuple[int, str]]:
        """The open questions of `lines` (the text this tally follows): (line number, line)."""
        self.questions_changed = False
        return [(number + 1, lines[number].strip()) for number, ask in enumerate(self._asks) if ask]
