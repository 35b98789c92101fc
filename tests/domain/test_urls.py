"""Tracking parameters leave links (and the links inside titles); everything else stays as written."""

from __future__ import annotations

import pytest

from deskwork.domain.urls import strip_tracking, strip_tracking_in
from deskwork.services.links import parse_target


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        (
            "https://www.fast.ai/posts/x.html?utm_source=twitter&utm_medium=social",
            "https://www.fast.ai/posts/x.html",
        ),
        ("https://a.org/p?id=3&fbclid=IwAR0x&page=2#top", "https://a.org/p?id=3&page=2#top"),
        ("https://a.org/p?gclid=1&UTM_Campaign=x&msclkid=2", "https://a.org/p"),
        ("https://youtu.be/abc?si=XYZ&t=42", "https://youtu.be/abc?t=42"),
        ("https://www.youtube.com/watch?v=abc&si=XYZ", "https://www.youtube.com/watch?v=abc"),
        (
            "https://example.org/search?si=keep&q=a%20b",
            "https://example.org/search?si=keep&q=a%20b",
        ),
        ("https://a.org/plain", "https://a.org/plain"),
        ("not a url ?utm_source=x", "not a url ?utm_source=x"),
    ],
)
def test_tracking_parameters_are_removed(url: str, clean: str) -> None:
    assert strip_tracking(url) == clean


def test_links_in_titles_lose_them_too() -> None:
    title = "Read https://a.org/x?utm_source=nl&id=1 today"
    assert strip_tracking_in(title) == "Read https://a.org/x?id=1 today"


def test_an_added_link_is_saved_without_them() -> None:
    target = parse_target("https://course.fast.ai/Lessons/lesson1.html?utm_source=newsletter")
    assert target.url == "https://course.fast.ai/Lessons/lesson1.html"
    assert parse_target("course.fast.ai/?fbclid=abc").url == "https://course.fast.ai/"
