"""The card search's syntax as Anki's search parser reads it (rslib/src/search/parser.rs and
text.rs), apart from what its terms mean (domain/cardsearch.py): the words of a query (`tokens`:
quotes make one word of several, `(` `)` group), the grammar over them (`Parser`: and, or,
groups, `-` negation), the split of a term into key and value at its first unescaped `:`
(`split_term`), and Anki's backslash escapes: `\\"` a quote inside a quoted term, `\\:` `\\(`
`\\)` `\\-` those characters themselves (`unescape`), and in text that may hold wildcards (`*`
any run, `_` one character) `\\*` `\\_` `\\\\` a star, an underscore, a backslash (`glob_re`,
`is_glob`, `plain`). An escape it does not know is refused, naming it, as Anki refuses it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

OPEN, CLOSE = object(), object()  # an unquoted `(` / `)`: a group, as in Anki
Token = str | object
MAX_DEPTH = 100  # groups nested deeper are refused (the parser recurses once for each)


class Quoted(str):
    """A word written in quotes: always a term, never the operator (`"or"` finds the word "or",
    as in Anki)."""

    __slots__ = ()


_UNKNOWN_ESCAPE = re.compile(r"(?:^|[^\\])(?:\\\\)*(\\(?:[^\\\":*_()-]|$))", re.DOTALL)
_PARSER_ESCAPE = re.compile(r"\\([\\\":()-])", re.DOTALL)
_GLOB = re.compile(r"(?:^|[^\\])(?:\\\\)*[*_]", re.DOTALL)
_KEY = re.compile(r"((?:[^:\\]|\\.)*):", re.DOTALL)


def tokens(query: str, quotes: str = "\"'") -> list[Token]:
    """The query's words and OPEN / CLOSE for each unquoted parenthesis. A quoted part is one
    word, its quotes removed (a `Quoted` word: `"or"` is a term, not the operator) (`deck:"two words"` and `"deck:two words"` are alike); a backslash
    keeps the character after it in the word, escaped (`\\"` inside quotes does not close them, an
    escaped `(` does not open a group): `unescape` reads the escapes of a term. A `'` left open is
    an apostrophe (`don't`): single quotes are read as plain characters then; a `"` left open is
    refused (ValueError naming the term it opens: the search was silently for words with a `"`
    in them)."""
    out: list[Token] = []
    word: list[str] = []
    quote = ""
    quoted_at = 0  # where the word with the open quote began in `query`
    started = False  # a word was begun (an empty pair of quotes is still a word)
    quoted = False  # the word has a quoted part
    escaped = False

    def flush() -> None:
        nonlocal started, quoted
        if started:
            out.append(Quoted("".join(word)) if quoted else "".join(word))
        word.clear()
        started = quoted = False

    for at, ch in enumerate(query):
        if escaped:
            word.append(ch)
            escaped = False
        elif ch == "\\":
            if not quote and (at + 1 == len(query) or query[at + 1].isspace()):
                raise ValueError(f"{_term_at(query, at)}: a '\\' escapes the character after "
                                 f"it ({_ESCAPES_SAID}); '\\\\' is a backslash")  # fmt: skip
            if not started:
                quoted_at = at
            word.append(ch)
            escaped = started = True
        elif quote:
            if ch == quote:
                quote = ""
            elif ch == "-" and len(word) == 0:  # a quoted '-' at the start is no negation
                word.append("\\-")
            else:
                word.append(ch)
        elif ch in quotes:
            if not started:
                quoted_at = at
            quote, started, quoted = ch, True, True
        elif ch.isspace():
            flush()
        elif ch in "()":
            flush()
            out.append(OPEN if ch == "(" else CLOSE)
        else:
            if not started:
                quoted_at = at
            word.append(ch)
            started = True
    if quote == "'":  # an apostrophe: read again with single quotes as characters
        return tokens(query, quotes=quotes.replace("'", ""))
    if quote:
        term = query[quoted_at:].strip()
        raise ValueError(f"{term}: a '\"' without its closing '\"' in the search")
    flush()
    return out


_ESCAPES_SAID = 'one of \\\\ \\" \\* \\_ \\: \\( \\) \\-'


def _term_at(query: str, at: int) -> str:
    """The whitespace-separated part of `query` around position `at`."""
    start = max(query.rfind(" ", 0, at), query.rfind("\t", 0, at)) + 1
    end = len(query) if query.find(" ", at) < 0 else query.find(" ", at)
    return query[start:end]


def split_term(term: str) -> tuple[str, str, str]:
    """`term` as (key, ":", value) at its first unescaped colon (`front:a\\:b` is the field
    Front holding "a:b"), or ("", "", term) when it has none. A term starting with `:` is refused:
    a key is missing (`\\:` searches for the colon)."""
    if term.startswith(":"):
        raise ValueError(f"{term}: a ':' needs a name before it (front:word, deck:ML), "
                         "or write '\\:' to search for the colon itself")  # fmt: skip
    found = _KEY.match(term)
    if found is None:
        return "", "", term
    return found.group(1), ":", term[found.end() :]


def unescape(text: str, term: str | None = None) -> str:
    """`text` with the escapes the parser reads replaced (`\\"` `\\:` `\\(` `\\)` `\\-` by the
    character); `\\\\` `\\*` `\\_` stay for `glob_re` / `plain`. ValueError names an escape Anki does
    not know (`\\d`: a backslash before anything else), in `term` (the whole term, for the
    message)."""
    bad = _UNKNOWN_ESCAPE.search(text)
    if bad is not None:
        said = bad.group(1) if len(bad.group(1)) > 1 else "\\ at the end"
        raise ValueError(f"{term or text}: {said} is not an escape the search knows (a '\\' "
                         f"escapes {_ESCAPES_SAID}; '\\\\' is a backslash)")  # fmt: skip
    return _PARSER_ESCAPE.sub(lambda m: m.group(0) if m.group(1) == "\\" else m.group(1), text)


def is_glob(text: str) -> bool:
    """`text` (unescaped) holds a wildcard: an unescaped `*` or `_`."""
    return _GLOB.search(text) is not None


def glob_re(text: str, wildcard: str = ".") -> str:
    """A regular expression (no anchors) for `text` (unescaped) as Anki's `to_custom_re`: `*`
    any run of `wildcard`, `_` one, `\\*` `\\_` `\\\\` the character, the rest literal."""
    out: list[str] = []
    for part in re.findall(r"\\?.", text, re.DOTALL):
        if part == "*":
            out.append(wildcard + "*")
        elif part == "_":
            out.append(wildcard)
        else:
            out.append(re.escape(part[-1]))
    return "".join(out)


def plain(text: str) -> str:
    """`text` (unescaped, no wildcards) with every remaining escape read: the characters meant."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


