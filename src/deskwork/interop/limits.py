"""The caps on every import: file size, rows, field length, front matter, decompressed size.

Chosen so that a real learner never meets them (a 100,000-card Anki collection with media, a
20,000-row curriculum, a 1 MB post) while a hostile file is refused fast and in bounded memory.
README ("Limits on imports") lists them; a refusal names the file and the cap it crossed.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class TextCaps:
    """A text import's caps: the file's size, its rows (items, notes), one field's length."""

    what: str  # "curriculum file", for messages
    max_bytes: int
    max_rows: int
    max_field_chars: int


CURRICULUM = TextCaps("curriculum file", 16 * MiB, 20_000, 100_000)
# Anki's "Notes in Plain Text": 500,000 notes (the .apkg cap), fields up to Python csv's own
# 131,072-character limit (a field with an inline image fits; a longer one is refused clearly).
ANKI_TEXT = TextCaps("Anki text file", 128 * MiB, 500_000, 131_072)
POST = TextCaps("post", 16 * MiB, 0, 0)
FRONT_MATTER_BYTES = 64 * 1024  # the YAML or Pelican header above a post's body
