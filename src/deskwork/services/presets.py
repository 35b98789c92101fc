"""Deck presets and the deck list: reading and editing presets, assigning decks to them, the
scheduler settings each deck studies with, and every deck's due counts for today."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from deskwork.domain import decknames
from deskwork.domain import preset_text as pt
from deskwork.domain import presets as dp
from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card
from deskwork.domain.decklimits import DeckCounts, Done, deck_counts, done_per_deck
from deskwork.domain.decknames import parents
from deskwork.domain.presets import DEFAULT_PRESET_ID, DeckOptions, Preset, PresetError, Presets
from deskwork.domain.scheduling import SchedulerSettings
from deskwork.domain.studyday import day_bounds
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


def today_done(desk: Desk, cards_by_id: dict[int, str]) -> dict[str, Done]:
    start, end = day_bounds(desk.today(), desk.config.study.day_start_hour)
    return done_per_deck(desk.store.reviews.between(start, end), cards_by_id)


@dataclass(frozen=True)
class DueToday:
    """What the review queue (every deck, each deck's limits) holds today: the one "cards due"
    figure `today`, `cards stats`, the desk and the review pane share. Learning is counted as Anki
    counts it: intraday learning due within the learn-ahead limit, and interday learning (a step
    due later today comes into it when its time is near). `without_limits` counts
    every available new card and every card due by the end of the study day, limits ignored."""

    new: int
    learning: int
    review: int
    without_limits: int
    next_due: datetime | None  # the next card due after now (None when none)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review

    def parts(self) -> dict[str, int]:
        return {"new": self.new, "learning": self.learning, "review": self.review}


def due_today(desk: Desk, cards: list[Card] | None = None) -> DueToday:
    """Today's due cards as the review queue of every deck will show them (one queue build)."""
    now = desk.clock()
    cards = desk.store.cards.all() if cards is None else cards
    # In UTC, as the cards' times are stored: no offset lookups in the comparisons below
    day_end = day_bounds(desk.today(), desk.config.study.day_start_hour)[1].astimezone(UTC)
    done = today_done(desk, {c.id: c.deck for c in cards})
    queue = rq.build(cards, now, day_end, load(desk), done)
    raw = 0
    upcoming: datetime | None = None
    for card in cards:
        if card.suspended:
            continue
        if card.due > now and (upcoming is None or card.due < upcoming):
            upcoming = card.due
        if (card.is_new or card.due < day_end) and rq.available(card, now):
            raw += 1
    return DueToday(*queue.counts(now), raw, upcoming)


def deck_list(desk: Desk, now: datetime | None = None) -> list[DeckCounts]:
    """Every deck with today's due counts (new, learning, review) as Anki's deck list shows them."""
    now = now or desk.clock()
    cards = desk.store.cards.all()
    presets = load(desk)
    day_end = day_bounds(desk.today(), desk.config.study.day_start_hour)[1]
    done = today_done(desk, {c.id: c.deck for c in cards})
    rows = deck_counts(cards, now, day_end, presets, done, presets.options)
    # As in Anki, an empty default deck without subdecks is not listed.
    default = desk.config.cards.default_deck
    return [
        r
        for r in rows
        if r.deck != default or r.cards or any(o.deck.startswith(default + "::") for o in rows)
    ]


# ---------------------------------------------------------------------- from Anki
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
