"""The part of a draft the preview beside the text shows (domain/preview_window.py): a post that
fits is shown whole; a long one, the section the cursor is in, or the paragraphs around it, never
cut inside fenced code or (when a paragraph fits) inside a paragraph."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from deskwork.domain.preview_window import LIMIT, Window, window


def test_a_post_that_fits_is_shown_whole() -> None:
    lines = ["# Title", "", "a short post"]
    part = window(lines, 2)
    assert part == Window(0, 3, 3) and part.whole
    assert part.markdown(lines) == "# Title\n\na short post"


def test_a_long_post_shows_the_section_the_cursor_is_in() -> None:
    paragraph = "words " * 200  # 1,200 characters
    lines: list[str] = []
    for n in range(30):
        lines += [f"## Part {n}", "", paragraph, "", paragraph, ""]
    cursor = lines.index("## Part 17") + 2
    part = window(lines, cursor)
    assert lines[part.first] == "## Part 17"
    assert lines[part.last] == "## Part 18"
    text = part.markdown(lines)
    assert text.startswith(f"*Lines {part.first + 1}–{part.last} of {len(lines)}: ")
    assert "## Part 16" not in text and "## Part 18" not in text


def test_a_heading_inside_fenced_code_is_not_a_section() -> None:
    paragraph = "words " * 500
    lines = ["# Post", "", paragraph, "", "```python", "# not a heading", "x = 1", "```", ""]
    lines += [paragraph, ""] * 8 + ["# Next", "", paragraph]
    part = window(lines, lines.index("x = 1"), limit=LIMIT)
    assert part.first <= 4 and "# not a heading" in part.markdown(lines)


def test_a_section_longer_than_the_limit_shows_the_paragraphs_around_the_cursor() -> None:
    paragraph = "gradient descent " * 50  # 850 characters
    lines = ["# One long section", ""] + [paragraph, ""] * 100
    part = window(lines, 101)
    shown = part.markdown(lines)
    assert 101 in range(part.first, part.last)
    assert len(shown) <= LIMIT + len(paragraph) + 80  # the limit, rounded out to blank lines
    assert not lines[part.first].strip() and not lines[part.last - 1].strip()


lines_strategy = st.lists(
    st.one_of(
        st.sampled_from(["", "# H", "## Sub", "```", "~~~", "    # indented", "text " * 40]),
        st.text(alphabet="ab #`~\n", max_size=300).map(lambda s: s.replace("\n", " ")),
    ),
    min_size=1,
    max_size=300,
)


@given(lines=lines_strategy, cursor=st.integers(min_value=-5, max_value=400))
def test_the_window_always_holds_the_cursor_within_the_post(lines: list[str], cursor: int) -> None:
    part = window(lines, cursor, limit=2_000)
    line = min(max(cursor, 0), len(lines) - 1)
    assert 0 <= part.first <= line < part.last <= len(lines) == part.lines
    if sum(map(len, lines)) + len(lines) <= 2_000:
        assert part.whole
