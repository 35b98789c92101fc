"""The starter curriculum speaks a learner's language: where a figure comes from, in words (no
"seed 004: 0.5 points")."""

from __future__ import annotations

import re

from deskwork.paths import Paths
from deskwork.services import Desk
from deskwork.services.curriculum import import_starter


def test_starter_notes_say_where_figures_come_from_in_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    desk = Desk.open(Paths(tmp_path, tmp_path))
    try:
        items = import_starter(desk)
    finally:
        desk.close()
    assert len(items) > 20
    for item in items:
        assert not re.search(r"\bseeds? \d", item.notes, re.I), item.notes
        assert "1 point ≈ one university course for a semester" in item.notes, item.title
    fastai = next(i for i in items if i.title.startswith("Practical Deep Learning"))
    assert fastai.notes.startswith("Effort 1.5 points, as planned in “Zero to Deep Learning”")
    specialization = next(i for i in items if i.title == "Deep Learning Specialization")
    assert specialization.notes.endswith("Costs $45.")
