"""Every deskwork screen uses DeskFooter, so no footer shows Textual's own "^p Commands" beside
the palette command that the keymap already lists (bug 14 of the study-day issue)."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "src" / "deskwork" / "ui"


def test_no_screen_yields_textuals_own_footer() -> None:
    offenders = [
        f"{path.relative_to(UI)}:{n}"
        for path in UI.rglob("*.py")
        if path.name not in ("footer.py", "served.py")  # served: the refusal page has no palette
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\byield Footer\(", line)
    ]
    assert offenders == []
