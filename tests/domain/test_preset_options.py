"""`same_options`: whether two presets schedule alike (the import's test for "this package's
Default is this store's default preset")."""

from __future__ import annotations

import struct

from deskwork.domain.presets import Preset, same_options

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
