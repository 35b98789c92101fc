"""The effective config written as TOML, for `deskwork config show` (TOML has no null: a value not
set is a comment)."""

from __future__ import annotations

from typing import Any

from deskwork.config import Config


def config_as_toml(config: Config) -> str:
    """The effective config rendered as TOML (for `deskwork config show`)."""
    lines: list[str] = []
    _render_table(lines, "", config.model_dump(mode="json"))
    return "\n".join(lines)


def _render_table(lines: list[str], prefix: str, values: dict[str, Any]) -> None:
    nested = {k: v for k, v in values.items() if isinstance(v, dict)}
    if prefix:
        lines.append(f"[{prefix}]")
    for key, value in values.items():
        if value is None:
            lines.append(f"# {_toml_key(key)} = (not set)")  # TOML has no null
        elif key not in nested:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    if prefix:
        lines.append("")
    for key, value in nested.items():
        _render_table(lines, f"{prefix}.{key}" if prefix else key, value)


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
