"""`deskwork cards …`: stats, import (Anki packages, plain text) and export."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from deskwork import cli_presets
from deskwork.clikit import CliError, emit, err, on_store, open_desk, user_path
from deskwork.domain.wording import plural
from deskwork.paths import Paths


def cmd_cards_stats(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services.cards import stats

    desk = open_desk(paths, readonly=True, what="deskwork cards stats")
    data = stats(desk)
    desk.close()
    text = "\n".join(f"{k}: {v}" for k, v in data.items() if k != "decks")
    text += "".join(f"\n  {deck}: {n}" for deck, n in data["decks"].items())
    emit(args, data, text)
    return 0


class Counter:
    """A counter on stderr, only once the import has taken more than a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if (time.monotonic() - self.started > 1 and err().isatty()) or self.shown:
            self.shown = True
            print(f"\rreading cards: {done}/{total}", end="", file=err(), flush=True)

    def finish(self) -> None:
        if self.shown:
            print(file=err())


def cmd_cards_import(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.interop import InteropError
    from deskwork.services.anki import import_deck, read_file, rows_text

    desk = open_desk(paths, readonly=False, what="deskwork cards import")
    counter = Counter()
    try:  # reading the file touches no store: inside the app it runs off the app's thread
        deck = read_file(user_path(args.file), desk, args.deck or "", counter)
        report = on_store(lambda: import_deck(desk, deck))
    except InteropError as exc:
        raise CliError(str(exc)) from None
    finally:
        counter.finish()
        desk.close()
    lines = [
        f"imported {plural(report.notes, 'note')}, {plural(report.cards, 'card')}, "
        f"{plural(report.reviews, 'review')}"
    ]
    lines += [f"  {deck}: {n}" for deck, n in report.decks.items()]
    if report.duplicates:
        rule = "same front" if report.duplicate_rule == "first field" else "same guid"
        lines.append(f"{plural(report.duplicates, 'note')} already there ({rule}): skipped")
    left_out = report.rows_left_out()
    if left_out:
        lines.append(f"{len(left_out)} rows skipped: {rows_text(left_out)}")
    if report.media_skipped:
        lines.append(f"{report.media_skipped} media files were not copied (deskwork shows text)")
    if report.notes_skipped:
        lines.append(
            f"{plural(report.notes_skipped, 'note')} of unsupported types (image occlusion) skipped"
        )
    emit(args, report.as_json(), "\n".join(lines))
    return 0


def cmd_cards_export(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.interop import InteropError
    from deskwork.services.anki import export_file

    desk = open_desk(paths, readonly=True, what="deskwork cards export")
    try:
        notes, cards = export_file(desk, Path(args.file), args.deck or "")
    except (InteropError, OSError) as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    emit(
        args,
        {"file": args.file, "notes": notes, "cards": cards},
        f"wrote {plural(notes, 'note')}, {plural(cards, 'card')} to {args.file}",
    )
    return 0


def register(add: Any, group: Any) -> None:
    cards = group("cards", "flashcards")
    add(cards, "stats", cmd_cards_stats, "card counts per state and deck")
    imp = add(
        cards, "import", cmd_cards_import, "import an Anki deck (.apkg, .colpkg) or plain text"
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--deck", metavar="NAME", help="put every card in this deck")
    imp.set_defaults(remote="thread")  # inside the running app, only the saving is on its thread
    exp = add(cards, "export", cmd_cards_export, "write FILE.apkg (imports into Anki) or FILE.txt")
    exp.add_argument("file", metavar="FILE.apkg|FILE.txt")
    exp.add_argument("--deck", metavar="NAME", help="only this deck (and its subdecks)")
    cli_presets.register(add, cards)
