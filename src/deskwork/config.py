"""The TOML config, validated by pydantic.

A bad key or value never stops the app: it is reported (file, key, what was expected) and that one
key falls back to its default while the rest of the file still applies.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UIConfig(Section):
    theme: str = Field(default="deskwork-dusk", description="theme name (a palette choice wins)")
    compact_below_width: int = Field(default=100, ge=40, description="below this width: one pane")


class StudyConfig(Section):
    day_start_hour: int = Field(
        default=4, ge=0, le=23, description="a study day starts at this hour"
    )


class StoreConfig(Section):
    keep_backups: int = Field(default=10, ge=1, le=1000)
    backup_interval_minutes: float = Field(default=60, ge=0)


class Config(Section):
    ui: UIConfig = Field(default_factory=UIConfig)
    study: StudyConfig = Field(default_factory=StudyConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)
    keys: dict[str, str] = Field(
        default_factory=dict, description="binding id -> keys, e.g. 'app.help' = 'f1,question_mark'"
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


def _describe(path: Path, err: Any) -> str:
    key = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"{path}: unknown key '{key}' (ignored)"
    return f"{path}: '{key}' = {err.get('input')!r}: {err['msg']} (using the default)"


def load_config(path: Path) -> tuple[Config, list[str]]:
    """The effective config and a list of problems (empty when the file is fine or absent)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), [f"{path}: cannot read ({exc}); using defaults"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(), [f"{path}: not valid TOML ({exc}); using defaults"]
    problems: list[str] = []
    for _ in range(50):
        try:
            return Config.model_validate(data), problems
        except ValidationError as exc:
            dropped = False
            for err in exc.errors():
                problems.append(_describe(path, err))
                dropped = _drop(data, tuple(err["loc"])) or dropped
            if not dropped:
                break
    return Config(), [*problems, f"{path}: using defaults"]


def config_as_toml(config: Config) -> str:
    """The effective config rendered as TOML (for `deskwork config show`)."""
    lines: list[str] = []
    data = config.model_dump(mode="json")
    for section, values in data.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else f'"{key}"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