class Parser(Generic[T]):
    """Anki's grammar: terms side by side are ANDed (`and` may be written), `or` between two
    parts (either case, unquoted; binds looser than and), `(…)` groups (refused nested deeper
    than MAX_DEPTH, before Python's recursion limit), `-` negates a term or a group.
    `make` turns one term (a word of `tokens`, without its `-`) into a test."""

    def __init__(self, words: list[Token], make: Callable[[str], Callable[[T], bool]]) -> None:
        self.tokens = words
        self.at = 0
        self.make = make
        self.depth = 0  # groups open where the parser is

    def _peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    @staticmethod
    def _is_word(token: Token | None, word: str) -> bool:
        return isinstance(token, str) and not isinstance(token, Quoted) and token.lower() == word

    def parse(self) -> Callable[[T], bool]:
        test = self._or()
        if self.at < len(self.tokens):
            raise ValueError("a ')' without its '(' in the search")
        return test

    def _or(self) -> Callable[[T], bool]:
        parts = [self._and()]
        while self._is_word(self._peek(), "or"):
            self.at += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda c: any(t(c) for t in parts))

    def _and(self) -> Callable[[T], bool]:
        parts: list[Callable[[T], bool]] = []
        while True:
            token = self._peek()
            if token is None or token is CLOSE or self._is_word(token, "or"):
                break
            if self._is_word(token, "and"):
                if not parts:
                    raise ValueError("'and' needs a search term before it")
                self.at += 1
                continue
            parts.append(self._unary())
        if not parts:
            raise ValueError("'or' needs a search term on each side")
        return parts[0] if len(parts) == 1 else (lambda c: all(t(c) for t in parts))

    def _unary(self) -> Callable[[T], bool]:
        token = self._peek()
        self.at += 1
        if token == "-" and self._peek() is OPEN:
            inner = self._unary()
            return lambda c: not inner(c)
        if token is OPEN:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ValueError(f"groups nested deeper than {MAX_DEPTH} in the search: "
                                 "write fewer '('")  # fmt: skip
            inner = self._or()
            if self._peek() is not CLOSE:
                raise ValueError("a '(' without its ')' in the search")
            self.at += 1
            self.depth -= 1
            return inner
        assert isinstance(token, str)
        if token.startswith("-") and len(token) > 1:
            test = self.make(token[1:])
            return lambda c: not test(c)
        return self.make(token)
