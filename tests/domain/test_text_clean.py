"""`clean` has a fast path for ASCII text without control characters: it must give exactly what the
escape and control patterns give, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deskwork.domain.text import _ANSI, _CONTROL, _INVISIBLE, clean, clean_fields

# Text that mixes plain ASCII with every kind of character the patterns care about.
tricky = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from(
            ["\x1b", "\x9b", "[", "]", "m", "\x07", "\\", "\u202e", "\u2066", "\u200b"]
        ),
        st.characters(),
    ),
    max_size=60,
)


def slow(text: str, single_line: bool) -> str:
    text = _CONTROL.sub("", _ANSI.sub("", text))
    if single_line:
        text = " ".join(_INVISIBLE.sub("", text).split())
    return text


@settings(max_examples=400)
@given(tricky, st.booleans())
def test_clean_is_the_patterns(text: str, single_line: bool) -> None:
    assert clean(text, single_line=single_line) == slow(text, single_line)


def test_plain_ascii_comes_back_as_it_is_and_escapes_still_go() -> None:
    body = "a post\twith tabs\nand lines " * 500
    assert clean(body) is body
    assert clean("red \x1b[31mtext\x1b[0m\x7f end") == "red text end"
    assert clean("bell\x07 and \x1b]0;title\x07 gone") == "bell and  gone"


@settings(max_examples=400)
@given(st.lists(tricky, min_size=1, max_size=4))
def test_a_notes_fields_are_cleaned_as_each_field_alone(fields: list[str]) -> None:
    joined = "\x1f".join(fields)  # a field may hold a separator of its own: split there too
    assert clean_fields(joined) == [clean(f) for f in joined.split("\x1f")]
