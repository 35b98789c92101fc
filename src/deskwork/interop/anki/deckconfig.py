"""Anki's deck options presets ("deck configs") and each deck's preset, read from a collection.

Current collections keep presets in the `deck_config` table (a protobuf `DeckConfig.Config` per
row) and decks in `decks` (a protobuf `Deck.KindContainer`); legacy ones (schema 11) keep both as
JSON in `col.dconf` / `col.decks`. Either way this gives deskwork presets (with Anki's id and
modification time), each deck's assignment and its own overrides (limits, desired retention), the
learning step each learning card is at (Anki's `left`), and which cards Anki buried until its next
day (a sibling buried by the preset, or buried by hand).

Anki's FSRS parameters: the newest set a preset has (FSRS-6, else FSRS-5, else FSRS-4.5), upgraded
to 21 by `domain.presets.fsrs6_parameters`; a set deskwork cannot use is reported and dropped
(the preset then schedules with the defaults), never silently misread.

The configs of a package deskwork exported that hold its default preset (`[cards]`: config 1 and
its own id) are marked so (`DESKWORK_DEFAULT`); `AnkiPresets.deskwork_defaults` tells the import. Writing: `presetexport.py`.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from deskwork.domain.cards import CardState
from deskwork.domain.decknames import normalize_or
from deskwork.domain.presets import DeckOptions, Preset, PresetError, fsrs6_parameters
from deskwork.domain.revieworder import ANKI_NUMBERS
from deskwork.domain.studyday import day_bounds, study_day
from deskwork.domain.text import clean
from deskwork.interop.anki.protobuf import fields, fields_before_damage

MAX_CONFIGS = 10_000
# Marks Anki's config 1 of a package deskwork wrote as deskwork's default preset (`[cards]`); Anki
# keeps a key it does not know in the config (its "other" JSON), so the mark survives Anki too.
DESKWORK_DEFAULT = "deskworkDefaultPreset"


@dataclass
class AnkiPresets:
    """What a collection says about presets. `deck_presets` maps a deck name to an Anki config id."""

    presets: dict[int, Preset] = field(default_factory=dict)  # Anki config id -> preset (id 0)
    mtimes: dict[int, int] = field(default_factory=dict)
    decks: dict[str, DeckOptions] = field(default_factory=dict)  # preset_id = Anki config id
    left: dict[tuple[str, int], int] = field(default_factory=dict)  # (note guid, ord) -> left
    buried: set[tuple[str, int]] = field(default_factory=set)  # buried until Anki's next day
    next_day: datetime | None = None  # when Anki's current day ends (it unburies then)
    problems: list[str] = field(default_factory=list)
    fsrs: bool = False  # whether the collection schedules with FSRS
    # the configs holding a deskwork store's default preset (its export: config 1 and its own id)
    deskwork_defaults: set[int] = field(default_factory=set)


def _floats(values: list[int | bytes]) -> list[float]:
    """A repeated float: packed (one blob) or not (4 bytes each)."""
    out: list[float] = []
    for value in values:
        if isinstance(value, bytes) and len(value) % 4 == 0:
            out += [v for (v,) in struct.iter_unpack("<f", value)]
    return out


def _float(values: list[int | bytes] | None, default: float) -> float:
    found = _floats(values or [])
    return found[-1] if found else default


def _int(values: list[int | bytes] | None, default: int = 0) -> int:
    if not values or not isinstance(values[-1], int):
        return default
    return values[-1]


# ---------------------------------------------------------------------- presets


def _easy_days(values: Any) -> Any:
    """Anki's easy days as the preset keeps them: all normal (Anki's default) → [] (the config's
    [easy_days] then applies); anything else as it is (the preset's check refuses a bad one)."""
    if isinstance(values, list) and all(v == 1.0 for v in values):
        return []
    return values


def _order(value: Any) -> str:
    """Anki's ReviewCardOrder number → ours (an unknown or odd value: due date, Anki's default)."""
    return ANKI_NUMBERS.get(value, "due") if isinstance(value, int) else "due"


def _preset(name: str, raw: dict[str, Any], problems: list[str]) -> Preset:
    """A preset from Anki's values (already in deskwork's terms), each one checked."""
    name = clean(str(name), single_line=True)[:200] or "Unnamed"  # untrusted
    params = raw.pop("params")
    try:
        fsrs6_parameters(params)
    except (PresetError, TypeError, ValueError) as exc:
        problems.append(f"preset {name!r}: {exc}; it schedules with the default parameters")
        params = []
    values = {"name": name, "fsrs_parameters": params, **raw}
    fallback = Preset(name=values["name"])
    usable: dict[str, Any] = {}
    for key, value in values.items():
        try:
            Preset.model_validate(fallback.model_dump() | {key: value})
            usable[key] = value
        except ValueError:
            shown = clean(repr(value), single_line=True)[:60]
            problems.append(f"preset {name!r}: {key} = {shown} is not usable; kept the default")
    return Preset.model_validate(fallback.model_dump() | usable)


def _cap(value: Any, top: int) -> Any:
    """A number capped at `top`; anything else as it is (the preset's check refuses it)."""
    return (
        min(value, top) if isinstance(value, int | float) and not isinstance(value, bool) else value
    )


def _limits(review: Any, new: Any) -> dict[str, Any]:
    return {"reviews_per_day": _cap(review, 9999), "new_per_day": _cap(new, 9999)}


def _from_proto(blob: bytes) -> dict[str, Any]:
    f = fields(blob)
    params = _floats(f.get(6, [])) or _floats(f.get(5, [])) or _floats(f.get(3, []))
    retention = round(_float(f.get(37), 0.0), 4)  # a float32: 0.85 reads 0.8500000238
    return {
        "params": params,
        "learning_steps_minutes": _floats(f.get(1, [])),
        "relearning_steps_minutes": _floats(f.get(2, [])),
        **_limits(_int(f.get(10)), _int(f.get(9))),
        "maximum_interval_days": min(max(_int(f.get(16), 36500), 1), 36500),
        "leech_suspend": _int(f.get(21)) == 0,
        "leech_lapses": max(_int(f.get(22), 8), 1),
        "bury_new": bool(_int(f.get(27))),
        "bury_reviews": bool(_int(f.get(28))),
        "bury_interday_learning": bool(_int(f.get(29))),
        "review_order": _order(_int(f.get(33))),
        "easy_days": _easy_days(_floats(f.get(4, []))),
        **({"desired_retention": retention} if retention else {}),
    }


def _sub(conf: dict[str, Any], key: str) -> dict[str, Any]:
    value = conf.get(key)
    return value if isinstance(value, dict) else {}


def _from_json(conf: dict[str, Any]) -> dict[str, Any]:
    """Values as Anki's JSON has them: one that is not usable is refused by `_preset`, by key."""
    new, rev, lapse = _sub(conf, "new"), _sub(conf, "rev"), _sub(conf, "lapse")
    params = conf.get("fsrsParams6") or conf.get("fsrsParams5") or conf.get("fsrsWeights") or []
    retention = conf.get("desiredRetention") or 0.0
    max_ivl = rev.get("maxIvl", 36500)
    return {
        "params": params if isinstance(params, list) else [],
        "learning_steps_minutes": new.get("delays", [1.0, 10.0]),
        "relearning_steps_minutes": lapse.get("delays", [10.0]),
        **_limits(rev.get("perDay", 200), new.get("perDay", 20)),
        "maximum_interval_days": min(max(max_ivl, 1), 36500)
        if isinstance(max_ivl, int)
        else max_ivl,
        "leech_suspend": lapse.get("leechAction", 1) == 0,
        "leech_lapses": lapse.get("leechFails", 8),
        "bury_new": bool(new.get("bury", False)),
        "bury_reviews": bool(rev.get("bury", False)),
        "bury_interday_learning": bool(conf.get("buryInterdayLearning", False)),
        "review_order": _order(conf.get("reviewOrder", 0)),
        "easy_days": _easy_days(conf.get("easyDaysPercentages")),
        **({"desired_retention": retention} if retention else {}),
    }


# ---------------------------------------------------------------------- decks
def _deck_from_proto(name: str, blob: bytes) -> DeckOptions | None:
    kind = fields(blob)
    normal = kind.get(1)
    if not normal or not isinstance(normal[-1], bytes):
        return None  # a filtered deck: its cards keep their home deck's preset
    f = fields(normal[-1])
    retention = round(_float(f.get(10), 0.0), 4)
    return _deck(name, _int(f.get(1), 1), _int(f.get(7), -1), _int(f.get(6), -1), retention)


def _deck(name: str, conf: int, new: int, review: int, retention: float) -> DeckOptions:
    return DeckOptions(
        deck=name,
        preset_id=conf,
        new_limit=min(new, 9999) if new >= 0 else None,
        review_limit=min(review, 9999) if review >= 0 else None,
        desired_retention=retention if 0.5 < retention < 1 else None,
    )


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("select name from sqlite_master where type='table'")}


