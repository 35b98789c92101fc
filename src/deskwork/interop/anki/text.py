"""Anki's "Notes in Plain Text" (headers `#separator:`, `#html:`, `#tags:`, `#deck:`, `#notetype:`,
`#deck column:`, `#notetype column:`, `#guid column:`, `#tags column:`) and plain CSV/TSV with
front,back columns; writing the same format back. Columns past a note type's fields are left out,
as Anki leaves them, and named in the import report (`Deck.columns_left_out`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from deskwork.domain import cloze
from deskwork.domain.cards import Card
from deskwork.domain.decknames import normalize_or
from deskwork.domain.notes import cards_for_note, new_guid
from deskwork.domain.notetypes import STOCK, NoteTypeDef, display_names, fit_fields
from deskwork.domain.render import field_html
from deskwork.domain.text import clean, clip
from deskwork.domain.wording import plural, plural_noun
from deskwork.interop.anki.model import AnkiError, Deck
from deskwork.interop.limits import ANKI_TEXT, TextCaps

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}


def _named_type(
    name: str, known: dict[str, NoteTypeDef], shown: dict[str, str]
) -> NoteTypeDef | None:
    """The known note type called `name` (case aside): by the name lists show (`shown`, where
    deskwork's own Basic beside an imported one is "Basic (deskwork)"), else by its own name, else
    by Anki id — as Anki finds the type a notetype column names; None when there is none."""
    lowered = name.strip().casefold()
    for key, display in shown.items():
        if display.casefold() == lowered:
            return known[key]
    for notetype in known.values():
        if notetype.name.casefold() == lowered:
            return notetype
    if lowered.isdigit():
        return next((t for t in known.values() if t.anki_id == int(lowered)), None)
    return None


def _type_of_note_here(
    key: str | None, name: str, known: dict[str, NoteTypeDef], shown: dict[str, str]
) -> NoteTypeDef | None:
    """The type of the note already here (`key`) when the row names it: a row for a note imported
    with Anki's own "Basic" means that type, not deskwork's namesake."""
    if key is None or key not in known:
        return None
    lowered = name.strip().casefold()
    return known[key] if lowered in (known[key].name.casefold(), shown[key].casefold()) else None


def _note_type(name: str, known: dict[str, NoteTypeDef], shown: dict[str, str]) -> NoteTypeDef:
    """The note type the `#notetype:` header names: a known one by name, else the stock type it
    looks like (cloze, optional reversed, reversed, type-in, basic)."""
    found = _named_type(name, known, shown)
    if found is not None:
        return found
    lowered = name.strip().lower()
    if lowered.startswith("cloze"):
        return STOCK["cloze"]
    if "optional" in lowered and "revers" in lowered:
        return STOCK["optional-reversed"]
    if "revers" in lowered:
        return STOCK["reversed"]
    if "type" in lowered:
        return STOCK["type-in"]
    return STOCK["basic"]


def read_text(
    text: str,
    name: str,
    now: datetime,
    deck_name: str = "",
    notetypes: dict[str, NoteTypeDef] | None = None,
    caps: TextCaps = ANKI_TEXT,
    types_here: dict[str, str] | None = None,
) -> Deck:
    """The notes of an Anki plain-text export (or a CSV/TSV), read line by line: at most
    `caps.max_rows` notes and `caps.max_field_chars` characters a field. A line starting with `#`
    after the headers is a comment, as Anki reads it."""
    known = {**(notetypes or {}), **STOCK}
    shown = display_names(known)
    here = types_here or {}  # guid -> note type key of the notes already here
    stream = io.StringIO(text)
    if text.startswith("\ufeff"):
        stream.read(1)
    headers: dict[str, str] = {}
    header_lines = 0
    while True:
        at = stream.tell()
        line = stream.readline()
        if not line.startswith("#") or ":" not in line:
            stream.seek(at)
            break
        key, _, value = line[1:].partition(":")
        headers[key.strip().lower()] = value.strip()
        header_lines += 1
    body_start = header_lines
    sep_name = headers.get("separator", "")
    if sep_name:
        separator = SEPARATORS.get(sep_name.lower(), sep_name[:1])
    else:
        at = stream.tell()
        sample = "".join(stream.readline() for _ in range(20))
        stream.seek(at)
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
    at = stream.tell()
    counter = csv.reader(_uncommented(stream), delimiter=separator)
    notes = sum(1 for _, row in _rows(counter, name, body_start) if any(c.strip() for c in row))
    if notes > caps.max_rows:  # counted first: a refused file builds no cards
        raise AnkiError(
            f"{name}: refused: {notes:,} {plural_noun(notes, 'note')}, more than an {caps.what} may hold "
            f"({caps.max_rows:,})"
        )
    stream.seek(at)
    reader = csv.reader(_uncommented(stream), delimiter=separator)
    dropped = LeftOut()
    for line_no, row in _rows(reader, name, body_start):
        if not any(cell.strip() for cell in row):
            continue
        cells = {n: v for n, v in enumerate(row)}

        def take(index: int | None, cells: dict[int, str] = cells) -> str:
            return cells.get(index, "").strip() if index is not None else ""

        positions = [n for n in range(len(row)) if n not in special.values()]
        fields = [clean(row[n]) for n in positions]
        if not deck.cards and not deck.skipped_rows and _is_header_row(row):
            deck.skipped_rows.append((line_no, "a header row (column names)"))
            continue
        if not fields or not fields[0].strip():
            deck.skipped_rows.append((line_no, "the first field (front) is empty"))
            continue
        named = take(special["notetype"])
        typename = named or headers.get("notetype", "Basic")
        row_guid = take(special["guid"])
        found = _type_of_note_here(here.get(row_guid), typename, known, shown)
        if found is None and named:  # a row naming no known type is skipped, as Anki does
            found = _named_type(named, known, shown)
            if found is None:
                what = clip(clean(named, single_line=True), 60)
                deck.skipped_rows.append((line_no, f"no note type called {what!r} (not imported)"))
                continue
        if found is None and "notetype" not in headers:
            found = STOCK["basic"]  # no type named anywhere: deskwork's own Basic, as ever
        notetype = found or _note_type(typename, known, shown)
        # columns past the type's fields: left out, never merged into the last field
        extra = [(n + 1, row[n]) for n in positions[len(notetype.fields) :] if row[n].strip()]
        fields = fields[: len(notetype.fields)]
        # Without guids, notes match by first field against what is stored (services.anki), as
        # Anki does; a front repeated inside the file is imported twice, as Anki does too.
        if (
            deck.match_first_field
            and not notetype.is_cloze
            and not any(f.strip() for f in fields[1:])
        ):
            deck.skipped_rows.append((line_no, "the back is empty"))
            continue
        tags = clean(take(special["tags"]) or headers.get("tags", "")).split()
        target = deck_name or take(special["deck"]) or headers.get("deck", "") or "Default"
        target = normalize_or(clean(target.replace("\x1f", "::"), single_line=True))
        if notetype.is_cloze and not any(cloze.numbers(f) for f in fields):
            raise AnkiError(f"{name}: line {line_no}: a cloze note without {{{{c1::…}}}}")
        guid = row_guid or new_guid()
        try:
            deck.cards += cards_for_note(
                notetype, fit_fields(notetype, fields), target, tags, now,
                note_guid=guid, html=is_html,
            )  # fmt: skip
        except ValueError as exc:
            raise AnkiError(f"{name}: line {line_no}: {exc}") from None
        deck.lines[guid] = line_no
        dropped.note(notetype, line_no, extra)
        if notetype.key not in STOCK:
            deck.notetypes[notetype.key] = notetype
    if not deck.cards:
        skipped = "; ".join(f"line {n}: {why}" for n, why in deck.skipped_rows[:5])
        raise AnkiError(f"{name}: no notes found" + (f" ({skipped})" if skipped else ""))
    deck.columns_left_out = dropped.sentences()
    return deck


_SAMPLE = 3  # cells of the first row left out quoted in the report; the rest counted


class LeftOut:
    """Columns past a row's note type's fields, with text in them: left out of the note (Anki
    maps them to nothing), and said in the import report — never merged into the last field."""

    def __init__(self) -> None:
        # (note type name, its fields) -> [file columns, lines, (first line, its cells left out)]
        self.found: dict[tuple[str, tuple[str, ...]], tuple[set[int], list[int], list[str]]] = {}

    def note(self, notetype: NoteTypeDef, line: int, cells: list[tuple[int, str]]) -> None:
        if not cells:
            return
        key = (notetype.name, tuple(notetype.fields))
        if key not in self.found:
            sample = [repr(clip(clean(t, single_line=True), 40)) for _, t in cells[:_SAMPLE]]
            if len(cells) > _SAMPLE:
                sample.append(plural(len(cells) - _SAMPLE, "more cell"))
            self.found[key] = (set(), [], sample)
        columns, lines, _ = self.found[key]
        columns.update(c for c, _ in cells)
        lines.append(line)

    def sentences(self) -> list[str]:
        """ "columns 3–5 left out: Basic has 2 fields (Front, Back); 12 rows, lines 2–13 (line
        2: 'kanji', 'note', 'x')" — one per note type with columns left out."""
        out = []
        for (type_name, fields), (columns, lines, sample) in self.found.items():
            numbers = sorted(columns)
            what = f"column {numbers[0]}" if len(numbers) == 1 else f"columns {_runs(numbers)}"
            out.append(
                f"{what} left out: {type_name} has {plural(len(fields), 'field')} "
                f"({_names(fields)}); {plural(len(lines), 'row')}, "
                f"{'line' if len(lines) == 1 else 'lines'} {_runs(lines)} "
                f"(line {lines[0]}: {', '.join(sample)})"
            )
        return out


