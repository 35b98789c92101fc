"""The TOML config, validated by pydantic: its sections (their keys, defaults and bounds) and
reading the file.

A bad key or value never stops the app: it is reported (file, key, what was expected) and that one
key falls back to its default while the rest of the file still applies. The line a message names
is found by deskwork/toml_keys.py; `deskwork config show` writes the config by config_toml.py.

Start-up cost: building pydantic validators for every section took ~60 ms of each start. The models
are built lazily (`defer_build`): only the sections a config file has are validated (their
validators built then); the defaults of the others are constructed without validation (they are
the models' own defaults: nothing to check).
"""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text as the class is made, at every start (tests/test_startup_laziness.py).
import functools
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from deskwork.domain.plan import PLAN_BOUNDS
from deskwork.domain.records import empty_dict, empty_list

TIME_OF_DAY = r"^(([01]\d|2[0-3]):[0-5]\d)?$"
WEB_ADDRESS = r"^https?://"
PATTERNS = {  # how a refused value is told: the rule in words
    TIME_OF_DAY: "expected a time of day as HH:MM, from 00:00 to 23:59 ('' for never)",
    WEB_ADDRESS: "expected a web address starting with http:// or https://",
}


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class UIConfig(Section):
    theme: str = Field(default="deskwork-dusk", description="theme name (a palette choice wins)")
    compact_below_width: int = Field(default=100, ge=40, description="below this width: one pane")


class StudyConfig(Section):
    day_start_hour: int = Field(
        default=4, ge=0, le=23, description="a study day starts at this hour"
    )
    rest_days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=empty_list, description="days off: they do not break a streak"
    )


class TimerHooks(Section):
    """Shell commands run in the background at timer events; details arrive in DESKWORK_* env vars."""

    on_focus_start: str = ""
    on_focus_end: str = ""
    on_break_start: str = ""
    on_break_end: str = ""
    timeout_seconds: float = Field(default=10, gt=0, le=600)


class TimerConfig(Section):
    focus_minutes: float = Field(default=25, gt=0, le=24 * 60)
    short_break_minutes: float = Field(default=5, gt=0, le=24 * 60)
    long_break_minutes: float = Field(default=15, gt=0, le=24 * 60)
    long_break_every: int = Field(default=4, ge=1, le=100)
    auto_start_breaks: bool = True
    auto_start_focus: bool = False
    extend_minutes: float = Field(default=5, gt=0, le=24 * 60)
    daily_goal: float = Field(default=8, ge=0, description="pomodoros, or minutes (goal_unit)")
    goal_unit: Literal["pomodoros", "minutes"] = "pomodoros"
    end_of_day: str = Field(
        default="19:00",
        pattern=TIME_OF_DAY,
        description="HH:MM local; '' = never",
    )
    bell: bool = True
    desktop_notifications: bool = True
    hooks: TimerHooks = Field(default_factory=TimerHooks.model_construct)


class DraftsConfig(Section):
    flavour: Literal["pelican", "hugo", "jekyll", "gatsby"] = "pelican"
    export_dir: str = Field(
        default="", description="where posts go ('' = ~/Documents/deskwork, or DIR/exports)"
    )
    autosave_seconds: float = Field(default=1.5, gt=0, le=2, description="after typing pauses")
    revision_every_minutes: float = Field(default=5, gt=0)
    keep_revisions: int = Field(default=30, ge=1, le=1000)


def _bounded(default: float, name: str, description: str | None = None) -> Any:
    """A [plan] figure's field, within PLAN_BOUNDS[name] (finite: inf and nan refused)."""
    bound = PLAN_BOUNDS[name]
    return Field(
        default=default, ge=bound.least, le=bound.most, allow_inf_nan=False, description=description
    )


class PlanConfig(Section):
    start: date | None = Field(default=None, description="program start (default: today)")
    # bounds: domain/plan.PLAN_BOUNDS (the plan screen and `deskwork plan` check the same)
    weeks: float = _bounded(12, "weeks")
    hours_per_day: float = _bounded(8, "hours_per_day")
    days_per_week: float = _bounded(5, "days_per_week")
    hours_per_point: float = _bounded(120, "hours_per_point", "1 point = 12 weeks x 10 h")


