"""Anki's presets as an import brings them, inside its transaction: the package's presets
(matched by Anki's id), each deck's assignment and own limits, which decks already here keep
theirs, and the report lines that say so."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from deskwork.domain import presets as dp
from deskwork.domain.decknames import parents
from deskwork.domain.presets import DEFAULT_PRESET_ID, DeckOptions
from deskwork.services.desk import Desk
from deskwork.services.presets import DEFAULT_NAME, deck_options, default_preset, load, stored


def store_imported(
    desk: Desk, tx: Any, found: Any, renamed: bool, decks_here: Iterable[str] = ()
) -> list[str]:
    """Inside an import's transaction: Anki's presets (matched by Anki's id; one changed in Anki
    since it was last imported replaces ours) and each deck's assignment and own limits as Anki
    has them. A deck already here (`decks_here`, their parents, or one with options) keeps its preset as Anki's
    import does when the package's deck is on Anki's Default (decks.rs `update_normal_with_other`),
    and always when it is on the default preset or one made here. Anki's Default becomes a
    preset of its own ("Default (Anki)", added only when a deck goes onto it; `[cards]` is never
    overwritten), and so does a deskwork export's default ("Default (deskwork)", its copy in
    config 1 is left out), except when its options are `[cards]`'s now: its decks stay on the
    default preset (re-importing an export changes nothing). Returns report lines."""
    if found is None:
        return []
    existing = {o.deck: o for o in deck_options(desk)}
    own = {p.id for p in stored(desk) if not p.anki_id} | {DEFAULT_PRESET_ID}  # made here
    here = set(decks_here) | set(existing)
    here |= {p for d in here for p in parents(d)}  # "Math" is here when "Math::Algebra" is
    placed: dict[str, DeckOptions] = {}  # deck -> the package's options (its Anki config id)
    kept: list[str] = []  # decks already here that keep their preset
    for deck, option in ({} if renamed else found.decks).items():
        mine_option = existing.get(deck)
        current = mine_option.preset_id if mine_option else DEFAULT_PRESET_ID
        if deck in here and (current in own or option.preset_id == 1):
            kept.append(deck)
        else:
            placed[deck] = option
    used = {o.preset_id for o in placed.values()}
    ids, lines = _store_anki_presets(desk, tx, found, used)
    lines += _kept_lines(desk, kept, existing, found, ids)
    for deck, option in placed.items():
        mine_option = existing.get(deck)
        preset_id = ids.get(option.preset_id, DEFAULT_PRESET_ID)
        tx.put(
            "deck_options",
            option.model_copy(
                update={"id": mine_option.id if mine_option else 0, "preset_id": preset_id}
            ),
        )
    return lines


def _kept_lines(
    desk: Desk, kept: list[str], existing: dict[str, DeckOptions], found: Any, ids: dict[int, int]
) -> list[str]:
    """'decks already here kept their presets (as Anki does): Math (Default)': the kept decks
    whose preset the package's would have replaced."""
    names = {p.id: p.name for p in load(desk).by_id.values()}
    differ = []
    for deck in kept:
        current = existing[deck].preset_id if deck in existing else DEFAULT_PRESET_ID
        anki_id = found.decks[deck].preset_id
        anki_default = anki_id == 1 and not found.deskwork_defaults - {1}  # -> "Default (Anki)"
        if current != ids.get(anki_id, -1 if anki_default else DEFAULT_PRESET_ID):
            differ.append(f"{deck} ({names.get(current, DEFAULT_NAME)})")
    if not differ:
        return []
    more = len(differ) - 8
    shown = ", ".join(differ[:8]) + (f" and {more} more" if more > 0 else "")
    return [f"decks already here kept their presets (as Anki does): {shown}"]


def _store_anki_presets(
    desk: Desk, tx: Any, found: Any, used: set[int]
) -> tuple[dict[int, int], list[str]]:
    """The package's presets into the store: Anki config id -> preset id here, report lines.
    Anki's own Default (config 1) is added only when a deck goes onto it (`used`) or was
    imported before; Anki's import never adds it either (the collection has its own)."""
    by_anki = {p.anki_id: p for p in stored(desk) if p.anki_id}
    names = {p.name.lower() for p in stored(desk)} | {DEFAULT_NAME.lower()}
    ids: dict[int, int] = {}
    lines = list(found.problems)
    default, week = default_preset(desk), desk.config.easy_days.factors()
    marked = found.deskwork_defaults
    for anki_id, preset in found.presets.items():
        # Anki keeps new_ignores_review_limit collection-wide and leaves it out of its exports
        alike = preset.model_copy(
            update={"new_ignores_review_limit": default.new_ignores_review_limit}
        )
        if anki_id in marked and dp.same_options(alike, default, week):
            ids[anki_id] = DEFAULT_PRESET_ID  # this store's own export: [cards] as it is
            continue
        if anki_id == 1 and marked - {1}:
            continue  # a deskwork export's Anki slot (a copy of its default, or Anki's own)
        mine = by_anki.get(anki_id)
        if anki_id == 1 and mine is None and 1 not in used and 1 not in marked:
            continue  # Anki's Default, no deck going onto it: nothing to add
        mtime = found.mtimes.get(anki_id, 0)
        if mine is not None and mtime <= mine.anki_mtime:
            ids[anki_id] = mine.id
            continue
        name = mine.name if mine is not None else _free_name(preset.name, names)
        names.add(name.lower())
        saved = tx.put(
            "presets",
            preset.model_copy(
                update={"id": mine.id if mine else 0, "name": name, "anki_mtime": mtime}
            ),
        )
        ids[anki_id] = saved.id
        lines.append(f"preset {name!r} {'updated' if mine else 'added'} from Anki")
    return ids, lines


def _free_name(name: str, taken: set[str]) -> str:
    """Anki's "Default" preset becomes "Default (Anki)"; a clash gets a number."""
    base = name if name.lower() not in taken else f"{name} (Anki)"
    candidate, n = base, 2
    while candidate.lower() in taken:
        candidate, n = f"{base} {n}", n + 1
    return candidate
