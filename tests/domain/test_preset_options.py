"""`same_options`: whether two presets schedule alike (the import's test for "this package's
Default is this store's default preset")."""

from __future__ import annotations

import struct

import pytest

from deskwork.domain.preset_text import edit
from deskwork.domain.presets import Preset, PresetError, fsrs6_parameters, same_options

WEEK = (1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0)


def _float32(value: float) -> float:
    (out,) = struct.unpack("<f", struct.pack("<f", value))
    return float(out)


def test_names_ids_and_float32_rounding_do_not_count() -> None:
    mine = Preset(id=0, name="Default", desired_retention=0.85, learning_steps_minutes=[3.0])
    theirs = Preset(
        id=7, name="Default (Anki)", anki_id=1, anki_mtime=5,
        desired_retention=_float32(0.85), learning_steps_minutes=[_float32(3.0)],
    )  # fmt: skip
    assert same_options(mine, theirs, WEEK)


def test_easy_days_count_as_they_apply() -> None:
    """A preset without its own easy days studies with the config's week."""
    spelled = Preset(name="a", easy_days=list(WEEK))
    assert same_options(Preset(name="b"), spelled, WEEK)
    assert not same_options(Preset(name="b"), spelled, (1.0,) * 7)


def test_parameters_count_as_the_21_they_schedule_with() -> None:
    fsrs5 = [0.4, 1.2, 3.2, 15.7, 7.2, 0.53, 1.46, 0.005, 1.55, 0.12, 1.02, 1.94, 0.11, 0.3,
             2.27, 0.23, 2.99, 0.52, 0.66]  # fmt: skip
    assert same_options(
        Preset(name="a", fsrs_parameters=fsrs5),
        Preset(name="b", fsrs_parameters=[*fsrs5, 0.0, 0.5]),
        WEEK,
    )
    assert not same_options(Preset(name="a", fsrs_parameters=fsrs5), Preset(name="b"), WEEK)


def test_any_other_option_differing_makes_them_different() -> None:
    base = Preset(name="a")
    changes = {
        "new_per_day": 7, "reviews_per_day": 1, "desired_retention": 0.86, "leech_suspend": True,
        "review_order": "random", "relearning_steps_minutes": [], "bury_interday_learning": True,
        "new_ignores_review_limit": True, "maximum_interval_days": 99,
    }  # fmt: skip
    for key, value in changes.items():
        assert not same_options(base, base.model_copy(update={key: value}), WEEK), key


FSRS6 = [0.2172, 1.1771, 3.2602, 16.1507, 7.0114, 0.57, 2.0966, 0.0069, 1.5261, 0.112, 1.0178,
         1.849, 0.1133, 0.3127, 2.2934, 0.2191, 3.0004, 0.7536, 0.3332, 0.1437, 0.2]  # fmt: skip


def test_typed_parameters_the_model_would_clip_are_refused_by_name() -> None:
    typed = [*FSRS6]
    typed[7], typed[16] = 0.9, 0.5  # w7 above 0.75, w16 below 1
    with pytest.raises(PresetError) as refused:
        edit(Preset(name="a"), "fsrs_parameters", ", ".join(map(str, typed)))
    assert "w7 = 0.9 (0.001–0.75)" in str(refused.value)
    assert "w16 = 0.5 (1–6)" in str(refused.value)
    # in range: taken as typed
    kept = edit(Preset(name="a"), "fsrs_parameters", " ".join(map(str, FSRS6)))
    assert kept.fsrs_parameters == FSRS6
    # a set from Anki is still clipped as fsrs-rs clips it (the import does not refuse it)
    clipped = fsrs6_parameters(typed)
    assert clipped is not None and clipped[7] == 0.75 and clipped[16] == 1.0
