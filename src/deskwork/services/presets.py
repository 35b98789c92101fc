"""Deck presets: reading and editing them (a damaged one named and mended), assigning decks to
them, each deck's own limits, the scheduler settings each deck studies with, and every preset
with its decks as `cards presets` shows them. Today's due counts are services/due_today.py;
Anki's presets as an import brings them, services/preset_import.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from deskwork.domain import decknames
from deskwork.domain import preset_text as pt
from deskwork.domain.presets import DEFAULT_PRESET_ID, DeckOptions, Preset, PresetError, Presets
from deskwork.domain.scheduling import SchedulerSettings
from deskwork.services.desk import Desk
from deskwork.services.notes import stored_deck

DEFAULT_NAME = "Default"
# Parameters optimised for the default preset ({"parameters": [...], "config": [...]}): they apply
# while [cards] fsrs_parameters in the config file is still what it was then (an edit there wins).
OPTIMIZED_DEFAULT_KEY = "optimize.default_parameters"


def _optimized_default(desk: Desk, configured: list[float]) -> list[float]:
    found = desk.store.setting(OPTIMIZED_DEFAULT_KEY)
    if isinstance(found, dict) and found.get("config") == configured:
        params = found.get("parameters")
        if isinstance(params, list) and len(params) == 21:
            return [float(v) for v in params]
    return configured


def default_preset(desk: Desk) -> Preset:
    """`[cards]` in the config file, as a preset."""
    c = desk.config.cards
    try:
        return Preset(
            id=DEFAULT_PRESET_ID, name=DEFAULT_NAME, desired_retention=c.desired_retention,
            fsrs_parameters=_optimized_default(desk, list(c.fsrs_parameters)),
            learning_steps_minutes=list(c.learning_steps_minutes),
            relearning_steps_minutes=list(c.relearning_steps_minutes),
            new_per_day=min(c.new_per_day, 9999), reviews_per_day=min(c.reviews_per_day, 9999),
            new_ignores_review_limit=c.new_ignores_review_limit,
            maximum_interval_days=min(c.maximum_interval_days, 36500),
            leech_lapses=min(c.leech_lapses, 9999), leech_suspend=c.leech_suspend,
            bury_new=c.bury_new, bury_reviews=c.bury_reviews,
            bury_interday_learning=c.bury_interday_learning, review_order=c.review_order,
        )  # fmt: skip
    except ValueError:  # a value the config accepts but a preset does not: the stock preset
        return Preset(id=DEFAULT_PRESET_ID, name=DEFAULT_NAME)


def stored(desk: Desk) -> list[Preset]:
    found: list[Preset] = desk.store.tables["presets"].all()
    return sorted(found, key=lambda p: (p.name.lower(), p.id))


def deck_options(desk: Desk) -> list[DeckOptions]:
    found: list[DeckOptions] = desk.store.tables["deck_options"].all()
    return found


def load(desk: Desk) -> Presets:
    return Presets(default_preset(desk), stored(desk), deck_options(desk))


def for_export(desk: Desk) -> Presets:
    """Every preset as an exported package carries it: the default one as `load` gives it (what
    the scheduler uses) and a preset on the config's `[easy_days]` with those days written in, as
    Anki keeps easy days in each preset."""
    week = list(desk.config.easy_days.factors())

    def spelled(preset: Preset) -> Preset:
        return preset if preset.easy_days else preset.model_copy(update={"easy_days": week})

    found = load(desk)
    stored_ = [spelled(p) for p in found.by_id.values() if p.id != DEFAULT_PRESET_ID]
    return Presets(spelled(found.default), stored_, list(found.options.values()))


def scheduler_settings(presets: Presets, deck: str, fuzz: bool) -> SchedulerSettings:
    """What a card of `deck` is scheduled with."""
    s = presets.for_deck(deck)
    p = s.preset
    return SchedulerSettings(
        desired_retention=s.desired_retention,
        learning_steps_minutes=tuple(p.learning_steps_minutes),
        relearning_steps_minutes=tuple(p.relearning_steps_minutes),
        maximum_interval_days=p.maximum_interval_days,
        fuzz=fuzz,
        leech_lapses=p.leech_lapses,
        leech_suspend=p.leech_suspend,
        parameters=p.parameters,
    )


# ---------------------------------------------------------------------- finding and editing
def find(desk: Desk, name: str) -> Preset:
    """A preset by name (case-insensitive) or id; 'default' is `[cards]`."""
    wanted = name.strip()
    if wanted.lower() in (DEFAULT_NAME.lower(), "[cards]"):
        return default_preset(desk)
    for preset in stored(desk):
        if preset.name.lower() == wanted.lower() or str(preset.id) == wanted:
            return preset
    damaged = _damaged(desk, wanted)
    if damaged is not None:
        raise PresetError(_damaged_message(desk, name, *damaged))
    names = ", ".join([DEFAULT_NAME, *(p.name for p in stored(desk))])
    raise PresetError(f"no preset named {name!r} (presets: {names})")


def _damaged(desk: Desk, name: str, *, by_id: bool = True) -> tuple[str, Any] | None:
    """A presets record the store keeps raw (it failed validation) named `name` (or with that
    id): (its key, its raw data). Its decks study with the default until it is mended."""
    for key, raw in desk.store.tables["presets"].invalid_raw().items():
        named = raw.get("name") if isinstance(raw, dict) else None
        if (by_id and key == name) or (
            isinstance(named, str) and named.strip().lower() == name.lower()
        ):
            return key, raw
    return None


def _bad_fields(raw: Any) -> set[str]:
    try:
        Preset.model_validate(raw)
    except ValidationError as exc:
        return {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
    return set()


def _damaged_message(desk: Desk, name: str, key: str, raw: Any) -> str:
    said = [str(p) for p in desk.store.report.invalid if p.table == "presets" and p.doc_id == key]
    problem = said[0] if said else f"presets record {key}"
    fields = sorted(_bad_fields(raw))
    fix = f"{fields[0]}=VALUE" if fields else "KEY=VALUE"
    return (
        f"preset {name!r} exists but is damaged ({problem}); its decks use the default until it "
        f"is mended: `deskwork cards presets set {key} {fix}` with a valid value mends it "
        "(`deskwork doctor` lists damaged records)"
    )


def _mend(desk: Desk, name: str, key: str, raw: Any, pairs: list[tuple[str, str]]) -> Preset:
    """The damaged record `key` rebuilt from its raw data with the refused fields set from
    `pairs` (every refused field must be among them: nothing is guessed)."""
    bad = _bad_fields(raw)
    given = {k.strip().replace("-", "_") for k, _ in pairs}
    if not isinstance(raw, dict) or not bad or not bad <= given:
        raise PresetError(_damaged_message(desk, name, key, raw))
    try:
        return Preset.model_validate({k: v for k, v in raw.items() if k not in bad})
    except (ValidationError, ValueError):
        raise PresetError(_damaged_message(desk, name, key, raw)) from None


def _check_name(desk: Desk, name: str, own_id: int = -1) -> None:
    if name.lower() in (DEFAULT_NAME.lower(), "[cards]"):
        raise PresetError(f"{name!r} is the default preset ([cards] in the config file)")
    if any(p.name.lower() == name.lower() and p.id != own_id for p in stored(desk)):
        raise PresetError(f"a preset named {name!r} already exists")
    damaged = _damaged(desk, name, by_id=False)
    if damaged is not None and damaged[0] != str(own_id):
        raise PresetError(_damaged_message(desk, name, *damaged))


def add(desk: Desk, name: str, copy_of: str = DEFAULT_NAME) -> Preset:
    """A new preset, a copy of another (the default unless told)."""
    name = name.strip()
    if not name:
        raise PresetError("a preset needs a name")
    _check_name(desk, name)
    source = find(desk, copy_of)
    preset = source.model_copy(update={"id": 0, "name": name, "anki_id": 0})
    with desk.store.transaction() as tx:
        return tx.put("presets", preset)


def set_values(desk: Desk, name: str, pairs: Iterable[tuple[str, str]]) -> Preset:
    """Edit a stored preset: every key=value applies, or none does. A damaged preset is mended
    when `pairs` set every field it has wrong."""
    pairs = list(pairs)
    try:
        preset = find(desk, name)
    except PresetError:
        damaged = _damaged(desk, name.strip())
        if damaged is None:
            raise
        preset = _mend(desk, name, *damaged, pairs)
    if preset.id == DEFAULT_PRESET_ID:
        raise PresetError(
            "the default preset is [cards] in the config file: edit it there "
            "(`deskwork config path`), or make a preset of your own: "
            "`deskwork cards presets add NAME`"
        )
    for key, value in pairs:
        preset = pt.edit(preset, key, value)
    _check_name(desk, preset.name, preset.id)
    with desk.store.transaction() as tx:
        return tx.put("presets", preset)


def remove(desk: Desk, name: str) -> int:
    """Delete a stored preset; its decks go back to the default. Returns how many decks moved."""
    preset = find(desk, name)
    if preset.id == DEFAULT_PRESET_ID:
        raise PresetError("the default preset ([cards] in the config file) cannot be removed")
    moved = [o for o in deck_options(desk) if o.preset_id == preset.id]
    with desk.store.transaction() as tx:
        for option in moved:
            tx.put("deck_options", option.model_copy(update={"preset_id": DEFAULT_PRESET_ID}))
        tx.delete("presets", preset.id)
    return len(moved)


def unknown_deck(desk: Desk, deck: str) -> str | None:
    """None when `deck` exists (cards, an imported deck, or options of its own); else a line saying
    it does not, with the closest names ("did you mean 'Math'?"): assigning a preset to it makes
    a new, empty deck, which a typo should not do unasked."""
    try:
        deck = decknames.normalize(deck)
    except decknames.DeckNameError:  # no deck to make: `assign` refuses it, saying why
        return None
    known = _known_decks(desk)
    if decknames.find(deck, known) is not None:
        return None
    return str(decknames.unknown(deck, known, yet=True))


def _known_decks(desk: Desk) -> set[str]:
    """Every deck: with cards, imported from Anki, or with options of its own."""
    from deskwork.services.cards import decks

    return set(decks(desk)) | {o.deck for o in deck_options(desk)}


def _stored_name(desk: Desk, deck: str) -> str:
    """The deck typed as stored: normalised, and an existing deck matched ignoring case (as
    Anki matches deck names); PresetError for a name of nothing."""
    try:
        return stored_deck(desk, deck, _known_decks(desk))
    except decknames.DeckNameError as exc:
        raise PresetError(str(exc)) from None


def assign(desk: Desk, deck: str, name: str, *, with_subdecks: bool = False) -> list[str]:
    """Study `deck` (and, if asked, its subdecks) with preset `name`; returns the decks changed."""
    if not deck.strip():
        raise PresetError("which deck?")
    deck = _stored_name(desk, deck)
    preset = find(desk, name)
    known = {c.deck for c in desk.store.cards.all()} | {o.deck for o in deck_options(desk)}
    targets = [deck]
    if with_subdecks:
        targets += sorted(d for d in known if d.startswith(deck + "::"))
    existing = {o.deck: o for o in deck_options(desk)}
    with desk.store.transaction() as tx:
        for name_ in targets:
            option = existing.get(name_) or DeckOptions(deck=name_)
            tx.put("deck_options", option.model_copy(update={"preset_id": preset.id}))
    return targets


def set_deck_limits(desk: Desk, deck: str, **changes: int | float | None) -> DeckOptions:
    """A deck's own limits (Anki's "This deck"): new_limit, review_limit, desired_retention;
    None = the preset's. Only the keys given change."""
    deck = deck.strip()
    unknown = set(changes) - {"new_limit", "review_limit", "desired_retention"}
    if not deck or unknown:
        raise PresetError(
            f"which deck? ({', '.join(sorted(unknown))})" if unknown else "which deck?"
        )
    deck = _stored_name(desk, deck)
    existing = {o.deck: o for o in deck_options(desk)}
    option = existing.get(deck) or DeckOptions(deck=deck)
    try:
        changed = DeckOptions.model_validate(option.model_dump() | changes)
    except ValueError as exc:
        err = exc.errors()[0] if hasattr(exc, "errors") else {"loc": ("",), "msg": str(exc)}
        raise PresetError(f"deck {deck!r}: {err['loc'][0]}: {err['msg']}") from None
    with desk.store.transaction() as tx:
        return tx.put("deck_options", changed)


# ---------------------------------------------------------------------- showing
def as_json(desk: Desk) -> dict[str, Any]:
    """Every preset (the default first) with its decks, and each deck's preset and overrides."""
    presets = load(desk)
    decks = sorted({c.deck for c in desk.store.cards.all()} | set(presets.options))
    rows = []
    for preset in [presets.default, *stored(desk)]:
        rows.append({
            "id": preset.id, "default": preset.id == DEFAULT_PRESET_ID,
            **pt.describe(preset),
            "anki_id": preset.anki_id or None,
            "decks": [d for d in decks if presets.preset_of(d).id == preset.id],
        })  # fmt: skip
    per_deck = {}
    for deck in decks:
        s = presets.for_deck(deck)
        option = presets.options.get(deck)
        per_deck[deck] = {
            "preset": s.preset.name,
            "new_per_day": s.new_per_day,
            "reviews_per_day": s.reviews_per_day,
            "desired_retention": s.desired_retention,
            "overrides": {
                k: v
                for k, v in (
                    ("new_limit", option.new_limit if option else None),
                    ("review_limit", option.review_limit if option else None),
                    ("desired_retention", option.desired_retention if option else None),
                )
                if v is not None
            },
        }
    return {"presets": rows, "decks": per_deck}