def read(db: sqlite3.Connection) -> AnkiPresets:
    """Presets and deck assignments of an open collection (either schema)."""
    out = AnkiPresets()
    tables = _tables(db)
    raw: dict[int, tuple[str, dict[str, Any], int]] = {}
    if "deck_config" in tables:
        for cid, name, mtime, blob in db.execute(
            f"select id, name, mtime_secs, config from deck_config limit {MAX_CONFIGS}"
        ):
            try:
                raw[int(cid)] = (str(name), _from_proto(_blob(blob)), int(mtime or 0))
                if _marked(fields_before_damage(_blob(blob)).get(255)):
                    out.deskwork_defaults.add(int(cid))
            except (ValueError, TypeError, struct.error) as exc:
                out.problems.append(
                    f"preset {clean(str(name))!r} cannot be read ({exc}); not imported"
                )
        for _did, name, blob in db.execute("select id, name, kind from decks"):
            # as decks.py names the deck its cards go to (normalised as Anki does)
            deck_name = normalize_or(clean(str(name).replace("\x1f", "::"), single_line=True))
            try:
                option = _deck_from_proto(deck_name, _blob(blob))
            except (ValueError, TypeError, struct.error):
                out.problems.append(
                    f"deck {clean(deck_name)!r}: its options cannot be read; default"
                )
                option = None
            if option is not None:
                out.decks[deck_name] = option
        out.fsrs = _config_bool(db, "fsrs")
        ignore = _config_bool(db, "newCardsIgnoreReviewLimit")
    else:
        dconf, decks, conf = db.execute("select dconf, decks, conf from col").fetchone()
        for key, value in _json(dconf).items():
            if isinstance(value, dict):
                try:
                    raw[int(key)] = (
                        str(value.get("name", "")),
                        _from_json(value),
                        int(value.get("mod", 0)),
                    )
                    if value.get(DESKWORK_DEFAULT) is True:
                        out.deskwork_defaults.add(int(key))
                except (TypeError, ValueError) as exc:
                    out.problems.append(f"preset {value.get('name')!r} cannot be read ({exc})")  # fmt: skip
        for value in _json(decks).values():
            if isinstance(value, dict) and not value.get("dyn") and _is_int(value.get("conf", 1)):
                # named as decks.py names the deck its cards go to (an older deskwork's export
                # held a deck '' for '::Lead': its options refused the whole package)
                name = normalize_or(clean(str(value.get("name", "")), single_line=True))
                limit = value.get("newLimit"), value.get("reviewLimit")
                dr = value.get("desiredRetention")
                out.decks[name] = _deck(
                    name, int(value.get("conf", 1)),
                    limit[0] if isinstance(limit[0], int) else -1,
                    limit[1] if isinstance(limit[1], int) else -1,
                    dr / 100 if isinstance(dr, int | float) else 0.0,
                )  # fmt: skip
        settings = _json(conf)
        out.fsrs = bool(settings.get("fsrs", False))
        ignore = bool(settings.get("newCardsIgnoreReviewLimit", False))
    for cid, (name, values, mtime) in raw.items():
        values["new_ignores_review_limit"] = ignore
        out.presets[cid] = _preset(name, values, out.problems).model_copy(update={"anki_id": cid})
        out.mtimes[cid] = int(mtime or 0)
    for guid, ord_, ctype, queue, left in db.execute(
        "select n.guid, c.ord, c.type, c.queue, c.left from cards c join notes n on n.id = c.nid "
        "where c.type in (1, 3) or c.queue in (-2, -3)"
    ):
        if ctype in (1, 3):
            out.left[(guid, ord_)] = int(left or 0)
        if queue in (-2, -3):
            out.buried.add((guid, ord_))
    return out


