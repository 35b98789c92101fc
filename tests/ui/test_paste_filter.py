"""The paste filter between the terminal and Textual's parser: escape sequences inside a
bracketed paste are dropped, text outside a paste passes unchanged, however the input is cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from deskwork.ui.paste_filter import PASTE_END, PASTE_START, PasteFilter

PIECES = st.sampled_from([
    "a", "é", " ", "\n", "\t", "\r", "\x07", "\x1b", "\x1b[31m", "\x1b[0m", "\x1b]0;t\x07",
    "\x1b]8;;http://x\x1b\\", "\x1bP1$r\x1b\\", "\x1b(B", "\x9b", "\x7f", "[", "]", "~", "201",
])  # fmt: skip


def filtered(chunks: list[str]) -> str:
    f = PasteFilter()
    return "".join(f(chunk) for chunk in chunks)


def test_a_paste_loses_its_escapes_and_keeps_its_text() -> None:
    data = (
        "x" + PASTE_START + "ls \x1b[01;34mdir\x1b[0m\x1b]0;title\x07 a\tb\nc\x00" + PASTE_END + "y"
    )
    assert filtered([data]) == "x" + PASTE_START + "ls dir a\tb\nc" + PASTE_END + "y"
    assert filtered(["\x1b[A\x1b[1;5C\x07q"]) == "\x1b[A\x1b[1;5C\x07q"  # keys, untouched


@given(st.lists(PIECES, max_size=40), st.lists(PIECES, max_size=10), st.data())
def test_any_cut_gives_the_same_and_a_paste_holds_no_control(
    inside: list[str], outside: list[str], data: st.DataObject
) -> None:
    before = "".join(outside).replace("\x1b", "")  # plain keys before the paste
    stream = before + PASTE_START + "".join(inside) + PASTE_END + "z"
    whole = filtered([stream])
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=8)))
    pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    assert filtered(pieces) == whole
    assert whole.startswith(before + PASTE_START) and whole.endswith(PASTE_END + "z")
    text = whole[len(before) + len(PASTE_START) : -len(PASTE_END) - 1]
    assert all(ch in "\t\n\r" or (ch >= " " and ch != "\x7f" and not "\x80" <= ch <= "\x9f")
               for ch in text), repr(text)  # fmt: skip
    kept = "".join(
        p for p in inside if p in ("a", "é", " ", "\n", "\t", "\r", "[", "]", "~", "201")
    )
    if "\x1b" not in "".join(inside) and "\x9b" not in "".join(inside):
        assert text == kept