def _names(fields: tuple[str, ...]) -> str:
    """A note type's field names, at most ten of them shown, each clipped."""
    shown = [clip(f, 40) for f in fields[:10]]
    return ", ".join(shown + ([f"{len(fields) - 10} more"] if len(fields) > 10 else []))


def _runs(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3–5, 9" (at most 10 runs shown)."""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(f"{start}–{prev}" if prev != start else str(start))
        if n is not None:
            start = prev = n
    more = len(runs) - 10
    return ", ".join(runs[:10]) + (f" and {more} more" if more > 0 else "")


def _uncommented(stream: io.StringIO) -> Iterator[str]:
    for line in stream:
        yield "\n" if line.startswith("#") else line


def _rows(reader: Any, name: str, body_start: int) -> Iterator[tuple[int, list[str]]]:
    """The csv reader's rows with the file line each starts on (a quoted field may span lines); a
    row csv cannot read (a field past its 131,072-character limit) becomes a message naming the
    line that row starts on. (`line_num` counts the lines read so far, the failing one included.)"""
    done = 0  # the reader's lines before the current row
    try:
        for row in reader:
            yield body_start + done + 1, row
            done = reader.line_num
    except csv.Error as exc:
        raise AnkiError(f"{name}: line {body_start + done + 1}: refused: {exc}") from None


HEADER_NAMES = {
    "front", "back", "question", "answer", "text", "extra", "tags", "tag", "deck", "notetype",
    "note type", "guid", "term", "definition", "word", "meaning", "hint", "notes",
}  # fmt: skip


def _is_header_row(row: list[str]) -> bool:
    """`front,back` and the like: a first row made only of column names."""
    cells = [c.strip().strip(":").lower() for c in row if c.strip()]
    return bool(cells) and all(c in HEADER_NAMES for c in cells)


def write_text(cards: list[Card], notetypes: dict[str, NoteTypeDef] | None = None) -> str:
    """Anki's plain-text format with guid, note type, deck and tags columns (HTML fields, every
    field of the note). A guid starting with `#` is quoted: Anki reads such a line as a comment."""
    from deskwork.domain.render import fallback_type

    types = {**STOCK, **(notetypes or {})}
    out = io.StringIO()
    out.write(
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        "#tags column:4\n"
    )
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    quoted = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_ALL)
    seen: set[tuple[str, str]] = set()
    for card in cards:
        guid = card.note_guid or f"deskwork-{card.id}"
        if (guid, card.note_type) in seen:
            continue
        seen.add((guid, card.note_type))
        notetype = types.get(card.note_type) or fallback_type(card)
        name = notetype.name
        row = [
            guid, name, card.deck, " ".join(t.replace(" ", "_") for t in card.tags),
            *(field_html(f, card.html) for f in fit_fields(notetype, card.fields)),
        ]  # fmt: skip
        (quoted if guid.startswith("#") else writer).writerow(row)
    return out.getvalue()
