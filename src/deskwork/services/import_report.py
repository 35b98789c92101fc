"""What an Anki import did, as the CLI prints it (`lines`), as `--json` gives it (`as_json`) and as
the TUI's dialog shows it: notes, cards and reviews added; notes and cards brought up to date;
what was skipped and why (by reason, and rows of a text file by line)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from deskwork.domain.wording import figure, plural

ALREADY_THERE = "already there (same front)"


@dataclass
class ImportReport:
    notes: int = 0
    cards: int = 0
    decks: dict[str, int] = field(default_factory=dict)
    reviews: int = 0
    duplicates: int = 0  # notes already here (same guid)
    media_skipped: int = 0
    notes_skipped: int = 0
    notes_updated: int = 0
    cards_added_to_existing_notes: int = 0
    cards_rescheduled: int = 0
    cards_state_changed: int = 0  # suspension / flag / burial taken from the file
    cards_changed_meanwhile: int = 0  # answered or edited here while the import ran: kept
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> notes
    deleted_in_anki: list[str] = field(default_factory=list)  # guids
    notetypes_added: int = 0
    notetypes_updated: int = 0
    decks_created: list[str] = field(default_factory=list)
    filtered_decks_not_kept: list[str] = field(default_factory=list)
    guids_renamed: int = 0
    media_added: int = 0
    duplicate_rule: str = "guid"  # or "first field" (plain text without a guid column)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (line, why), in order
    # plain text: columns past the note type's fields, left out (`Deck.columns_left_out`)
    columns_left_out: list[str] = field(default_factory=list)
    presets: list[str] = field(default_factory=list)  # presets added / updated, problems

    def rows_left_out(self) -> list[tuple[int, str]]:
        """The rows skipped for a reason other than being there already (those are `duplicates`)."""
        return [row for row in self.skipped_rows if row[1] != ALREADY_THERE]

    def as_json(self) -> dict[str, object]:
        return {
            "notes": self.notes, "cards": self.cards, "decks": self.decks, "reviews": self.reviews,
            "duplicates": self.duplicates, "media_skipped": self.media_skipped,
            "unsupported_notes_skipped": self.notes_skipped,
            "updated": {
                "notes": self.notes_updated,
                "cards_added_to_existing_notes": self.cards_added_to_existing_notes,
                "cards_rescheduled": self.cards_rescheduled,
                "cards_deck_suspension_flag_or_burial": self.cards_state_changed,
                "cards_changed_here_meanwhile_kept": self.cards_changed_meanwhile,
            },
            "skipped": dict(self.skipped),
            "deleted_in_anki": {"count": len(self.deleted_in_anki), "guids": self.deleted_in_anki[:50]},
            "note_types": {"added": self.notetypes_added, "updated": self.notetypes_updated},
            "decks_created": self.decks_created,
            "filtered_decks_not_kept": self.filtered_decks_not_kept,
            "duplicate_guids_kept_apart": self.guids_renamed,
            "media_added": self.media_added,
            "duplicate_rule": self.duplicate_rule,
            "skipped_rows": [{"line": n, "reason": why} for n, why in self.skipped_rows],
            "columns_left_out": self.columns_left_out,
            "presets": self.presets,
        }  # fmt: skip

    def lines(self) -> list[str]:
        out = [
            f"imported {plural(self.notes, 'note')}, {plural(self.cards, 'card')}, "
            f"{plural(self.reviews, 'review')}"
        ]
        out += [f"  {deck}: {figure(n)}" for deck, n in self.decks.items()]
        if self.duplicates and self.duplicate_rule == "first field":
            out.append(f"{plural(self.duplicates, 'note')} already there (same front): skipped")
        elif self.duplicates:
            out.append(
                f"{plural(self.duplicates, 'note')} already here (same guid): "
                f"{figure(self.notes_updated)} updated, "
                f"{plural(self.cards_added_to_existing_notes, 'new card')} on them, "
                f"{figure(self.cards_rescheduled)} rescheduled, {figure(self.cards_state_changed)} "
                "suspended/unsuspended, flagged or buried"
            )
        left_out = self.rows_left_out()
        if left_out:
            out.append(f"{plural(len(left_out), 'row')} skipped: {rows_text(left_out)}")
        out += self.columns_left_out
        for reason, n in sorted(self.skipped.items()):
            out.append(f"{plural(n, 'note')} not updated: {reason}")
        if self.cards_changed_meanwhile:
            out.append(
                f"{plural(self.cards_changed_meanwhile, 'card')} answered or edited in deskwork "
                "while the import ran: deskwork's kept (a change made after the file's)"
            )
        if self.deleted_in_anki:
            out.append(
                f"{plural(len(self.deleted_in_anki), 'note')} here but not in the file "
                "(deleted in Anki?): kept"
            )
        if self.filtered_decks_not_kept:
            names = ", ".join(self.filtered_decks_not_kept)
            out.append(f"filtered decks not kept (their cards are in their home decks): {names}")
        if self.decks_created:
            out.append(f"decks created: {', '.join(self.decks_created)}")
        if self.guids_renamed:
            out.append(
                f"{plural(self.guids_renamed, 'note')} sharing a guid with another note: kept apart"
            )
        out += self.presets  # presets added or updated, decks that kept theirs, problems
        if self.media_added:
            out.append(f"{plural(self.media_added, 'media file')} added")
        if self.media_skipped:
            out.append(f"{plural(self.media_skipped, 'media file')} refused (unsafe names)")
        if self.notes_skipped:
            out.append(
                f"{plural(self.notes_skipped, 'image-occlusion note')} skipped "
                "(deskwork cannot show them)"
            )
        return out


def rows_text(rows: list[tuple[int, str]], most: int = 8) -> str:
    """'line 1: a header row (column names); line 4: the back is empty' (the first `most`)."""
    shown = [f"line {n}: {why}" for n, why in rows[:most]]
    more = len(rows) - most
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
