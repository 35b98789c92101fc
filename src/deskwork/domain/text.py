"""Untrusted text (web titles, imported cards) made safe to show: control characters removed."""

from __future__ import annotations

import re

# C0 controls except tab/newline, DEL, C1 controls (incl. the 8-bit CSI), plus ANSI escape sequences.
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str, *, single_line: bool = False) -> str:
    """`text` without terminal escape sequences or control characters."""
    text = _CONTROL.sub("", _ANSI.sub("", text))
    if single_line:
        text = " ".join(text.split())
    return text
