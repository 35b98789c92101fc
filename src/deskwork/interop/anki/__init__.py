"""Anki interop: .apkg / .colpkg (legacy `collection.anki2`/`.anki21` and current `collection.anki21b`,
zstd-compressed) and Anki's "Notes in Plain Text" format, both ways. Readers build every card in
memory and raise AnkiError on any problem, so an import is all or nothing."""

from deskwork.interop.anki.model import AnkiError, Deck, ImportLimits

__all__ = ["AnkiError", "Deck", "ImportLimits"]
