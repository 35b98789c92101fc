"""Notes: the cards one note makes (basic: one, basic + reversed: two, cloze: one per number),
and the guid that ties them together (Anki's, when a note comes from Anki)."""

from __future__ import annotations

import html as html_lib
import re
import secrets
from datetime import datetime
from typing import Any

from deskwork.domain import cloze
from deskwork.domain.cards import Card, NoteType


def new_guid() -> str:
    return secrets.token_urlsafe(8)


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def first_field_key(note_type: NoteType, front: str, html: bool) -> tuple[str, str]:
    """What Anki compares to call a note a duplicate when there is no guid: the first field, as
    text (HTML tags dropped, entities decoded, spacing normalised), within the note type."""
    text = html_lib.unescape(_TAG.sub(" ", front)) if html else front
    return note_type.value, _SPACE.sub(" ", text).strip()


def cards_for_note(
    note_type: NoteType,
    front: str,
    back: str,
    deck: str,
    tags: list[str],
    now: datetime,
    **extra: Any,
) -> list[Card]:
    """The cards of one new note (raises ValueError for a cloze note without deletions)."""
    guid = extra.pop("note_guid", None) or new_guid()
    common: dict[str, Any] = dict(
        deck=deck or "Default", front=front, back=back, tags=tags, note_guid=guid,
        note_type=note_type, created=now, modified=now, due=now, **extra,
    )  # fmt: skip
    if note_type is NoteType.CLOZE:
        found = cloze.numbers(front)
        if not found:
            raise ValueError("a cloze card needs a deletion like {{c1::text}}")
        return [Card(ord=n - 1, **common) for n in found]
    if not front.strip():
        raise ValueError("the front is empty")
    ords = (0, 1) if note_type is NoteType.REVERSED else (0,)
    return [Card(ord=o, **common) for o in ords]
