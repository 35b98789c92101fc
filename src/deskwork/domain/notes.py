"""Notes: the cards one note makes under its note type (Anki's rule: a standard type makes a card
for each template whose front is non-empty, a cloze type one per cloze number), the guid that ties
them together (Anki's, when a note comes from Anki), and the cards an edit adds."""

from __future__ import annotations

import html as html_lib
import re
import secrets
from datetime import datetime
from typing import Any

from deskwork.domain.cards import Card, CardState
from deskwork.domain.notetypes import NoteTypeDef, card_ords, fit_fields


def new_guid() -> str:
    return secrets.token_urlsafe(8)


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def first_field_key(note_type: str, front: str, html: bool) -> tuple[str, str]:
    """What Anki compares to call a note a duplicate when there is no guid: the first field, as
    text (HTML tags dropped, entities decoded, spacing normalised), within the note type."""
    text = html_lib.unescape(_TAG.sub(" ", front)) if html else front
    return str(note_type), _SPACE.sub(" ", text).strip()


def cards_for_note(
    notetype: NoteTypeDef,
    fields: list[str],
    deck: str,
    tags: list[str],
    now: datetime,
    *,
    shown_as: str = "",
    **extra: Any,
) -> list[Card]:
    """The cards of one new note (ValueError when it would have none, saying why, the type named
    `shown_as`: the name lists show, "Basic (deskwork)" beside an imported Basic)."""
    guid = extra.pop("note_guid", None) or new_guid()
    fields = fit_fields(notetype, fields)
    ords = card_ords(notetype, fields, tags)
    if not ords:
        if notetype.is_cloze:
            raise ValueError("a cloze note needs a deletion like {{c1::text}}")
        name = shown_as or notetype.name
        raise ValueError(f"the front is empty (no card of {name!r} would show anything)")
    common: dict[str, Any] = dict(
        deck=deck or "Default", fields=fields, tags=tags, note_guid=guid, note_type=notetype.key,
        created=now, modified=now, note_modified=now, due=now, **extra,
    )  # fmt: skip
    return [Card(ord=o, **common) for o in ords]


def new_cards_after_edit(
    notetype: NoteTypeDef, siblings: list[Card], template: Card, now: datetime
) -> list[Card]:
    """Cards an edited note now needs (a new cloze number, a template that is no longer empty);
    existing cards are never removed (Anki leaves them for "Empty Cards")."""
    have = {c.ord for c in siblings}
    wanted = card_ords(notetype, template.fields, template.tags)
    return [
        template.model_copy(
            update={
                "id": 0,
                "ord": o,
                "state": CardState.LEARNING,
                "step": 0,
                "stability": None,
                "difficulty": None,
                "due": now,
                "last_review": None,
                "reps": 0,
                "lapses": 0,
                "created": now,
                "modified": now,
                "anki_id": None,
                "suspended": False,
                "buried_until": None,
                "flag": 0,
            }
        )
        for o in wanted
        if o not in have
    ]