def _marked(other: list[int | bytes] | None) -> bool:
    """Whether a config's "other" (the JSON keys Anki does not know) has deskwork's mark."""
    if not other or not isinstance(other[-1], bytes):
        return False
    try:
        return _json(other[-1].decode()).get(DESKWORK_DEFAULT) is True
    except UnicodeDecodeError:
        return False


def _blob(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode()
    return bytes(value or b"")


def _json(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _config_bool(db: sqlite3.Connection, key: str) -> bool:
    try:
        row = db.execute("select val from config where key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return False
    try:
        return bool(row and json.loads(bytes(row[0]).decode() or "false"))
    except (ValueError, UnicodeDecodeError):
        return False


def _is_int(value: Any) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


def learning_step(left: int, state: CardState, preset: Preset) -> int:
    """Anki's `left` (remaining steps, % 1000) as deskwork's step index."""
    steps = (
        preset.relearning_steps_minutes
        if state is CardState.RELEARNING
        else preset.learning_steps_minutes
    )
    if not steps:
        return 0
    return min(max(len(steps) - left % 1000, 0), len(steps) - 1)


def attach(
    db: sqlite3.Connection, deck: Any, start_hour: int = 4, tz: tzinfo | None = None
) -> None:
    """Read the presets into an imported deck (`Deck.presets`) and put its learning cards on the
    step Anki had them at. Called by the package reader with the open collection. A card Anki
    buried stays buried until today's study day ends (`start_hour` in `tz`), as Anki unburies at
    its rollover: counting 24-hour steps from crt unburied it an hour early across DST."""
    found = read(db)
    if found.buried:
        today = study_day(datetime.now(UTC), start_hour, tz)
        found.next_day = day_bounds(today, start_hour, tz)[1].astimezone(UTC)
    deck.presets = found
    default = Preset(name="Default")
    for n, card in enumerate(deck.cards):
        if (card.note_guid, card.ord) in found.buried and not card.suspended:
            card = deck.cards[n] = card.model_copy(update={"buried_until": found.next_day})
        if card.state is CardState.REVIEW or card.is_new:
            continue
        left = found.left.get((card.note_guid, card.ord))
        if left is None:
            continue
        option = found.decks.get(card.deck)
        preset = found.presets.get(option.preset_id, default) if option else default
        deck.cards[n] = card.model_copy(update={"step": learning_step(left, card.state, preset)})