class SourcesConfig(Section):
    """Fetching links. The environment variable DESKWORK_ARXIV_API overrides `arxiv_api`."""

    arxiv_api: str = Field(default="https://export.arxiv.org/api/query", pattern=WEB_ADDRESS)
    oembed_api: str = Field(default="https://www.youtube.com/oembed", pattern=WEB_ADDRESS)
    connect_timeout_seconds: float = Field(default=5, gt=0, le=60)
    total_timeout_seconds: float = Field(default=15, gt=0, le=300)
    max_download_mb: float = Field(default=5, gt=0, le=100)
    watch: list[str] = Field(
        default_factory=empty_list,
        description="arXiv categories or queries whose new papers are offered, e.g. 'cat:cs.LG'",
    )


class CardsConfig(Section):
    """Flashcards: the default deck preset (fsrs scheduling, daily limits on the study day of
    [study]); decks with a preset of their own use it instead (`deskwork cards presets`)."""

    desired_retention: float = Field(default=0.90, gt=0.5, lt=1)
    learning_steps_minutes: list[float] = Field(default_factory=lambda: [1.0, 10.0])
    relearning_steps_minutes: list[float] = Field(default_factory=lambda: [10.0])
    maximum_interval_days: int = Field(default=36500, ge=1)
    fuzz: bool = True
    new_per_day: int = Field(default=20, ge=0)
    reviews_per_day: int = Field(default=200, ge=0)
    leech_lapses: int = Field(default=8, ge=1)
    leech_suspend: bool = Field(
        default=False, description="suspend leeches (they are tagged anyway)"
    )
    default_deck: str = "Default"
    # The rest of the default deck preset (decks without a preset of their own use this section).
    fsrs_parameters: list[float] = Field(
        default_factory=empty_list, description="17, 19 or 21 FSRS parameters; [] = the defaults"
    )
    new_ignores_review_limit: bool = False
    bury_new: bool = False
    bury_reviews: bool = False
    bury_interday_learning: bool = False
    review_order: str = Field(
        default="due", description="review sort order of the default preset (see cards presets)"
    )
    load_balancer: bool = Field(
        default=True, description="spread reviews evenly over the fuzz range (Anki's default)"
    )

    @field_validator("review_order")
    @classmethod
    def _order(cls, value: str) -> str:
        from deskwork.domain.revieworder import parse_order

        return parse_order(value)

    @field_validator("default_deck")
    @classmethod
    def _deck(cls, value: str) -> str:
        from deskwork.domain.decknames import normalize

        return normalize(value)  # as Anki reads it; '::' refused (a ValueError: reported)

    @field_validator("fsrs_parameters")
    @classmethod
    def _parameters(cls, value: list[float]) -> list[float]:
        from deskwork.domain.presets import check_typed_parameters

        check_typed_parameters(value)  # its PresetError is a ValueError: pydantic reports it
        return value


class EasyDaysConfig(Section):
    """Anki's easy days: each weekday's share of a normal day's reviews that the load balancer
    aims for (1 normal, 0.5 reduced, 0 minimum; or the words)."""

    monday: float = Field(default=1.0, ge=0, le=1)
    tuesday: float = Field(default=1.0, ge=0, le=1)
    wednesday: float = Field(default=1.0, ge=0, le=1)
    thursday: float = Field(default=1.0, ge=0, le=1)
    friday: float = Field(default=1.0, ge=0, le=1)
    saturday: float = Field(default=1.0, ge=0, le=1)
    sunday: float = Field(default=1.0, ge=0, le=1)

    @field_validator("*", mode="before")
    @classmethod
    def _word(cls, value: Any) -> Any:
        from deskwork.domain.loadbalance import EASY_WORDS

        words = "a load factor: a number from 0 to 1, or normal / reduced / minimum"
        if isinstance(value, str):
            if value.strip().lower() in EASY_WORDS:
                return EASY_WORDS[value.strip().lower()]
            raise ValueError(words)
        if isinstance(value, bool):
            raise ValueError(words)
        return value

    def factors(self) -> tuple[float, ...]:
        """Monday first, as Anki's easy days."""
        return (self.monday, self.tuesday, self.wednesday, self.thursday, self.friday,
                self.saturday, self.sunday)  # fmt: skip


class StoreConfig(Section):
    keep_backups: int = Field(default=10, ge=1, le=1000)
    backup_interval_minutes: float = Field(default=60, ge=0)


