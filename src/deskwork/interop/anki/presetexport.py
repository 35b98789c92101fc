"""Deskwork's presets written into a legacy Anki collection (`col.dconf`, each deck's `conf` and
own limits) for an exported .apkg: each preset a written deck uses as an Anki deck config, and the
default preset (`[cards]`) as a config of its own ("Default (deskwork)", `DEFAULT_EXPORT_ID`) that
the decks without a preset point at, also copied into Anki's Default (config 1).

Anki, importing a package into a collection, adds the configs it does not have and never replaces
its own Default (config 1): the default preset therefore travels under its own id, or its limits
would be lost in Anki. Reading them back is `deckconfig.py`'s.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from deskwork.domain.presets import Preset
from deskwork.domain.revieworder import ANKI_NUMBERS
from deskwork.interop.anki.deckconfig import DESKWORK_DEFAULT

_ANKI_ORDER = {key: number for number, key in ANKI_NUMBERS.items()}


EXPORT_ID_BASE = 1700000000200
DEFAULT_EXPORT_ID = EXPORT_ID_BASE  # the default preset ([cards]); stored presets: base + their id
DEFAULT_EXPORT_NAME = "Default (deskwork)"


def export_into(dconf: dict[str, Any], decks: dict[str, Any], presets: Any, now: datetime) -> None:
    """Put deskwork's presets into a legacy collection being written: one Anki deck config per
    preset a written deck uses (its Anki id when it came from Anki), each deck pointing at its
    own, with its own limits. `dconf["1"]` (Anki's Default) is the template. Deskwork's default
    preset (`[cards]`, with its optimised parameters), the one decks without a preset of their own
    use, is written as `DEFAULT_EXPORT_ID` (the decks point at it) and into `dconf["1"]` (the
    collection opened as it is), both marked as such (`DESKWORK_DEFAULT`). `presets` is a
    `domain.presets.Presets` (None: nothing to add)."""
    if presets is None or "1" not in dconf:
        return
    template = dconf["1"]
    written: dict[int, int] = {}
    for deck in decks.values():
        name = deck.get("name", "")
        preset = presets.preset_of(name)
        option = presets.options.get(name)
        if preset.id:
            conf_id = written.get(preset.id)
            if conf_id is None:
                conf_id = preset.anki_id if preset.anki_id > 1 else EXPORT_ID_BASE + preset.id
                dconf[str(conf_id)] = _legacy_conf(template, conf_id, preset, now)
                written[preset.id] = conf_id
            deck["conf"] = conf_id
        else:
            deck["conf"] = DEFAULT_EXPORT_ID
        if option is not None:
            if option.new_limit is not None:
                deck["newLimit"] = option.new_limit
            if option.review_limit is not None:
                deck["reviewLimit"] = option.review_limit
            if option.desired_retention is not None:
                deck["desiredRetention"] = round(option.desired_retention * 100)
    default = presets.default.model_copy(update={"name": DEFAULT_EXPORT_NAME})
    mark = {DESKWORK_DEFAULT: True}
    dconf[str(DEFAULT_EXPORT_ID)] = _legacy_conf(template, DEFAULT_EXPORT_ID, default, now) | mark
    dconf["1"] = _legacy_conf(template, 1, presets.default, now) | mark


def _legacy_conf(
    template: dict[str, Any], conf_id: int, preset: Preset, now: datetime
) -> dict[str, Any]:
    conf: dict[str, Any] = json.loads(json.dumps(template))
    params = [float(p) for p in preset.fsrs_parameters]
    key = {21: "fsrsParams6", 19: "fsrsParams5", 17: "fsrsWeights"}.get(len(params))
    conf.update({
        "id": conf_id, "name": preset.name, "mod": int(now.timestamp()), "usn": -1,
        "desiredRetention": preset.desired_retention,
        "buryInterdayLearning": preset.bury_interday_learning,
        "reviewOrder": _ANKI_ORDER.get(preset.review_order, 0),
        "easyDaysPercentages": list(preset.easy_days) or [1.0] * 7,
        "fsrsParams6": [], "fsrsParams5": [], "fsrsWeights": [],
    })  # fmt: skip
    if key:
        conf[key] = params
    conf["new"].update({"delays": list(preset.learning_steps_minutes),
                        "perDay": preset.new_per_day, "bury": preset.bury_new})  # fmt: skip
    conf["rev"].update({"perDay": preset.reviews_per_day, "bury": preset.bury_reviews,
                        "maxIvl": preset.maximum_interval_days})  # fmt: skip
    conf["lapse"].update({"delays": list(preset.relearning_steps_minutes),
                          "leechFails": preset.leech_lapses,
                          "leechAction": 0 if preset.leech_suspend else 1})  # fmt: skip
    return conf
