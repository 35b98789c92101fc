"""`deskwork cards …`: stats, list, import (Anki packages, plain text) and export."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from deskwork import cli_optimize, cli_presets, cli_retention
from deskwork.clikit import CliError, emit, err, on_store, open_desk, user_path
from deskwork.domain.wording import figure, plural
from deskwork.paths import Paths


def cmd_cards_stats(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services.cards import stats

    desk = open_desk(paths, readonly=True, what="deskwork cards stats")
    data = stats(desk)
    desk.close()

    def shown(value: object) -> str:
        if isinstance(value, dict):  # due_today_parts: "1 new, 1 learning, 0 review"
            return ", ".join(f"{figure(n)} {kind}" for kind, n in value.items())
        return (
            figure(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)
        )

    text = "\n".join(f"{k}: {shown(v)}" for k, v in data.items() if k != "decks")
    text += "".join(f"\n  {deck}: {figure(n)}" for deck, n in data["decks"].items())
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
    from deskwork.domain.decknames import DeckNameError
    from deskwork.interop import InteropError
    from deskwork.services.anki import import_deck, read_file

    desk = open_desk(paths, readonly=False, what="deskwork cards import")
    counter = Counter()
    try:  # reading the file touches no store: inside the app it runs off the app's thread
        deck = read_file(user_path(args.file), desk, args.deck or "", counter)
        report = on_store(lambda: import_deck(desk, deck))
    except (InteropError, DeckNameError) as exc:
        raise CliError(str(exc)) from None
    finally:
        counter.finish()
        desk.close()
    lines = report.lines()
    emit(args, report.as_json(), "\n".join(lines))
    return 0


def cmd_cards_export(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.decknames import DeckNameError
    from deskwork.interop import InteropError
    from deskwork.services.anki import export_file

    desk = open_desk(paths, readonly=True, what="deskwork cards export")
    try:
        notes, cards = export_file(desk, Path(args.file), args.deck or "")
    except (InteropError, OSError, DeckNameError) as exc:  # an unknown deck: its closest names
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    emit(
        args,
        {"file": args.file, "notes": notes, "cards": cards},
        f"wrote {plural(notes, 'note')}, {plural(cards, 'card')} to {args.file}",
    )
    return 0


def cmd_cards_list(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.domain.wording import excerpt
    from deskwork.services.notes import listing

    desk = open_desk(paths, readonly=True, what="deskwork cards list")
    try:
        rows = listing(desk, " ".join(args.query))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    text = "\n".join(f"{r['deck']}\t{r['state']}\t{excerpt(r['question'], 80)}" for r in rows)
    emit(args, {"cards": rows}, text or "no cards match")
    return 0


def register(add: Any, group: Any) -> None:
    cards = group("cards", "flashcards")
    add(cards, "stats", cmd_cards_stats, "card counts per state and deck")
    listed = add(cards, "list", cmd_cards_list, "every card matching QUERY (the browser's search)")
    listed.add_argument("query", nargs="*", metavar="QUERY")
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
    cli_optimize.register(add, cards)
    cli_retention.register(add, cards)