class Config(Section):
    ui: UIConfig = Field(default_factory=UIConfig.model_construct)
    study: StudyConfig = Field(default_factory=StudyConfig.model_construct)
    store: StoreConfig = Field(default_factory=StoreConfig.model_construct)
    timer: TimerConfig = Field(default_factory=TimerConfig.model_construct)
    drafts: DraftsConfig = Field(default_factory=DraftsConfig.model_construct)
    plan: PlanConfig = Field(default_factory=PlanConfig.model_construct)
    sources: SourcesConfig = Field(default_factory=SourcesConfig.model_construct)
    cards: CardsConfig = Field(default_factory=CardsConfig.model_construct)
    easy_days: EasyDaysConfig = Field(default_factory=EasyDaysConfig.model_construct)
    keys: dict[str, str] = Field(
        default_factory=empty_dict,
        description="binding id -> keys, e.g. 'app.help' = 'f1,question_mark'",
    )


def _drop(data: dict[str, Any], loc: tuple[int | str, ...]) -> bool:
    node: Any = data
    for part in loc[:-1]:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if isinstance(node, dict) and loc and loc[-1] in node:
        del node[loc[-1]]
        return True
    return False


def _message(err: Any) -> str:
    """pydantic's message in the config's words: what a pattern means, not the regex."""
    if err["type"] == "string_pattern_mismatch":
        return PATTERNS.get(str(err.get("ctx", {}).get("pattern", "")), str(err["msg"]))
    return str(err["msg"]).removeprefix("Value error, ")


KeyLines = dict[tuple[str, ...], int]


def _key_lines(text: str) -> KeyLines:
    """Where each key of the file is written (deskwork/toml_keys.py, imported only when a key is
    refused: not at every start)."""
    from deskwork.toml_keys import key_lines

    return key_lines(text)


def _describe(path: Path, err: Any, lines: Callable[[], KeyLines] | None = None) -> str:
    """The message for one refused key; `lines` gives `key_lines` of the file (scanned only
    when there is something to tell)."""
    from deskwork.toml_keys import line_of

    key = ".".join(str(p) for p in err["loc"])
    line = line_of(lines() if lines else {}, tuple(err["loc"]))
    where = f"{path}, line {line}" if line else f"{path}"
    if err["type"] == "extra_forbidden":
        return f"{where}: unknown key '{key}' (ignored)"
    return f"{where}: '{key}' = {err.get('input')!r}: {_message(err)} (using the default)"


SECTIONS: dict[str, type[Section]] = {
    name: field.annotation
    for name, field in Config.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, Section)
}
_keys_adapter: TypeAdapter[dict[str, str]] | None = None


def _validator(name: str) -> Any:
    """What validates one top-level key's value (built on first use)."""
    global _keys_adapter
    if name in SECTIONS:
        return SECTIONS[name].model_validate
    if _keys_adapter is None:
        _keys_adapter = TypeAdapter(dict[str, str])
    return _keys_adapter.validate_python


def _section(
    path: Path, name: str, value: Any, problems: list[str], lines: Callable[[], KeyLines]
) -> Any:
    """One top-level key validated; a bad key inside it is reported and dropped (its default
    applies), a wrong type for the whole section is reported and the section's defaults apply."""
    validate = _validator(name)
    for _ in range(50):
        try:
            return validate(value)
        except ValidationError as exc:
            dropped = False
            for err in exc.errors():
                loc = tuple(err["loc"])
                problems.append(_describe(path, {**err, "loc": (name, *loc)}, lines))
                dropped = (bool(loc) and isinstance(value, dict) and _drop(value, loc)) or dropped
            if not dropped:
                break  # the whole section is wrong: its defaults apply (the message says so)
    return None


def load_config(path: Path) -> tuple[Config, list[str]]:
    """The effective config and a list of problems (empty when the file is fine or absent)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config.model_construct(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Config.model_construct(), [f"{path}: cannot read ({exc}); using defaults"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config.model_construct(), [f"{path}: not valid TOML ({exc}); using defaults"]
    problems: list[str] = []
    values: dict[str, Any] = {}
    lines = functools.cache(functools.partial(_key_lines, text))  # only if a key is refused
    for name, value in data.items():
        if name not in Config.model_fields:
            problems.append(_describe(path, {"loc": (name,), "type": "extra_forbidden"}, lines))
            continue
        valid = _section(path, name, value, problems, lines)
        if valid is not None:
            values[name] = valid
    return Config.model_construct(**values), problems
