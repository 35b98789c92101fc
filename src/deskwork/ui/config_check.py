"""What the TUI would refuse in the config, found without starting it (for `deskwork config show`):
`[keys]` entries (judged by ui/keymap.py exactly as the app judges them), theme files that do not
load (ui/themes.py), and a `[ui] theme` that no theme provides."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES

from deskwork.config import Config
from deskwork.paths import Paths
from deskwork.toml_keys import where
from deskwork.ui.commands import ALL_COMMANDS
from deskwork.ui.keymap import resolve_keymap
from deskwork.ui.themes import DEFAULT_THEME, desk_themes


def ui_problems(config: Config, paths: Paths) -> list[str]:
    """A message per refused key binding or theme, worded as the app's start-up notes."""
    _, problems = resolve_keymap(config.keys, ALL_COMMANDS, paths.config_file)
    themes, theme_problems = desk_themes(paths.user_themes)
    problems += theme_problems
    names = set(BUILTIN_THEMES) | {theme.name for theme in themes}
    if config.ui.theme not in names:
        problems.append(
            f"{where(paths.config_file, 'ui', 'theme')}: [ui] theme {config.ui.theme!r} is not available "
            f"(the app uses {DEFAULT_THEME}); themes: {', '.join(sorted(names))}"
        )
    return problems
