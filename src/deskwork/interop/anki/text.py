"""Anki's "Notes in Plain Text" (headers `#separator:`, `#html:`, `#tags:`, `#deck:`, `#notetype:`,
`#deck column:`, `#notetype column:`, `#guid column:`, `#tags column:`) and plain CSV/TSV with
front,back columns; writing the same format back."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from deskwork.domain import cloze
from deskwork.domain.cards import Card, NoteType
from deskwork.domain.notes import cards_for_note, new_guid
from deskwork.interop.anki.model import AnkiError, Deck

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}


def _note_type(name: str) -> NoteType:
    lowered = name.lower()
    if lowered.startswith("cloze"):
        return NoteType.CLOZE
    if "reverse" in lowered:
        return NoteType.REVERSED
    return NoteType.BASIC


def read_text(text: str, name: str, now: datetime, deck_name: str = "") -> Deck:
    lines = text.lstrip("\ufeff").splitlines()
    headers: dict[str, str] = {}
    body_start = 0
    for n, line in enumerate(lines):
        if not line.startswith("#") or ":" not in line:
            body_start = n
            break
        key, _, value = line[1:].partition(":")
        headers[key.strip().lower()] = value.strip()
        body_start = n + 1
    sep_name = headers.get("separator", "")
    if sep_name:
        separator = SEPARATORS.get(sep_name.lower(), sep_name[:1])
    else:
        sample = "\n".join(lines[body_start : body_start + 20])
        separator = "\t" if "\t" in sample or name.lower().endswith(".tsv") else ","
    is_html = headers.get("html", "false").lower() == "true"

    def column(key: str) -> int | None:
        value = headers.get(f"{key} column")
        if value is None:
            return None
        if not value.isdigit() or int(value) < 1:
            raise AnkiError(f"{name}: header '#{key} column:{value}' is not a column number")
        return int(value) - 1

    special = {k: column(k) for k in ("guid", "notetype", "deck", "tags")}
    deck = Deck(name, match_first_field=special["guid"] is None)
    reader = csv.reader(io.StringIO("\n".join(lines[body_start:])), delimiter=separator)
    for offset, row in enumerate(reader):
        line_no = body_start + offset + 1
        if not any(cell.strip() for cell in row):
            continue
        cells = {n: v for n, v in enumerate(row)}

        def take(index: int | None, cells: dict[int, str] = cells) -> str:
            return cells.get(index, "").strip() if index is not None else ""

        fields = [v for n, v in enumerate(row) if n not in special.values()]
        if not deck.cards and not deck.skipped_rows and _is_header_row(row):
            deck.skipped_rows.append((line_no, "a header row (column names)"))
            continue
        if not fields or not fields[0].strip():
            deck.skipped_rows.append((line_no, "the first field (front) is empty"))
            continue
        note_type = _note_type(take(special["notetype"]) or headers.get("notetype", "Basic"))
        # Without guids, notes match by first field against what is stored (services.anki), as
        # Anki does; a front repeated inside the file is imported twice, as Anki does too.
        if (
            deck.match_first_field
            and note_type is not NoteType.CLOZE
            and not any(f.strip() for f in fields[1:])
        ):
            deck.skipped_rows.append((line_no, "the back is empty"))
            continue
        tags = (take(special["tags"]) or headers.get("tags", "")).split()
        target = deck_name or take(special["deck"]) or headers.get("deck", "") or "Default"
        back = (
            "<br>".join(f for f in fields[1:] if f.strip())
            if is_html
            else "\n".join(f for f in fields[1:] if f.strip())
        )
        if note_type is NoteType.CLOZE:
            back = fields[1] if len(fields) > 1 else ""
            if not cloze.numbers(fields[0]):
                raise AnkiError(f"{name}: line {line_no}: a cloze note without {{{{c1::…}}}}")
        guid = take(special["guid"]) or new_guid()
        try:
            deck.cards += cards_for_note(
                note_type, fields[0], back, target.replace("\x1f", "::"), tags, now,
                note_guid=guid, html=is_html,
            )  # fmt: skip
        except ValueError as exc:
            raise AnkiError(f"{name}: line {line_no}: {exc}") from None
        deck.lines[guid] = line_no
    if not deck.cards:
        skipped = "; ".join(f"line {n}: {why}" for n, why in deck.skipped_rows[:5])
        raise AnkiError(f"{name}: no notes found" + (f" ({skipped})" if skipped else ""))
    return deck


HEADER_NAMES = {
    "front", "back", "question", "answer", "text", "extra", "tags", "tag", "deck", "notetype",
    "note type", "guid", "term", "definition", "word", "meaning", "hint", "notes",
}  # fmt: skip


def _is_header_row(row: list[str]) -> bool:
    """`front,back` and the like: a first row made only of column names."""
    cells = [c.strip().strip(":").lower() for c in row if c.strip()]
    return bool(cells) and all(c in HEADER_NAMES for c in cells)


_TYPE_NAMES = {
    NoteType.BASIC: "Basic",
    NoteType.REVERSED: "Basic (and reversed card)",
    NoteType.CLOZE: "Cloze",
}


def write_text(cards: list[Card]) -> str:
    """Anki's plain-text format with guid, note type, deck and tags columns (HTML fields)."""
    from deskwork.interop.anki.package import field_html

    out = io.StringIO()
    out.write(
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
    )
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    seen: set[str] = set()
    for card in cards:
        guid = card.note_guid or f"deskwork-{card.id}"
        if guid in seen:
            continue
        seen.add(guid)
        writer.writerow([
            guid, _TYPE_NAMES[card.note_type], card.deck,
            field_html(card.front, card.html), field_html(card.back, card.html),
            " ".join(t.replace(" ", "_") for t in card.tags),
        ])  # fmt: skip
    return out.getvalue()
