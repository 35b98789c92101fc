"""`deskwork cards presets …` (show and edit deck presets, assign decks) and `deskwork cards decks`
(every deck with today's due counts)."""

from __future__ import annotations

import argparse
from typing import Any

from deskwork.clikit import CliError, emit, open_desk
from deskwork.paths import Paths


def _presets_text(data: dict[str, Any]) -> str:
    lines: list[str] = []
    for preset in data["presets"]:
        title = preset["name"] + (" ([cards] in the config file)" if preset["default"] else "")
        lines.append(title)
        for key, value in preset.items():
            if key in ("name", "id", "default", "decks", "anki_id"):
                continue
            if key == "fsrs_parameters" and isinstance(value, list):
                value = ", ".join(f"{v:.4g}" for v in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            lines.append(f"  {key}: {value}")
        lines.append("  decks: " + (", ".join(preset["decks"]) or "(none)"))
        lines.append("")
    overrides = {d: v["overrides"] for d, v in data["decks"].items() if v["overrides"]}
    for deck, values in overrides.items():
        lines.append(f"{deck}: its own " + ", ".join(f"{k} {v}" for k, v in values.items()))
    return "\n".join(lines).rstrip()


def cmd_presets(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services import presets

    action = getattr(args, "preset_action", None)
    if action is None:
        desk = open_desk(paths, readonly=True, what="deskwork cards presets")
        try:
            data = presets.as_json(desk)
        finally:
            desk.close()
        emit(args, data, _presets_text(data))
        return 0
    from deskwork.domain.presets import PresetError

    desk = open_desk(paths, readonly=False, what="deskwork cards presets")
    try:
        if action == "set":
            pairs = []
            for item in args.values:
                key, sep, value = item.partition("=")
                if not sep:
                    raise CliError(f"{item!r}: write key=value (e.g. desired_retention=0.85)")
                pairs.append((key, value))
            preset = presets.set_values(desk, args.preset, pairs)
            message = f"preset {preset.name!r} saved"
        elif action == "add":
            preset = presets.add(desk, args.name, args.copy_of)
            message = f"preset {preset.name!r} added (a copy of {args.copy_of!r})"
        elif action == "use":
            unknown = presets.unknown_deck(desk, args.deck)
            decks = presets.assign(desk, args.deck, args.preset, with_subdecks=args.subdecks)
            message = f"{', '.join(decks)} now use{'s' if len(decks) == 1 else ''} {args.preset!r}"
            if unknown:  # made here: said, so that a typo is seen
                message = f"{unknown}: made it, empty; {message}"
        elif action == "remove":
            moved = presets.remove(desk, args.preset)
            noun = "deck" if moved == 1 else "decks"
            message = f"preset {args.preset!r} removed; {moved} {noun} back on the default"
        else:  # limits
            changes = {
                key: _opt(text, kind)
                for key, text, kind in (
                    ("new_limit", args.new, int),
                    ("review_limit", args.reviews, int),
                    ("desired_retention", args.retention, float),
                )
                if text is not None
            }
            if not changes:
                raise CliError("give --new, --reviews and/or --retention ('none' = the preset's)")
            option = presets.set_deck_limits(desk, args.deck, **changes)
            message = f"{option.deck}: own limits saved"
        data = presets.as_json(desk)
    except PresetError as exc:
        raise CliError(str(exc)) from None
    finally:
        desk.close()
    emit(args, {"message": message, **data}, message)
    return 0


def _opt(text: str, kind: type) -> Any:
    if text.lower() in ("none", "preset", ""):
        return None
    try:
        return kind(text)
    except ValueError:
        raise CliError(f"{text!r} is not a number (or 'none' for the preset's)") from None


def cmd_decks(args: argparse.Namespace, paths: Paths) -> int:
    from deskwork.services import presets
    from deskwork.services.due_today import deck_list

    desk = open_desk(paths, readonly=True, what="deskwork cards decks")
    try:
        rows = deck_list(desk)
        chosen = presets.load(desk)
        data = {
            "decks": [
                {"deck": r.deck, "new": r.new, "learning": r.learning, "review": r.review,
                 "cards": r.cards, "preset": chosen.preset_of(r.deck).name}
                for r in rows
            ]
        }  # fmt: skip
    finally:
        desk.close()
    width = max((len(r.deck) for r in rows), default=4)
    text = "\n".join(
        [f"{'deck':<{width}}    new  learn  review  cards  preset"]
        + [
            f"{r.deck:<{width}}  {r.new:>5}  {r.learning:>5}  {r.review:>6}  {r.cards:>5}  "
            f"{chosen.preset_of(r.deck).name}"
            for r in rows
        ]
    )
    emit(args, data, text if rows else "No decks yet.")
    return 0


def register(add: Any, cards: Any) -> None:
    p = add(cards, "presets", cmd_presets, "deck presets: show them, or edit (set/add/use/…)")
    sub = p.add_subparsers(dest="preset_action", metavar="ACTION")
    s = sub.add_parser("set", help="set keys of a preset: NAME key=value …")
    s.add_argument("preset", metavar="PRESET")
    s.add_argument("values", metavar="KEY=VALUE", nargs="+")
    a = sub.add_parser("add", help="a new preset (a copy of the default, or of --from)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--from", dest="copy_of", default="Default", metavar="PRESET")
    u = sub.add_parser("use", help="study DECK with PRESET ('Default' = [cards])")
    u.add_argument("deck", metavar="DECK")
    u.add_argument("preset", metavar="PRESET")
    u.add_argument("--subdecks", action="store_true", help="its subdecks too")
    r = sub.add_parser("remove", help="delete a preset (its decks go back to the default)")
    r.add_argument("preset", metavar="PRESET")
    lim = sub.add_parser("limits", help="a deck's own daily limits / retention ('none' = preset's)")
    lim.add_argument("deck", metavar="DECK")
    lim.add_argument("--new", metavar="N")
    lim.add_argument("--reviews", metavar="N")
    lim.add_argument("--retention", metavar="R")
    for parser in (s, a, u, r, lim):
        parser.add_argument("--json", action="store_true", help="machine-readable output")
    add(cards, "decks", cmd_decks, "every deck with today's due counts (new, learning, review)")
