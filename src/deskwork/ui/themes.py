"""Theme files -> Textual themes.

Every `*.toml` in the bundled `themes/` folder (shipped inside the wheel) and in the user's `themes/`
folder next to the config becomes a `textual.theme.Theme`. A file that does not parse or validate is
reported by name and skipped; the app falls back to its default theme. The bundled files are read
as written (`desk_themes`): tests/test_themes.py validates each, and a start builds no validator
for them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from textual.color import Color, ColorParseError
from textual.theme import Theme

from deskwork.domain.records import empty_dict

DEFAULT_THEME = "deskwork-dusk"
_COLOR_FIELDS = [
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "boost",
]


class ThemeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    dark: bool = True
    primary: str
    secondary: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    boost: str | None = None
    variables: dict[str, str] = Field(default_factory=empty_dict)

    @field_validator(*_COLOR_FIELDS)
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Color.parse(value)
            except ColorParseError:
                raise ValueError(f"{value!r} is not a colour (try '#RRGGBB')") from None
        return value

    def to_theme(self) -> Theme:
        return Theme(**self.model_dump())


def bundled_themes_dir() -> Path:
    # The package's folder on disk, as importlib.resources.files("deskwork") gives it for an
    # installed package (that module and its readers cost ~3 ms of every start).
    packaged = Path(__file__).resolve().parents[1] / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "themes"  # running from a source checkout


def load_theme_file(path: Path) -> Theme:
    """Parse one theme file; raises ValueError with a message naming the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"theme {path}: {exc}") from None
    try:
        return ThemeFile.model_validate(data).to_theme()
    except ValidationError as exc:
        from deskwork.toml_keys import where  # only a refused file names its line

        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "file"
        msg = re.sub(r"^Value error, ", "", err["msg"])
        at = where(path, *(str(p) for p in err["loc"]))
        raise ValueError(f"theme {at}: '{key}': {msg}") from None


def load_themes(*folders: Path) -> tuple[list[Theme], list[str]]:
    """All valid themes in `folders` (later folders override earlier names), and the problems."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme_file(path)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems


def desk_themes(user_folder: Path) -> tuple[list[Theme], list[str]]:
    """deskwork's own themes and the user's (a user's file replaces a bundled theme of its name),
    and the problems of the user's files. The bundled files are deskwork's own and are read as
    written: validating them built ThemeFile's validator at every start (~1.4 ms of CPU before
    the first frame); tests/test_themes.py validates each of them instead."""
    themes: dict[str, Theme] = {}
    for path in sorted(bundled_themes_dir().glob("*.toml")):
        theme = Theme(**tomllib.loads(path.read_text(encoding="utf-8")))
        themes[theme.name] = theme
    user, problems = load_themes(user_folder)
    themes.update((theme.name, theme) for theme in user)
    return list(themes.values()), problems
